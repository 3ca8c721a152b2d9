"""The distribution adjudication hook: one pass per turn, in a fixed order.

1. vehicles back, convoys move and arrive;  2. stations finish setting up,
closing, or an inject's suspension;  3. panic decays, announcements calm it;
4. purchase windows and arrivals;  5. people go to stations;  6. stations
serve, queues age;  7. this turn's tallies kept for the townships' reports (sent at turn end in their field
reports); each county's supply status.
"""

from __future__ import annotations

from typing import Any

from tabletop.distribution import convoys, demand, lifecycle, reports, rules, service


def adjudicate(session: Any) -> None:
    state = session.domain("distribution")
    convoys.advance(session, state)
    state.adjudicated_turn = session.turn
    _timers(session, state)
    demand.calm(session, state)
    demand.arrivals(session, state)
    tallies: dict[str, dict] = {}
    rationed = _rationed(session, state)
    if rationed:
        _distribute(session, state, rationed, tallies)
    reports.keep_tallies(state, tallies)
    reports.county_status(session, state)


def _timers(session: Any, state: Any) -> None:
    """Set-ups finish, inject suspensions end, closings finish.

    ADX art 9: while an air-raid alert is in force in its township a station neither opens
    nor resumes; a set-up that finished and a suspension that ran out wait for the all-clear.
    A station the alert itself suspended resumes at the all-clear, even an early one.
    """
    stations = state.stations
    for sid in state.station_ids():
        station = stations[sid]
        if station.state in ("setting_up", "suspended") and rules.alert_in_force(session, station.township):
            continue
        if station.state == "setting_up" and station.ready_turn is not None and station.ready_turn <= session.turn:
            lifecycle.move(session, station, "ready", "set_up")
        elif station.state == "suspended" and station.resume_turn is not None and (
                station.resume_turn <= session.turn or station.reason == "air_raid"):
            station.resume_turn = None
            lifecycle.move(session, station, "resume", "inject_over")
        elif station.state == "closing" and station.closed_turn is not None and station.closed_turn <= session.turn:
            lifecycle.move(session, station, "finish", "closed")


def _rationed(session: Any, state: Any) -> dict[str, dict[str, float]]:
    """county -> good -> purchase size, for goods rationed now."""
    mpt = session.clock.minutes_per_turn
    return {county: {good: demand.purchase_size(r["quota"], r["window_turns"], mpt) for good, r in sorted(goods.items())}
            for county, goods in sorted(state.rations.items()) if goods}


def _distribute(session: Any, state: Any, rationed: dict[str, dict[str, float]], tallies: dict[str, Any]) -> None:
    # ADX art 9: a station in a township under an air-raid alert serves nobody until the all-clear.
    alerted: dict[str, bool] = {}
    open_stations = []
    stations = state.stations
    for sid in state.station_ids():
        station = stations[sid]
        if station.state != "open":
            continue
        if station.township not in alerted:
            alerted[station.township] = rules.alert_in_force(session, station.township)
        if not alerted[station.township]:
            open_stations.append(station)
    caps = service.capacities(session, state, open_stations)
    routes = service.plan(state, open_stations, caps)  # kept between turns while nothing changed
    serving = routes.serving  # stations with people to serve this turn (none at night), id order
    turn = session.turn
    incoming: dict[str, list[int]] = {}  # good -> people arriving this turn, by station slot
    for county, goods in (rationed.items() if serving else ()):
        for good in goods:
            if good not in incoming:
                incoming[good] = [0] * len(serving)
        for town in state.county_townships[county]:
            # Goods are independent here (each has its own line and queues): where people can
            # go is worked out once per township and shared by every good.
            reached, memo = None, None
            for good in goods:
                line = state.line(town, good)
                if line.pending > 0:
                    if memo is None:
                        reached, memo = routes.reach(state, town), routes.memo(town)
                    service.assign(line, reached, memo, incoming[good])
    for good in sorted(incoming):
        service.enqueue(serving, good, incoming[good], turn)
    now = service.Turn.of(session, state, {good for goods in rationed.values() for good in goods})
    served: dict[str, dict[str, dict[str, Any]]] = {}  # county -> station -> good -> line
    stations = state.stations
    for sid in state.station_ids():
        station = stations[sid]
        if not station.queues:
            continue
        sizes = rationed.get(station.county)
        if sizes:
            lines = served.get(station.county)
            if lines is None:
                lines = served[station.county] = {}
            service.serve(session, state, station, caps.get(sid, 0), sizes, tallies, lines, now)
    for county in sorted(served):  # one record per county and turn (format 5)
        if served[county]:
            session.emit("distribution_served", {"county": county, "turn": turn, "stations": served[county]})
