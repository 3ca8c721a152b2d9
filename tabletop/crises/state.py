"""The crises slice of the session state, and the care-station lifecycle machine."""

from __future__ import annotations

from typing import Any

from tabletop.core.machines import EntityMachine, entity_machine

from tabletop.crises.model import CrisesSection
from tabletop.core.parts import DataSlice

STATES = ["planned", "setting_up", "open", "suspended", "closing", "closed"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin_setup", "source": "planned", "dest": "setting_up"},
    {"trigger": "ready", "source": "setting_up", "dest": "open"},
    {"trigger": "suspend", "source": ["open", "setting_up"], "dest": "suspended"},
    {"trigger": "resume", "source": "suspended", "dest": "open"},
    {"trigger": "close", "source": ["planned", "setting_up", "open", "suspended"], "dest": "closing"},
    {"trigger": "closed", "source": "closing", "dest": "closed"},
]


class CareStation:
    """A relief or first-aid station; ``state`` is kept by the shared machine."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def state(self) -> str:
        return self.data["state"]

    @state.setter
    def state(self, value: str) -> None:
        self.data["state"] = value


#: The care-station machine (each station keeps its own state in its data).
MACHINE = entity_machine(STATES, TRANSITIONS, "planned")


def new_machine() -> EntityMachine:
    return MACHINE


class CrisesState(DataSlice):
    def __init__(self, session: Any, data: dict[str, Any] | None = None) -> None:
        self.section: CrisesSection = getattr(session.scenario, "crises", None) or CrisesSection()
        self.capacity: dict[str, int] = {}
        for shelter in self.section.shelters:
            people = int(shelter.area_m2 / self.section.m2_per_person)
            self.capacity[shelter.township] = self.capacity.get(shelter.township, 0) + people
        self.data: dict[str, Any] = data or {
            "alerts": {},        # township -> {"until": turn, "inject": id, "issued": turn}
            "relayed": {},       # township -> turn the EOC's relay reached the township office
            "sheltered": {},     # township -> people in public shelters now
            "casualties": {},    # township -> waiting for first aid
            "displaced": {},     # township -> waiting for a relief station
            "deaths": 0,
            "stations": {},      # id -> station data (kind relief | first_aid)
            "blockade": {},      # good -> share of imports cut
            "breakdowns": {},    # resource -> turn
        }
        self.machine = new_machine()
        self.models: dict[str, CareStation] = {}
        for ident in sorted(self.data["stations"]):
            self._add(ident)

    def _add(self, ident: str) -> CareStation:
        model = CareStation(self.data["stations"][ident])
        self.machine.add(model)
        self.models[ident] = model
        return model

    def add_station(self, ident: str, data: dict[str, Any]) -> CareStation:
        self.data["stations"][ident] = data
        return self._add(ident)


def restore(session: Any, data: dict[str, Any]) -> CrisesState:
    return CrisesState(session, data)
