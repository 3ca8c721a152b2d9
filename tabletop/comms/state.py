"""The communications slice of the session state (plain data, in snapshots)."""

from __future__ import annotations

from typing import Any

from tabletop.comms.model import CommsSection
from tabletop.comms.network import build_links, static_areas
from tabletop.core.parts import DataSlice


class CommsState(DataSlice):
    def __init__(self, session: Any) -> None:
        section: CommsSection = getattr(session.scenario, "comms", None) or CommsSection()
        self.section = section
        self.channels = {c.id: c for c in section.channels}
        self.links: dict[str, list[str]] = build_links(session.scenario, section)
        self.areas = static_areas(session.scenario)  # derived from the scenario, not state
        #: link -> (each channel's full capacity, channels by rank): derived from the scenario (transport._full).
        self.full: dict[str, tuple[dict[str, int], list[str]]] = {}
        #: (stations joined, township -> its stations' nodes in id order): derived from
        #: ``station_area``, kept until a station joins (stations never leave the network).
        self.town_stations: tuple[int, dict[str, list[str]]] = (-1, {})
        self.data: dict[str, Any] = {
            "failures": [],          # {id, kind, cause, link, area, channel, until, degradation}
            "power_off": {},         # township -> turn the grid went down
            "base_down": {},         # township -> cause
            "announced": {},         # link -> {channel: "up" | "down"}
            "queues": {},            # link -> [message]
            "in_transit": [],        # {message, due, channel, latency}
            "pinned": {},            # link -> channel
            "known": {c.id: {} for c in session.scenario.counties},  # county -> node -> {facts, as_of, received}
            "station_area": {},      # station -> township (stations join the network when opened)
            "station_links": {},     # station -> its link (links of stations are part of the state)
            "repairs": {},           # repair id -> {target, crew, done}
            "used": {},              # link -> {channel: messages sent this turn} (capacity is per turn)
        }


def restore(session: Any, data: dict[str, Any]) -> CommsState:
    state = CommsState(session)
    state.data = data
    state.town_stations = (-1, {})
    for link in [link for _, link in sorted(data["station_links"].items())]:
        state.links.setdefault(link, list(state.section.field_channels))
    return state
