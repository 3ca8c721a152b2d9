"""County stock: declared inflows and losses, days of supply, and the conservation ledger.

Goods enter the world only through :func:`inflow` (imports, central allocations,
requisitioned purchases) and leave it only through :func:`loss` (strikes,
spoilage) or by being sold to people at a station. So at every moment, for every
good: warehouses + stations + convoys on the road + sold = initial + inflow - loss.
"""

from __future__ import annotations

from typing import Any

from tabletop.core.commands import Rejected
from tabletop.core import sums


def inflow(session: Any, place: str, goods: dict[str, float], source: str) -> None:
    """Declared inflow into a warehouse or station (other parts of the engine call this)."""
    state = session.domain("distribution")
    stock = state.place_stock(place)
    if stock is None:
        raise Rejected("unknown_place", "dist.reject.unknown_place", place=place)
    if source == "import" and session.has_query("crises.blockade_share"):
        # A blockade cuts imports by its share (crises' ``blockade`` effect).
        goods = {g: q * (1.0 - session.query("crises.blockade_share", g)) for g, q in goods.items()}
    for good, qty in sorted(goods.items()):
        stock[good] = stock.get(good, 0.0) + qty
        _ledger(state, good)["inflow"] += qty
    session.emit("goods_inflow", {"place": place, "goods": dict(sorted(goods.items())), "source": source})


def loss(session: Any, place: str, share: float, goods: list[str], cause: str) -> None:
    """Declared loss: ``share`` of the listed goods (all if empty) at a place is destroyed."""
    state = session.domain("distribution")
    stock = state.place_stock(place)
    if stock is None:
        raise Rejected("unknown_place", "dist.reject.unknown_place", place=place)
    lost: dict[str, float] = {}
    for good in sorted(goods or stock):
        qty = stock.get(good, 0.0) * share
        if qty > 0:
            stock[good] -= qty
            _ledger(state, good)["loss"] += qty
            lost[good] = round(qty, 6)
    session.emit("goods_lost", {"place": place, "goods": lost, "cause": cause})
    for good in sorted(lost):
        if stock.get(good, 0.0) <= 1e-9 and place in state.warehouses:
            session.emit("stockout", {"warehouse": place, "good": good})


def _ledger(state: Any, good: str) -> dict[str, float]:
    return state.ledger.setdefault(good, {"initial": 0.0, "inflow": 0.0, "loss": 0.0, "sold": 0.0})


def county_stock(state: Any, county: str, good: str) -> float:
    held = sums.total(s.get(good, 0.0) for w, s in sorted(state.warehouses.items()) if state.warehouse_place[w][0] == county)
    held += sums.total(s.stock.get(good, 0.0) for _, s in sorted(state.stations.items()) if s.county == county)
    held += sums.total(c.goods.get(good, 0.0) for _, c in sorted(state.convoys.items())
                if c.holder == county and c.state != "arrived")
    return held


def days_of_supply(state: Any, county: str) -> dict[str, float | None]:
    """For every good: county stock ÷ (population × need per person per day), the way safety stocks are stated."""
    population = sum(state.townships[t].population for t in state.county_townships[county])
    out: dict[str, float | None] = {}
    for good_id in sorted(state.goods):
        need = state.goods[good_id].per_person_per_day * population
        out[good_id] = round(county_stock(state, county, good_id) / need, 2) if need > 0 else None
    return out


def days_of_supply_all(state: Any, counts: dict[str, dict[str, int]] | None = None,
                       live: dict[str, int] | None = None) -> dict[str, dict[str, float | None]]:
    """:func:`days_of_supply` for every county in one pass over the stock (the per-turn path).
    The same pass fills ``counts`` (county -> station state -> stations, every state already
    a key) and ``live`` (township -> stations setting up, open or suspended) when given."""
    held: dict[str, dict[str, float]] = {c: {} for c in state.county_townships}
    def add(county: str, stock: dict[str, float]) -> None:
        bucket = held[county]
        for good, qty in stock.items():
            bucket[good] = bucket.get(good, 0.0) + qty
    for wid in sorted(state.warehouses):
        add(state.warehouse_place[wid][0], state.warehouses[wid])
    stations = state.stations
    for sid in state.station_ids():
        station = stations[sid]
        bucket = held[station.county]
        for good, qty in station.stock.items():
            bucket[good] = bucket.get(good, 0.0) + qty
        if counts is not None:
            counts[station.county][station.state] += 1
        if live is not None and station.state in _LIVE:
            live[station.township] = live.get(station.township, 0) + 1
    for cid in sorted(state.convoys):
        if state.convoys[cid].state != "arrived":
            add(state.convoys[cid].holder, state.convoys[cid].goods)
    out: dict[str, dict[str, float | None]] = {}
    needs = _needs(state)
    for county in sorted(held):
        stock = held[county]
        out[county] = {good: round(stock.get(good, 0.0) / need, 2) if need > 0 else None
                       for good, need in needs[county]}
    return out


_LIVE = frozenset(("setting_up", "open", "suspended"))


def _needs(state: Any) -> dict[str, list[tuple[str, float]]]:
    """County -> [(good, its need per day: population × need per person per day)] in good order,
    derived from the scenario (kept on the state)."""
    found: dict[str, list[tuple[str, float]]] | None = state._needs
    if found is None:
        found = {}
        for county in state.county_townships:
            population = sum(state.townships[t].population for t in state.county_townships[county])
            found[county] = [(good_id, state.goods[good_id].per_person_per_day * population)
                             for good_id in sorted(state.goods)]
        state._needs = found
    return found


def balance(state: Any, good: str) -> tuple[float, float]:
    """(what exists + what was sold, what the ledger says should): equal up to rounding."""
    ledger = _ledger(state, good)
    return state.total(good) + ledger["sold"], ledger["initial"] + ledger["inflow"] - ledger["loss"]
