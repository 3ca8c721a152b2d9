"""The ``score``, ``report`` and ``compare`` subcommands (registered by :mod:`tabletop.cli`).
Kept light: everything heavy is imported when a subcommand runs."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


OK, FAILED, BAD_INPUT = 0, 1, 2


def _lang(args: argparse.Namespace) -> str:
    return args.report_lang or getattr(args, "lang", None) or "zh_TW"


def _add_lang(parser: argparse.ArgumentParser) -> None:
    # Own dest: a subparser default must not overwrite the top-level --lang.
    parser.add_argument("--lang", dest="report_lang", choices=("zh_TW", "en"), default=None,
                        help="language of the text (default zh_TW, or the top-level --lang)")


_TAMPERED_HELP = ("score a log whose chain is broken (tampered, torn, a record removed): only its intact records "
                  "are counted and every page and the JSON are stamped as tampered; without it such a log exits 1 "
                  "and nothing is written")


def cli(subparsers: Any) -> None:
    score = subparsers.add_parser("score", help="score a log: HSEEP ratings per capability, county and role",
                                  description="Score a session from its log alone (deterministic). The hash chain "
                                              "is checked first; a broken chain exits 1 (see --allow-tampered).")
    score.add_argument("log", metavar="LOG")
    score.add_argument("--json", action="store_true", help="print the score document as JSON")
    score.add_argument("--verify", action="store_true",
                       help="also re-simulate the log (as verify does) before scoring; default: the chain only")
    score.add_argument("--allow-tampered", action="store_true", help=_TAMPERED_HELP)
    _add_lang(score)
    score.set_defaults(func=cmd_score)

    report = subparsers.add_parser("report", help="write the after-action report (index.html, report.md, score.json)",
                                   description="Write a self-contained AAR/IP report for a log. The log is verified "
                                               "first (chain, header, re-simulation) and the first page carries the "
                                               "result and the seal; a log that fails exits 1 (see --allow-tampered).")
    report.add_argument("log", metavar="LOG")
    report.add_argument("--out", required=True, metavar="DIR", help="folder to write the report into")
    report.add_argument("--allow-tampered", action="store_true", help=_TAMPERED_HELP)
    report.add_argument("--pdf", action="store_true",
                        help="also print report.pdf beside the HTML (Debian's Chromium; docs/facilitator-guide.md)")
    _add_lang(report)
    report.set_defaults(func=cmd_report)

    compare = subparsers.add_parser("compare", help="compare two sessions per capability and metric",
                                    description="Two logs side by side: per capability and per metric. Both "
                                                "chains are checked first; a broken one exits 1 (see --allow-tampered).")
    compare.add_argument("log1", metavar="LOG1")
    compare.add_argument("log2", metavar="LOG2")
    compare.add_argument("--out", metavar="DIR", help="also write compare.json, compare.md and index.html here")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    compare.add_argument("--verify", action="store_true", help="also re-simulate both logs; default: the chains only")
    compare.add_argument("--allow-tampered", action="store_true", help=_TAMPERED_HELP)
    _add_lang(compare)
    compare.set_defaults(func=cmd_compare)


def _load(path: str, args: argparse.Namespace, verify: bool) -> Any:
    """The log's view, its integrity checked (chain; with ``verify`` re-simulation too), or the exit
    code: 1 for a log that is not intact (unless --allow-tampered), 2 for a file that is no log.
    The metrics' facts are worked out while the re-simulation (``verify``), or the chain check of
    a view loaded from its cache, runs beside (:func:`tabletop.scoring.logview.load`)."""
    from tabletop import i18n
    from tabletop.scoring import engine, logview, text

    lang = _lang(args)
    try:
        view = logview.load(path, verify=verify, allow_broken=args.allow_tampered, meanwhile=engine.warm)
    except logview.Broken as err:
        print(i18n.t("score.integrity.refused", lang, path=path, problem=text.integrity_problem(err.integrity, lang)),
              file=sys.stderr)
        print("  " + i18n.t("score.integrity.detail", lang, message=err.integrity["message"]), file=sys.stderr)
        return FAILED
    except logview.BadLog as err:
        print(err, file=sys.stderr)
        return BAD_INPUT
    if view.tampered:
        print(f"{path}: {text.integrity_banner(view.integrity, lang)}", file=sys.stderr)
    return view


def cmd_score(args: argparse.Namespace) -> int:
    from tabletop.scoring import engine, text

    view = _load(args.log, args, verify=args.verify)
    if isinstance(view, int):
        return view
    doc = engine.score(view)
    print(text.dumps(doc) if args.json else text.table(doc, _lang(args), view), end="" if args.json else "\n")
    return OK


def cmd_report(args: argparse.Namespace) -> int:
    from types import SimpleNamespace

    from tabletop.scoring import report

    # The report is the record of the exercise: always the full verify (chain, header, re-simulation).
    view = _load(args.log, args, verify=True)
    if isinstance(view, int):
        return view
    extra = []
    if os.path.exists(args.log + ".notes.json"):
        # Reviewer notes beside the log (replay viewer): the report carries them, before the footer.
        from tabletop.scoring import aar

        extra = aar.note_blocks(SimpleNamespace(path=args.log, header=view.header), _lang(args), report.Block)
    try:
        written = report.write(view, args.out, _lang(args), extra)
    except OSError as err:  # FileProblem (full disk, read-only folder) is the CLI's: exit 2
        print(f"{args.out}: {err}", file=sys.stderr)
        return BAD_INPUT
    for path in written:
        print(path)
    if getattr(args, "pdf", False):
        from tabletop.paper import pdf, report_pdf

        try:
            print(report_pdf.write(args.out, view.integrity, _lang(args)))
        except pdf.NoEngine as err:
            print(err.text(_lang(args)), file=sys.stderr)
            return BAD_INPUT
    return OK


def cmd_compare(args: argparse.Namespace) -> int:
    from tabletop.scoring import compare, engine, text

    first = _load(args.log1, args, verify=args.verify)
    if isinstance(first, int):
        return first
    second = _load(args.log2, args, verify=args.verify)
    if isinstance(second, int):
        return second
    doc = compare.compare(engine.score(first), engine.score(second), (args.log1, args.log2))
    if args.out:
        for path in compare.write(doc, args.out, _lang(args)):
            print(path, file=sys.stderr)
    print(text.dumps(doc) if args.json else compare.table(doc, _lang(args)), end="" if args.json else "\n")
    return OK

