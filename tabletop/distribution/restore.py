"""Rebuild the distribution slice from its snapshot data (``DistState.to_data``), for replay's
fast seek and what-if forks (``Session.from_snapshot``).

A fresh slice (``init_state``: the scenario's warehouses, goods, roads and fleets) is filled
with the snapshot's data; derived caches (distances, the station-by-township map, the
station machine's models) are rebuilt from it. ``data`` is the slice's own (``Session._load``
copies a snapshot that is not handed over before any part restores it), so the stations and
convoys keep its dicts and lists instead of copies (a national seek: 2,000 stations).
"""

from __future__ import annotations

import copy
from typing import Any

from tabletop.distribution import lifecycle
from tabletop.distribution.state import Convoy, DistState, Line, Station, init_state


def restore(session: Any, data: dict[str, Any]) -> DistState:
    state = init_state(session)
    state.shortage = dict(data["shortage"])
    state.rations = {c: {g: dict(r) for g, r in v.items()} for c, v in data["rations"].items()}
    for ident, house in data["warehouses"].items():
        state.warehouses[ident] = dict(house["stock"])
    for ident, item in data["stations"].items():
        station = Station(id=ident, county=item["county"], township=item["township"], site=item["site"],
                          type=item["type"], staff=item["staff"], opened_turn=item["opened_turn"],
                          ready_turn=item["ready_turn"], closed_turn=item["closed_turn"], reason=item["reason"],
                          resume_turn=item["resume_turn"], stock=item["stock"], queues=item["queues"],
                          out=item["out"], state=item["state"], order_turn=item.get("order_turn"),
                          number=item.get("number", 0), name=item.get("name"))
        state.add_station(station)
        lifecycle.add(state.machine, station)
    for ident, item in data["convoys"].items():
        state.convoys[ident] = Convoy(id=ident, county=item["county"], origin=item["origin"], dest=item["dest"],
                                      goods=dict(item["goods"]), vehicles=item["vehicles"], depart_turn=item["depart_turn"],
                                      node=item["node"], legs=[list(leg) for leg in item["legs"]],
                                      progress=item["progress"], minutes=item["minutes"], state=item["state"],
                                      requisitioned=item.get("requisitioned", 0), aid=item.get("aid"),
                                      aid_to=item.get("aid_to"), lent=item.get("lent", 0), teams=item.get("teams", 0))
    state.fleet = {c: dict(f) for c, f in data["fleet"].items()}
    state.returning = [dict(r) for r in data["returning"]]
    state.closed_roads = {road: True for road in data["closed_roads"]}
    state.panic = dict(data["panic"])
    state.lines = {t: {g: Line(*values) for g, values in goods.items()} for t, goods in data["lines"].items()}
    state.reserved = {t: dict(sites) for t, sites in data["reserved"].items()}
    state.ledger = {g: dict(v) for g, v in data["ledger"].items()}
    state.heard = [dict(h) for h in data["heard"]]
    state.eoc = {c: dict(v) for c, v in data["eoc"].items()}
    state.adjudicated_turn = data.get("adjudicated_turn", 0)
    state.batches = {b: dict(v) for b, v in data.get("batches", {}).items()}
    state.sent = {m: dict(v) for m, v in data.get("sent", {}).items()}
    state.tallies = copy.deepcopy(data.get("tallies", {}))
    state.closed_reported = set(data.get("closed_reported", ()))
    aid = data.get("aid") or {}
    state.aid_requests = copy.deepcopy(aid.get("requests", {}))
    state.aid_allocations = copy.deepcopy(aid.get("allocations", {}))
    state.aid_lent = {c: dict(v) for c, v in aid.get("lent", {}).items()}
    state.roads_changed()
    return state
