"""What other parts may ask of communications (``Plugin.queries``; ``session.query``)."""

from __future__ import annotations

from typing import Any, Callable

from tabletop.comms.network import link_id


def known(session: Any, county: str, node: str) -> dict[str, Any] | None:
    """What ``county``'s EOC last heard from ``node``: {"facts", "as_of"}, or None if never."""
    return session.domain("comms")["known"].get(county, {}).get(node)


def waiting(session: Any, kind: str, sender: str, to: str) -> bool:
    """A message of ``kind`` from ``sender`` to ``to`` waits for a channel or is on its way."""
    state = session.domain("comms")
    messages = [m for link in sorted(state["queues"]) for m in state["queues"][link]]
    messages += [entry["message"] for entry in state["in_transit"]]
    return any(m["kind"] == kind and m["from"] == sender and m["to"] == to for m in messages)


def join_station(session: Any, station: str, county: str, township: str) -> None:
    """A newly opened station becomes a node with a field link to its county's EOC (the
    distribution and crisis parts ask for it when they open a station)."""
    state = session.domain("comms")
    session.places["station"][station] = county
    state["station_area"][station] = township
    state.town_stations = (-1, {})  # rebuilt at the next report
    link = link_id(f"eoc:{county}", f"station:{station}")
    state.links.setdefault(link, list(state.section.field_channels))
    state["station_links"][station] = link


def channel_name(session: Any, ident: str) -> dict[str, str] | None:
    """A channel's bilingual name (the scenario's), or None if the scenario has no such channel."""
    found = session.domain("comms").channels.get(ident)
    return None if found is None else found.name.model_dump()


def links(session: Any) -> list[str]:
    """Every link of the network (``a|b``, sorted), stations' links included."""
    return sorted(session.domain("comms").links)


QUERIES: dict[str, Callable[..., Any]] = {
    "comms.known": known,
    # Names and the network for displays (the console's feed and map).
    "comms.channel_name": channel_name,
    "comms.links": links,
    "comms.waiting": waiting,
    # A newly opened station becomes a node with a field link to its county's EOC.
    "comms.join_station": join_station,
}
