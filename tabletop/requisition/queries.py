"""What other parts may ask of requisition (``Plugin.queries``; ``session.query``)."""

from __future__ import annotations

from typing import Any, Callable

from tabletop.requisition.capacity import generator_kw, vehicles

QUERIES: dict[str, Callable[..., Any]] = {
    # Requisitioned vehicles available to a county, each with its payload (convoys use them).
    "requisition.vehicles": vehicles,
    # Power of the generators a county holds by requisition (they keep stations lit in an outage).
    "requisition.generator_kw": generator_kw,
}
