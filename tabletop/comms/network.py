"""The network: nodes, links, channels, and which channel works on which link right now.

State is plain data (in the session's ``comms`` slice): failures by cause with
their end turn, grid power and base stations per township, and the channel states
last announced (to emit ``channel_state`` only on a change).
"""

from __future__ import annotations

from typing import Any

from tabletop.comms.model import Channel, CommsSection


def link_id(a: str, b: str) -> str:
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


def build_links(scenario: Any, section: CommsSection) -> dict[str, list[str]]:
    """Every link (id -> channel ids): EOC to township offices, warehouses and central, plus listed ones."""
    links: dict[str, list[str]] = {}
    for county in scenario.counties:
        eoc = f"eoc:{county.id}"
        for town in county.townships:
            links[link_id(eoc, f"township:{town.id}")] = list(section.field_channels)
        for house in county.warehouses:
            links[link_id(eoc, f"warehouse:{house.id}")] = list(section.field_channels)
        links[link_id(eoc, "central")] = list(section.central_channels)
    for link in section.links:
        links[link_id(link.a, link.b)] = list(link.channels)
    return dict(sorted(links.items()))


def area_of(session: Any, node: str) -> str | None:
    """The township a node stands in (None for central and control)."""
    state = session.domain("comms")
    if node in state.areas:
        return state.areas[node]
    kind, _, name = node.partition(":")
    if kind == "station":
        return state["station_area"].get(name)
    return None


def static_areas(scenario: Any) -> dict[str, str]:
    """Township of every node that exists from the start (EOCs, township offices, warehouses)."""
    areas: dict[str, str] = {}
    for county in scenario.counties:
        areas[f"eoc:{county.id}"] = getattr(county, "eoc_township", None) or county.townships[0].id
        for town in county.townships:
            areas[f"township:{town.id}"] = town.id
        for house in county.warehouses:
            areas[f"warehouse:{house.id}"] = house.township
    return areas


def channel_works(session: Any, state: dict, link: str, channel: Channel) -> tuple[bool, str | None, float]:
    """(works?, cause when it does not, capacity factor) for ``channel`` on ``link`` this turn."""
    turn = session.turn
    for failure in state["failures"]:
        if failure["until"] is not None and failure["until"] < turn:
            continue
        if failure["channel"] not in (None, channel.id):
            continue
        if failure["link"] == link or (failure["area"] is not None and _touches(session, link, failure["area"])):
            if failure["kind"] == "jamming":
                continue
            return False, failure["cause"], 0.0
    factor = 1.0
    for failure in state["failures"]:
        if failure["kind"] == "jamming" and failure["channel"] == channel.id and (failure["until"] is None or failure["until"] >= turn):
            if failure["area"] is None or _touches(session, link, failure["area"]):
                factor *= 1.0 - failure["degradation"]
    if factor <= 0.0:
        return False, "jamming", 0.0
    for node in link.split("|"):
        area = area_of(session, node)
        if area is None:
            continue
        if channel.needs_power:
            since = state["power_off"].get(area)
            if since is not None and turn - since >= channel.battery_turns:
                return False, "power", 0.0
        if channel.needs_base_station and area in state["base_down"]:
            return False, "base_station", 0.0
    return True, None, factor


def _touches(session: Any, link: str, area: list[str]) -> bool:
    return any(area_of(session, node) in area for node in link.split("|"))
