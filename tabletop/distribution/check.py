"""Cross-references of the ``distribution:`` section, reported at their file:line:col."""

from __future__ import annotations

from typing import Any, Sequence

from tabletop.core.messages import message
from tabletop.scenario.locate import near_param

from tabletop.distribution import rules
from tabletop.distribution.params import ReservedSite, Site, section

#: R's fixed limits (operating procedure, item 6; domain.md section 2): law, not scenario data.
MAX_PURCHASES = 3       # 1-3 purchases per household (or person) a month
LPG_PURCHASES = 1       # LPG once a month


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
                out.append((base + ("roads", i, end), message("dist.check.road_end", road=road.id,
                                                                 township=getattr(road, end), near=near_param(getattr(road, end), sorted(towns)))))
        if road.a == road.b:
            out.append((base + ("roads", i, "b"), message("dist.check.road_loop", road=road.id)))
    for i, fleet in enumerate(dist.fleets):
        if fleet.county not in counties:
            out.append((base + ("fleets", i, "county"), message("check.unknown_county", county=fleet.county,
                                                                near=near_param(fleet.county, sorted(counties)))))
    for i, pool in enumerate(dist.aid.pools):
        if pool.county not in counties:
            out.append((base + ("aid", "pools", i, "county"), message("check.unknown_county", county=pool.county,
                                                                      near=near_param(pool.county, sorted(counties)))))
    placed: tuple[tuple[str, Sequence[ReservedSite | Site]], ...] = (
        ("reserved_sites", dist.reserved_sites), ("sites", dist.sites))
    for name, items in placed:
        for i, item in enumerate(items):
            if item.township not in towns:
                out.append((base + (name, i, "township"), message("check.unknown_township", township=item.township,
                                                                  near=near_param(item.township, sorted(towns)))))
    for good, spec in dist.goods.items():
        if good not in goods:
            out.append((base + ("goods", good), message("check.unknown_good", good=good, near=near_param(good, sorted(goods))), "key"))
        out += fixed_limits(good, spec, base + ("goods", good))
    if not dist.station_types:
        out.append((base + ("station_types",), message("dist.check.no_station_types")))
    for county in scenario.counties:
        for town in county.townships:
            for site in town.shelters:
                for ri, reserved in enumerate(dist.sites):
                    if reserved.id == site and reserved.township == town.id:
                        out.append((base + ("sites", ri, "id"), message("dist.check.site_is_shelter", site=site, township=town.id)))
    return out


def fixed_limits(good: str, spec: Any, path: tuple) -> list[tuple]:
    """The rationing rules' fixed limits, which a scenario may not change: 1 to 3 purchases a
    month (rule R.purchases_per_month), LPG once (rule R.purchases_per_month), LPG never stored at a station (rule R.lpg_not_at_station).
    Only what R leaves to the authorities (goods, quantities, prices, windows) is scenario data."""
    out: list[tuple] = []
    limit = LPG_PURCHASES if good == "lpg" else MAX_PURCHASES
    if "max_purchases_per_month" in spec.model_fields_set and spec.max_purchases_per_month != limit:
        out.append((path + ("max_purchases_per_month",),
                    message("dist.check.purchases_lpg" if good == "lpg" else "dist.check.purchases", rule=rules.PURCHASES,
                            good=good, value=spec.max_purchases_per_month, limit=limit)))
    if good == "lpg" and spec.stored_at_station:
        out.append((path + ("stored_at_station",) if "stored_at_station" in spec.model_fields_set else path,
                    message("dist.check.lpg_stored", rule=rules.LPG)))
    return out
