"""Crises as a plugin: effects, alerts and their relay, relief and first-aid stations."""

from __future__ import annotations

from tabletop.core.messages import message
from tabletop.scenario.locate import near_param

from itertools import repeat
from typing import Annotated, Any

from pydantic import Field, StrictStr

from tabletop.crises.events import EVENTS
from tabletop.crises.feed import FEED
from tabletop.crises import metrics
from tabletop.core.commands import PLAY_STATES, Args, Command, CommandSpec, Rejected
from tabletop.crises import apply as ap, effects as fx, queries, seat_view
from tabletop.crises.model import CrisesSection
from tabletop.crises.state import STATES, TRANSITIONS, CrisesState, restore
from tabletop.core import sums
from tabletop.core.parts import EffectSpec, Plugin
from tabletop.scenario.model import Id

SITING = "care.siting"  # relief / first-aid stations never share a site with a shelter or distribution station (domain.md §4)
KINDS = {"open_relief_station": ("relief", "relief_station", "relief_types"),
         "open_first_aid_station": ("first_aid", "first_aid_station", "first_aid_types")}


class OpenCare(Args):
    #: A new id for the station.
    id: Id
    #: A township of your county.
    township: Id
    #: Where (free text); not a distribution station's site or a shelter.
    site: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    #: A type of `crises.relief_types` (relief) or `crises.first_aid_types` (first aid).
    type: Id = "standard"
    #: Staff sent; fewer than the type needs treats fewer people.
    staff: Annotated[int, Field(ge=0)]


class StationArg(Args):
    #: A relief or first-aid station of your county.
    station: Id


class RelayArgs(Args):
    #: Townships of your county to relay the alert in force to (a message to each office); empty: every township under an alert.
    area: list[Id] = []


def _state(session: Any) -> CrisesState:
    return session.domain("crises")


def _open(kind_name: str):
    kind, use, types_attr = KINDS[kind_name]

    def handler(session: Any, command: Command, args: OpenCare) -> None:
        state = _state(session)
        county = session.counties[command.county]
        town = next((t for t in county.townships if t.id == args.township), None)
        if town is None:
            raise Rejected("unknown_township", "crises.reject.unknown_township", township=args.township)
        ctype = next((t for t in getattr(state.section, types_attr) if t.id == args.type), None)
        if ctype is None:
            raise Rejected("unknown_station_type", "crises.reject.unknown_type", type=args.type)
        if args.site in town.shelters or args.site in queries.shelter_sites(session, args.township):
            raise Rejected(SITING, "crises.reject.site_shelter", site=args.site)
        taken = session.query("distribution.site_taken", args.township, args.site)
        if taken is not None:
            raise Rejected(SITING, "crises.reject.site_distribution", site=args.site, station=taken)
        for sid, data in sorted(state["stations"].items()):
            if data["township"] == args.township and data["site"] == args.site and data["state"] != "closed":
                raise Rejected("site_in_use", "crises.reject.site_in_use", site=args.site, station=sid)
        session.ids[args.id] = kind_name
        ready = session.turn + ctype.setup_turns
        # Its number among the township's stations of its kind names it (吉安鄉第1救濟站).
        number = 1 + sum(1 for data in state["stations"].values() if data["township"] == args.township and data["kind"] == kind)
        state.add_station(args.id, {"kind": kind, "county": command.county, "township": args.township,
                                    "site": args.site, "type": args.type, "staff": args.staff,
                                    "needed": ctype.staff, "per_turn": ctype.per_turn, "ready_turn": ready,
                                    "state": "planned", "served": 0, "number": number})
        session.query("distribution.reserve_site", args.township, args.site, use)
        session.places["station"][args.id] = command.county
        session.query("comms.join_station", args.id, command.county, args.township)
        session.emit("care_station_opened", {"station": args.id, "kind": kind, "township": args.township,
                                             "site": args.site, "staff": args.staff, "ready_turn": ready})
        ap.move(session, args.id, "begin_setup", "ordered")

    return handler


def _close(session: Any, command: Command, args: StationArg) -> None:
    state = _state(session)
    data = state["stations"].get(args.station)
    if data is None or data["county"] != command.county:
        raise Rejected("unknown_station", "crises.reject.unknown_station", station=args.station)
    if data["state"] in ("closing", "closed"):
        raise Rejected("station_state", "crises.reject.station_state", station=args.station, state=data["state"])
    ap.move(session, args.station, "close", "ordered")


def _relay(session: Any, command: Command, args: RelayArgs) -> None:
    """The EOC relays the alert to township offices (a message each: it can be delayed or lost)."""
    state = _state(session)
    towns = [t.id for t in session.counties[command.county].townships if not args.area or t.id in args.area]
    active = [t for t in towns if t in state["alerts"]]
    if not active:
        raise Rejected("no_alert", "crises.reject.no_alert")
    for town in active:
        session.send(f"eoc:{command.county}", f"township:{town}", "alert_relay",
                     {"township": town, "issued": state["alerts"][town]["issued"]})


def _on_relay(session: Any, msg: dict[str, Any]) -> None:
    state = _state(session)
    town = msg["payload"]["township"]
    if town in state["relayed"]:
        return
    state["relayed"][town] = session.turn
    session.emit("alert_relayed", {"township": town, "delay_turns": session.turn - msg["payload"]["issued"],
                                   "channel": msg.get("channel_used")})


def _adjudicate(session: Any) -> None:
    """Stations get ready, treat casualties and register displaced people; the untreated suffer."""
    state = _state(session)
    for ident in sorted(state["stations"]):
        data = state["stations"][ident]
        if data["state"] == "setting_up" and session.turn >= data["ready_turn"]:
            ap.move(session, ident, "ready", "ready")
        elif data["state"] == "closing":
            ap.move(session, ident, "closed", "closed")
        elif data["state"] == "suspended" and data["township"] not in state["alerts"]:
            ap.move(session, ident, "resume", "resumed")
    for key, kind, event in (("casualties", "first_aid", "casualties_treated"), ("displaced", "relief", "displaced_registered")):
        for town in sorted(state[key]):
            waiting = state[key][town]
            capacity = sums.total(min(1.0, d["staff"] / d["needed"]) * d["per_turn"]
                           for _, d in sorted(state["stations"].items())
                           if d["kind"] == kind and d["township"] == town and d["state"] == "open")
            handled = min(waiting, int(capacity))
            if handled:
                state[key][town] = waiting - handled
                session.emit(event, {"township": town, "people": handled, "waiting": waiting - handled})
    for town in sorted(state["casualties"]):
        waiting = state["casualties"][town]
        died = int(waiting * state.section.untreated_death_share)
        if died:
            state["casualties"][town] = waiting - died
            state["deaths"] += died
            session.emit("casualties_died", {"township": town, "people": died, "waiting": waiting - died})
    for key in ("casualties", "displaced"):
        state.data[key] = {t: n for t, n in state[key].items() if n > 0}


def _facts(session: Any, node: str) -> dict[str, Any]:
    state = _state(session)
    kind, _, name = node.partition(":")
    if kind == "township":
        return {"alert": name in state["alerts"], "casualties_waiting": state["casualties"].get(name, 0),
                "displaced_waiting": state["displaced"].get(name, 0), "sheltered": state["sheltered"].get(name)}
    if kind == "station" and name in state["stations"]:
        return {"station_state": state["stations"][name]["state"]}
    return {}


def _facts_many(session: Any, nodes: list[str]) -> dict[str, dict[str, Any]]:
    """:func:`_facts` of each node (a township's stations: most of them the distribution's, of
    which this part knows nothing, so nothing is asked of them while it has no care station)."""
    if not all(map(str.startswith, nodes, repeat("station:"))):
        return {node: _facts(session, node) for node in nodes}
    out: dict[str, dict[str, Any]] = {node: {} for node in nodes}
    stations = _state(session)["stations"]
    if stations:
        for node in nodes:
            found = stations.get(node[8:])
            if found is not None:
                out[node] = {"station_state": found["state"]}
    return out


def _check(scenario: Any) -> list[tuple]:
    section: CrisesSection = scenario.crises
    towns = {t.id for c in scenario.counties for t in c.townships}
    return [(("crises", "shelters", i, "township"), message("check.unknown_township", township=s.township,
                                                            near=near_param(s.township, sorted(towns))))
            for i, s in enumerate(section.shelters) if s.township not in towns]


def _diagram() -> str:
    from tabletop.diagrams import draw_flat

    return draw_flat(STATES, TRANSITIONS, "planned")


def _effect(args: type, fn: Any, doc: str, places: tuple[str, ...] = ()) -> EffectSpec:
    return EffectSpec(args, fn, places=places, doc=doc)


EFFECTS = {
    "air_raid_alert": _effect(fx.AlertArgs, ap.air_raid_alert, "ADX art 9 emergency alert (`alert_issued`): open distribution stations in the area suspend (reason air_raid); "
           "`shelter_share` (0.3) of the population goes to public shelters and `shelter_occupancy` records over-capacity "
           "(capacity = area_m2 / 0.75 m²); all clear when the duration ends. The EOC must `relay_alert` to the township "
           "offices (a message each; `alert_relayed` with the delay).", ("area",)),
    "all_clear": _effect(fx.AllClearArgs, ap.all_clear, "All clear (解除警報): ends the alerts in the area before their duration ends.", ("area",)),
    "strike": _effect(fx.StrikeArgs, ap.strike, "A strike. warehouse: `goods_lost` of the severity share; road or bridge: `road_closed`; base_station: "
           "`base_station_down`; power_substation: `power_outage`; station: suspended (unsafe site) and its stock lost; "
           "casualties: `mass_casualty` in the first township of `area`, else the struck warehouse's or station's township, "
           "else the county's first.", ("id", "area")),
    "panic_buying": _effect(fx.PanicBuyingArgs, ap.panic_buying, "Panic buying: demand rises (the panic multiplier) until an official `announce` counters it (distribution `panic`).", ("townships",)),
    "disinformation": _effect(fx.DisinformationArgs, ap.disinformation, "Disinformation: logs the `rumour`; demand rises in the audience until an announcement counters it (distribution `panic`).", ("audience",)),
    "mass_casualty": _effect(fx.CasualtyArgs, ap.mass_casualty, "Casualties wait for first aid: first-aid stations treat `per_turn` × staffing a turn; 2 % of those waiting die "
           "each turn (assumption).", ("township",)),
    "displacement": _effect(fx.DisplacementArgs, ap.displacement, "Displaced people wait for a relief station.", ("township",)),
    "blockade": _effect(fx.BlockadeArgs, ap.blockade, "Records the cut share of imports per good (`blockade` event)."),
    "typhoon": _effect(fx.DisasterArgs, ap.typhoon, "Power outage, road closures, severity × 1 % displaced.", ("area", "roads")),
    "earthquake": _effect(fx.DisasterArgs, ap.earthquake, "Power and base stations down, roads closed, severity × 0.1 % casualties and 2 % displaced.", ("area", "roads")),
    "volunteer_no_show": _effect(fx.NoShowArgs, ap.volunteer_no_show, "A share of the station's staff does not come (`volunteers_missing`).", ("station",)),
    "vehicle_breakdown": _effect(fx.BreakdownArgs, ap.vehicle_breakdown, "A requisitioned vehicle breaks down (report it: art 33).", ("resource",)),
}

PLUGIN = Plugin(
    name="crises",
    events=EVENTS,
    feed=FEED,
    metrics=metrics.METRICS,
    commands=(
        CommandSpec("open_relief_station", ("social_affairs",), OpenCare, _open("open_relief_station"), states=PLAY_STATES, creates=True),
        CommandSpec("open_first_aid_station", ("health",), OpenCare, _open("open_first_aid_station"), states=PLAY_STATES, creates=True),
        CommandSpec("close_care_station", ("social_affairs", "health"), StationArg, _close, states=PLAY_STATES),
        CommandSpec("relay_alert", ("commander", "civil_affairs"), RelayArgs, _relay, states=PLAY_STATES),
    ),
    scenario_sections={"crises": CrisesSection},
    init_state=CrisesState,
    restore=restore,
    hooks={"adjudication": _adjudicate},
    check_scenario=_check,
    effects=EFFECTS,
    timers={"all_clear": ap.end_alert},
    receivers={"alert_relay": _on_relay},
    listeners={"effect_applied": ap.on_effect},
    facts=_facts,
    fact_nodes=("township", "station"),
    facts_many=_facts_many,
    diagrams={"care_station": _diagram},
    pictures=seat_view.PICTURES,
    panels=seat_view.PANELS,
    choices=seat_view.CHOICES,
    queries=queries.QUERIES,
)
