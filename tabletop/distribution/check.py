"""Cross-references of the ``distribution:`` section, reported at their file:line:col."""

from __future__ import annotations

from typing import Any

from tabletop.distribution.params import section


def check(scenario: Any) -> list[tuple]:
    dist = section(scenario)
    base = ("distribution",)
    towns = {t.id: c.id for c in scenario.counties for t in c.townships}
    counties = {c.id for c in scenario.counties}
    goods = {g.id for g in scenario.goods}
    out: list[tuple] = []
    for i, road in enumerate(dist.roads):
        for end in ("a", "b"):
            if getattr(road, end) not in towns:
                out.append((base + ("roads", i, end), f"road {road.id!r} ends in unknown township {getattr(road, end)!r}"))
        if road.a == road.b:
            out.append((base + ("roads", i, "b"), f"road {road.id!r} joins a township to itself"))
    for i, fleet in enumerate(dist.fleets):
        if fleet.county not in counties:
            out.append((base + ("fleets", i, "county"), f"unknown county {fleet.county!r}"))
    for name, items in (("reserved_sites", dist.reserved_sites), ("sites", dist.sites)):
        for i, item in enumerate(items):
            if item.township not in towns:
                out.append((base + (name, i, "township"), f"unknown township {item.township!r}"))
    for good in dist.goods:
        if good not in goods:
            out.append((base + ("goods", good), f"unknown good {good!r}; declare it under goods", "key"))
    if not dist.station_types:
        out.append((base + ("station_types",), "at least one station type is needed"))
    for ci, county in enumerate(scenario.counties):
        for ti, town in enumerate(county.townships):
            for si, site in enumerate(town.shelters):
                for ri, reserved in enumerate(dist.sites):
                    if reserved.id == site and reserved.township == town.id:
                        out.append((base + ("sites", ri, "id"), f"site {site!r} is a shelter in {town.id!r}; "
                                    "a distribution station may not share it (R art 9)"))
    return out
