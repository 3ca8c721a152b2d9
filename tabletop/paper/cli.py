"""The ``msel export``, ``msel import`` and ``cards`` subcommands (registered by :mod:`tabletop.cli`;
``report --pdf`` is an option of scoring's ``report``).

Kept light: openpyxl and the browser are imported only when a subcommand runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tabletop import i18n

OK, FAILED, BAD_INPUT = 0, 1, 2


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "paper_lang", None) or getattr(args, "lang", None) or i18n.DEFAULT_LANG


def _add_lang(parser: argparse.ArgumentParser, both: bool = False) -> None:
    choices = (*i18n.LANGS, "both") if both else i18n.LANGS
    parser.add_argument("--lang", dest="paper_lang", choices=choices, default=None,
                        help="language of the words and messages (default zh_TW, or the top-level --lang)"
                             + ("; both: zh_TW with English below" if both else ""))


def cli(subparsers: Any) -> None:
    msel = subparsers.add_parser("msel", help="the MSEL spreadsheet: export for the exercise office, import theirs",
                                 description="Master Scenario Events List as a spreadsheet (HSEEP columns).")
    steps = msel.add_subparsers(dest="msel_command", metavar="STEP", required=True)
    export = steps.add_parser("export", help="write the scenario's injects and cards as .xlsx or .csv",
                              description="One row per inject and deck card; writes NAME.mapping.yaml beside it.")
    export.add_argument("scenario", metavar="SCENARIO")
    export.add_argument("--out", required=True, metavar="FILE.xlsx|FILE.csv")
    _add_lang(export)
    export.set_defaults(func=cmd_export)
    read = steps.add_parser("import", help="read an MSEL sheet back into scenario injects",
                            description="Every cell that cannot be mapped is reported as FILE:SHEET!CELL: message "
                                        "(exit 2, nothing written); nothing is guessed.")
    read.add_argument("file", metavar="FILE")
    read.add_argument("--mapping", required=True, metavar="MAP.yaml",
                      help="how the sheet's words map to ids (msel export writes one beside the sheet)")
    read.add_argument("--out", required=True, metavar="INJECTS.yaml")
    _add_lang(read)
    read.set_defaults(func=cmd_import)

    cards = subparsers.add_parser("cards", help="print the scenario cards and a one-page MSEL handout per phase (PDF)",
                                  description="Every deck card and inject as a printable card, four to an A4 page "
                                              "with cut marks (or A6), then one MSEL page per phase. Printed by "
                                              "Debian's Chromium.")
    cards.add_argument("scenario", metavar="SCENARIO")
    cards.add_argument("--out", required=True, metavar="cards.pdf")
    cards.add_argument("--deck", metavar="ID", help="only the cards of this deck (no other injects, no handout)")
    cards.add_argument("--evaluator", action="store_true",
                       help="the evaluator's copy: expected actions, capability and deadline on each card")
    cards.add_argument("--a6", action="store_true",
                       help="one card a page, A6, instead of four to an A4 page (the A4 handouts then go to NAME-msel.pdf)")
    _add_lang(cards, both=True)
    cards.set_defaults(func=cmd_cards)


def _scenario(path: str, lang: str) -> Any:
    from tabletop.api import load_scenario_file

    loaded = load_scenario_file(path)
    for problem in loaded.problems:
        print(problem.text(lang if lang in i18n.LANGS else i18n.DEFAULT_LANG), file=sys.stderr)
    return loaded.scenario if loaded.ok else None


def cmd_export(args: argparse.Namespace) -> int:
    from tabletop.paper import msel

    if not args.out.lower().endswith((".xlsx", ".csv")):
        print(f"{args.out}: " + i18n.t("paper.export.kind", _lang(args)), file=sys.stderr)
        return BAD_INPUT
    scenario = _scenario(args.scenario, _lang(args))
    if scenario is None:
        return BAD_INPUT
    for path in msel.export(scenario, args.out, _lang(args)):
        print(path)
    return OK


def cmd_import(args: argparse.Namespace) -> int:
    from tabletop import files
    from tabletop.paper import mapping, msel_import, sheet

    lang = _lang(args)
    rules, problems = mapping.read(args.mapping)
    if rules is None:
        for problem in problems:
            print(problem.text(lang), file=sys.stderr)
        return BAD_INPUT
    try:
        table = sheet.read(args.file, rules.sheet)
    except sheet.SheetProblem as err:
        print(err.text(lang), file=sys.stderr)
        return BAD_INPUT
    result = msel_import.read_injects(table, rules)
    for refused in result.problems:
        print(refused.text(lang), file=sys.stderr)
    if result.problems:
        print(i18n.t("paper.import.refused", lang, file=args.file, problems=len(result.problems)), file=sys.stderr)
        return BAD_INPUT
    files.write_atomic(args.out, msel_import.dump(result.injects))
    print(i18n.t("paper.import.written", lang, path=args.out, injects=len(result.injects)))
    return OK


def cmd_cards(args: argparse.Namespace) -> int:
    from tabletop.paper import cards, pdf

    lang = _lang(args)
    scenario = _scenario(args.scenario, _lang(args))
    if scenario is None:
        return BAD_INPUT
    decks = sorted({i.deck for i in scenario.injects if i.deck})
    if args.deck and args.deck not in decks:
        print(i18n.t("paper.cards.no_deck", lang if lang != "both" else "zh_TW", deck=args.deck,
                     decks="、".join(decks) or "-"), file=sys.stderr)
        return BAD_INPUT
    prints = [(cards.html(scenario, lang, deck=args.deck, evaluator=args.evaluator, a6=args.a6, handouts=not args.a6),
               args.out)]
    if args.a6 and not args.deck:  # one PDF has one page size: the A4 handouts go beside the A6 cards
        prints.append((cards.handouts_html(scenario, lang, evaluator=args.evaluator), handouts_path(args.out)))
    words = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
    for page, out in prints:
        try:
            cut = pdf.print_html(page, out, fit=cards.FIT)
        except pdf.NoEngine as err:
            print(err.text(words), file=sys.stderr)
            return BAD_INPUT
        for ident in cut:  # printed, but not all of it shows: say which, so the text is shortened
            print(i18n.t("paper.cards.cut", words, file=out, id=ident), file=sys.stderr)
        print(out)
    return OK


def handouts_path(out: str) -> str:
    """``cards.pdf`` -> ``cards-msel.pdf``."""
    stem, dot, ext = out.rpartition(".")
    return f"{stem}-msel.{ext}" if dot else f"{out}-msel"

