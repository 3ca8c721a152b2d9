#!/usr/bin/env python3
"""Distribution benchmark (a script, not a timed test): adjudication time per turn.

Builds the generated national scenario (22 counties, 368 townships from
scenarios/data/townships.csv, via ``tabletop.scenario.national``), adds a road
graph (each county's townships chained in CSV order, 20-40 minutes a link, plus
a link to the township two further on), declares the shortage, rations rice,
water and LPG in every county, opens N stations (spread over the townships with
the most villages first) through ``open_station`` commands, stocks them (an inject's
central allocation), and
times the distribution adjudication hook over a day of turns (two day turns,
two night turns), for N = 100, 500 and 2,000. The whole ``advance`` into
adjudication (every plugin's hook, the log records) is timed as well.

    python bench/bench_distribution.py            # a table
    python bench/bench_distribution.py --json     # JSON lines {"name", "value", "unit"} only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


from tabletop import api  # noqa: E402
from tabletop.core.commands import Command  # noqa: E402
from tabletop.distribution import PLUGIN  # noqa: E402
from tabletop.scenario import national  # noqa: E402
from tabletop.api import load_scenario_text  # noqa: E402

#: What the benches stock every station with (through the engine: a ``goods_inflow`` inject, so
#: the log re-simulates): plenty, so that stations serve all day and never run out.
NATIONAL_STOCK = {"rice": 1e7, "water": 1e8, "lpg": 1e6}


def scenario(turns: int = 12, stations: int = 0, stock: dict[str, float] | None = None, at_turn: int = 3,
             width: int = 5):
    """The generated national scenario with a road graph. With ``stations``, each county also gets
    an inject at ``at_turn`` (a central allocation, ``goods_inflow``) that stocks its share of the
    bench's stations (:func:`placement`, ids ``st`` + ``width`` digits) with ``stock``: the stations
    are stocked by the engine, so every log a bench writes verifies and re-simulates."""
    data = national.build(turns=turns, injects_per_county=0, participants=False)
    roads = []
    for county in data["counties"]:
        towns = [t["id"] for t in county["townships"]]
        for i in range(len(towns) - 1):
            roads.append({"id": f"r_{towns[i]}_{towns[i + 1]}", "a": towns[i], "b": towns[i + 1], "minutes": 20 + 5 * (i % 5)})
            if i + 2 < len(towns):
                roads.append({"id": f"r_{towns[i]}_{towns[i + 2]}", "a": towns[i], "b": towns[i + 2], "minutes": 45})
    data["distribution"] = {"roads": roads}
    if stations:
        goods = dict(sorted((stock or NATIONAL_STOCK).items()))
        towns = [(t.get("villages") or 1, t["id"], c["id"]) for c in data["counties"] for t in c["townships"]]
        mine: dict[str, list[str]] = {}
        for sid, _, county in placement(towns, stations, width):
            mine.setdefault(county, []).append(sid)
        title = {"zh_TW": "中央調撥物資抵達配售站", "en": "Central allocation reaches the stations"}
        data["injects"] = [{"id": f"bench_stock_{county}", "at_turn": at_turn, "county": county, "role": "supply",
                            "title": title, "text": title,
                            "effects": [{"type": "goods_inflow", "place": sid, "goods": goods} for sid in ids]}
                           for county, ids in sorted(mine.items())]
    loaded = load_scenario_text(national.dump(data), "national.yaml")
    assert loaded.ok, loaded.problems[:3]
    return loaded


def placement(towns: list[tuple[int, str, str]], stations: int, width: int = 5) -> list[tuple[str, str, str]]:
    """(station id, township, county) of the bench's ``stations`` stations: round robin over the
    townships (``towns``: (villages, township, county)), those with the most villages first."""
    order = sorted(((villages or 1, town, county) for villages, town, county in towns), key=lambda x: (-x[0], x[1]))
    return [(f"st{n:0{width}d}", order[n % len(order)][1], order[n % len(order)][2]) for n in range(stations)]


def towns_of(loaded) -> list[tuple[int, str, str]]:
    """(villages, township, county) of every township of a loaded scenario (for :func:`placement`)."""
    return [(t.villages or 1, t.id, c.id) for c in loaded.scenario.counties for t in c.townships]


def _submit(session, county, role, kind, **args):
    out = session.submit(Command(None, county, role, kind, args))
    bad = [r for r in out if r["kind"] == "command_rejected"]
    assert not bad, bad[0]["data"]
    return out

def run(loaded, stations: int) -> dict[str, list[float]]:
    session, _ = api.new_session(loaded, 1)
    control = lambda: session.submit(Command(None, None, "facilitator", "advance", {}))  # noqa: E731
    session.submit(Command(None, None, "facilitator", "start", {}))
    control()
    control()  # turn 1 orders
    _submit(session, None, "central", "declare_shortage", goods=["rice", "water", "lpg"])
    for county in loaded.scenario.counties:
        _submit(session, county.id, "supply", "set_ration", good="rice", per_person_per_day=0.25, purchases_per_month=3)
        _submit(session, county.id, "supply", "set_ration", good="water", per_person_per_day=3.0, purchases_per_month=3)
        _submit(session, county.id, "supply", "set_ration", good="lpg", per_person_per_day=0.011, purchases_per_month=1)
    t0 = time.perf_counter()
    for sid, town, county in placement(towns_of(loaded), stations, width=4):
        _submit(session, county, "civil_affairs", "open_station", id=sid, township=town, site=f"site{sid[2:]}",
                type=("type_I", "type_II", "type_III")[int(sid[2:]) % 3], staff=80)
    open_ms = (time.perf_counter() - t0) * 1000
    state = session.domain("distribution")
    hook = PLUGIN.hooks["adjudication"]
    timings: list[float] = []

    def timed(s):
        start = time.perf_counter()
        hook(s)
        timings.append((time.perf_counter() - start) * 1000)

    PLUGIN.hooks["adjudication"] = timed
    whole: list[float] = []
    try:
        for turn in range(1, 7):
            start = time.perf_counter()
            control()  # orders -> adjudication (all hooks)
            elapsed = (time.perf_counter() - start) * 1000
            control()  # -> turn end
            if turn >= 3:  # stations are open from turn 2's adjudication
                whole.append(elapsed)
            control()
            control()  # next turn's orders
    finally:
        PLUGIN.hooks["adjudication"] = hook
    opened = sum(1 for s in state.stations.values() if s.state == "open")
    assert opened == stations, opened
    return {"hook": timings[2:], "advance": whole, "open_ms": [open_ms]}

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="JSON lines only")
    parser.add_argument("--sizes", default="100,500,2000")
    args = parser.parse_args()
    rows = []
    for size in (int(x) for x in args.sizes.split(",")):
        # Each size its own scenario: its stations are stocked at turn 2 by an inject (``scenario``).
        result = run(scenario(stations=size, stock={"rice": 20000.0, "water": 200000.0}, at_turn=2, width=4), size)
        rows.append((size, statistics.median(result["hook"]), max(result["hook"]),
                     statistics.median(result["advance"]), result["open_ms"][0] / size))
    if args.json:
        for size, med, worst, whole, per_open in rows:
            print(json.dumps({"name": f"distribution.adjudicate.{size}_stations.median", "value": round(med, 2), "unit": "ms/turn"}))
            print(json.dumps({"name": f"distribution.adjudicate.{size}_stations.max", "value": round(worst, 2), "unit": "ms/turn"}))
            print(json.dumps({"name": f"distribution.advance.{size}_stations.median", "value": round(whole, 2), "unit": "ms/turn"}))
            print(json.dumps({"name": f"distribution.open_station.{size}_stations", "value": round(per_open, 3), "unit": "ms/command"}))
        return 0
    print("national scenario: 22 counties, 368 townships; rice, water, LPG rationed everywhere; 6-hour turns")
    print(f"{'stations':>8} {'hook median':>12} {'hook max':>9} {'advance median':>15} {'open_station':>13}")
    for size, med, worst, whole, per_open in rows:
        print(f"{size:>8} {med:>9.1f} ms {worst:>6.1f} ms {whole:>12.1f} ms {per_open:>8.3f} ms/cmd")
    base = rows[0]
    for size, med, *_ in rows[1:]:
        print(f"scaling {base[0]} -> {size} stations: x{med / base[1]:.1f} hook time for x{size / base[0]:.0f} stations")
    return 0

if __name__ == "__main__":
    sys.exit(main())
