#!/usr/bin/env python3
"""Benchmark: building entity state machines (issue 17: 30x cheaper, under 1 KB, linear).

The engine's entities (injects, distribution stations, care stations, requisition cases) are
defined with ``transitions`` and run by ``core.machines.EntityMachine`` (the machine's own
table, the entity keeps its state). Baseline in the same run: one ``transitions.Machine`` per
object, as a naive port would build them. Figures:

- ``entity_build_ratio``: baseline time / our time to build N entities with their machines;
- ``entity_bytes``: bytes allocated per entity (the entity object with its machine state;
  tracemalloc), and the baseline's;
- ``entity_build_us_<n>``: our microseconds per entity at several counts (flat = linear);
- ``entity_linearity``: per entity at 80,000 over at 1,000, with the collector as it is; then
  with it paused (the machines' own cost) and while a ``HeapKeeper`` keeps (its young
  threshold: how the room and the runner drive a session).

    python bench/bench_entities.py [--count 10000] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import time
import tracemalloc
from typing import Any, Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from transitions import Machine  # noqa: E402

from figures import Figure, report  # noqa: E402
from tabletop.core import injects  # noqa: E402
from tabletop.crises import state as crises_state  # noqa: E402
from tabletop.distribution import lifecycle  # noqa: E402
from tabletop.distribution.state import Station  # noqa: E402
from tabletop.heap import HeapKeeper  # noqa: E402
from tabletop.requisition import state as req_state  # noqa: E402


def _inject(n: int) -> Any:
    return injects.InjectRun(f"inj{n}", "hualien", "commander", n % 12, n, met=[None], missed=[False])


def _station(n: int) -> Any:
    return Station(f"st{n}", "hualien", "jian", f"site{n}", "school", 4, 1)


def _care(n: int) -> Any:
    return crises_state.CareStation({"kind": "relief", "township": "jian", "state": "planned"})


def _case(n: int) -> Any:
    return req_state.CaseModel({"id": f"c{n}", "state": "drafted", "emergency": False, "mode": "use"})


#: kind -> (make an entity, our machine, its states, its transitions, initial)
KINDS: dict[str, tuple[Callable[[int], Any], Any, list[str], list[dict[str, Any]], str]] = {
    "inject": (_inject, injects.MACHINE, injects.STATES, injects.TRANSITIONS, "scheduled"),
    "station": (_station, lifecycle.MACHINE, lifecycle.STATES, lifecycle.TRANSITIONS, "planned"),
    "care_station": (_care, crises_state.MACHINE, crises_state.STATES, crises_state.TRANSITIONS, "planned"),
    "case": (_case, req_state.CASES, req_state.CASE_STATES, req_state.CASE_TRANSITIONS, "drafted"),
}


def ours(kind: str, count: int) -> list[Any]:
    make, machine, *_ = KINDS[kind]
    out = []
    for n in range(count):
        entity = make(n)
        machine.add(entity)
        out.append(entity)
    return out


class _PlainStation(Station):
    """A station with an instance dict, as a naive port has: ``transitions.Machine`` attaches its
    trigger methods to the model (our Station has slots, which leave no room for them)."""


def baseline(kind: str, count: int) -> list[Any]:
    make, _, states, transitions, initial = KINDS[kind]
    out = []
    for n in range(count):
        entity = make(n)
        if kind == "station":
            entity = _PlainStation(f"st{n}", "hualien", "jian", f"site{n}", "school", 4, 1)
        Machine(model=entity, states=states, transitions=transitions, initial=getattr(entity, "state", initial),
                auto_transitions=False, ignore_invalid_triggers=False)
        out.append(entity)
    return out


def timed(build: Callable[[str, int], list[Any]], kind: str, count: int, repeat: int = 3,
          collector: bool = True, keeper: bool = False) -> float:
    """Best of ``repeat`` builds; ``collector`` False pauses CPython's cyclic collector while
    building (what is left is the machines' own cost: the collector's passes over a growing heap
    are not linear in the count); ``keeper`` builds while a :class:`tabletop.heap.HeapKeeper`
    keeps, as the room and the runner drive a session (its young threshold)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        if not collector:
            gc.disable()
        try:
            with HeapKeeper() if keeper else contextlib.nullcontext():
                start = time.perf_counter()
                build(kind, count)
                best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def bytes_per(build: Callable[[str, int], list[Any]], kind: str, count: int) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = build(kind, count)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return (after - before) / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="entities per kind (default 10000)")
    parser.add_argument("--json", action="store_true", help="print only JSON lines {name, value, unit}")
    args = parser.parse_args()
    figures: list[Figure] = []
    ratios, sizes = [], []
    base_count = max(1, args.count // 10)  # the baseline is slow: measured on a tenth, per entity
    for kind in KINDS:
        mine = timed(ours, kind, args.count) / args.count
        base = timed(baseline, kind, base_count, repeat=1) / base_count
        ratios.append(base / mine)
        size = bytes_per(ours, kind, args.count)
        sizes.append(size)
        figures += [Figure(f"entity_build_us_{kind}", mine * 1e6, "us/entity"),
                    Figure(f"baseline_build_us_{kind}", base * 1e6, "us/entity (one Machine per object)"),
                    Figure(f"entity_bytes_{kind}", size, "bytes/entity"),
                    Figure(f"baseline_bytes_{kind}", bytes_per(baseline, kind, base_count), "bytes/entity")]
    figures.append(Figure("entity_build_ratio", min(ratios), "x cheaper (worst kind; target >= 30)"))
    figures.append(Figure("entity_bytes", max(sizes), "bytes/entity (largest kind; target < 1024)"))
    per = {}
    for count in (1_000, 10_000, 80_000):
        per[count] = timed(ours, "station", count) / count
        figures.append(Figure(f"entity_build_us_station_{count}", per[count] * 1e6, "us/entity"))
    figures.append(Figure("entity_linearity", per[80_000] / per[1_000], "time per entity at 80k / at 1k (1 = linear)"))
    bare = {count: timed(ours, "station", count, collector=False) / count for count in (1_000, 80_000)}
    figures.append(Figure("entity_linearity_collector_paused", bare[80_000] / bare[1_000],
                          "time per entity at 80k / at 1k, cyclic collector paused (1 = linear)"))
    kept = {count: timed(ours, "station", count, keeper=True) / count for count in (1_000, 80_000)}
    figures.append(Figure("entity_linearity_keeper", kept[80_000] / kept[1_000],
                          "time per entity at 80k / at 1k, built while a HeapKeeper keeps, as sessions are driven (1 = linear)"))
    return report(figures, args.json, "entity machines", f"{args.count} entities per kind")


if __name__ == "__main__":
    sys.exit(main())
