"""The book a bot plays by: the scenario's published planning data, read once, never the session.

What a county EOC knows before the exercise starts and a seat may rely on: the expected
actions of each inject (the standing procedures the drill tests; a ``by_the_book`` bot
follows them), its own planning data (distribution sites and station staffing, the
ration quantities, its registry of requisitionable property and people with their
exemptions). Nothing here changes with the seed or during play: what happens (deliveries,
outages, stocks, rejections) reaches a bot only through its seat payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    """One expected action of an inject: the command kind, its argument constraints and who acts."""

    kind: str
    args: dict[str, Any]
    role: str | None
    within: int


@dataclass
class Book:
    steps: dict[str, list[Step]] = field(default_factory=dict)
    titles: dict[str, dict[str, str]] = field(default_factory=dict)
    #: township -> distribution sites planned there (scenario order)
    sites: dict[str, list[str]] = field(default_factory=dict)
    station_staff: dict[str, int] = field(default_factory=dict)
    ration: dict[str, float] = field(default_factory=dict)
    #: county -> registry ids fit for a requisition plan (property without an exemption, people)
    plan_items: dict[str, list[str]] = field(default_factory=dict)
    market_value: dict[str, int] = field(default_factory=dict)
    capacity_kg: float = 1000.0


def read_book(scenario: Any) -> Book:
    book = Book()
    for spec in scenario.injects:
        book.steps[spec.id] = [Step(e.kind, dict(e.args or {}), e.role, e.within_turns) for e in spec.expected]
        book.titles[spec.id] = spec.title.model_dump()
    for good in scenario.goods:
        book.ration[good.id] = good.per_person_per_day
    dist = getattr(scenario, "distribution", None)
    if dist is not None:
        for site in dist.sites:
            book.sites.setdefault(site.township, []).append(site.id)
        book.station_staff = {kind.id: kind.staff for kind in dist.station_types}
        # default_fleet may be null (every county has its own fleet, or none): only the fleets given count.
        capacities = [f.capacity_kg for f in dist.fleets] + ([dist.default_fleet.capacity_kg] if dist.default_fleet else [])
        if capacities:
            book.capacity_kg = min(capacities)
    req = getattr(scenario, "requisition", None)
    if req is not None:
        counties = {t.id: c.id for c in scenario.counties for t in c.townships}
        for item in req.property:
            book.market_value[item.id] = item.market_value
            if item.exemption is None and item.township in counties:
                book.plan_items.setdefault(counties[item.township], []).append(item.id)
        for person in req.people:
            exempt = person.sole_operator or person.family_dependent or person.unfit  # Act art 34
            if person.township in counties and not exempt:
                book.plan_items.setdefault(counties[person.township], []).append(person.id)
    return book
