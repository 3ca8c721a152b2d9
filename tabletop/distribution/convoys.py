"""Convoys: goods on the road between warehouses and stations.

A convoy leaves in the orders phase and travels ``minutes_per_turn`` minutes in
each adjudication, starting with the one of its own turn: it arrives in turn
``t + ceil((loading + route minutes) / minutes per turn) - 1``. Goods in transit
belong to the convoy alone. When a link ahead closes, the convoy reroutes from
the township it is at (losing progress on the closed leg) or, with no route
left, waits there, blocked, and tries again every turn.
"""

from __future__ import annotations

import math
from typing import Any

from tabletop.distribution import aid, roads
from tabletop.core import sums


def weight(state: Any, goods: dict[str, float]) -> float:
    return sums.total(qty * state.params.good_rules(good).weight_kg for good, qty in sorted(goods.items()))


def advance(session: Any, state: Any) -> None:
    """Return vehicles that are back, then move every convoy on the road."""
    back = [r for r in state.returning if r["turn"] <= session.turn]
    if back:
        state.returning = [r for r in state.returning if r["turn"] > session.turn]
        for item in back:
            state.fleet[item["county"]]["available"] += item["vehicles"]
            if item.get("requisitioned"):
                state.fleet[item["county"]]["requisitioned_out"] -= item["requisitioned"]
    for cid in sorted(state.convoys):
        convoy = state.convoys[cid]
        if convoy.state not in ("arrived", "ordered"):  # "ordered": the township office has not the order yet
            _move(session, state, convoy)


def move_one(session: Any, state: Any, convoy: Any) -> None:
    """Move one convoy its turn's minutes now (a dispatch order received late in the adjudication)."""
    _move(session, state, convoy)


def _move(session: Any, state: Any, convoy: Any) -> None:
    if session.query("crises.alert_in_force", convoy.node, default=False):
        # ADX: during an air-raid alert traffic stops; the convoy waits where it is.
        session.emit("convoy_held", {"convoy": convoy.id, "at": convoy.node, "reason": "air_raid"})
        return
    budget = session.clock.minutes_per_turn
    while budget > 0 and convoy.legs:
        link, to, minutes = convoy.legs[0]
        if link and link in state.closed_roads:
            if not _reroute(session, state, convoy, link):
                return
            continue
        if convoy.state == "blocked":
            convoy.state = "moving"
        need = minutes - convoy.progress
        step = min(need, budget)
        convoy.progress += step
        convoy.minutes += step
        budget -= step
        if convoy.progress >= minutes:
            convoy.legs.pop(0)
            convoy.progress = 0
            if to:
                convoy.node = to
    if not convoy.legs:
        _arrive(session, state, convoy)


def _reroute(session: Any, state: Any, convoy: Any, link: str) -> bool:
    dest_town = state.place_township(convoy.dest)
    found = roads.route(state, convoy.node, dest_town)
    was_blocked = convoy.state == "blocked"
    if found is None:
        convoy.legs = [[link, convoy.legs[0][1], convoy.legs[0][2]]] + convoy.legs[1:]
        convoy.progress = 0
        convoy.state = "blocked"
        if not was_blocked:
            session.emit("convoy_blocked", {"convoy": convoy.id, "link": link, "at": convoy.node,
                                            "rerouted": False, "minutes_left": None})
        return False
    minutes, legs = found
    convoy.legs = legs
    convoy.progress = 0
    convoy.state = "moving"
    session.emit("convoy_blocked", {"convoy": convoy.id, "link": link, "at": convoy.node,
                                    "rerouted": True, "minutes_left": minutes if convoy.legs else 0,
                                    "route": [leg[0] for leg in convoy.legs if leg[0]]})
    return True


def _arrive(session: Any, state: Any, convoy: Any) -> None:
    stock = state.place_stock(convoy.dest)
    for good, qty in sorted(convoy.goods.items()):
        stock[good] = stock.get(good, 0.0) + qty
    convoy.state = "arrived"
    origin_town = state.place_township(convoy.origin)
    back = roads.route(state, convoy.node, origin_town)
    back_minutes = back[0] if back is not None else convoy.minutes
    back_turn = session.turn + max(1, math.ceil(back_minutes / session.clock.minutes_per_turn))
    returning = convoy.vehicles - convoy.requisitioned - convoy.lent
    if returning or convoy.requisitioned:
        state.returning.append({"turn": back_turn, "county": convoy.county, "vehicles": returning,
                                "requisitioned": convoy.requisitioned})
    session.emit("convoy_arrived", {"convoy": convoy.id, "at": convoy.dest, "goods": dict(sorted(convoy.goods.items())),
                                    "minutes": convoy.minutes, "vehicles_back_turn": back_turn})
    if convoy.aid is not None:
        aid.delivered(session, state, convoy)
    station = state.stations.get(convoy.dest)
    if station is not None:
        for good in sorted(convoy.goods):
            station.out.pop(good, None)
