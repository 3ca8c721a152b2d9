"""The after-action report with the reviewer notes: scoring's report (issue 7) plus a notes section.

Scoring's own ``report`` command reads only the log; this writes the same three files for
the log's replayable prefix, with a "Reviewer notes" section (bookmarks and annotations
from ``LOG.notes.json``) before the footer when the log has notes.
"""

from __future__ import annotations

import os
from typing import Any

from tabletop import files, i18n
from tabletop.replayview.notes import Notes


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
    try:
        from tabletop.scoring import engine, logview, report, text
    except ImportError as err:  # pragma: no cover
        raise NoScoring(str(err)) from None
    view = logview._start(replay.record(0), replay.path)
    for seq in range(1, replay.count):
        logview._add(view, replay.record(seq))
    doc = engine.score(view)
    blocks = report.build(view, doc, lang)
    extra = note_blocks(replay, lang, report.Block)
    blocks[-1:-1] = extra  # before the footer
    # All three files complete, or none changed (FileProblem on a full disk or read-only folder).
    return files.write_tree_atomic(out, {"index.html": report.html(blocks, lang, i18n.pick(doc["log"]["title"], lang)),
                                         "report.md": report.markdown(blocks), "score.json": text.dumps(doc)})
