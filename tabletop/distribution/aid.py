"""Mutual aid between counties (跨縣市支援): ``request_aid`` and ``allocate_aid``.

A county's commander asks central for goods, trucks, medical teams or shelter places
(``request_aid``, a message from the county's EOC to central: central sees it when it arrives);
central allocates from another county's warehouse, fleet and pool
(``allocate_aid``), seeing the lender's own days of supply before and after. Goods, lent
trucks and medical teams travel as one convoy of the lender's trucks over the road graph
(inter-county links included), so a cut road blocks or reroutes it like any convoy; on
arrival the goods enter the requesting warehouse, the lent trucks join the borrower's fleet
and the carrying trucks drive home. Shelter places are granted at once (the evacuees travel,
not the places). The basis of each rule, or the assumption it rests on, is in
docs/rules/mutual-aid.md.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Union

from pydantic import Field, StrictFloat, StrictInt

from tabletop.core.commands import PLAY_STATES, Args, Command, CommandSpec, Rejected
from tabletop.distribution import roads, supply
from tabletop.distribution.state import Convoy
from tabletop.scenario.model import Count, Id
from tabletop.core import sums

Quantity = Annotated[Union[StrictInt, StrictFloat], Field(gt=0, le=1e12, allow_inf_nan=False)]
Goods = Annotated[dict[Id, Quantity], Field(max_length=100)]
#: What a request asks for besides goods, in the order the events list them.
COUNTED = ("trucks", "medical_teams", "shelter_places")


class RequestAid(Args):
    id: Id
    to: Id | None = Field(default=None, description="The county's warehouse that receives goods, trucks and teams.")
    goods: Goods = {}
    trucks: Count = 0
    medical_teams: Count = 0
    shelter_places: Count = 0


class AllocateAid(Args):
    model_config = Args.model_config | {"populate_by_name": True}

    id: Id
    request: Id
    lender: Id
    from_: Id | None = Field(default=None, alias="from", description="The lender's warehouse the convoy leaves from.")
    goods: Goods = {}
    vehicles: Count = Field(default=0, description="The lender's trucks that carry the goods and drive home.")
    trucks: Count = Field(default=0, description="The lender's trucks lent: they stay with the requesting county.")
    medical_teams: Count = 0
    shelter_places: Count = 0


def _state(session: Any) -> Any:
    return session.domain("distribution")


def _county(command: Command) -> str:
    if command.county is None:
        raise ValueError(f"{command.kind} is a county seat's command and names no county")
    return command.county


def _empty() -> dict[str, Any]:
    return {"goods": {}, "trucks": 0, "medical_teams": 0, "shelter_places": 0}


def _request(session: Any, command: Command, args: RequestAid) -> None:
    state = _state(session)
    county = _county(command)
    if not args.goods and not any(getattr(args, name) for name in COUNTED):
        raise Rejected("aid_empty", "dist.reject.aid_empty")
    for good in sorted(args.goods):
        if good not in state.goods:
            raise Rejected("unknown_good", "dist.reject.unknown_good", good=good)
    moving = bool(args.goods) or args.trucks > 0 or args.medical_teams > 0
    if moving:
        if args.to is None:
            raise Rejected("aid_destination", "dist.reject.aid_destination")
        if args.to not in state.warehouses or state.warehouse_place[args.to][0] != county:
            raise Rejected("unknown_place", "dist.reject.unknown_place", place=args.to)
    goods = {g: float(q) for g, q in sorted(args.goods.items())}
    state.aid_requests[args.id] = {
        "county": county, "turn": session.turn, "to": args.to if moving else None, "state": "open",
        "asked": {"goods": goods, "trucks": args.trucks, "medical_teams": args.medical_teams,
                  "shelter_places": args.shelter_places},
        "allocated": _empty(), "delivered": _empty(), "filled_turn": None}
    state.aid_requests[args.id]["state"] = "sent"
    session.ids[args.id] = "aid_request"
    session.emit("aid_requested", {"request": args.id, "county": county, "to": args.to if moving else None,
                                   "goods": goods, "trucks": args.trucks, "medical_teams": args.medical_teams,
                                   "shelter_places": args.shelter_places})
    # The request is a message from the county's EOC to central: central can allocate once it has it
    # (at once without a communications model; a cut EOC-central link holds it).
    session.send(f"eoc:{county}", "central", REQUEST, {"request": args.id})


REQUEST = "aid_request"


def request_received(session: Any, msg: dict[str, Any]) -> None:
    """Central has the county's request: it is open for allocation from now on."""
    state = _state(session)
    ident = msg["payload"]["request"]
    request = state.aid_requests.get(ident)
    if request is None or request["state"] != "sent":
        return
    request["state"] = "open"
    session.emit("aid_request_received", {"request": ident, "county": request["county"],
                                          "delay_turns": session.turn - msg["sent_turn"]})


def _outstanding(request: dict[str, Any], key: str, good: str | None = None) -> float:
    if good is not None:
        return request["asked"]["goods"].get(good, 0.0) - request["allocated"]["goods"].get(good, 0.0)
    return request["asked"][key] - request["allocated"][key]


def lender_days(state: Any, county: str) -> dict[str, float | None]:
    """The lender's own days of supply of every good (what central sees before lending)."""
    return supply.days_of_supply(state, county)


def _allocate(session: Any, command: Command, args: AllocateAid) -> None:
    state = _state(session)
    request = state.aid_requests.get(args.request)
    if request is None:
        raise Rejected("unknown_aid_request", "dist.reject.unknown_aid_request", request=args.request)
    if request["state"] == "filled":
        raise Rejected("aid_request_filled", "dist.reject.aid_request_filled", request=args.request)
    if request["state"] == "sent":
        raise Rejected("aid_request_not_received", "dist.reject.aid_request_not_received", request=args.request)
    borrower = request["county"]
    if args.lender not in state.county_townships:
        raise Rejected("unknown_county", "dist.reject.aid_unknown_county", county=args.lender)
    if args.lender == borrower:
        raise Rejected("aid_self", "dist.reject.aid_self", county=args.lender)
    if not args.goods and not any(getattr(args, name) for name in COUNTED):
        raise Rejected("aid_empty", "dist.reject.aid_empty")
    for good, qty in sorted(args.goods.items()):
        left = _outstanding(request, "goods", good)
        if qty > left + 1e-9:
            raise Rejected("aid_too_much", "dist.reject.aid_too_much", item=good, want=qty, left=round(max(left, 0.0), 3))
    for name in COUNTED:
        want, left = getattr(args, name), _outstanding(request, name)
        if want > left:
            raise Rejected("aid_too_much", "dist.reject.aid_too_much", item=name, want=want, left=left)
    pool = state.params.aid.pool(args.lender)
    lent = state.aid_lent.get(args.lender, {})
    for name in ("medical_teams", "shelter_places"):
        free = getattr(pool, name) - lent.get(name, 0)
        if getattr(args, name) > free:
            raise Rejected("aid_pool", "dist.reject.aid_pool", county=args.lender, item=name, want=getattr(args, name), have=free)
    moving = bool(args.goods) or args.trucks > 0 or args.medical_teams > 0
    before = lender_days(state, args.lender)
    after = dict(before)
    found: tuple[int, list[list[Any]]] | None = None
    total = 0
    if moving:
        origin = args.from_
        if origin is None or origin not in state.warehouses or state.warehouse_place[origin][0] != args.lender:
            raise Rejected("unknown_place", "dist.reject.aid_origin", place=origin or "-", county=args.lender)
        source = state.warehouses[origin]
        population = sum(state.townships[t].population for t in state.county_townships[args.lender])
        floor = state.params.aid.lender_floor_days
        for good, qty in sorted(args.goods.items()):
            have = source.get(good, 0.0)
            if qty > have + 1e-9:
                raise Rejected("stock", "dist.reject.stock", place=origin, good=good, want=qty, have=round(have, 3))
            need = state.goods[good].per_person_per_day * population
            if need > 0:
                after[good] = round((supply.county_stock(state, args.lender, good) - qty) / need, 2)
                if after[good] < floor:
                    raise Rejected("aid_lender_floor", "dist.reject.aid_lender_floor", county=args.lender, good=good,
                                   days=after[good], floor=floor)
        carriers = args.vehicles + args.trucks
        fleet = state.fleet[args.lender]
        if carriers < 1:
            raise Rejected("vehicles", "dist.reject.vehicles", want=1, have=fleet["available"])
        if carriers > fleet["available"]:
            raise Rejected("vehicles", "dist.reject.vehicles", want=carriers, have=fleet["available"])
        load = sums.total(qty * state.params.good_rules(good).weight_kg for good, qty in sorted(args.goods.items()))
        capacity = carriers * fleet["capacity_kg"]
        if load > capacity + 1e-9:
            raise Rejected("vehicle_capacity", "dist.reject.capacity", load=round(load, 1), capacity=round(capacity, 1),
                           vehicles=carriers)
        start, dest_town = state.warehouse_place[origin][1], state.warehouse_place[request["to"]][1]
        found = roads.route(state, start, dest_town)
        if found is None:
            raise Rejected("no_route", "dist.reject.no_route", origin=origin, dest=request["to"])
    # ----- everything checked: apply -----
    goods = {g: float(q) for g, q in sorted(args.goods.items())}
    allocated = request["allocated"]
    for good, qty in goods.items():
        allocated["goods"][good] = allocated["goods"].get(good, 0.0) + qty
    for name in COUNTED:
        allocated[name] += getattr(args, name)
    used = state.aid_lent.setdefault(args.lender, {"medical_teams": 0, "shelter_places": 0})
    used["medical_teams"] += args.medical_teams
    used["shelter_places"] += args.shelter_places
    convoy_id = None
    eta = session.turn
    route: list[str] = []
    if moving and found is not None and args.from_ is not None:
        source = state.warehouses[args.from_]
        for good, qty in goods.items():
            source[good] = source.get(good, 0.0) - qty
        carriers = args.vehicles + args.trucks
        state.fleet[args.lender]["available"] -= carriers
        minutes, legs = found
        loading = state.params.params.loading_minutes
        start = state.warehouse_place[args.from_][1]
        convoy = Convoy(id=args.id, county=args.lender, origin=args.from_, dest=request["to"], goods=goods,
                        vehicles=carriers, depart_turn=session.turn, node=start, legs=[["", start, loading]] + legs,
                        aid=args.request, aid_to=borrower, lent=args.trucks, teams=args.medical_teams)
        state.convoys[args.id] = convoy
        convoy_id = args.id
        total = loading + minutes
        eta = session.turn + max(0, math.ceil(total / session.clock.minutes_per_turn) - 1)
        route = [leg[0] for leg in legs if leg[0]]
    session.ids[args.id] = "aid_allocation"
    state.aid_allocations[args.id] = {"request": args.request, "lender": args.lender, "county": borrower,
                                      "from": args.from_, "goods": goods, "vehicles": args.vehicles,
                                      "trucks": args.trucks, "medical_teams": args.medical_teams,
                                      "shelter_places": args.shelter_places, "turn": session.turn, "convoy": convoy_id}
    session.emit("aid_allocated", {
        "allocation": args.id, "request": args.request, "county": borrower, "lender": args.lender, "from": args.from_,
        "goods": goods, "vehicles": args.vehicles, "trucks": args.trucks, "medical_teams": args.medical_teams,
        "shelter_places": args.shelter_places, "convoy": convoy_id, "route": route, "eta_turn": eta if convoy_id else None,
        "lender_days_before": {g: before.get(g) for g in goods}, "lender_days_after": {g: after.get(g) for g in goods}})
    if convoy_id is not None:
        session.emit("convoy_dispatched", {
            "convoy": convoy_id, "from": args.from_, "to": request["to"], "goods": goods,
            "vehicles": args.vehicles + args.trucks, "requisitioned_vehicles": 0,
            "load_kg": round(sums.total(q * state.params.good_rules(g).weight_kg for g, q in goods.items()), 3),
            "minutes": total, "route": route, "eta_turn": eta})
    if args.shelter_places:
        # Places are granted at once: the evacuees travel to them, not the places (an assumption).
        _deliver(session, state, args.id, args.request, {"shelter_places": args.shelter_places})


def delivered(session: Any, state: Any, convoy: Convoy) -> None:
    """An aid convoy arrived (``convoys._arrive`` unloaded its goods): lent trucks join the borrower."""
    if convoy.lent:
        fleet = state.fleet[convoy.holder]
        fleet["available"] += convoy.lent
        fleet["borrowed"] = fleet.get("borrowed", 0) + convoy.lent
    _deliver(session, state, convoy.id, convoy.aid or "",
             {"goods": dict(convoy.goods), "trucks": convoy.lent, "medical_teams": convoy.teams})


def _deliver(session: Any, state: Any, allocation: str, ident: str, what: dict[str, Any]) -> None:
    request = state.aid_requests[ident]
    got = request["delivered"]
    goods = {g: float(q) for g, q in sorted((what.get("goods") or {}).items())}
    for good, qty in goods.items():
        got["goods"][good] = got["goods"].get(good, 0.0) + qty
    for name in COUNTED:
        got[name] += what.get(name, 0)
    session.emit("aid_delivered", {"allocation": allocation, "request": ident, "county": request["county"],
                                   "lender": state.aid_allocations[allocation]["lender"], "goods": goods,
                                   "trucks": what.get("trucks", 0), "medical_teams": what.get("medical_teams", 0),
                                   "shelter_places": what.get("shelter_places", 0),
                                   "turns": session.turn - request["turn"]})
    if request["state"] != "filled" and share_filled(request) >= 1.0 - 1e-9:
        request["state"] = "filled"
        request["filled_turn"] = session.turn
        session.emit("aid_filled", {"request": ident, "county": request["county"], "turns": session.turn - request["turn"]})


def share_filled(request: dict[str, Any]) -> float:
    """Delivered over asked, each asked item weighing the same (goods one item each)."""
    shares = []
    for good, qty in sorted(request["asked"]["goods"].items()):
        shares.append(min(1.0, request["delivered"]["goods"].get(good, 0.0) / qty))
    for name in COUNTED:
        if request["asked"][name]:
            shares.append(min(1.0, request["delivered"][name] / request["asked"][name]))
    return sums.total(shares) / len(shares) if shares else 1.0


def specs() -> tuple[CommandSpec, ...]:
    return (
        CommandSpec("request_aid", ("commander",), RequestAid, _request, states=PLAY_STATES, creates=True),
        CommandSpec("allocate_aid", ("central",), AllocateAid, _allocate, states=PLAY_STATES, creates=True),
    )
