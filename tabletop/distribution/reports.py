"""Station reports reaching the county EOC, and the county's supply picture.

Each township's Rationing Execution Team reports its stations once a turn as a
message from ``township:<id>`` to ``eoc:<county>`` through the core transport
(:meth:`Session.send`): delivered at once with the immediate transport, delayed
or lost when the communications part carries it. :func:`send_report` is the one
place a report leaves; :func:`received` is what the EOC learns, kept in
``state.eoc[county]`` apart from the truth.
"""

from __future__ import annotations

from typing import Any

from tabletop.distribution import rules, supply
from tabletop.distribution.lifecycle import STATES

KIND = "station_report"


def send_report(session: Any, county: str, township: str, payload: dict[str, Any]) -> None:
    """Send one township's station report to its county EOC (the communications seam)."""
    session.send(f"township:{township}", f"eoc:{county}", KIND, payload)


def received(session: Any, msg: dict[str, Any]) -> None:
    """A station report reached the EOC: it now knows this much (and no more)."""
    state = session.domain("distribution")
    payload = msg["payload"]
    county = state.county_of.get(payload["township"])
    if county is None:
        return
    view = state.eoc.setdefault(county, {})
    view[payload["township"]] = {"received_turn": session.turn} | payload


def township_reports(session: Any, state: Any, tallies: dict[str, dict[str, Any]]) -> None:
    """Every township with a station (or a station closed this turn) reports."""
    by_town: dict[str, dict[str, Any]] = {}
    stations = state.stations
    turn = session.turn
    for sid in state.station_ids():
        station = stations[sid]
        if station.state != "closed" or station.closed_turn == turn:
            lines = by_town.get(station.township)
            if lines is None:
                lines = by_town[station.township] = {}
            lines[sid] = _station_line(station)
    none: dict[str, Any] = {}
    for town in sorted(by_town):
        tally = tallies.get(town, none)
        payload = {
            "township": town, "turn": turn,
            "stations": by_town[town],
            "served": dict(sorted(tally.get("served", none).items())),
            "unmet": dict(sorted(tally.get("unmet", none).items())),
            "stockouts": sorted(set(tally.get("stockouts", ()))),
        }
        send_report(session, state.county_of[town], town, payload)


def _station_line(s: Any) -> dict[str, Any]:
    """What a township reports of one station."""
    stock, queues = s.stock, s.queues
    return {"state": s.state, "staff": s.staff, "stock": {g: round(stock[g], 3) for g in sorted(stock)},
            "queue": {g: sum([c[1] for c in queues[g]]) for g in sorted(queues)} if queues else {}}


def county_status(session: Any, state: Any) -> None:
    """The truth about each county's supply: days of supply, station counts, coverage (for UI and scoring)."""
    counts: dict[str, dict[str, int]] = {c: {name: 0 for name in STATES} for c in state.county_townships}
    live: dict[str, int] = {}
    stations = state.stations
    for sid in state.station_ids():
        station = stations[sid]
        counts[station.county][station.state] += 1
        if station.state in ("setting_up", "open", "suspended"):
            live[station.township] = live.get(station.township, 0) + 1
    days = supply.days_of_supply_all(state)
    for county in sorted(state.county_townships):
        towns = state.county_townships[county]
        session.emit("supply_status", {
            "county": county, "days_of_supply": days[county], "stations": counts[county],
            "coverage": {"reference": sum(rules.planning_reference(state.townships[t]) for t in towns),
                         "stations": sum(live.get(t, 0) for t in towns),
                         "townships_without": [t for t in towns if not live.get(t)]},
        })
