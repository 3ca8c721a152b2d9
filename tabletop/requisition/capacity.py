"""What requisitioned property adds to other parts of the engine: read-only queries.

Other plugins (distribution's convoys, stations that need power) call these with
the session; they never import the requisition internals and this module never
imports them. Only property in the government's hands counts (delivered, in use,
damaged but still held, or purchased).
"""

from __future__ import annotations

from typing import Any

from tabletop.requisition.state import HELD

VEHICLE_KINDS = ("truck", "bus", "car")


def _held(session: Any, county: str, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    state = session.domain("requisition") if session.has_part("requisition") else None
    if state is None:
        return []
    out = []
    for ident in sorted(state.cases):
        case = state.cases[ident]
        if case["county"] != county or case["state"] not in HELD + ("compensated",):
            continue
        if case["state"] == "compensated" and case["mode"] != "purchase":
            continue
        item = state.registry["property"][case["resource"]]
        if item["kind"] in kinds:
            out.append({"requisition": ident, "item": item["id"], "kind": item["kind"], "township": item["township"],
                        "capacity_kg": item.get("capacity_kg", 0), "power_kw": item.get("power_kw", 0),
                        "quantity": item["quantity"], "damaged": case["state"] == "damaged"})
    return out


def vehicles(session: Any, county: str) -> list[dict[str, Any]]:
    """Requisitioned vehicles available to ``county`` (each with its payload)."""
    return [v for v in _held(session, county, VEHICLE_KINDS) if not v["damaged"]]


def vehicle_capacity_kg(session: Any, county: str) -> int:
    """Extra convoy payload (kg) that requisitioned vehicles give ``county`` this turn."""
    return sum(v["capacity_kg"] for v in vehicles(session, county))


def generators(session: Any, county: str) -> list[dict[str, Any]]:
    """Requisitioned generators that can keep a station running through an outage."""
    return [g for g in _held(session, county, ("generator",)) if not g["damaged"]]


def generator_kw(session: Any, county: str) -> int:
    return sum(g["power_kw"] for g in generators(session, county))
