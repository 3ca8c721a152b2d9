"""The communications part as a plugin: commands, effects, phase hooks, reports."""

from __future__ import annotations

from tabletop.core.messages import message
from tabletop.scenario.locate import near_param

from typing import Annotated, Any

from pydantic import Field, StrictStr, model_validator

from tabletop.comms import queries, seat_view, transport as tx
from tabletop.comms.events import EVENTS
from tabletop.comms.feed import FEED
from tabletop.comms import metrics
from tabletop.comms.model import CommsSection
from tabletop.comms.network import channel_works, link_id
from tabletop.comms.picture import facts_of, facts_of_all
from tabletop.comms.state import CommsState, restore
from tabletop.core import transport as core_transport
from tabletop.core.commands import ANY_COUNTY_ROLE, PLAY_STATES, Args, Command, CommandSpec, Rejected
from tabletop.core.parts import EffectSpec, Plugin
from tabletop.scenario.model import Id, Positive

Area = list[Id] | None


# ----- commands -------------------------------------------------------------------------
class SetChannelArgs(Args):
    #: A field node or place (its link to your EOC), or `A|B` naming both ends.
    link: Annotated[StrictStr, Field(min_length=1)]
    #: The channel the link uses first from now on.
    channel: Id


class RepairArgs(Args):
    #: A new id for the repair request.
    id: Id
    #: A link (`A|B`) to repair; give `link` or `node`.
    link: StrictStr | None = None
    #: A node whose channels to repair (`hualien_city`); give `link` or `node`.
    node: StrictStr | None = None
    #: Who repairs (free text).
    crew: Annotated[StrictStr, Field(min_length=1)]

    @model_validator(mode="after")
    def _one_target(self) -> "RepairArgs":
        if (self.link is None) == (self.node is None):
            raise ValueError("give exactly one of link or node")
        return self


class ReportArgs(Args):
    #: The township office, warehouse or station asked to report now.
    from_: Annotated[StrictStr, Field(alias="from", min_length=1)]


def _link(session: Any, command: Command, text: str) -> str:
    state = session.domain("comms")
    parts = text.split("|")
    if len(parts) == 1:  # a field node or place: its link to the issuer's EOC
        node = core_transport.resolve(session, text)
        parts = [session.node_of(command), node or text]
    nodes = [core_transport.resolve(session, p) or p for p in parts]
    link = link_id(*nodes) if len(nodes) == 2 else text
    if link not in state.links:
        raise Rejected("link", "reject.comms.unknown_link", link=text)
    return link


def _set_channel(session: Any, command: Command, args: SetChannelArgs) -> None:
    link = _link(session, command, args.link)
    state = session.domain("comms")
    if args.channel not in state.links[link]:
        raise Rejected("link", "reject.comms.no_such_channel", link=link, channel=args.channel,
                       channels=", ".join(state.links[link]))
    state["pinned"][link] = args.channel
    session.emit("channel_selected", {"link": link, "channel": args.channel, "by": command.actor})


def _request_repair(session: Any, command: Command, args: RepairArgs) -> None:
    state = session.domain("comms")
    if args.link is not None:
        target = {"link": _link(session, command, args.link)}
    else:
        node = core_transport.resolve(session, args.node or "")
        if node is None:
            raise Rejected("link", "reject.comms.unknown_link", link=args.node)
        target = {"node": node}
    session.ids[args.id] = "repair"
    done = session.turn + state.section.repair_turns
    state["repairs"][args.id] = target | {"crew": args.crew, "done": done}
    session.emit("repair_started", {"id": args.id, **target, "crew": args.crew, "done_turn": done})
    session.schedule(done, "comms_repair", {"id": args.id})


def _request_report(session: Any, command: Command, args: ReportArgs) -> None:
    node = core_transport.resolve(session, args.from_)
    if node is None or node.split(":")[0] not in ("township", "warehouse", "station"):
        raise Rejected("destination", "reject.unknown_destination", to=args.from_)
    session.send(session.node_of(command), node, "report_request", {"by": command.actor})


# ----- receivers, reports and repairs ----------------------------------------------------
def _eoc_of(session: Any, node: str) -> str:
    kind, _, name = node.partition(":")
    county = session.places.get(kind, {}).get(name)
    return f"eoc:{county}"


def send_report(session: Any, node: str, reason: str, stations: list[str] | None = None) -> None:
    """A field unit reports its facts to its EOC (on schedule, on request, on events). A
    township's scheduled report carries its stations' facts too (``stations``: their nodes), and
    every report the other parts' sections for the node (``sections``: part -> section; the
    distribution part's station report, log format 6)."""
    payload: dict[str, Any] = {"node": node, "facts": facts_of(session, node), "as_of": session.turn,
                               "reason": reason}
    if stations:
        payload["stations"] = facts_of_all(session, stations)
    sections = _sections(session, node)
    if sections:
        payload["sections"] = sections
    session.send(node, _eoc_of(session, node), "report", payload)


def _sections(session: Any, node: str) -> dict[str, Any]:
    """What the other parts add to ``node``'s report (``Plugin.report_section``): part -> section."""
    kind = node.partition(":")[0]
    out: dict[str, Any] = {}
    for name, section in session.parts.report_sections.items():
        if kind in section.nodes:
            made = section.make(session, node)
            if made is not None:
                out[name] = made
    return out


def _on_report(session: Any, msg: dict[str, Any]) -> None:
    payload = msg["payload"]
    county = msg["to"].partition(":")[2]
    known = session.domain("comms")["known"].setdefault(county, {})
    as_of, now = payload["as_of"], session.turn
    known[payload["node"]] = {"facts": payload["facts"], "as_of": as_of, "received": now}
    data = {"county": county, "from": payload["node"], "facts": payload["facts"], "as_of": as_of}
    stations = payload.get("stations")
    if stations:
        for station, facts in stations.items():
            known[station] = {"facts": facts, "as_of": as_of, "received": now}
        data["stations"] = stations
    for name, section in (payload.get("sections") or {}).items():
        spec = session.parts.report_sections.get(name)
        if spec is not None:
            spec.read(session, county, payload["node"], section)
    session.emit("report_received", data)


def _on_report_request(session: Any, msg: dict[str, Any]) -> None:
    send_report(session, msg["to"], "request")


def _repair_done(session: Any, data: dict[str, Any]) -> None:
    state = session.domain("comms")
    repair = state["repairs"].pop(data["id"])
    cleared = []
    for failure in state["failures"]:
        if failure["kind"] != "failure" or (failure["until"] is not None and failure["until"] < session.turn):
            continue
        if "link" in repair and failure["link"] == repair["link"]:
            failure["until"] = session.turn - 1
            cleared.append(failure["id"])
        elif "node" in repair and failure["area"] is not None:
            area = repair["node"].partition(":")[2]
            if area in failure["area"]:
                failure["until"] = session.turn - 1
                cleared.append(failure["id"])
    if "node" in repair:
        state["base_down"].pop(repair["node"].partition(":")[2], None)
    session.emit("repair_done", {"id": data["id"], "cleared": cleared})
    refresh_channels(session)


# ----- effects ---------------------------------------------------------------------------
class FailureArgs(Args):
    link: StrictStr | None = None
    area: Area = None
    channel: Id | None = None
    duration: Positive | None = None
    cause: Id = "comms_failure"


class JammingArgs(Args):
    area: Area = None
    channel: Id = "radio"
    degradation: Annotated[float, Field(gt=0, le=1)] = 0.5
    duration: Positive | None = None


class OutageArgs(Args):
    area: list[Id]
    duration: Positive | None = None


def _until(session: Any, duration: int | None) -> int | None:
    return None if duration is None else session.turn + duration - 1


def _add_failure(session: Any, inject: str, **failure: Any) -> None:
    state = session.domain("comms")
    failure["id"] = f"{inject}-{len(state['failures']) + 1}"
    state["failures"].append(failure)
    refresh_channels(session)


def _comms_failure(session: Any, args: FailureArgs, inject: str) -> None:
    link = None
    if args.link is not None:
        parts = [core_transport.resolve(session, p) or p for p in args.link.split("|")]
        link = link_id(*parts) if len(parts) == 2 else args.link
    _add_failure(session, inject, kind="failure", cause=args.cause, link=link, area=args.area,
                 channel=args.channel, until=_until(session, args.duration), degradation=1.0)


def _jamming(session: Any, args: JammingArgs, inject: str) -> None:
    _add_failure(session, inject, kind="jamming", cause="jamming", link=None, area=args.area,
                 channel=args.channel, until=_until(session, args.duration), degradation=args.degradation)


def _power_outage(session: Any, args: OutageArgs, inject: str) -> None:
    state = session.domain("comms")
    for town in args.area:
        state["power_off"].setdefault(town, session.turn)
    if args.duration is not None:
        session.schedule(session.turn + args.duration, "power_restored", {"area": list(args.area)})
    refresh_channels(session)


def _power_restored(session: Any, data: dict[str, Any]) -> None:
    state = session.domain("comms")
    for town in data["area"]:
        state["power_off"].pop(town, None)
    session.emit("power_restored", {"area": data["area"]})
    refresh_channels(session)


def _base_station_down(session: Any, args: OutageArgs, inject: str) -> None:
    state = session.domain("comms")
    for town in args.area:
        state["base_down"][town] = inject
    if args.duration is not None:
        session.schedule(session.turn + args.duration, "base_station_up", {"area": list(args.area)})
    refresh_channels(session)


def _base_station_up(session: Any, data: dict[str, Any]) -> None:
    state = session.domain("comms")
    for town in data["area"]:
        state["base_down"].pop(town, None)
    refresh_channels(session)


# ----- phase hooks -----------------------------------------------------------------------
def refresh_channels(session: Any) -> None:
    """Announce every channel whose state changed (``channel_state``), in link order."""
    state = session.domain("comms")
    if not (state["failures"] or state["power_off"] or state["base_down"] or state["announced"]):
        return  # everything works and nothing was announced down: nothing can change
    for link in sorted(state.links):  # sorted: the same order live and after a restore
        channels = state.links[link]
        seen = state["announced"].setdefault(link, {})
        for channel_id in channels:
            works, cause, _ = channel_works(session, state.data, link, state.channels[channel_id])
            now = "up" if works else "down"
            before = seen.get(channel_id, "up")
            if now != before:
                session.emit("channel_state", {"link": link, "channel": channel_id, "from": before, "to": now,
                                               "cause": cause or "restored"})
            if now == "up":
                seen.pop(channel_id, None)
            else:
                seen[channel_id] = now
        if not seen:
            state["announced"].pop(link, None)
    # Failures that have ended are announced (above) and can go.
    state["failures"] = [f for f in state["failures"] if f["until"] is None or f["until"] >= session.turn]


def _on_injects(session: Any) -> None:
    session.domain("comms")["used"] = {}
    refresh_channels(session)
    tx.deliver_due(session)


def _on_orders(session: Any) -> None:
    """What queued up before the orders phase (reports, news of injects) goes out first."""
    tx.flush_queues(session)


def _on_adjudication(session: Any) -> None:
    refresh_channels(session)
    tx.flush_queues(session)


def _on_turnend(session: Any) -> None:
    state = session.domain("comms")
    if session.turn % state.section.report_every_turns:
        return
    # Stations report through their township's office (assumption, docs/rules/communications.md):
    # one message per township and warehouse, the township's stations' facts inside it.
    towns = _town_stations(state)
    for county in sorted(session.counties):
        spec = session.counties[county]
        for town in spec.townships:
            send_report(session, f"township:{town.id}", "schedule", towns.get(town.id))
        for house in spec.warehouses:
            send_report(session, f"warehouse:{house.id}", "schedule")


def _town_stations(state: Any) -> dict[str, list[str]]:
    """Township -> the nodes of the stations in it, in id order (kept until a station joins:
    ``queries.join_station`` drops it)."""
    area = state["station_area"]
    joined, towns = state.town_stations
    if joined != len(area):
        towns = {}
        for station, town in sorted(area.items()):
            towns.setdefault(town, []).append(f"station:{station}")
        state.town_stations = (len(area), towns)
    return towns


def _facts(session: Any, node: str) -> dict[str, Any]:
    state = session.domain("comms")
    if not node.startswith("township:"):
        return {}
    town = node.partition(":")[2]
    return {"grid_power": town not in state["power_off"], "base_station": town not in state["base_down"]}


def _check(scenario: Any) -> list[tuple]:
    section: CommsSection = scenario.comms
    out: list[tuple] = []
    channels = {c.id for c in section.channels}
    for name in ("field_channels", "central_channels"):
        for index, channel in enumerate(getattr(section, name)):
            if channel not in channels:
                out.append((("comms", name, index), message("comms.check.unknown_channel", channel=channel,
                                                            near=near_param(channel, sorted(channels)))))
    for li, link in enumerate(section.links):
        for index, channel in enumerate(link.channels):
            if channel not in channels:
                out.append((("comms", "links", li, "channels", index), message("comms.check.unknown_channel", channel=channel,
                                                                               near=near_param(channel, sorted(channels)))))
    return out


PLUGIN = Plugin(
    name="comms",
    events=EVENTS,
    feed=FEED,
    metrics=metrics.METRICS,
    commands=(
        CommandSpec("set_channel", ("comms",), SetChannelArgs, _set_channel, states=PLAY_STATES),
        CommandSpec("request_repair", ("comms",), RepairArgs, _request_repair, states=PLAY_STATES, creates=True),
        CommandSpec("request_report", (ANY_COUNTY_ROLE,), ReportArgs, _request_report, states=PLAY_STATES),
    ),
    scenario_sections={"comms": CommsSection},
    init_state=CommsState,
    restore=restore,
    hooks={"injects": _on_injects, "orders": _on_orders, "adjudication": _on_adjudication, "turnend": _on_turnend},
    check_scenario=_check,
    effects={
        "comms_failure": EffectSpec(FailureArgs, _comms_failure, places=("area",),
                                    doc="A channel (or all) fails on a link or across an area, until repaired or the duration ends."),
        "jamming": EffectSpec(JammingArgs, _jamming, places=("area",), doc="Degrades a channel's capacity in an area: capacity × (1 − degradation)."),
        "power_outage": EffectSpec(OutageArgs, _power_outage, places=("area",),
                                   doc="Grid power off in townships: powered channels fail when their battery runs out; "
                                   "distribution stations in the area suspend unless requisitioned generators cover them "
                                   "(crises `generator_kw_per_station`, 10 kW)."),
        "base_station_down": EffectSpec(OutageArgs, _base_station_down, places=("area",),
                                        doc="Mobile base stations in townships are down until repaired or the duration ends."),
    },
    timers={"comms_repair": _repair_done, "power_restored": _power_restored, "base_station_up": _base_station_up},
    receivers={"report": _on_report, "report_request": _on_report_request},
    transport=lambda session: tx.ChannelTransport(),
    facts=_facts,
    fact_nodes=("township",),
    pictures=seat_view.PICTURES,
    panels=seat_view.PANELS,
    choices=seat_view.CHOICES,
    queries=queries.QUERIES,
)
