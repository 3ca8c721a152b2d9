"""The after-action report with the reviewer notes: scoring's report (issue 7) plus a notes section.

Scoring's own ``report`` command reads only the log; this writes the same three files for
the log's replayable prefix, with a "Reviewer notes" section (bookmarks and annotations
from ``LOG.notes.json``) before the footer when the log has notes.
"""

from __future__ import annotations

import os
from typing import Any

from tabletop import i18n
from tabletop.replay.notes import Notes


class NoScoring(Exception):
    pass


def note_blocks(replay: Any, lang: str, block: Any) -> list[Any]:
    """Report blocks for the notes (``block`` is scoring's Block class); [] when there are none."""
    notes = Notes(replay.path, replay.header["hash"])
    if notes.problem or not notes.items:
        return []
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    rows = [[str(n.seq), str(n.turn), n.time, t(f"replay.note_{n.kind}"), n.text or "—", n.author or "—"] for n in notes.items]
    return [block("h2", t("replay.report_notes")),
            block("table", headers=[t("replay.col_seq"), t("replay.col_turn"), t("replay.col_time"), t("replay.col_kind"),
                                    t("replay.col_text"), t("replay.col_author")], rows=rows),
            block("note", t("replay.report_notes_note", path=os.path.basename(notes.path)))]


def write(replay: Any, out: str, lang: str) -> list[str]:
    """The AAR of ``replay``'s log with its notes: the log is read and checked by scoring's one
    loader (chain and re-simulation, so the first page carries the integrity stamp; a damaged
    log is scored up to its first bad record and stamped on every page)."""
    try:
        from tabletop.scoring import logview, report
    except ImportError as err:  # pragma: no cover
        raise NoScoring(str(err)) from None
    view = logview.load(replay.path, progress=False, verify=True, allow_broken=True)
    return report.write(view, out, lang, extra=note_blocks(replay, lang, report.Block))
