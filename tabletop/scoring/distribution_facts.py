"""What the distribution part's metrics and the after-action report read from a log: the facts
behind its measures (the measures themselves are the part's, in
tabletop/distribution/metrics.py).

Distribution metrics (配售站, issue 3), from the contract events only.

Reads ``station_state`` {station, from, to, reason}, ``distribution_served``
{county, turn, stations: {station: {good: {people, quantity, unmet, queue}}}} (one per county
and turn, walked once per log by :func:`_served_pass`), ``stockout`` {station | warehouse, good},
``convoy_arrived`` and ``ration_set``; a station's township comes from the event if it
carries one, else from the accepted ``open_station`` command that created it.

*Shortage declared*: the first ``shortage_declared`` event (or an ``effect_applied``
whose type names a shortage); failing both, the first ``ration_set``, since rationing
can only start after a declaration.

*Coverage* of a township at the end of a turn = min(1, open stations / villages): the
planning reference of one station per village (R, station siting); a county's coverage weights
its townships by population.
"""

from __future__ import annotations

from typing import Any

from tabletop.scoring.view import LogView, Township
from tabletop.scoring.registry import Scope, in_scope_role
from tabletop.core import sums


OWNERS = ("civil_affairs", "supply")


SHORTAGE_EFFECTS = ("shortage", "declare_shortage", "shortage_declared", "shortage_period")


def station_townships(view: LogView) -> dict[str, str]:
    """station id -> township id."""
    if "station_townships" in view.cache:
        return view.cache["station_townships"]
    out: dict[str, str] = {}
    for key in sorted(k for k in view.accepted if k[1] == "open_station"):
        for _seq, _turn, _role, args in view.accepted[key]:
            if isinstance(args.get("id"), str) and isinstance(args.get("township"), str):
                out[args["id"]] = args["township"]
    for record in view.events("station_state"):
        data = record["data"]
        if isinstance(data.get("township"), str):
            out[data["station"]] = data["township"]
    view.cache["station_townships"] = out
    return out


def shortage_turns(view: LogView) -> dict[str | None, int]:
    """County (None = every county) -> turn the shortage was declared."""
    found: dict[str | None, int] = {}
    for record in view.events("shortage_declared", "effect_applied", "ration_set"):
        data = record.get("data") or {}
        if record["kind"] == "effect_applied" and data.get("type") not in SHORTAGE_EFFECTS:
            continue
        county = data.get("county")
        if county is None and record["kind"] == "ration_set":
            county = view.cause_county(record)
        found.setdefault(county, record["turn"])
    return found


def _townships(view: LogView, scope: Scope) -> list[Township]:
    return [t for t in view.townships().values() if scope.county is None or t.county == scope.county]


def open_by_turn(view: LogView) -> dict[int, dict[str, int]]:
    """Turn -> township -> stations open at the end of that turn (turns 1..last)."""
    if "open_by_turn" in view.cache:
        return view.cache["open_by_turn"]
    where = station_townships(view)
    state: dict[str, str] = {}
    events = view.events("station_state")
    out: dict[int, dict[str, int]] = {}
    position = 0
    counts: dict[str, int] = {}
    for turn in range(1, view.last_turn + 1):
        changed = position == 0
        while position < len(events) and events[position]["turn"] <= turn:
            data = events[position]["data"]
            state[data.get("station", "")] = data.get("to", "")
            position += 1
            changed = True
        if changed:  # a turn no station changed in counts as the one before
            counts = {}
            for station, current in sorted(state.items()):
                if current == "open" and station in where:
                    counts[where[station]] = counts.get(where[station], 0) + 1
        out[turn] = dict(counts)
    view.cache["open_by_turn"] = out
    return out


def coverage_series(view: LogView, towns: list[Township]) -> list[list[Any]]:
    """[turn, population share covered] for every turn of the log; worked out once per log for
    each list of townships (the scopes of a national log ask for the same county many times) and
    kept with the view's results (:meth:`LogView.kept`: the report's chart reads it)."""
    found: list[list[Any]] = view.kept("coverage_series:" + ",".join(t.id for t in towns), lambda: _coverage_series(view, towns))
    return found


def _coverage_series(view: LogView, towns: list[Township]) -> list[tuple[int, float]]:
    total = sum(t.population for t in towns)
    if not total:
        return []
    series = []
    for turn, counts in sorted(open_by_turn(view).items()):
        covered = sums.total(t.population * min(1.0, counts.get(t.id, 0) / t.villages) for t in towns)
        series.append((turn, covered / total))
    return series


def _first_turn(view: LogView, scope: Scope) -> int | None:
    declared = shortage_turns(view)
    turns = [turn for county, turn in declared.items() if county is None or scope.county in (None, county)]
    if turns:
        return min(turns)
    events = view.events("station_state")
    return events[0]["turn"] if events else None


def served_by_township(view: LogView) -> dict[str, dict[str, dict[str, float]]]:
    """township -> good -> {people, quantity, unmet} summed over the log."""
    return _served_pass(view)[0]


def _served_pass(view: LogView) -> tuple[dict[str, dict[str, dict[str, float]]], dict[tuple[str, str], list[int]],
                                         dict[str | None, dict[int, dict[str, float]]]]:
    """One walk over every station's served lines (a national log holds millions), once per log:
    (:func:`served_by_township`; (station, good) -> the turns it served some, for
    :func:`stockout_spells`; county (None: all) -> turn -> good -> quantity served, for
    :func:`days_of_supply`), each summed in log order."""
    if "served_pass" in view.cache:
        return view.cache["served_pass"]
    where = station_townships(view)
    by_town: dict[str, dict[str, dict[str, float]]] = {}
    refills: dict[tuple[str, str], list[int]] = {}
    by_turn: dict[str | None, dict[int, dict[str, float]]] = {None: {}}
    towns = view.townships()
    # The compact lines (slim.py): each (station, good) pair's township cell and county resolved
    # once per log, the sums taken in log order as for the lines kept whole below.
    slots: dict[tuple[str, str], tuple[dict[str, float] | None, str | None]] = {}
    for record in view.events("distribution_served"):
        turn = record["turn"]
        served = record.get("served")
        if served is not None:
            every = by_turn[None].setdefault(turn, {})
            per_county: dict[str, dict[str, float]] = {}
            figures = served.figures
            for pair, quantity, people, unmet in zip(served.keys, figures[0::3], figures[1::3], figures[2::3], strict=True):
                good = pair[1]
                if quantity > 0:
                    refills.setdefault(pair, []).append(turn)
                every[good] = every.get(good, 0.0) + quantity
                slot = slots.get(pair)
                if slot is None:
                    town = where.get(pair[0])
                    slot = slots[pair] = (
                        None if town is None else
                        by_town.setdefault(town, {}).setdefault(good, {"people": 0.0, "quantity": 0.0, "unmet": 0.0}),
                        towns[town].county if town in towns else None)
                cell, county = slot
                if cell is None:
                    continue
                if county is not None:
                    theirs = per_county.get(county)
                    if theirs is None:
                        theirs = per_county[county] = by_turn.setdefault(county, {}).setdefault(turn, {})
                    theirs[good] = theirs.get(good, 0.0) + quantity
                cell["people"] += people
                cell["quantity"] += quantity
                cell["unmet"] += unmet
            continue
        stations = record["data"].get("stations")
        if not isinstance(stations, dict):
            continue
        every = by_turn[None].setdefault(turn, {})
        for station, goods in stations.items():
            if not isinstance(goods, dict):
                continue
            station = str(station)
            town = where.get(station)
            mine = by_turn.setdefault(towns[town].county, {}).setdefault(turn, {}) if town in towns else None
            for good, data in goods.items():
                if not isinstance(data, dict):
                    continue
                good = str(good)
                quantity = data.get("quantity")
                if (quantity or 0) > 0:
                    refills.setdefault((station, good), []).append(turn)
                every[good] = every.get(good, 0.0) + float(quantity or 0)
                if mine is not None:
                    mine[good] = mine.get(good, 0.0) + float(quantity or 0)
                if town is not None:
                    cell = by_town.setdefault(town, {}).setdefault(good, {"people": 0.0, "quantity": 0.0, "unmet": 0.0})
                    cell["people"] += float(data.get("people") or 0)
                    cell["quantity"] += float(quantity or 0)
                    cell["unmet"] += float(data.get("unmet") or 0)
    found = view.cache["served_pass"] = (by_town, refills, by_turn)
    return found


def gini(values: list[float]) -> float:
    """Gini index of non-negative values (0 = equal, toward 1 = concentrated)."""
    ordered = sorted(values)
    n = len(ordered)
    total = sums.total(ordered)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sums.total((index + 1) * value for index, value in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def stockout_spells(view: LogView) -> list[dict[str, Any]]:
    """Each stock-out: {place, good, from_turn, to_turn, censored}. It ends at the first later
    convoy arrival at that place carrying the good, or service of that good there; else at the
    end of the log (censored)."""
    if "stockouts" in view.cache:
        return view.cache["stockouts"]
    refills: dict[tuple[str, str], list[int]] = {}
    for record in view.events("convoy_arrived"):
        data = record["data"]
        place = data.get("to") or data.get("station")
        for good in sorted((data.get("goods") or {})):
            refills.setdefault((str(place), good), []).append(record["turn"])
    for key, turns in _served_pass(view)[1].items():
        refills.setdefault(key, []).extend(turns)
    spells = []
    open_: dict[tuple[str, str], int] = {}
    for record in view.events("stockout"):
        data = record["data"]
        key = (str(data.get("station") or data.get("warehouse") or data.get("place")), str(data.get("good")))
        if key in open_:
            continue
        end = next((t for t in sorted(refills.get(key, [])) if t > record["turn"]), None)
        spells.append({"place": key[0], "good": key[1], "from_turn": record["turn"],
                       "to_turn": end if end is not None else view.last_turn, "censored": end is None})
        if end is None:
            open_[key] = record["turn"]
    view.cache["stockouts"] = spells
    return spells


def days_of_supply(view: LogView, county: str | None = None) -> dict[str, list[list[Any]]]:
    """Good -> [[turn, days of supply]]: scenario warehouse stock minus the quantity served up to
    the end of each turn, over the population's daily need. Losses and inflows that the contract
    events do not carry are not counted. Kept with the view's results (:meth:`LogView.kept`)."""
    found: dict[str, list[list[Any]]] = view.kept(f"days_of_supply:{county or ''}", lambda: _days_of_supply(view, county))
    return found


def _days_of_supply(view: LogView, county: str | None) -> dict[str, list[tuple[int, float]]]:
    if not view.has("distribution_served"):
        return {}
    goods = view.goods()
    counties = [c for c in view.scenario.counties if county is None or c.id == county]
    population = sum(t.population for c in counties for t in c.townships)
    stock: dict[str, float] = {}
    for c in counties:
        for warehouse in c.warehouses:
            for good, qty in warehouse.stock.items():
                stock[good] = stock.get(good, 0.0) + qty
    served = _served_pass(view)[2].get(county, {})
    out: dict[str, list[tuple[int, float]]] = {}
    for good in sorted(stock):
        need = population * (goods[good].per_person_per_day if good in goods else 0)
        if need <= 0:
            continue
        left = stock[good]
        series = [(0, left / need)]
        for turn in range(1, view.last_turn + 1):
            left -= served.get(turn, {}).get(good, 0.0)
            series.append((turn, max(0.0, left) / need))
        out[good] = series
    return out


# ----- mutual aid between counties (docs/rules/mutual-aid.md) -----------------------------------
AID_OWNERS = ("commander", "supply")
#: A lender left under this many days of a good it lent is short (assumption: the 7-day high end
#: of the household reserve advice, domain.md section 1).
AID_SHORT_DAYS = 7.0
AID_COUNTED = ("trucks", "medical_teams", "shelter_places")


def aid_requests(view: LogView) -> dict[str, dict[str, Any]]:
    """Request id -> {county, turn, asked {item: qty}, delivered {item: qty}, filled_turn}, one pass."""
    if "aid_requests" in view.cache:
        return view.cache["aid_requests"]
    out: dict[str, dict[str, Any]] = {}
    for record in view.events("aid_requested", "aid_delivered", "aid_filled"):
        data = record["data"]
        ident = str(data.get("request"))
        if record["kind"] == "aid_requested":
            asked = {f"good:{g}": float(q) for g, q in sorted((data.get("goods") or {}).items())}
            asked |= {name: float(data.get(name) or 0) for name in AID_COUNTED if data.get(name)}
            out[ident] = {"county": data.get("county"), "turn": record["turn"], "asked": asked, "delivered": {},
                          "filled_turn": None}
            continue
        request = out.get(ident)
        if request is None:
            continue
        if record["kind"] == "aid_filled":
            request["filled_turn"] = record["turn"]
            continue
        got = request["delivered"]
        for good, qty in sorted((data.get("goods") or {}).items()):
            got[f"good:{good}"] = got.get(f"good:{good}", 0.0) + float(qty)
        for name in AID_COUNTED:
            got[name] = got.get(name, 0.0) + float(data.get(name) or 0)
    view.cache["aid_requests"] = out
    return out


def _aid_scope(view: LogView, scope: Scope) -> list[tuple[str, dict[str, Any]]] | None:
    if not in_scope_role(scope, AID_OWNERS) or not view.has("aid_requested"):
        return None
    found = [(r, q) for r, q in sorted(aid_requests(view).items()) if scope.county in (None, q["county"])]
    return found or None
