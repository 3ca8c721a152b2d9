"""Inject effects and trigger conditions that distribution provides.

Effects are how the MSEL pushes against the players: a declared shortage, panic
buying or disinformation, closed roads, destroyed stock, allocations from the
centre, and stations forced shut by air-raid alerts or power cuts.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field, StrictFloat, StrictInt, StrictStr

from tabletop.distribution import demand, lifecycle, supply
from tabletop.distribution.commands import declare_shortage
from tabletop.core.parts import ConditionSpec, EffectSpec
from tabletop.scenario.model import Id, Positive, Strict

Share = Annotated[Union[StrictInt, StrictFloat], Field(ge=0, le=1, allow_inf_nan=False)]
Quantity = Annotated[Union[StrictInt, StrictFloat], Field(gt=0, le=1e12, allow_inf_nan=False)]


class ShortageArgs(Strict):
    goods: Annotated[list[Id], Field(min_length=1)]


class PanicArgs(Strict):
    county: Id
    townships: list[Id] = Field(default=[], description="Empty: the whole county.")
    add: Annotated[Union[StrictInt, StrictFloat], Field(gt=0, le=10, allow_inf_nan=False)] = 0.5


class RoadArgs(Strict):
    road: Id


class LossArgs(Strict):
    place: Id
    share: Share
    goods: list[Id] = Field(default=[], description="Empty: every good held there.")
    cause: StrictStr = "strike"


class InflowArgs(Strict):
    place: Id
    goods: Annotated[dict[Id, Quantity], Field(min_length=1)]
    source: StrictStr = "central_allocation"


class SuspendArgs(Strict):
    county: Id
    townships: list[Id] = Field(default=[], description="Empty: the whole county.")
    reason: Literal["air_raid", "power_outage", "unsafe_site"]
    turns: Positive = 1


class DaysBelow(Strict):
    county: Id
    good: Id
    days: Annotated[Union[StrictInt, StrictFloat], Field(ge=0, allow_inf_nan=False)]


def _towns(session: Any, county: str, townships: list[str]) -> list[str]:
    state = session.domain("distribution")
    towns = state.county_townships.get(county, [])
    return sorted(t for t in townships if t in towns) if townships else list(towns)


def _panic(session: Any, args: PanicArgs, inject: str) -> None:
    demand.raise_panic(session, session.domain("distribution"), _towns(session, args.county, args.townships),
                       float(args.add), inject)


def _road(closed: bool):
    def apply(session: Any, args: RoadArgs, inject: str) -> None:
        set_road(session, args.road, closed, inject)
    return apply


def set_road(session: Any, road: str, closed: bool, cause: str) -> None:
    """Close or reopen a road link (an inject today; a crisis or repair crew later)."""
    state = session.domain("distribution")
    if closed:
        state.closed_roads[road] = True
    else:
        state.closed_roads.pop(road, None)
    state.closed_roads = dict(sorted(state.closed_roads.items()))
    state.roads_changed()
    session.emit("road_state", {"road": road, "closed": closed, "cause": cause})


def _suspend(session: Any, args: SuspendArgs, inject: str) -> None:
    state = session.domain("distribution")
    towns = set(_towns(session, args.county, args.townships))
    for sid in sorted(state.stations):
        station = state.stations[sid]
        if station.township in towns and lifecycle.can(station, "suspend"):
            lifecycle.move(session, station, "suspend", args.reason)
            station.resume_turn = session.turn + args.turns


def _days_below(session: Any, args: DaysBelow) -> bool:
    state = session.domain("distribution")
    if args.county not in state.county_townships:
        return False
    days = supply.days_of_supply(state, args.county).get(args.good)
    return days is not None and days < args.days


EFFECTS = {
    "shortage_declared": EffectSpec(ShortageArgs, lambda s, a, i: declare_shortage(s, list(a.goods), i),
                                    doc="The central Guidance Board declares the shortage period for these goods: rationing may begin."),
    "panic": EffectSpec(PanicArgs, _panic, places=("townships",),
                        doc="The raw panic building block: demand rises (the panic multiplier) in townships."),
    "road_closed": EffectSpec(RoadArgs, _road(True), places=("road",), doc="A road link closes; convoys reroute or are blocked."),
    "road_opened": EffectSpec(RoadArgs, _road(False), places=("road",), doc="A road link reopens."),
    "goods_lost": EffectSpec(LossArgs, lambda s, a, i: supply.loss(s, a.place, float(a.share), list(a.goods), a.cause),
                             places=("place",), doc="A share of the stock at a warehouse or station is destroyed (with inflows, the only ways goods change)."),
    "goods_inflow": EffectSpec(InflowArgs, lambda s, a, i: supply.inflow(s, a.place, {g: float(q) for g, q in a.goods.items()}, a.source),
                               places=("place",), doc="Goods arrive (imports, central allocations)."),
    "stations_suspended": EffectSpec(SuspendArgs, _suspend, places=("townships",),
                                     doc="Open stations in the townships suspend for some turns (air raid, power cut, unsafe site)."),
}

CONDITIONS = {
    "days_of_supply_below": ConditionSpec(DaysBelow, _days_below, doc="A county's days of supply of a good is below a level."),
}
