"""What the sheet and the cards call the scenario's ids: phases, seats, places, capabilities, command kinds.

One :class:`Names` per scenario and language; ``mapping()`` is the same table turned round
(word -> id), written beside an exported MSEL as the import's mapping file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tabletop import i18n
from tabletop.plugins import command_registry
from tabletop.scoring.names import cap_label


@dataclass
class Names:
    scenario: Any
    lang: str
    places: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for county in self.scenario.counties:
            self.places[county.id] = i18n.pick(county.name.model_dump(), self.lang)
            for township in county.townships:
                self.places[township.id] = i18n.pick(township.name.model_dump(), self.lang)
            for warehouse in county.warehouses:
                self.places[warehouse.id] = i18n.pick(warehouse.name.model_dump(), self.lang)
        # Two places of one name (中正區 in two cities) would map back to one: those carry their id.
        seen: dict[str, int] = {}
        for name in self.places.values():
            seen[name] = seen.get(name, 0) + 1
        self.places = {ident: name if seen[name] == 1 else f"{name} ({ident})" for ident, name in self.places.items()}

    def phase(self, ident: str | None) -> str:
        found = next((p for p in self.scenario.phases if p.id == ident), None)
        return i18n.pick(found.name.model_dump(), self.lang) if found else (ident or "")

    def seat(self, county: str, role: str) -> str:
        role_name = i18n.pick(i18n.label("role", role), self.lang)
        return f"{self.places.get(county, county)} {role_name}"

    def place(self, ident: str | None) -> str:
        return self.places.get(ident, ident) if ident else ""

    def capability(self, ident: str) -> str:
        spec = self.scenario.scoring.capabilities.get(ident) if hasattr(self.scenario, "scoring") else None
        label = spec.name.model_dump() if spec is not None and spec.name is not None else None
        return cap_label(ident, self.lang, label)

    def command(self, kind: str | None) -> str:
        """A command kind's name; an expectation judged by an evaluator (no kind) gets its own."""
        if kind is None or kind == JUDGED:
            return i18n.t("paper.judged_by_evaluator", self.lang)
        return i18n.pick(i18n.label("command", kind), self.lang)

    def mapping(self) -> dict[str, Any]:
        """The import's mapping file for a sheet written with these names (every word -> its id)."""
        injects = self.scenario.injects
        seats = sorted({(i.county, i.role) for i in injects}
                       | {(c.id, r) for c in self.scenario.counties for r in c.roles})
        capabilities = sorted({e.capability for i in injects for e in i.expected})
        kinds = sorted(set(command_registry()) | {e.kind or JUDGED for i in injects for e in i.expected})
        return {
            "sheet": "MSEL",
            "timezone": self.scenario.clock.start[-6:] if _has_offset(self.scenario.clock.start) else "+08:00",
            "phases": {self.phase(p.id): p.id for p in self.scenario.phases},
            "to": {self.seat(c, r): {"county": c, "role": r} for c, r in seats},
            "from": {**{name: ident for ident, name in sorted(self.places.items())},
                     i18n.t("role.facilitator", self.lang): None},
            "actions": {self.command(kind): kind for kind in kinds},
            "capabilities": {self.capability(c): c for c in capabilities},
        }


#: The action word of an expectation judged by an evaluator (``judged_by: evaluator``).
JUDGED = "judged_by:evaluator"


def _has_offset(start: str) -> bool:
    return len(start) > 6 and start[-6] in "+-" and start[-3] == ":"
