"""Station lifecycle: planned → setting_up → open ⇄ suspended → closing → closed.

One pytransitions Machine per session serves every station (a Machine per
station would cost hundreds of microseconds and tens of kilobytes each). Stations
change state only on commands, injects and timers, never in the per-turn hot
path; :func:`move` checks ``may_<trigger>`` first, fires, and logs the
``station_state`` event. ``auto_transitions`` is off so nothing bypasses the rules.
"""

from __future__ import annotations

from typing import Any

from tabletop.core.machines import EntityMachine, entity_machine

STATES = ["planned", "setting_up", "open", "suspended", "closing", "closed"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "set_up", "source": "planned", "dest": "setting_up"},
    {"trigger": "ready", "source": "setting_up", "dest": "open"},
    {"trigger": "suspend", "source": "open", "dest": "suspended"},
    {"trigger": "resume", "source": "suspended", "dest": "open"},
    {"trigger": "close", "source": ["planned", "setting_up", "open", "suspended"], "dest": "closing"},
    {"trigger": "finish", "source": "closing", "dest": "closed"},
]
#: States in which a station still exists on the ground (holds a site, can receive goods).
LIVE = ("planned", "setting_up", "open", "suspended", "closing")
#: Reasons a station is suspended (R and the ADX: service stops during an air-raid alert).
SUSPEND_REASONS = ("air_raid", "power_outage", "stockout", "unsafe_site", "other")


#: The station machine (each station keeps its own state; one machine serves every session).
MACHINE = entity_machine(STATES, TRANSITIONS, "planned")


def new_machine() -> EntityMachine:
    return MACHINE


def add(machine: EntityMachine, station: Any) -> None:
    machine.add(station)


def can(station: Any, trigger: str) -> bool:
    return MACHINE.may(station, trigger)


def move(session: Any, station: Any, trigger: str, reason: str | None) -> None:
    """Fire ``trigger`` on ``station`` (the caller has checked :func:`can`) and log it."""
    source = station.state
    MACHINE.fire(station, trigger)
    station.reason = reason
    session.emit("station_state", {"station": station.id, "from": source, "to": station.state, "reason": reason})
    from tabletop.distribution import service

    service.on_state_change(session, station, source)
