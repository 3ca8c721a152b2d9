#!/usr/bin/env python3
"""Benchmark: communications at national scale (issue 5).

All 368 township offices, every warehouse and N stations report to their EOC
every turn; we time whole turns (reports queued at turn end, channel states
refreshed, queues flushed, reports delivered into each EOC's known picture) and
report messages per second, against a baseline in the same run: the same turns
with the immediate transport (no channels). Figures are medians of --repeat runs.

    python bench/bench_comms.py [--stations 2000] [--turns 4] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tabletop import api  # noqa: E402
from tabletop.core import transport as core_transport  # noqa: E402
from tabletop.core.commands import Command  # noqa: E402
from tabletop.scenario import national  # noqa: E402
from tabletop.api import load_scenario_text  # noqa: E402

F = lambda kind: Command(None, None, "facilitator", kind, {})  # noqa: E731


def build(stations: int, immediate: bool):
    loaded = load_scenario_text(national.scenario_yaml(turns=48), "national.yaml")
    assert loaded.ok, loaded.problems[:3]
    session, _ = api.new_session(loaded, 1)
    towns = [(c.id, t.id) for c in loaded.scenario.counties for t in c.townships]
    for n in range(stations):
        county, town = towns[n % len(towns)]
        session.query("comms.join_station", f"st{n:05d}", county, town)
    if immediate:
        session.transport = core_transport.ImmediateTransport()
    session.submit(F("start"))
    session.submit(F("advance"))
    return session


def play(session, turns: int) -> tuple[float, int, int]:
    """Time ``turns`` whole turns; return (seconds, records, messages delivered)."""
    records = delivered = 0
    start = time.perf_counter()
    for _ in range(turns * 4):
        out = session.submit(F("advance"))
        records += len(out)
        delivered += sum(1 for r in out if r["kind"] == "message_delivered")
    return time.perf_counter() - start, records, delivered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for label, immediate in (("channels", False), ("immediate (baseline)", True)):
        runs = [play(build(args.stations, immediate), args.turns) for _ in range(args.repeat)]
        seconds = statistics.median(r[0] for r in runs)
        _, records, delivered = runs[0]
        rows.append((label, seconds / args.turns, delivered / args.turns, delivered / seconds, records / seconds))
    figures = []
    for label, per_turn, msgs, mps, rps in rows:
        key = "comms" if label == "channels" else "baseline"
        figures += [(f"{key}.seconds_per_turn", per_turn, "s"), (f"{key}.messages_per_turn", msgs, "messages"),
                    (f"{key}.messages_per_second", mps, "messages/s"), (f"{key}.records_per_second", rps, "records/s")]
    figures.append(("comms.slowdown_vs_immediate", rows[0][1] / rows[1][1], "ratio"))
    if args.json:
        for name, value, unit in figures:
            print(json.dumps({"name": name, "value": round(value, 4), "unit": unit}))
        return 0
    print(f"national scenario: 22 counties, 368 townships, {args.stations} stations; {args.turns} turns x {args.repeat} runs (median)")
    print(f"{'transport':<22}{'s/turn':>10}{'msgs/turn':>12}{'msgs/s':>12}{'records/s':>12}")
    for label, per_turn, msgs, mps, rps in rows:
        print(f"{label:<22}{per_turn:>10.3f}{msgs:>12.0f}{mps:>12.0f}{rps:>12.0f}")
    print(f"channels / immediate time per turn: {figures[-1][1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
