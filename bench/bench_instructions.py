#!/usr/bin/env python3
"""Benchmark: the national turn counted in instructions (Valgrind), which do not move with the machine.

Timings on a shared two-core VM move by 1.6x within half an hour; instructions executed do not
(the same script, ``PYTHONHASHSEED=0``, gives the same count to a few parts in a million). Each
count is one run under ``valgrind --tool=cachegrind --cache-sim=no`` of bench_national's set-up
(the generated national scenario, N stations opened and stocked, a heap keeper) played to the
end of the day before the timed turns and then K more turns, minus the same run with none:

- ``instructions_turn_<k>_m``: each of the ``--turns`` timed turns (the same turns
  bench_national times: from the first turn of a day), millions of instructions; night turns,
  serving turns and the one with the rollback checkpoint are told apart by their size;
- ``instructions_median_m``: their median (what ``national_turn_ms`` is the time of);
- ``instructions_per_station_<n>_k``: per station above the empty turn at each ``--sizes`` count,
  thousands; ``instructions_station_spread``: the largest over the smallest (the issue's 1.2);
  ``instructions_marginal_<a>_<b>_k``: the slope between two sizes;
  ``instructions_township_fixed_k``: what a township with any station costs a turn beyond its
  stations (from the two largest sizes: their slope is a station's cost s, the rest at the
  smaller one the 368 townships' F); ``instructions_spread_from_townships``: the spread that F
  and a perfectly flat s give, ``(s + F/500) / (s + F/8000)``.

C code runs without the vector paths Valgrind does not emulate (orjson, SHA-256), so the record
path counts for more here than in time; compare counts with counts. Needs Debian's valgrind;
takes about 30-60 s a count (two at a time; about 5 minutes in all by default).

``--base DIR`` also counts another checkout's mean turn (``git worktree add /tmp/base <commit>``)
and prints the ratio: an A/B of a speed change that the machine's noise cannot touch (check its
bytes with ``bench/fingerprint_national.py``).

    python bench/bench_instructions.py [--stations 2000] [--turns 8] [--sizes 0,500,2000,8000] [--base DIR] [--json]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_distribution import scenario, towns_of  # noqa: E402
from figures import Figure, report  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VALGRIND = shutil.which("valgrind")
ROOT = os.path.dirname(HERE)
#: What each counted run does: bench_national's set-up, to the first turn of a day, then K turns.
PLAY = """
import sys
sys.path[:0] = [{root!r}, {here!r}]
from bench_national import build, scenario_for, to_day_start
from tabletop.heap import HeapKeeper
from tabletop.core.commands import Command
session, _ = build(scenario_for({stations}), {stations})
advance = Command(None, None, "facilitator", "advance", {{}})
with HeapKeeper(made=session.seq) as heap:
    heap.after(0)
    to_day_start(session, heap)
    for _ in range({turns} * 4):
        heap.after(len(session.submit(advance)))
"""


def count(stations: int, turns: int, root: str = ROOT) -> int:
    """Instructions of one run (set-up and ``turns`` turns) of the checkout at ``root``."""
    assert VALGRIND is not None  # noqa: S101  main checked
    code = PLAY.format(root=root, here=os.path.join(root, "bench"), stations=stations, turns=turns)
    done = subprocess.run([VALGRIND, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env=dict(os.environ, PYTHONHASHSEED="0"))
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind run failed ({stations} stations, {turns} turns):\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--turns", type=int, default=8, help="turns counted one by one (whole days: a multiple of 4)")
    parser.add_argument("--sizes", default="0,500,2000,8000", help="station counts for the per-station figures (0 first)")
    parser.add_argument("--base", metavar="DIR", help="another checkout (git worktree add DIR <commit>): its mean "
                        "turn at --stations counted the same way, and the ratio")
    parser.add_argument("--json", action="store_true", help="print only JSON lines {name, value, unit}")
    args = parser.parse_args()
    if args.base and not os.path.isfile(os.path.join(args.base, "bench", "bench_national.py")):
        parser.error(f"--base {args.base}: no bench/bench_national.py there")
    if VALGRIND is None:
        parser.error("valgrind is not installed (apt-get install valgrind)")
    if args.turns < 4 or args.turns % 4:
        parser.error("--turns must be a whole number of days: a multiple of 4")
    sizes = [int(x) for x in args.sizes.split(",")]
    if sizes[0] != 0:
        parser.error("--sizes must start with 0 (the empty turn, the baseline)")
    jobs = [(args.stations, k) for k in range(args.turns + 1)] + [(n, t) for n in sizes for t in (0, args.turns)]
    if args.base:
        jobs += [(args.stations, -1), (args.stations, -1 - args.turns)]  # the base's runs: 0 and --turns turns

    def run(job: tuple[int, int]) -> int:
        stations, turns = job
        return count(stations, turns) if turns >= 0 else count(stations, -1 - turns, os.path.abspath(args.base))
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores: two valgrind runs at a time
        counted = dict(zip(jobs, pool.map(run, jobs), strict=True))
    each = [(counted[(args.stations, k + 1)] - counted[(args.stations, k)]) / 1e6 for k in range(args.turns)]
    figures = [Figure(f"instructions_turn_{k + 1}_m", value, f"M instructions ({args.stations} stations)")
               for k, value in enumerate(each)]
    figures.append(Figure("instructions_median_m", statistics.median(each), "M instructions, median turn"))
    mean = statistics.fmean(each)
    figures.append(Figure("instructions_mean_m", mean, "M instructions, mean turn"))
    if args.base:
        base = (counted[(args.stations, -1 - args.turns)] - counted[(args.stations, -1)]) / args.turns / 1e6
        figures.append(Figure("base_instructions_mean_m", base, f"M instructions, mean turn of {args.base}"))
        figures.append(Figure("instructions_mean_ratio", mean / base, "x (this checkout over the base; below 1 = fewer)"))
    per_turn = {n: (counted[(n, args.turns)] - counted[(n, 0)]) / args.turns for n in sizes}
    per: dict[int, float] = {}
    for n in sizes[1:]:
        per[n] = (per_turn[n] - per_turn[0]) / n / 1e3
        figures.append(Figure(f"instructions_per_station_{n}_k", per[n], "k instructions/station/turn (above the empty turn)"))
    figures.append(Figure("instructions_empty_turn_m", per_turn[0] / 1e6, "M instructions/turn (no stations)"))
    if len(per) > 1:
        figures.append(Figure("instructions_station_spread", max(per.values()) / min(per.values()),
                              "x (per-station instructions, smallest to largest size; target within 1.2)"))
        ordered = sizes[1:]
        for a, b in zip(ordered, ordered[1:], strict=False):
            figures.append(Figure(f"instructions_marginal_{a}_{b}_k", (per_turn[b] - per_turn[a]) / (b - a) / 1e3,
                                  "k instructions/station/turn (slope)"))
        # Where the spread comes from. From one station a township on (the bench puts them round
        # robin over the 368 townships), a turn is the empty turn + F (the work of a township with
        # any station: its report's sections, routing its people) + s a station: from the two
        # largest sizes, s is their slope and F what is left at the smaller. The per-station
        # count above the empty turn at n is then s + F/n, so however flat s is, the spread from
        # the smallest to the largest size is (s + F/smallest) / (s + F/largest).
        a, b = ordered[-2], ordered[-1]
        towns = len(towns_of(scenario()))  # 368
        if a >= towns:
            slope = (per_turn[b] - per_turn[a]) / (b - a)
            fixed = per_turn[a] - per_turn[0] - slope * a
            figures.append(Figure("instructions_township_fixed_k", fixed / towns / 1e3,
                                  f"k instructions/township/turn (a township with any station, beyond its stations; from {a} and {b})"))
            figures.append(Figure("instructions_spread_from_townships",
                                  (slope + fixed / ordered[0]) / (slope + fixed / ordered[-1]),
                                  f"x (the spread {ordered[0]} to {ordered[-1]} that F and a flat s give)"))
    return report(figures, args.json, "national turn (instructions)", "valgrind cachegrind, PYTHONHASHSEED=0")


if __name__ == "__main__":
    sys.exit(main())
