"""The distribution part's metrics (``Plugin.metrics``), over the facts in ``tabletop.scoring.distribution_facts``."""

from __future__ import annotations

from typing import Any

from tabletop.scoring.distribution_facts import (
    AID_OWNERS, AID_SHORT_DAYS, _aid_scope, OWNERS, station_townships, shortage_turns, _townships, open_by_turn, coverage_series,
    _first_turn, served_by_township, gini, stockout_spells,
)
from tabletop.scoring.registry import Scope, Value, in_scope_role, metric, registered
from tabletop.scoring.survival import Observation, km_median
from tabletop.scoring.view import LogView
from tabletop.core import sums


@metric("time_to_first_station_min", "distribution", "minutes", "lower", (1, 2, 4), owners=OWNERS)
def time_to_first_station_min(view: LogView, scope: Scope) -> Value | None:
    """Kaplan-Meier median, over townships, of game minutes from the shortage declaration to the
    township's first open station (0 if one was already open). Townships that never get one
    are censored at the end of the log."""
    if not in_scope_role(scope, OWNERS) or not view.has("station_state"):
        return None
    declared = shortage_turns(view)
    observations = []
    townships: dict[str, Any] = {}
    for town in _townships(view, scope):
        start = declared.get(town.county, declared.get(None))
        if start is None:
            continue
        opened = next((turn for turn, counts in sorted(open_by_turn(view).items())
                       if counts.get(town.id, 0) > 0 and turn >= start), None)
        if opened is None:
            observations.append(Observation(view.minutes(start, view.last_turn), False))
            townships[town.id] = None
        else:
            observations.append(Observation(view.minutes(start, opened), True))
            townships[town.id] = view.minutes(start, opened)
    median = km_median(observations)
    if median is None:
        return None
    return Value(median.value, len(observations), {"townships": townships, "censored": median.censored},
                 not_reached=median.value is None, horizon=median.horizon)


@metric("population_coverage", "distribution", "ratio", "higher", (0.9, 0.7, 0.5), owners=OWNERS)
def population_coverage(view: LogView, scope: Scope) -> Value | None:
    """Mean, over the turns from the shortage declaration (or the first station event) to the end
    of the log, of the population share within reach of an open station (one per village)."""
    if not in_scope_role(scope, OWNERS) or not view.has("station_state"):
        return None
    start = _first_turn(view, scope)
    series = [(turn, share) for turn, share in coverage_series(view, _townships(view, scope)) if start and turn >= start]
    if not series:
        return None
    return Value(sums.total(s for _, s in series) / len(series), len(series), {"final": series[-1][1], "from_turn": start})


@metric("remote_coverage_gap", "distribution", "ratio", "lower", (0.05, 0.15, 0.3), owners=OWNERS)
def remote_coverage_gap(view: LogView, scope: Scope) -> Value | None:
    """Mean coverage of other townships minus mean coverage of remote (and outlying) townships over
    the same turns; 0 when remote townships are as well covered or better."""
    if not in_scope_role(scope, OWNERS) or not view.has("station_state"):
        return None
    towns = _townships(view, scope)
    remote = [t for t in towns if t.remote]
    other = [t for t in towns if not t.remote]
    start = _first_turn(view, scope)
    if not remote or not other or start is None:
        return None
    near = [s for turn, s in coverage_series(view, other) if turn >= start]
    far = [s for turn, s in coverage_series(view, remote) if turn >= start]
    if not near:
        return None
    near_mean, far_mean = sums.total(near) / len(near), sums.total(far) / len(far)
    return Value(max(0.0, near_mean - far_mean), len(towns), {"other": near_mean, "remote": far_mean})


@metric("served_share", "distribution", "ratio", "higher", (0.95, 0.85, 0.7), owners=OWNERS)
def served_share(view: LogView, scope: Scope) -> Value | None:
    """Demand served against unmet: people served / (people served + unmet), summed over
    stations, goods and turns (``unmet`` counts people who left a queue unserved)."""
    if not in_scope_role(scope, OWNERS) or not view.has("distribution_served"):
        return None
    towns = {t.id for t in _townships(view, scope)}
    people = unmet = 0.0
    for town, goods in sorted(served_by_township(view).items()):
        if town in towns:
            for cell in goods.values():
                people += cell["people"]
                unmet += cell["unmet"]
    if people + unmet <= 0:
        return None
    return Value(people / (people + unmet), int(people + unmet), {"people": people, "unmet": unmet})


@metric("served_gini", "distribution", "ratio", "lower", (0.2, 0.3, 0.45), owners=OWNERS)
def served_gini(view: LogView, scope: Scope) -> Value | None:
    """Gini index, across townships, of the quantity served per person, with each good's quantity
    converted to person-days of need (quantity / per-person daily need) so goods can be summed."""
    if not in_scope_role(scope, OWNERS) or not view.has("distribution_served"):
        return None
    goods = view.goods()
    served = served_by_township(view)
    towns = _townships(view, scope)
    if len(towns) < 2:
        return None
    values = []
    for town in towns:
        days = 0.0
        for good, cell in sorted(served.get(town.id, {}).items()):
            need = goods[good].per_person_per_day if good in goods else 0
            days += cell["quantity"] / need if need else 0.0
        values.append(days / town.population)
    return Value(gini(values), len(values), {"person_days_per_person": {t.id: v for t, v in zip(towns, values, strict=True)}})


@metric("stockout_minutes", "distribution", "minutes", "lower", (0, 1, 2), owners=OWNERS)
def stockout_minutes(view: LogView, scope: Scope) -> Value | None:
    """Stock-out game minutes (each stock-out from its event to its refill or the end of the log,
    summed over places and goods), divided by the number of stations that ever opened (at
    least 1): the average stock-out time a station saw."""
    if not in_scope_role(scope, OWNERS) or not (view.has("station_state") or view.has("stockout")):
        return None
    county_of, opened = _places(view)
    spells = [s for s in stockout_spells(view) if scope.county is None or county_of.get(s["place"]) == scope.county]
    stations = [s for s in opened if scope.county is None or county_of.get(s) == scope.county]
    total = sum(view.minutes(s["from_turn"], s["to_turn"]) for s in spells)
    return Value(total / max(1, len(stations)), len(spells), {"spells": len(spells), "total_minutes": total,
                                                              "stations": len(stations)})


def _places(view: LogView) -> tuple[dict[str, str], list[str]]:
    """(station or warehouse -> county, the stations that ever opened, sorted): once per log."""
    if "stockout_places" not in view.cache:
        where = station_townships(view)
        towns = view.townships()
        county_of = {s: towns[t].county for s, t in where.items() if t in towns}
        county_of.update({w.id: c.id for c in view.scenario.counties for w in c.warehouses})
        opened = {r["data"].get("station") for r in view.events("station_state") if r["data"].get("to") == "open"}
        view.cache["stockout_places"] = (county_of, sorted(opened))
    return view.cache["stockout_places"]


# ----- mutual aid between counties (docs/rules/mutual-aid.md) -----------------------------------
@metric("aid_fill_share", "distribution", "ratio", "higher", (0.95, 0.8, 0.6), owners=AID_OWNERS)
def aid_fill_share(view: LogView, scope: Scope) -> Value | None:
    """Mutual aid: delivered over asked by the end of the log, each asked item (each good,
    trucks, medical teams, shelter places) weighing the same, averaged over the county's requests."""
    found = _aid_scope(view, scope)
    if found is None:
        return None
    shares = {}
    for ident, request in found:
        items = [min(1.0, request["delivered"].get(k, 0.0) / q) for k, q in sorted(request["asked"].items()) if q > 0]
        shares[ident] = sums.total(items) / len(items) if items else 1.0
    return Value(sums.total(shares.values()) / len(shares), len(shares), {"requests": shares})


@metric("aid_time_to_fill_min", "distribution", "minutes", "lower", (2, 4, 8), owners=AID_OWNERS)
def aid_time_to_fill_min(view: LogView, scope: Scope) -> Value | None:
    """Mutual aid: Kaplan-Meier median of game minutes from a request to its last delivery
    (``aid_filled``); requests never filled are censored at the end of the log."""
    found = _aid_scope(view, scope)
    if found is None:
        return None
    observations: list[Observation] = []
    detail: dict[str, int | float | None] = {}
    for ident, request in found:
        if request["filled_turn"] is None:
            observations.append(Observation(view.minutes(request["turn"], view.last_turn), False))
            detail[ident] = None
        else:
            minutes = view.minutes(request["turn"], request["filled_turn"])
            detail[ident] = minutes
            observations.append(Observation(minutes, True))
    median = km_median(observations)
    if median is None:
        return None
    return Value(median.value, len(observations), {"requests": detail, "censored": median.censored},
                 not_reached=median.value is None, horizon=median.horizon)


@metric("aid_lender_short_share", "distribution", "ratio", "lower", (0.0, 0.1, 0.25))
def aid_lender_short_share(view: LogView, scope: Scope) -> Value | None:
    """Mutual aid, the lender's own shortfall: the share of allocations from the county (every
    county in the national scope) that left it under 7 days of supply of a good it lent, with the
    lowest days it was left with. Context: central chooses the lender, not the county."""
    if not view.has("aid_allocated"):
        return None
    short, count, lowest = 0, 0, None
    for record in view.events("aid_allocated"):
        data = record["data"]
        if scope.county not in (None, data.get("lender")) or not data.get("goods"):
            continue
        days = [float(d) for d in (data.get("lender_days_after") or {}).values() if isinstance(d, (int, float))]
        count += 1
        if days:
            lowest = min(days) if lowest is None else min(lowest, min(days))
            short += min(days) < AID_SHORT_DAYS
    if not count:
        return None
    return Value(short / count, count, {"lowest_days": lowest, "short": short})


#: The metrics this part declares (registered above, by name).
METRICS: tuple[str, ...] = tuple(name for name, m in registered().items() if m.compute.__module__ == __name__)
