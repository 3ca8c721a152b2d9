"""The ``crises:`` scenario section. Defaults are documented in docs/injects.md."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt

from tabletop.scenario.model import Id, Strict, Text

Share = Annotated[float, Field(ge=0, le=1)]


class Shelter(Strict):
    #: The shelter id.
    id: Id
    #: Its township.
    township: Id
    #: Its name.
    name: Text | None = None
    #: Usable floor area; capacity = area / m2_per_person (ADX planning figure 0.75 m²).
    area_m2: Annotated[float, Field(gt=0)]


class CareType(Strict):
    """A relief (救濟站) or first-aid (急救站) station type: staff needed, people handled per turn."""

    #: The type id `open_relief_station.type` / `open_first_aid_station.type` names.
    id: Id
    #: Staff it needs.
    staff: Annotated[StrictInt, Field(ge=1)]
    #: People it handles a turn, fully staffed.
    per_turn: Annotated[StrictInt, Field(ge=1)]
    #: Turns from opening to open.
    setup_turns: Annotated[StrictInt, Field(ge=0)] = 1


class CrisesSection(Strict):
    """Crises (狀況效果): air-raid shelters, care station types and the numbers the effects read (docs/injects.md)."""

    #: Public air-raid shelters (their areas give their capacities).
    shelters: list[Shelter] = []
    #: Planning space per sheltered person (ADX: 0.75 m² for air-raid shelters).
    m2_per_person: Annotated[float, Field(gt=0)] = 0.75
    #: Share of a township's population that goes to public shelters in an air-raid alert (assumption).
    shelter_share: Share = 0.3
    #: Relief station (救濟站) types that ``open_relief_station.type`` names.
    relief_types: list[CareType] = [CareType(id="standard", staff=20, per_turn=400, setup_turns=1)]
    #: First-aid station (急救站) types that ``open_first_aid_station.type`` names.
    first_aid_types: list[CareType] = [CareType(id="standard", staff=15, per_turn=60, setup_turns=1)]
    #: Generator power a station needs to keep serving through a power outage (kW, assumption).
    generator_kw_per_station: Annotated[float, Field(gt=0)] = 10.0
    #: Share of untreated casualties who die each turn they wait (assumption).
    untreated_death_share: Share = 0.02
