"""Small helpers the requisition handlers share: today's game date, lookups, liabilities."""

from __future__ import annotations

from datetime import date
from typing import Any

from tabletop.core.commands import Command, Rejected
from tabletop.requisition.state import RequisitionState

NAME = "requisition"
R = "requisition.reject."


def st(session: Any) -> RequisitionState:
    return session.domain(NAME)


def section(session: Any) -> Any:
    return session.scenario.requisition


def today(session: Any) -> date:
    """The game date of the current turn (in the scenario's time zone)."""
    return session.clock.turn_start(session.turn).date()


def property_item(session: Any, ident: str, county: str | None) -> dict[str, Any]:
    item = st(session).registry["property"].get(ident)
    if item is None or item["county"] != county:
        raise Rejected("registry", R + "unknown_item", item=ident, county=county)
    return item


def person(session: Any, ident: str, county: str | None) -> dict[str, Any]:
    entry = st(session).registry["people"].get(ident)
    if entry is None or entry["county"] != county:
        raise Rejected("registry", R + "unknown_person", person=ident, county=county)
    return entry


def case(session: Any, command: Command, ident: str) -> dict[str, Any]:
    found = st(session).cases.get(ident)
    if found is None or found["county"] != command.county:
        raise Rejected("requisition", R + "unknown_case", requisition=ident)
    return found


def manpower_case(session: Any, command: Command, ident: str) -> dict[str, Any]:
    found = st(session).manpower.get(ident)
    if found is None or found["county"] != command.county:
        raise Rejected("requisition", R + "unknown_case", requisition=ident)
    return found


def move(session: Any, ident: str, trigger: str, kind: str = "requisition_state") -> None:
    """Fire a case transition and log it as ``requisition_state`` {requisition, from, to}."""
    source, dest = st(session).fire(ident, trigger)
    session.emit(kind, {"requisition": ident, "from": source, "to": dest, "trigger": trigger})


def liability(session: Any, *, county: str, payee: str, payee_name: str | None, amount: int, due_by: date,
              basis: str, about: str, **extra: Any) -> dict[str, Any]:
    """Record what the organizer owes: one ``compensation_liability`` event, id registered."""
    state = st(session)
    number = sum(1 for v in state.liabilities.values() if v["about"] == about) + 1
    while f"{about}-L{number}" in session.ids:  # never take an id a player already used
        number += 1
    ident = f"{about}-L{number}"
    session.ids[ident] = "liability"
    data = {"id": ident, "county": county, "payee": payee, "payee_name": payee_name, "amount": int(amount),
            "due_by": due_by.isoformat(), "basis": basis, "about": about, "created_on": today(session).isoformat()}
    data.update(extra)
    session.emit("compensation_liability", data)
    state.liabilities[ident] = dict(data, paid_on=None, overdue=False)
    return data


def penalty(session: Any, county: str, about: str, fine: dict[str, Any], party_name: str | None) -> None:
    data = dict(fine, county=county, about=about, party_name=party_name, on=today(session).isoformat())
    st(session).penalties.append(data)
    session.emit("penalty_assessed", data)
