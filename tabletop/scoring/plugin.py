"""Scoring's plugin: the ``scoring:`` scenario section and the ``score``, ``report`` and ``compare``
subcommands. Kept light: everything heavy is imported when a subcommand runs."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from tabletop.plugins import Plugin
from tabletop.scoring.config import ScoringSection

OK, FAILED, BAD_INPUT = 0, 1, 2


def _lang(args: argparse.Namespace) -> str:
    return args.report_lang or getattr(args, "lang", None) or "zh_TW"


def _add_lang(parser: argparse.ArgumentParser) -> None:
    # Own dest: a subparser default must not overwrite the top-level --lang.
    parser.add_argument("--lang", dest="report_lang", choices=("zh_TW", "en"), default=None,
                        help="language of the text (default zh_TW, or the top-level --lang)")


def cli(subparsers: Any) -> None:
    score = subparsers.add_parser("score", help="score a log: HSEEP ratings per capability, county and role",
                                  description="Score a session from its log alone (deterministic).")
    score.add_argument("log", metavar="LOG")
    score.add_argument("--json", action="store_true", help="print the score document as JSON")
    _add_lang(score)
    score.set_defaults(func=cmd_score)

    report = subparsers.add_parser("report", help="write the after-action report (index.html, report.md, score.json)",
                                   description="Write a self-contained AAR/IP report for a log.")
    report.add_argument("log", metavar="LOG")
    report.add_argument("--out", required=True, metavar="DIR", help="folder to write the report into")
    _add_lang(report)
    report.set_defaults(func=cmd_report)

    compare = subparsers.add_parser("compare", help="compare two sessions per capability and metric",
                                    description="Two logs side by side: per capability and per metric.")
    compare.add_argument("log1", metavar="LOG1")
    compare.add_argument("log2", metavar="LOG2")
    compare.add_argument("--out", metavar="DIR", help="also write compare.json, compare.md and index.html here")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    _add_lang(compare)
    compare.set_defaults(func=cmd_compare)


def _load(path: str) -> Any:
    from tabletop.scoring import logview

    try:
        return logview.load(path)
    except logview.BadLog as err:
        print(err, file=sys.stderr)
        return None


def cmd_score(args: argparse.Namespace) -> int:
    from tabletop.scoring import engine, text

    view = _load(args.log)
    if view is None:
        return BAD_INPUT
    doc = engine.score(view)
    print(text.dumps(doc) if args.json else text.table(doc, _lang(args), view), end="" if args.json else "\n")
    return OK


def cmd_report(args: argparse.Namespace) -> int:
    from tabletop.scoring import report

    if os.path.exists(args.log + ".notes.json"):
        # Reviewer notes beside the log (replay viewer): the report carries them.
        from tabletop.replayview.command import Replay
        from tabletop.replayview import aar

        for path in aar.write(Replay(args.log, progress=None), args.out, _lang(args)):
            print(path)
        return OK
    view = _load(args.log)
    if view is None:
        return BAD_INPUT
    try:
        written = report.write(view, args.out, _lang(args))
    except OSError as err:
        print(f"{args.out}: {err}", file=sys.stderr)
        return BAD_INPUT
    for path in written:
        print(path)
    return OK


def cmd_compare(args: argparse.Namespace) -> int:
    from tabletop.scoring import compare, engine, text

    first, second = _load(args.log1), _load(args.log2)
    if first is None or second is None:
        return BAD_INPUT
    doc = compare.compare(engine.score(first), engine.score(second))
    if args.out:
        for path in compare.write(doc, args.out, _lang(args)):
            print(path, file=sys.stderr)
    print(text.dumps(doc) if args.json else compare.table(doc, _lang(args)), end="" if args.json else "\n")
    return OK


def _check(scenario: Any) -> list[tuple[tuple, str]]:
    from tabletop.scoring.config import check

    return check(scenario)


PLUGIN = Plugin(name="scoring", scenario_sections={"scoring": ScoringSection}, check_scenario=_check, cli=cli)
