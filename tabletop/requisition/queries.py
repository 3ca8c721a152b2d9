"""What other parts may ask of requisition (``Plugin.queries``; ``session.query``)."""

from __future__ import annotations

from typing import Any, Callable

from tabletop.requisition.capacity import generator_kw, vehicles

def registered_name(session: Any, ident: str) -> str | None:
    """The registry's name of requisitionable property, a person or an owner (or None)."""
    for group in session.domain("requisition").registry.values():
        found = group.get(ident) if isinstance(group, dict) else None
        if isinstance(found, dict) and found.get("name"):
            return str(found["name"])
    return None


def case_subject(session: Any, ident: str) -> str | None:
    """What a requisition case takes: its property's or person's registry id (or None)."""
    state = session.domain("requisition")
    found = state.cases.get(ident) or state.manpower.get(ident)
    return None if found is None else (found.get("resource") or found.get("person"))


QUERIES: dict[str, Callable[..., Any]] = {
    # Names for displays (the console's feed).
    "requisition.registered_name": registered_name,
    "requisition.case_subject": case_subject,
    # Requisitioned vehicles available to a county, each with its payload (convoys use them).
    "requisition.vehicles": vehicles,
    # Power of the generators a county holds by requisition (they keep stations lit in an outage).
    "requisition.generator_kw": generator_kw,
}
