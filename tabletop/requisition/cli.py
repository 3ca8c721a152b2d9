"""CLI subcommands: ``registry SCENARIO [--seed N] [--json]`` and ``ledger LOG [--json]``."""

from __future__ import annotations

from tabletop import i18n

import argparse
import json
import os
import sys

OK, FAILED, BAD_INPUT = 0, 1, 2


def cli(sub: argparse._SubParsersAction) -> None:
    registry = sub.add_parser("registry", help="list the requisition registry (property and people)",
                              description="List the registry a session with this seed would use: hand-listed entries "
                                          "and those Faker zh_TW generates (ids, kind, class, owner, value, township, "
                                          "exemption basis, flags), for review before the day.")
    registry.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    registry.add_argument("--seed", type=int, default=1, help="session seed (default 1)")
    registry.add_argument("--json", action="store_true", help="print JSON instead of a table")
    registry.set_defaults(func=cmd_registry)

    ledger = sub.add_parser("ledger", help="compensation ledger per county, from a log",
                            description="Who is owed what, by when, on which article; payments, fines and repairs; "
                                        "computed from the log alone.")
    ledger.add_argument("log", metavar="LOG", help="a session log (JSON Lines)")
    ledger.add_argument("--json", action="store_true", help="print JSON instead of text")
    ledger.set_defaults(func=cmd_ledger)


def cmd_registry(args: argparse.Namespace) -> int:
    from tabletop.requisition import registry
    from tabletop.api import load_scenario_file

    loaded = load_scenario_file(args.scenario)
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    if not loaded.ok:
        return BAD_INPUT
    rows = registry.listing(registry.build(loaded.scenario, registry.generate(loaded.scenario, args.seed)))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True))
        return OK
    for row in rows:
        value = f"{row['value']:>12,}" if row["value"] is not None else " " * 12
        flags = ",".join(row["flags"]) or "-"
        print(f"{row['id']:<28} {row['part']:<8} {row['kind']:<16} {row['class']:<19} {value} "
              f"{row['township']:<13} {row['exemption'] or '-':<9} {flags:<24} {row['name']}"
              + (f"  [{row['owner']} {row['owner_name']}]" if row["owner"] else ""))
    return OK


def cmd_ledger(args: argparse.Namespace) -> int:
    from tabletop.logfile import BadLog, read_records
    from tabletop.requisition import ledger

    if not os.path.isfile(args.log):
        print(i18n.t("file.no_such_file", args.lang, path=args.log), file=sys.stderr)
        return BAD_INPUT
    try:
        records = read_records(args.log)
    except BadLog as err:
        print(f"{args.log}: {err}", file=sys.stderr)
        return FAILED
    if not records:
        print(i18n.t("cli.not_a_log", args.lang, path=args.log), file=sys.stderr)
        return BAD_INPUT
    book = ledger.build(records)
    if args.json:
        print(json.dumps(book, ensure_ascii=False, indent=1, sort_keys=True))
    else:
        sys.stdout.write(ledger.render(book, getattr(args, "lang", "zh_TW")))
    return OK
