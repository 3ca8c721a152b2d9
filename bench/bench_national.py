#!/usr/bin/env python3
"""Benchmark: a whole national turn (issue 17: 50 ms in memory, 60 ms with the log).

The generated national scenario (22 counties, 368 townships) with a road graph, rice, water and
LPG rationed everywhere and N distribution stations opened by ``open_station`` commands and
stocked by each county's central-allocation inject at turn 3 (``goods_inflow``, plenty: they never
run out), everything through the engine, so a log of the set-up verifies and re-simulates (the
same set-up as bench_distribution.py; :func:`scenario_for`, :func:`build`). A turn is four ``advance`` commands (injects, orders,
adjudication, turn end) with every part's hooks. Figures are medians over ``--turns`` turns once
the stations are open, from the first turn of a day (6-hour turns: four a day, two of them
serving), so ``--turns`` is a whole number of days (default 8, two days). Every session is driven
as the seat server's room and the headless runner drive theirs: a :class:`tabletop.heap.HeapKeeper`
told of every record made (the set-up's too) freezes the long-lived heap every 5,000 records,
and the empty baseline and the per-size sessions are driven the same way:

- ``national_turn_ms``: a turn in memory (records made, not written);
- ``national_turn_log_ms``: the same with every record written by ``LogWriter``;
- ``national_turn_mean_ms``: the mean of the turns ``national_turn_ms`` is the median of (half
  of them serve and half do not, so the median is the midpoint of the slowest night turn and
  the fastest serving turn: the mean weighs every turn);
- ``national_turn_serving_ms`` / ``national_turn_closed_ms``: the median of the turns in which
  stations serve (08:00-20:00) and of those in which they are closed (the median of all turns
  falls between the two);
- ``national_turn_us_per_station_<n>``: per station at several counts (flat = linear);
- baseline in the same run: the same turn with no stations (``baseline_empty_turn_ms``).

Each figure is the best of ``--repeat`` runs (default 3), interleaved: every run builds its
sessions afresh, and on a shared machine noise only adds time.

    python bench/bench_national.py [--stations 2000] [--turns 8] [--sizes 500,2000,8000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_distribution import _submit, placement, scenario, towns_of  # noqa: E402
from figures import Figure, report  # noqa: E402
from tabletop import api  # noqa: E402
from tabletop.core.commands import Command  # noqa: E402
from tabletop.heap import HeapKeeper  # noqa: E402
from tabletop.logfile import LogWriter  # noqa: E402

ADVANCE = Command(None, None, "facilitator", "advance", {})


@functools.lru_cache(maxsize=8)
def scenario_for(stations: int, turns: int = 60):
    """The bench's national scenario for ``stations`` stations: theirs stocked at turn 3 by each
    county's central-allocation inject (``bench_distribution.scenario``), so the log re-simulates."""
    return scenario(turns=turns, stations=stations)


def build(loaded, stations: int, write: Callable[[list], Any] | None = None):
    """A session of ``loaded`` (:func:`scenario_for` ``stations``) with ``stations`` stations open
    and stocked: the shortage declared, rice, water and LPG rationed everywhere, the stations
    opened by ``open_station`` commands, then two turns (orders reach the townships, stations set
    up and open, the allocation arrives at the start of turn 3). ``write`` gets the header and
    then every record made, in order (``bench_scoring`` writes them: a log that verifies)."""
    stocked = sum(len(i.effects) for i in loaded.scenario.injects if i.id.startswith("bench_stock_"))
    if stocked != stations:
        raise ValueError(f"the scenario stocks {stocked} stations, not {stations}: use scenario_for({stations})")
    session, header = api.new_session(loaded, 1)
    keep = write or (lambda records: None)
    keep([header])

    def submit(county: str | None, role: str, kind: str, **args: Any) -> None:
        keep(_submit(session, county, role, kind, **args))

    submit(None, "facilitator", "start")
    keep(session.submit(ADVANCE))
    keep(session.submit(ADVANCE))  # turn 1, orders
    submit(None, "central", "declare_shortage", goods=["rice", "water", "lpg"])
    for county in loaded.scenario.counties:
        for good, per_day, per_month in (("rice", 0.25, 3), ("water", 3.0, 3), ("lpg", 0.011, 1)):
            submit(county.id, "supply", "set_ration", good=good, per_person_per_day=per_day,
                   purchases_per_month=per_month)
    for sid, town, county_id in placement(towns_of(loaded), stations):
        submit(county_id, "civil_affairs", "open_station", id=sid, township=town,
               site=f"site{sid[2:]}", type=("type_I", "type_II", "type_III")[int(sid[2:]) % 3], staff=80)
    for _ in range(2):  # orders reach the townships, stations set up and open; turn 3 brings the stock
        for _ in range(4):
            keep(session.submit(ADVANCE))
    return session, header


def turns_per_day(loaded) -> int:
    """Turns in a day of the scenario's clock (6-hour turns: 4)."""
    minutes = loaded.scenario.clock.minutes_per_turn
    if (24 * 60) % minutes:
        raise ValueError(f"{minutes}-minute turns make no whole day")
    return 24 * 60 // minutes


def to_day_start(session, heap: HeapKeeper) -> None:
    """Advance (untimed) to the end of the turn before the first turn of a day, so that the
    timed turns start at a day boundary and each is the four advances of one turn."""
    clock = session.clock_of_scenario
    while not (session.state == "running_turnend" and clock.day(session.turn + 1) != clock.day(session.turn)):
        heap.after(len(session.submit(ADVANCE)))


def sample(stations: int, count: int, logged: bool = False, serving: list[bool] | None = None
           ) -> tuple[list[float], int, list[float]]:
    """A session with ``stations`` open, driven with the keeper a room would hold for it (every
    record of the set-up counted): times of ``count`` turns in memory, their records, and (with
    ``logged``) times of the next ``count`` turns with the log written. The session is then
    dropped: the keeper releases what it froze and the session is collected before the next."""
    session, _ = build(scenario_for(stations), stations)
    with HeapKeeper(made=session.seq) as heap:
        heap.after(0)
        memory, records = turns(session, count, None, heap, serving)
        log: list[float] = []
        if logged:
            with tempfile.TemporaryDirectory(prefix="tabletop-bench-national-") as tmp:
                with LogWriter(os.path.join(tmp, "national.jsonl")) as writer:
                    log, _ = turns(session, count, writer, heap)
    del session
    gc.collect()  # the dropped session refers to itself: collected now, not in the next one's turns
    return memory, records, log


def turns(session, count: int, writer: LogWriter | None, heap: HeapKeeper,
          serving: list[bool] | None = None) -> tuple[list[float], int]:
    """Times of ``count`` whole turns (ms), from the first turn of a day (:func:`to_day_start`);
    ``serving`` gets, per turn, whether stations served in it (stations open 08:00-20:00: with
    6-hour turns half of a day's turns serve). ``heap`` is told of every record made, as the
    room and the runner tell theirs."""
    to_day_start(session, heap)
    times, records = [], 0
    for _ in range(count):
        start = time.perf_counter()
        served = False
        for _ in range(4):
            out = session.submit(ADVANCE)
            records += len(out)
            if writer is not None:
                writer.write(out)
            heap.after(len(out))
            served = served or any(r["kind"] == "distribution_served" for r in out)
        times.append((time.perf_counter() - start) * 1000)
        if serving is not None:
            serving.append(served)
    return times, records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--turns", type=int, default=8, help="turns timed: whole days (a multiple of 4)")
    parser.add_argument("--sizes", default="500,2000,8000", help="station counts for the per-station figures")
    parser.add_argument("--repeat", type=int, default=3, help="runs of every size, interleaved; the best counts (default 3)")
    parser.add_argument("--json", action="store_true", help="print only JSON lines {name, value, unit}")
    args = parser.parse_args()
    loaded = scenario_for(0)
    per_day = turns_per_day(loaded)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.turns < per_day or args.turns % per_day:
        parser.error(f"--turns must be a whole number of days: a multiple of {per_day} "
                     f"({per_day} turns a day; half of them serve), not {args.turns}")
    figures: list[Figure] = []
    sizes_asked = [int(x) for x in args.sizes.split(",")]
    # Every figure is the best of --repeat runs, interleaved (empty, the main size, each size; then
    # again): noise on a shared machine only ever adds time (timeit's rule), and interleaving
    # spreads a slow spell over every size alike.
    runs: dict[str, list[float]] = {}
    records = 0

    def keep(name: str, value: float) -> None:
        runs.setdefault(name, []).append(value)

    for _ in range(args.repeat):
        keep("empty", statistics.median(sample(0, args.turns)[0]))
        serving: list[bool] = []
        memory, records, logged = sample(args.stations, args.turns, logged=True, serving=serving)
        keep("memory", statistics.median(memory))
        keep("mean", statistics.fmean(memory))
        keep("logged", statistics.median(logged))
        keep("serving", statistics.median([t for t, on in zip(memory, serving, strict=True) if on] or [0]))
        keep("closed", statistics.median([t for t, on in zip(memory, serving, strict=True) if not on] or [0]))
        for size in sizes_asked:
            keep(f"size{size}", statistics.median(sample(size, args.turns)[0]))
    best = {name: min(values) for name, values in runs.items()}
    empty = best["empty"]
    figures += [Figure("national_turn_ms", best["memory"], f"ms/turn ({args.stations} stations; target 50)"),
                Figure("national_turn_log_ms", best["logged"], "ms/turn with the log (target 60)"),
                Figure("national_turn_mean_ms", best["mean"], "ms/turn, the mean of the same turns (in memory)"),
                Figure("national_turn_records", records / args.turns, "records/turn"),
                Figure("national_turn_serving_ms", best["serving"], "ms/turn, turns in which stations serve (in memory)"),
                Figure("national_turn_closed_ms", best["closed"], "ms/turn, turns with stations closed (night)"),
                Figure("baseline_empty_turn_ms", empty, "ms/turn (no stations)")]
    per: dict[int, float] = {}
    whole: dict[int, float] = {}
    for size in sizes_asked:
        whole[size] = best[f"size{size}"]
        per[size] = (whole[size] - empty) / size * 1000
        figures.append(Figure(f"national_turn_us_per_station_{size}", per[size], "us/station/turn (above the empty turn)"))
    if len(per) > 1:
        sizes = sorted(per)
        figures.append(Figure("national_station_cost_spread", max(per.values()) / min(per.values()),
                              f"x (per-station cost, {sizes[0]} to {sizes[-1]}; target within 1.2)"))
        # What one more station costs between two sizes: the slope, without the per-township work
        # (reports, routing people) that starts once a township has any station (368 townships).
        pairs = list(zip(sizes, sizes[1:], strict=False))
        slopes = [(whole[b] - whole[a]) / (b - a) * 1000 for a, b in pairs]
        for (a, b), slope in zip(pairs, slopes, strict=True):
            figures.append(Figure(f"national_turn_marginal_us_per_station_{a}_{b}", slope, "us/station/turn (slope)"))
        figures.append(Figure("national_station_marginal_spread", max(slopes) / min(slopes),
                              "x (slopes between the sizes; linear = 1)"))
    return report(figures, args.json, "national turn", "22 counties, 368 townships, rationing everywhere",
                  f"  medians of {args.turns} turns; each figure the best of {args.repeat} interleaved runs")


if __name__ == "__main__":
    sys.exit(main())
