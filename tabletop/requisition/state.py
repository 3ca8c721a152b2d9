"""The requisition slice of session state, and the case state machines.

A requisition case runs drafted → order_issued → delivered → in_use → released →
compensated, with the branches refused, damaged, repaired and lost. One
pytransitions machine (no auto ``to_<state>`` shortcuts) serves every case; so does
one for manpower cases. Cases are plain dicts (``state`` kept by a thin model) so
the slice snapshots as JSON.
"""

from __future__ import annotations

from typing import Any

from tabletop.core.machines import EntityMachine, entity_machine

CASE_STATES = ["drafted", "order_issued", "refused", "delivered", "in_use", "damaged", "repaired", "lost",
               "released", "compensated"]
CASE_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "issue", "source": "drafted", "dest": "order_issued"},
    # An IP emergency: the property is taken first and the order follows within 3 days.
    {"trigger": "deliver", "source": "drafted", "dest": "delivered", "conditions": "is_emergency"},
    {"trigger": "deliver", "source": "order_issued", "dest": "delivered"},
    {"trigger": "refuse", "source": ["drafted", "order_issued"], "dest": "refused"},
    {"trigger": "put_in_use", "source": "delivered", "dest": "in_use"},
    {"trigger": "damage", "source": "in_use", "dest": "damaged"},
    {"trigger": "repair", "source": "damaged", "dest": "repaired"},
    {"trigger": "lose", "source": ["in_use", "damaged"], "dest": "lost"},
    {"trigger": "release", "source": ["in_use", "repaired", "lost"], "dest": "released"},
    {"trigger": "settle", "source": "released", "dest": "compensated"},
    {"trigger": "settle", "source": "in_use", "dest": "compensated", "conditions": "is_purchase"},
]
#: States in which the item is in the government's hands.
HELD = ("delivered", "in_use", "damaged", "repaired")
ACTIVE = ("drafted", "order_issued") + HELD

MANPOWER_STATES = ["noticed", "reported", "failed", "replaced", "released"]
MANPOWER_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "report", "source": "noticed", "dest": "reported"},
    {"trigger": "fail", "source": "noticed", "dest": "failed"},
    {"trigger": "replace", "source": "noticed", "dest": "replaced"},
    {"trigger": "release", "source": "reported", "dest": "released"},
]


class CaseModel:
    """What the machine drives: the case's dict, whose ``state`` it keeps in step."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.state = data["state"]

    def is_emergency(self) -> bool:
        return bool(self.data.get("emergency"))

    def is_purchase(self) -> bool:
        return self.data.get("mode") == "purchase"


#: The property-case and manpower-case machines (each case keeps its own state).
CASES = entity_machine(CASE_STATES, CASE_TRANSITIONS, "drafted")
PEOPLE = entity_machine(MANPOWER_STATES, MANPOWER_TRANSITIONS, "noticed")


def case_machine() -> EntityMachine:
    return CASES


def manpower_machine() -> EntityMachine:
    return PEOPLE


class RequisitionState:
    """Plans, cases, manpower cases, liabilities and penalties of one session."""

    def __init__(self, registry: dict[str, dict[str, dict[str, Any]]]) -> None:
        self.registry = registry  # from the scenario and the log header; not part of snapshots
        self.plans: dict[str, dict[str, Any]] = {}
        self.cases: dict[str, dict[str, Any]] = {}
        self.manpower: dict[str, dict[str, Any]] = {}
        self.liabilities: dict[str, dict[str, Any]] = {}
        self.penalties: list[dict[str, Any]] = []
        self._models: dict[str, CaseModel] = {}
        self._cases = case_machine()
        self._people = manpower_machine()

    # ----- machines ----------------------------------------------------------------------
    def add_case(self, case: dict[str, Any]) -> None:
        self.cases[case["id"]] = case
        model = self._models[case["id"]] = CaseModel(case)
        self._cases.add(model, case["state"])

    def add_manpower(self, case: dict[str, Any]) -> None:
        self.manpower[case["id"]] = case
        model = self._models[case["id"]] = CaseModel(case)
        self._people.add(model, case["state"])

    def _machine_of(self, ident: str) -> EntityMachine:
        return self._people if ident in self.manpower else self._cases

    def may(self, ident: str, trigger: str) -> bool:
        return self._machine_of(ident).may(self._models[ident], trigger)

    def fire(self, ident: str, trigger: str) -> tuple[str, str]:
        """Fire ``trigger`` on a case; returns (from, to). Callers check with :meth:`may` first."""
        model = self._models[ident]
        source = model.state
        if not self._machine_of(ident).fire(model, trigger):
            raise RuntimeError(f"{ident}: {trigger} refused from {source}")
        model.data["state"] = model.state
        return source, model.state

    # ----- queries -----------------------------------------------------------------------
    def active_case_for(self, item: str) -> dict[str, Any] | None:
        for ident in sorted(self.cases):
            case = self.cases[ident]
            if case["resource"] == item and case["state"] in ACTIVE:
                return case
        return None

    def owner_requisitions(self, owner: str, year: int) -> int:
        """Requisitions from ``owner`` in calendar ``year``: earlier ones listed in the registry, plus this session's."""
        earlier = self.registry["owners"].get(owner, {}).get("requisitions_this_year", 0)
        made = sum(1 for c in self.cases.values() if c["owner"] == owner and c["ordered_on"][:4] == str(year))
        return earlier + made

    def active_manpower_for(self, person: str) -> dict[str, Any] | None:
        for ident in sorted(self.manpower):
            case = self.manpower[ident]
            if case["person"] == person and case["state"] in ("noticed", "reported"):
                return case
        return None

    def latest_manpower_for(self, person: str) -> dict[str, Any] | None:
        found = [self.manpower[i] for i in sorted(self.manpower) if self.manpower[i]["person"] == person]
        return found[-1] if found else None

    def to_data(self) -> dict[str, Any]:
        return {"plans": self.plans, "cases": self.cases, "manpower": self.manpower,
                "liabilities": self.liabilities, "penalties": self.penalties}


def case_diagram() -> str:
    """Mermaid source of the case machine, drawn from the machine itself (for docs/diagrams)."""
    from tabletop.diagrams import draw_flat

    return draw_flat(CASE_STATES, CASE_TRANSITIONS, "drafted")
