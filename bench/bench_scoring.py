"""Benchmark: ``score`` and ``report`` time on a generated 1,000,000-record log (not a timed test).

The log is the default Hualien scenario played through ``Session.submit`` with its scripted
actions plus many ``send_message`` and ``announce`` commands each turn, written with
``LogWriter``. Prints a table, or JSON lines ``{"name", "value", "unit"}`` with ``--json``.

    .venv/bin/python bench/bench_scoring.py [--records 1000000] [--json] [--keep PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tabletop import api  # noqa: E402
from tabletop.core.commands import Command  # noqa: E402
from tabletop.logfile import LogWriter  # noqa: E402
from tabletop.runner import control  # noqa: E402
from tabletop.scenario.actions import load_actions  # noqa: E402
from tabletop.api import load_scenario_file  # noqa: E402

SCENARIO = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")
ACTIONS = os.path.join(ROOT, "scenarios", "hualien", "actions.yaml")
ROLES = ("supply", "civil_affairs", "social_affairs", "health", "comms", "mobilization")


def generate(path: str, records: int) -> int:
    """Write a log of about ``records`` records; returns the exact count."""
    loaded = load_scenario_file(SCENARIO)
    actions, _ = load_actions(ACTIONS)
    session, header = api.new_session(loaded, 1)
    turns = loaded.scenario.clock.turns
    per_turn = max(1, records // (turns * 3))  # a message is about 3 records
    by_turn: dict[int, list] = {}
    for action in actions:
        by_turn.setdefault(action.turn, []).append(action)
    number = 0
    with LogWriter(path) as writer:
        writer.write([header])

        def submit(command: Command) -> None:
            writer.write(session.submit(command))

        submit(control("start"))
        submit(control("advance"))
        for turn in range(1, turns + 1):
            if turn > 1:
                submit(control("advance"))
            submit(control("advance"))
            for action in by_turn.get(turn, []):
                submit(action.command())
            batch = []
            for index in range(per_turn):
                if writer.count + len(batch) >= records - 40 * (turns - turn + 1):
                    break
                number += 1
                if index % 10 == 9:
                    command = Command(turn, "hualien", "commander", "announce",
                                      {"audience": "全體縣民", "message": f"第 {number} 號公告：請保持冷靜。"})
                else:
                    command = Command(turn, "hualien", ROLES[index % len(ROLES)], "send_message",
                                      {"id": f"bench-{number}", "to": "hualien.commander", "body": f"回報 {number}：一切正常。"})
                batch += session.submit(command)
                if len(batch) >= 5000:
                    writer.write(batch)
                    batch = []
            writer.write(batch)
            submit(control("advance"))
            submit(control("advance"))
        submit(control("advance"))
        submit(control("close"))
        return writer.count


def measure(path: str, out: str) -> dict[str, float]:
    from tabletop.scoring import engine, logview, report

    figures: dict[str, float] = {}
    start = time.perf_counter()
    view = logview.load(path, progress=False)
    figures["load"] = time.perf_counter() - start
    start = time.perf_counter()
    engine.score(view)
    figures["score_metrics"] = time.perf_counter() - start
    figures["score_total"] = figures["load"] + figures["score_metrics"]
    start = time.perf_counter()
    report.write(logview.load(path, progress=False), out, "zh_TW")
    figures["report_total"] = time.perf_counter() - start
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="print JSON lines {name, value, unit}")
    parser.add_argument("--keep", help="write the generated log here (kept) instead of a temporary file")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-scoring-")
    path = args.keep or os.path.join(folder, "bench.jsonl")
    start = time.perf_counter()
    count = generate(path, args.records)
    generated = time.perf_counter() - start
    size = os.path.getsize(path) / 1e6
    figures = measure(path, os.path.join(folder, "report"))
    rows = [("log_records", count, "records"), ("log_size", round(size, 1), "MB"),
            ("generate_seconds", round(generated, 2), "s"),
            ("score_load_seconds", round(figures["load"], 2), "s"),
            ("score_metrics_seconds", round(figures["score_metrics"], 2), "s"),
            ("score_seconds", round(figures["score_total"], 2), "s"),
            ("report_seconds", round(figures["report_total"], 2), "s"),
            ("score_records_per_second", round(count / figures["score_total"]), "records/s")]
    if args.json:
        for name, value, unit in rows:
            print(json.dumps({"name": name, "value": value, "unit": unit}))
    else:
        print(f"{'metric':28} {'value':>14}  unit")
        for name, value, unit in rows:
            print(f"{name:28} {value:>14,}  {unit}")
    if not args.keep:
        os.remove(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
