"""Road links derived from township coordinates, for a scenario that gives coordinates but no
``distribution.roads``: without links no convoy could move between townships.

Per county whose townships all have ``coords``: a minimum spanning tree over the straight-line
distances (every township reachable) plus each township's two nearest neighbours. Travel time
is the straight line × :data:`ROAD_FACTOR` at :data:`SPEED_KMH` (both *assumptions*: no public
figure; give ``distribution.roads`` for real ones). Deterministic: ties broken by township id.
``lint`` says when this happens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

#: Road distance over straight-line distance (assumption; typical detour factor of rural roads).
ROAD_FACTOR = 1.3
#: Truck speed on a derived link, km/h (assumption).
SPEED_KMH = 40.0
#: Each township is also linked to this many of its nearest neighbours.
NEIGHBOURS = 2


@dataclass(frozen=True)
class DerivedRoad:
    id: str
    a: str
    b: str
    km: float
    minutes: int


def km_between(one: tuple[float, float], other: tuple[float, float]) -> float:
    """Great-circle distance in km between two (longitude, latitude) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (one[0], one[1], other[0], other[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def county_roads(townships: list[Any]) -> list[DerivedRoad]:
    """The derived links of one county's townships (each with ``id`` and ``coords``)."""
    towns = sorted((t.id, tuple(t.coords)) for t in townships)
    if len(towns) < 2:
        return []
    dist = {(a, b): km_between(pa, pb) for a, pa in towns for b, pb in towns if a < b}

    def d(a: str, b: str) -> float:
        return dist[(a, b) if a < b else (b, a)]

    pairs: set[tuple[str, str]] = set()
    inside = {towns[0][0]}
    while len(inside) < len(towns):  # Prim: the shortest link out of the tree, ties by ids
        a, b = min(((x, y) for x in sorted(inside) for y, _ in towns if y not in inside),
                   key=lambda pair: (d(*pair), pair))
        pairs.add((min(a, b), max(a, b)))
        inside.add(b)
    for a, _ in towns:
        for b in sorted((y for y, _ in towns if y != a), key=lambda y: (d(a, y), y))[:NEIGHBOURS]:
            pairs.add((min(a, b), max(a, b)))
    out = []
    for a, b in sorted(pairs):
        km = d(a, b)
        out.append(DerivedRoad(f"auto-{a}-{b}", a, b, round(km * ROAD_FACTOR, 1),
                               max(1, round(km * ROAD_FACTOR / SPEED_KMH * 60))))
    return out


def derived_roads(scenario: Any) -> dict[str, list[DerivedRoad]]:
    """County id -> its derived links, when the scenario gives no roads at all; counties with a
    township lacking coordinates get none."""
    section = getattr(scenario, "distribution", None)
    if section is None or getattr(section, "roads", None):
        return {}
    out = {}
    for county in scenario.counties:
        if len(county.townships) > 1 and all(t.coords is not None for t in county.townships):
            out[county.id] = county_roads(list(county.townships))
    return out
