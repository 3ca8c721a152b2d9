"""Station reports reaching the county EOC, and the county's supply picture.

Each township's Rationing Execution Team reports its stations in its township's field report
to ``eoc:<county>`` (the communications part's ``report``, on schedule or on request): this
part's section of it (``Plugin.report_section``; log format 6, before which it was a message
of its own). :func:`make` is what a report says; :func:`read` is what the EOC learns, kept in
``state.eoc[county]`` apart from the truth.
"""

from __future__ import annotations

from typing import Any

from tabletop.distribution import rules, supply
from tabletop.distribution.lifecycle import STATES


def make(session: Any, node: str) -> dict[str, Any] | None:
    """A township's station report, the distribution section of its field report: every station
    in it but the closed ones an earlier report already carried, with the served, unmet and
    stock-outs since its last report (taken: the next report starts again from nothing); None
    for a township with no such station (nothing to report).

    A report made before this turn's adjudication (one asked for in the orders phase) carries
    what the adjudications so far did (this turn's figures go in the next report). Reports every
    ``report_every_turns`` turns carry every turn's figures in between, and a station that closed
    in between."""
    state = session.domain("distribution")
    town = node.partition(":")[2]
    ids = state.town_station_ids(town)
    if not ids:
        return None
    stations = state.stations
    told = state.closed_reported  # closed stations a report already carried
    lines = {}
    for sid in ids:
        station = stations[sid]
        if station.state != "closed":
            lines[sid] = _station_line(station)
        elif sid not in told:
            lines[sid] = _station_line(station)
            told.add(sid)
    if not lines:
        return None
    none: dict[str, Any] = {}
    tally = state.tallies.pop(town, none)
    return {
        "township": town, "turn": session.turn, "stations": lines,
        "served": dict(sorted(tally.get("served", none).items())),
        "unmet": dict(sorted(tally.get("unmet", none).items())),
        "stockouts": sorted(set(tally.get("stockouts", ()))),
    }


def read(session: Any, county: str, node: str, section: dict[str, Any]) -> None:
    """A township's report reached its EOC: the EOC now knows this much of its stations (and no more)."""
    state = session.domain("distribution")
    town = node.partition(":")[2]
    if section.get("township") != town or state.county_of.get(town) != county:
        return
    view = state.eoc.setdefault(county, {})
    view[town] = {"received_turn": session.turn} | section


def keep_tallies(state: Any, tallies: dict[str, dict[str, Any]]) -> None:
    """This adjudication's served, unmet and stock-outs by township, added to what each
    township has not reported yet (:func:`make` takes them)."""
    pending = state.tallies
    for town, tally in tallies.items():
        mine = pending.get(town)
        if mine is None:
            pending[town] = tally
            continue
        for key in ("served", "unmet"):
            into = mine[key]
            for good, people in tally[key].items():
                into[good] = into.get(good, 0) + people
        mine["stockouts"].extend(tally["stockouts"])


def _station_line(s: Any) -> dict[str, Any]:
    """What a township reports of one station (the log and snapshots sort the keys; readers sort)."""
    queues = s.queues
    return {"state": s.state, "staff": s.staff, "stock": _rounded(s.stock),
            "queue": {g: cohorts[0][1] if len(cohorts) == 1 else sum([c[1] for c in cohorts])
                      for g, cohorts in queues.items()} if queues else {}}


def _rounded(stock: dict[str, float]) -> dict[str, float]:
    """Stock to 3 decimals as ``round(q, 3)`` gives it. A multiple of 1/8 (``q * 8`` is exact in
    binary) has at most 3 decimals, so it is its own rounding; ``round`` is slow."""
    out = dict(stock)
    for good, qty in stock.items():
        if not (type(qty) is float and (qty * 8.0).is_integer()):
            out[good] = round(qty, 3)
    return out


def county_status(session: Any, state: Any) -> None:
    """The truth about each county's supply: days of supply, station counts, coverage (for UI and scoring)."""
    counts: dict[str, dict[str, int]] = {c: {name: 0 for name in STATES} for c in state.county_townships}
    live: dict[str, int] = {}
    days = supply.days_of_supply_all(state, counts, live)  # one pass over the stations for all three
    references = _references(state)
    for county in sorted(state.county_townships):
        towns = state.county_townships[county]
        session.emit("supply_status", {
            "county": county, "days_of_supply": days[county], "stations": counts[county],
            "coverage": {"reference": references[county],
                         "stations": sum(live.get(t, 0) for t in towns),
                         "townships_without": [t for t in towns if not live.get(t)]},
        })


def _references(state: Any) -> dict[str, int]:
    """County -> its planning reference (stations it should have), derived from the scenario."""
    found: dict[str, int] | None = state._references
    if found is None:
        found = state._references = {county: sum(rules.planning_reference(state.townships[t]) for t in towns)
                                     for county, towns in state.county_townships.items()}
    return found
