"""What ``replay LOG ...`` does (see :mod:`.plugin` for the options)."""

from __future__ import annotations

import os
import sys
from typing import Any

from tabletop import files, i18n
from tabletop.replay.timeline import Replay, ReplayError, dumps_state

OK, FAILED, BAD_INPUT = 0, 1, 2


def main(args: Any) -> int:
    """``replay``: a file that cannot be written (full disk, read-only folder) is a clear
    message and exit 2, with no partial file left; the log itself is never written."""
    lang = args.replay_lang or getattr(args, "lang", None) or i18n.DEFAULT_LANG
    try:
        return _main(args, lang)
    except files.FileProblem as err:
        print(err.text(lang), file=sys.stderr)
        return BAD_INPUT


def _main(args: Any, lang: str) -> int:
    try:
        replay = Replay(args.log, progress=None, rebuild=args.rebuild_index)
    except ReplayError as err:
        print(err, file=sys.stderr)
        return BAD_INPUT
    with replay:
        if replay.built:
            print(i18n.t("replay.index_built", lang, path=replay.index.path, reason=replay.why_built), file=sys.stderr)
        where = getattr(replay.index, "problem", None)
        if where is not None:  # nowhere to keep the index: it lives in memory for this run
            print(i18n.t("files.index_in_memory", lang, reason=i18n.t(str(where.params.get("reason")), lang)),
                  file=sys.stderr)
        status = OK if replay.integrity.ok else FAILED
        if not replay.integrity.ok:
            print(warning(replay, lang), file=sys.stderr)
        if args.check:
            print(verdict(replay, lang))
            return status
        seq = None
        if args.at is not None:
            try:
                seq = replay.resolve(args.at)
            except ValueError as err:
                print(i18n.t("replay.bad_at", lang, at=args.at, error=err), file=sys.stderr)
                return BAD_INPUT
            if seq >= replay.count:
                key = "replay.past_intact" if seq < replay.source.lines else "replay.past_end"
                print(i18n.t(key, lang, seq=seq, last=replay.count - 1), file=sys.stderr)
                return FAILED if seq < replay.source.lines else BAD_INPUT
        wants_point = args.dump_state or args.screenshot or args.fork or args.note or args.bookmark
        if wants_point and seq is None:
            seq = replay.count - 1
        point = seq if seq is not None else replay.count - 1  # the record the actions below are about
        done = False
        if args.note or args.bookmark:
            done = True
            from tabletop.replay.notes import Notes

            notes = Notes(args.log, replay.header["hash"])
            if notes.problem:
                print(notes.problem, file=sys.stderr)
                return BAD_INPUT
            notes.add(point, args.note or "", args.author, replay.record(point))
            print(i18n.t("replay.note_saved", lang, seq=point, path=notes.path))
        if args.dump_state:
            done = True
            _write(args.dump_state, dumps_state(replay.dump_state(point)))
            print(i18n.t("replay.state_written", lang, path=args.dump_state, seq=point))
        if args.screenshot:
            done = True
            view = args.view
            if view != "truth" and (not view.startswith("eoc:") or view[4:] not in {c.id for c in replay.scenario.counties}):
                print(i18n.t("replay.bad_view", lang, view=view), file=sys.stderr)
                return BAD_INPUT
            filters = {}
            for item in args.filter:
                name, _, value = item.partition("=")
                if name not in ("county", "role", "kind") or not value:
                    print(i18n.t("replay.bad_filter", lang, filter=item), file=sys.stderr)
                    return BAD_INPUT
                filters[name] = value
            _screenshot(replay, point, args.screenshot, lang, view, filters)
            print(i18n.t("replay.screenshot_saved", lang, path=args.screenshot, seq=point))
        if args.fork:
            done = True
            code = _fork(replay, point, args.fork, lang)
            if code != OK:
                return code
        if args.notes:
            done = True
            print(notes_text(replay, lang))
        if args.report:
            done = True
            code = _report(replay, args.report, lang)
            if code != OK:
                return code
        if not done:
            code = _open(replay, seq, lang)
            if code != OK:
                return code
    return status


def _write(path: str, text: str) -> None:
    """A state dump, written atomically (temp file, fsync, rename): never half a file."""
    files.write_atomic(path, text)


def _screenshot(replay: Replay, seq: int, path: str, lang: str, view: str, filters: dict[str, str]) -> None:
    """Render to a temporary file with the same extension (pygame picks the format by it), then rename."""
    import pygame

    from tabletop.ui.replay.viewer import screenshot

    files.write_via(path, lambda tmp: screenshot(replay, seq, tmp, lang, view, filters),
                    suffix=os.path.splitext(path)[1], errors=(pygame.error,))


def warning(replay: Replay, lang: str) -> str:
    """The integrity warning: what is wrong, where, and how much is still replayed."""
    integrity = replay.integrity
    return i18n.t("replay.warning", lang, problem=i18n.t(f"replay.problem.{integrity.problem}", lang),
                  seq=integrity.bad_seq, last=replay.count - 1, message=integrity.message)


def verdict(replay: Replay, lang: str) -> str:
    if replay.integrity.ok:
        return i18n.t("replay.check_ok", lang, records=replay.count, turns=replay.last_turn)
    return warning(replay, lang)


def notes_text(replay: Replay, lang: str) -> str:
    from tabletop.replay.notes import Notes

    notes = Notes(replay.path, replay.header["hash"])
    if notes.problem:
        return notes.problem
    if not notes.items:
        return i18n.t("replay.no_notes", lang)
    lines = [i18n.t("replay.notes_title", lang, count=len(notes.items))]
    for note in notes.items:
        lines.append(i18n.t("replay.note_line", lang, seq=note.seq, turn=note.turn, kind=i18n.t(f"replay.note_{note.kind}", lang),
                            text=note.text or "—", author=note.author or "—"))
    return "\n".join(lines)


def _fork(replay: Replay, seq: int, out: str, lang: str) -> int:
    from tabletop.replay.fork import ForkError, fork
    from tabletop.replay.timeline import _bar

    try:
        with _bar(seq, "forking", None) as tick:
            made = fork(replay, seq, out, tick)
    except ForkError as err:
        print(err.text(lang), file=sys.stderr)
        return BAD_INPUT
    print(i18n.t("replay.forked", lang, path=made.path, records=made.records, seq=seq, parent=made.parent["log"]))
    return OK


def _report(replay: Replay, out: str, lang: str) -> int:
    from tabletop.scoring import aar

    try:
        written = aar.write(replay, out, lang)
    except aar.NoScoring:
        print(i18n.t("replay.no_scoring", lang), file=sys.stderr)
        return BAD_INPUT
    except files.FileProblem as err:
        print(err.text(lang), file=sys.stderr)
        return BAD_INPUT
    for path in written:
        print(path)
    return OK


def _open(replay: Replay, seq: int | None, lang: str) -> int:
    """The viewer where a display exists; else a text summary."""
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if display and os.environ.get("SDL_VIDEODRIVER") != "dummy":
        from tabletop.ui.replay.viewer import run_window

        return run_window(replay, seq if seq is not None else 0, lang)
    print(summary(replay, lang))
    return OK


def summary(replay: Replay, lang: str) -> str:
    index = replay.index
    lines = [verdict(replay, lang),
             i18n.t("replay.summary_index", lang, path=index.path, snapshots=len(index.snapshot_seqs())),
             i18n.t("replay.summary_marks", lang, injects=len(index.mark_seqs("inject")),
                    rejections=len(index.mark_seqs("rejection")), alerts=len(index.mark_seqs("alert")))]
    unrestorable = index.meta.get("unrestorable")
    if unrestorable:
        lines.append(i18n.t("replay.no_snapshots", lang, parts=unrestorable))
    lines.append(i18n.t("replay.no_display", lang))
    return "\n".join(lines)
