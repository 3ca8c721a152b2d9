"""Distribution commands (the issue's contract) and their handlers.

Every handler checks everything first (raising :class:`Rejected` with a precise
rule) and only then emits and mutates.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, Union

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr

from tabletop.core.commands import PLAY_STATES, Args, Command, CommandSpec, Rejected
from tabletop.core.messages import ref
from tabletop.distribution import aid, batches, convoys, demand, lifecycle, roads, rules
from tabletop.distribution.lifecycle import SUSPEND_REASONS
from tabletop.distribution.state import Convoy, Station
from tabletop.scenario.model import Count, Id, Positive
from tabletop.core import sums

Number = Annotated[Union[StrictInt, StrictFloat], Field(allow_inf_nan=False)]
Quantity = Annotated[Union[StrictInt, StrictFloat], Field(gt=0, le=1e12, allow_inf_nan=False)]
Reason = Annotated[StrictStr, Field(pattern="^(" + "|".join(SUSPEND_REASONS) + ")$")]


class SetRation(Args):
    #: A good of the scenario's `goods` catalogue; its shortage period must be declared first.
    good: Id
    #: The ration per person a day, in the good's unit.
    per_person_per_day: Number
    #: Purchases a person may make a month (at most the good's `max_purchases_per_month`).
    purchases_per_month: StrictInt
    #: Include non-registered and foreign residents (`params.specific_persons_share`).
    specific_persons: StrictBool = False


class OpenStation(Args):
    #: A new id for the station.
    id: Id
    #: A township of your county.
    township: Id
    #: The site id; it may not be a shelter or a reserved site (rule `R.siting`).
    site: Id
    #: A station type of `distribution.station_types` (default `type_I`, `type_II`, `type_III`).
    type: Id
    #: Staff sent; fewer than the type needs slows set-up.
    staff: Count
    #: The station's name (站名) as screens show it; default: the site's `name` in `distribution.sites`, else its township and number (吉安鄉第2配售站).
    name: Annotated[StrictStr, Field(min_length=1, max_length=64)] | None = None


class StaffStation(Args):
    #: A station of your county.
    station: Id
    #: The station's new staff count.
    staff: Count


class Dispatch(Args):
    model_config = Args.model_config | {"populate_by_name": True}

    #: A new id for the convoy.
    id: Id
    #: A warehouse or station of your county.
    from_: Id = Field(alias="from")
    #: A warehouse or station of your county.
    to: Id
    #: A mapping good → quantity in the good's unit, e.g. `{rice: 6000, water: 7500}`.
    goods: Annotated[dict[Id, Quantity], Field(min_length=1, max_length=100)]
    #: Trucks of the county's fleet; their capacity must carry the load.
    vehicles: Positive


class SuspendStation(Args):
    #: A station of your county.
    station: Id
    #: Why it suspends.
    reason: Reason


class StationArg(Args):
    #: A station of your county.
    station: Id


class DeclareShortage(Args):
    #: Goods of the catalogue whose shortage period begins (rationing may start).
    goods: Annotated[list[Id], Field(min_length=1, max_length=100)]


def _state(session: Any) -> Any:
    return session.domain("distribution")


def _good(state: Any, good: str) -> None:
    if good not in state.goods:
        raise Rejected("unknown_good", "dist.reject.unknown_good", good=good)


def declare_shortage(session: Any, goods: list[str], by: str) -> None:
    """Declare the shortage period for goods (a ``central`` command, or an inject effect)."""
    state = _state(session)
    new = [g for g in dict.fromkeys(goods) if g not in state.shortage]
    for good in new:
        state.shortage[good] = session.turn
    session.emit("shortage_declared", {"goods": new, "by": by})


def _declare_shortage(session: Any, command: Command, args: DeclareShortage) -> None:
    state = _state(session)
    for good in args.goods:
        _good(state, good)
    if all(g in state.shortage for g in args.goods):
        raise Rejected("already_declared", "dist.reject.already_declared", goods=", ".join(args.goods))
    declare_shortage(session, args.goods, command.actor)


def _set_ration(session: Any, command: Command, args: SetRation) -> None:
    state = _state(session)
    _good(state, args.good)
    rules.check_shortage(args.good in state.shortage, args.good)
    rules.check_quota(args.good, float(args.per_person_per_day))
    rules.check_purchases(args.good, args.purchases_per_month, state.params.good_rules(args.good).max_purchases_per_month)
    mpt = session.clock.minutes_per_turn
    turns = demand.window_turns(state.params.params.days_per_month, args.purchases_per_month, mpt)
    county = state.rations.setdefault(command.county, {})
    previous = county.get(args.good)
    county[args.good] = {"quota": float(args.per_person_per_day), "purchases_per_month": args.purchases_per_month,
                         "specific_persons": args.specific_persons, "start_turn": session.turn, "window_turns": turns}
    session.emit("ration_set", {"county": command.county, "good": args.good,
                                "per_person_per_day": float(args.per_person_per_day),
                                "purchases_per_month": args.purchases_per_month,
                                "specific_persons": args.specific_persons, "window_turns": turns,
                                "per_purchase": round(demand.purchase_size(float(args.per_person_per_day), turns, mpt), 6),
                                "previous": previous})


def _station(state: Any, command: Command, ident: str) -> Station:
    station = state.stations.get(ident)
    if station is None or station.county != command.county:
        raise Rejected("unknown_station", "dist.reject.unknown_station", station=ident)
    return station


def _lead_turns(session: Any, state: Any, station: Station) -> int:
    params = state.params
    kind = params.station_type(station.type)
    minutes = params.params.setup_minutes
    for site in params.sites:
        if site.id == station.site and site.township == station.township and site.setup_minutes is not None:
            minutes = site.setup_minutes
    factor = 1.0 if station.staff >= kind.staff else min(params.params.max_setup_factor, kind.staff / max(station.staff, 1))
    # Work started in a turn's orders phase is done by the adjudication of the turn it ends in.
    return max(0, math.ceil(minutes * factor / session.clock.minutes_per_turn) - 1)


def _open_station(session: Any, command: Command, args: OpenStation) -> None:
    state = _state(session)
    kind = _station_type(state, args.type)
    _check_township(state, command, args.township)
    rules.check_site(state.townships[args.township], args.site, _reserved(session, state, args.township),
                     _sites_here(state, args.township))
    _open(session, state, command, args.id, args.township, args.site, args.type, args.staff, kind, args.name)


def _station_type(state: Any, type_id: str) -> Any:
    kind = state.params.station_type(type_id)
    if kind is None:
        known = ", ".join(t.id for t in state.params.station_types)
        raise Rejected("unknown_station_type", "dist.reject.unknown_type", type=type_id, known=known)
    return kind


def _check_township(state: Any, command: Command, township: str) -> None:
    if state.county_of.get(township) != command.county:
        raise Rejected("unknown_township", "dist.reject.unknown_township", township=township, county=command.county)


def _sites_here(state: Any, township: str) -> dict[str, str]:
    return {s.site: s.id for s in state.stations_in(township) if s.state in lifecycle.LIVE}


def _reserved(session: Any, state: Any, township: str) -> dict[str, str]:
    reserved = dict(state.reserved.get(township, {}))
    for site in session.query("crises.shelter_sites", township, default=[]):
        reserved.setdefault(site, "shelter")  # air-raid shelters the crises section lists
    return reserved


class OpenStations(Args):
    """Open many stations in one command: one per village (村里) of each township, or one per
    township; an outlying island's township always gets one (R: one per township on outlying
    islands). Station ids are ``PREFIX-TOWNSHIP-NN`` and their sites ``TOWNSHIP-site-NN``, the
    siting rules applied to each (a site that is a shelter, reserved or taken is skipped for the
    next number). All of them open, or none (any refusal refuses the whole command)."""

    #: Start of the new stations' ids (`PREFIX-TOWNSHIP-NN`); none of them may exist yet.
    prefix: Annotated[StrictStr, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,23}$")]
    #: `village`: one station per village of each township (the township's `villages`, 1 when not given); `township`: one each.
    per: Literal["village", "township"] = "village"
    #: Townships of your county to open stations in; empty: all of them.
    townships: Annotated[list[Id], Field(max_length=5000)] = []
    #: A station type of `distribution.station_types` (default `type_I`, `type_II`, `type_III`).
    type: Id
    #: Staff sent to each station.
    staff: Count


def _open_stations(session: Any, command: Command, args: OpenStations) -> None:
    """Check every station first, then open them all (the command applies completely or not at all)."""
    state = _state(session)
    kind = _station_type(state, args.type)
    towns = list(dict.fromkeys(args.townships)) or list(state.county_townships.get(command.county, []))
    plan: list[tuple[str, str, str]] = []  # (station id, township, site)
    for town in towns:
        _check_township(state, command, town)
        spec = state.townships[town]
        count = 1 if args.per == "township" or spec.outlying else (spec.villages or 1)
        reserved = _reserved(session, state, town)
        taken = _sites_here(state, town)
        number = 0
        for index in range(1, count + 1):
            ident = f"{args.prefix}-{town}-{index:02d}"
            if len(ident) > 64 or len(f"{town}-site-{count + 99:02d}") > 64:
                raise Rejected("schema", "dist.reject.id_too_long", id=ident)
            if ident in session.ids or ident in state.stations:
                raise Rejected("duplicate_id", "reject.duplicate_id", id=ident)
            site = ""
            while True:  # the next site the siting rules allow
                number += 1
                site = f"{town}-site-{number:02d}"
                try:
                    rules.check_site(spec, site, reserved, taken)
                    break
                except Rejected:
                    continue
            taken[site] = ident
            plan.append((ident, town, site))
    if not plan:
        raise Rejected("no_townships", "dist.reject.no_townships", county=command.county)
    for ident, town, site in plan:
        _open(session, state, command, ident, town, site, args.type, args.staff, kind)


def _open(session: Any, state: Any, command: Command, ident: str, township: str, site: str, type_id: str,
          staff: int, kind: Any, name: str | None = None) -> None:
    """Open one checked station: planned, a node for messages, its order sent to the township office.
    Its number in the township (for its derived name) is one more than the stations opened there before."""
    args = OpenStation(id=ident, township=township, site=site, type=type_id, staff=staff)
    station = Station(id=args.id, county=_county(command), township=args.township, site=args.site, type=args.type,
                      staff=args.staff, opened_turn=session.turn, number=len(state.stations_in(township)) + 1,
                      name=name)
    state.add_station(station)
    session.ids[args.id] = "station"
    session.places["station"][args.id] = command.county  # a node for messages (core transport)
    lifecycle.add(state.machine, station)
    session.emit("station_state", {"station": args.id, "from": None, "to": "planned", "reason": "opened",
                                   "township": args.township, "site": args.site, "type": args.type,
                                   "staff": args.staff, "staff_required": kind.staff})
    session.query("comms.join_station", args.id, command.county, args.township)
    # The order takes effect when the township office receives it (communications may delay it).
    session.send(f"eoc:{command.county}", f"township:{args.township}", ORDER, {"station": args.id})


ORDER = "station_order"


def order_received(session: Any, msg: dict[str, Any]) -> None:
    """The township office has the order: set-up starts now if the station has staff."""
    state = _state(session)
    station = state.stations.get(msg["payload"]["station"])
    if station is None or station.order_turn is not None:
        return
    station.order_turn = session.turn
    session.emit("station_order_received", {"station": station.id, "order": "open_station", "township": station.township,
                                            "delay_turns": session.turn - msg["sent_turn"]})
    if station.state == "planned" and station.staff > 0:
        _start_setup(session, state, station)


def _start_setup(session: Any, state: Any, station: Station) -> None:
    station.ready_turn = session.turn + _lead_turns(session, state, station)
    lifecycle.move(session, station, "set_up", "staffed")


# ----- orders to a township office ------------------------------------------------------------
# Every EOC order to a township's station is a message to the township office (communications
# may delay it or hold it while the links are down); it takes effect when received. The command
# is checked when it is given; on receipt the order is checked again against the station as it
# is then, and an order the situation overtook is logged as ``station_order_failed``.
DIRECTIVE = "station_directive"


def _send(session: Any, command: Command, station: Station, order: str, params: dict[str, Any]) -> None:
    state = _state(session)
    counter = session.counters.get(DIRECTIVE, 0) + 1
    session.counters[DIRECTIVE] = counter
    ident = f"{DIRECTIVE}-{counter}"
    # Noted as sent first: without a communications model it is received inside ``send``.
    state.sent[ident] = {"station": station.id, "order": order, "params": params, "turn": session.turn,
                         "county": station.county}
    session.send(f"eoc:{command.county}", f"township:{station.township}", DIRECTIVE,
                 {"station": station.id, "order": order, "params": params}, ident=ident)


def _check_staff(station: Station, kind: str) -> None:
    if station.state in ("closing", "closed"):
        raise Rejected("station_state", "dist.reject.station_state", station=station.id,
                       state=ref("station", station.state), kind=ref("command", kind))


def _check_trigger(session: Any, station: Station, trigger: str, kind: str) -> None:
    if not lifecycle.can(station, trigger):
        raise Rejected("station_state", "dist.reject.station_state", station=station.id,
                       state=ref("station", station.state), kind=ref("command", kind))
    if trigger == "resume":
        rules.check_alert(session, station)


def _staff_station(session: Any, command: Command, args: StaffStation) -> None:
    state = _state(session)
    station = _station(state, command, args.station)
    _check_staff(station, command.kind)
    _send(session, command, station, "staff_station", {"staff": args.staff})


def _apply_staff(session: Any, state: Any, station: Station, staff: int) -> None:
    _check_staff(station, "staff_station")
    station.staff = staff
    session.emit("station_staffed", {"station": station.id, "staff": staff,
                                     "staff_required": state.params.station_type(station.type).staff})
    if station.state == "planned" and staff > 0 and station.order_turn is not None:
        _start_setup(session, state, station)


TRIGGERS = {"suspend_station": "suspend", "resume_station": "resume", "close_station": "close"}


def _transition(trigger: str):
    def handler(session: Any, command: Command, args: Any) -> None:
        state = _state(session)
        station = _station(state, command, args.station)
        _check_trigger(session, station, trigger, command.kind)
        params = {"reason": args.reason} if getattr(args, "reason", None) else {}
        _send(session, command, station, command.kind, params)
    return handler


def _apply_transition(session: Any, state: Any, station: Station, kind: str, params: dict[str, Any]) -> None:
    trigger = TRIGGERS[kind]
    _check_trigger(session, station, trigger, kind)
    reason = params.get("reason") or kind
    if trigger == "close":
        closing = math.ceil(state.params.params.closing_minutes / session.clock.minutes_per_turn)
        station.closed_turn = session.turn + max(0, closing - 1)
    station.resume_turn = None
    lifecycle.move(session, station, trigger, reason)


def directive_received(session: Any, msg: dict[str, Any]) -> None:
    """The township office has an EOC order for one of its stations: it takes effect now."""
    state = _state(session)
    payload = msg["payload"]
    state.sent.pop(msg["id"], None)
    order, params = payload["order"], payload["params"]
    base = {"station": payload["station"], "order": order, "delay_turns": session.turn - msg["sent_turn"]}
    try:
        if order == "dispatch":
            _depart(session, state, params["convoy"])
        else:
            station = state.stations[payload["station"]]
            if order == "staff_station":
                _apply_staff(session, state, station, params["staff"])
            else:
                _apply_transition(session, state, station, order, params)
    except Rejected as why:
        session.emit("station_order_failed", base | {"rule": why.rule, "key": why.key, "params": why.params})
        return
    session.emit("station_order_received", base)


def _depart(session: Any, state: Any, ident: str) -> None:
    """The township office has the dispatch order: the convoy leaves now."""
    convoy = state.convoys[ident]
    if convoy.state == "ordered":
        convoy.state = "moving"
        convoy.depart_turn = session.turn
        if state.adjudicated_turn == session.turn:
            # Received after this turn's convoy moves (communications deliver in the adjudication):
            # the convoy still makes this turn's leg, as one ordered at once would.
            convoys.move_one(session, state, convoy)


def _dispatch(session: Any, command: Command, args: Dispatch) -> None:
    state = _state(session)
    origin, dest = args.from_, args.to
    for place in (origin, dest):
        if state.place_stock(place) is None or state.place_county(place) != command.county:
            raise Rejected("unknown_place", "dist.reject.unknown_place", place=place)
    if origin == dest:
        raise Rejected("same_place", "dist.reject.same_place", place=origin)
    target = state.stations.get(dest)
    if target is not None and target.state in ("closing", "closed"):
        raise Rejected("station_state", "dist.reject.station_state", station=dest, state=ref("station", target.state), kind=ref("command", command.kind))
    source = state.place_stock(origin)
    for good, qty in sorted(args.goods.items()):
        _good(state, good)
        if target is not None:
            rules.check_lpg(good, state.params.good_rules(good).stored_at_station)
        have = source.get(good, 0.0)
        if qty > have + 1e-9:
            raise Rejected("stock", "dist.reject.stock", place=origin, good=good, want=qty, have=round(have, 3))
    fleet = state.fleet[command.county]
    own = min(args.vehicles, fleet["available"])
    extra = _requisitioned_free(session, _county(command), fleet)
    borrowed = extra[: args.vehicles - own]
    if own + len(borrowed) < args.vehicles:
        raise Rejected("vehicles", "dist.reject.vehicles", want=args.vehicles, have=fleet["available"] + len(extra))
    load = convoys.weight(state, dict(args.goods))
    capacity = own * fleet["capacity_kg"] + sums.total(v["capacity_kg"] for v in borrowed)
    if load > capacity + 1e-9:
        raise Rejected("vehicle_capacity", "dist.reject.capacity", load=round(load, 1),
                       capacity=round(capacity, 1), vehicles=args.vehicles)
    found = roads.route(state, state.place_township(origin), state.place_township(dest))
    if found is None:
        raise Rejected("no_route", "dist.reject.no_route", origin=origin, dest=dest)
    minutes, legs = found
    loading = state.params.params.loading_minutes
    goods = {g: float(q) for g, q in sorted(args.goods.items())}
    for good, qty in goods.items():
        source[good] = source.get(good, 0.0) - qty
    fleet["available"] -= own
    fleet["requisitioned_out"] = fleet.get("requisitioned_out", 0) + len(borrowed)
    start = state.place_township(origin)
    convoy = Convoy(id=args.id, county=_county(command), origin=origin, dest=dest, goods=goods, vehicles=args.vehicles,
                    depart_turn=session.turn, node=start, legs=[["", start, loading]] + legs,
                    requisitioned=len(borrowed))
    # A dispatch from or to a township's station is an order to that township office: the convoy
    # is loaded and waits ("ordered") until the office has the order.
    station = state.stations.get(origin) or target
    if station is not None:
        convoy.state = "ordered"
    state.convoys[args.id] = convoy
    session.ids[args.id] = "convoy"
    total = loading + minutes
    session.emit("convoy_dispatched", {
        "convoy": args.id, "from": origin, "to": dest, "goods": goods, "vehicles": args.vehicles,
        "requisitioned_vehicles": len(borrowed), "load_kg": round(load, 3), "minutes": total, "route": [leg[0] for leg in legs if leg[0]],
        "eta_turn": session.turn + max(0, math.ceil(total / session.clock.minutes_per_turn) - 1)})
    if station is not None:
        _send(session, command, station, "dispatch", {"convoy": args.id})


def _county(command: Command) -> str:
    """The county of a county seat's command (the session admits none without one)."""
    if command.county is None:
        raise ValueError(f"{command.kind} is a county seat's command and names no county")
    return command.county


def _requisitioned_free(session: Any, county: str, fleet: dict[str, Any]) -> list[dict[str, Any]]:
    """Requisitioned vehicles (the requisition part) not already out on a convoy, largest first."""
    held = sorted(session.query("requisition.vehicles", county, default=[]), key=lambda v: (-v["capacity_kg"], v["requisition"]))
    units = [v for v in held for _ in range(max(1, int(v.get("quantity") or 1)))]
    return units[fleet.get("requisitioned_out", 0):]


def specs() -> tuple[CommandSpec, ...]:
    return (
        CommandSpec("declare_shortage", ("central",), DeclareShortage, _declare_shortage, states=PLAY_STATES),
        CommandSpec("set_ration", ("supply",), SetRation, _set_ration, states=PLAY_STATES),
        CommandSpec("open_station", ("civil_affairs",), OpenStation, _open_station, states=PLAY_STATES, creates=True),
        CommandSpec("open_stations", ("civil_affairs",), OpenStations, _open_stations, states=PLAY_STATES),
        CommandSpec("staff_station", ("civil_affairs",), StaffStation, _staff_station, states=PLAY_STATES),
        CommandSpec("dispatch", ("supply",), Dispatch, _dispatch, states=PLAY_STATES, creates=True),
        CommandSpec("suspend_station", ("civil_affairs",), SuspendStation, _transition("suspend"), states=PLAY_STATES),
        CommandSpec("resume_station", ("civil_affairs",), StationArg, _transition("resume"), states=PLAY_STATES),
        CommandSpec("close_station", ("civil_affairs",), StationArg, _transition("close"), states=PLAY_STATES),
        CommandSpec("collect_batch", ("supply",), batches.CollectBatch, batches.collect, states=PLAY_STATES, creates=True),
        CommandSpec("pay_batch", ("supply",), batches.PayBatch, batches.pay, states=PLAY_STATES),
    ) + aid.specs()
