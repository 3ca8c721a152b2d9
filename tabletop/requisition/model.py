"""The ``requisition:`` scenario section: the law's parameters and the registry's hand-listed part.

Everything a facilitator may tune lives here (mode of mobilization, base unit,
compliance chances, how many entries Faker generates); the rules read it, they
never hard-code it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr, field_validator, model_validator

from tabletop.scenario.model import Id, Strict

#: Caps (docs/scenario-format.md, "Limits"): generous for a national exercise, small enough
#: that nothing the rules compute leaves the integers a log can hold, and that generating
#: the registry ends in seconds (Faker makes about 5,000 entries a second).
MAX_MONEY = 10**12  # NT$1 trillion
MAX_QUANTITY = 1_000_000
MAX_GENERATED = 20_000  # entries of one kind in one county
MAX_GENERATED_PER_COUNTY = 20_000  # all kinds together, in one county

Money = Annotated[StrictInt, Field(ge=0, le=MAX_MONEY)]
GenCount = Annotated[StrictInt, Field(ge=0, le=MAX_GENERATED)]
Chance = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]

#: Registry kinds of property; each maps to one of the XP property classes.
PROPERTY_KINDS = {
    "truck": "transport", "bus": "transport", "car": "transport", "boat": "transport",
    "heavy_machinery": "heavy_machinery", "generator": "heavy_machinery",
    "fuel": "important_materials", "medical_supplies": "important_materials",
    "building": "fixed_facilities", "warehouse": "fixed_facilities",
    "comms": "communications",
}
PropertyKind = Literal["truck", "bus", "car", "boat", "heavy_machinery", "generator", "fuel",
                       "medical_supplies", "building", "warehouse", "comms"]
Skill = Literal["driver", "machine_operator", "repair_crew", "medic", "loader", "technician", "rescuer"]
Exemption = Literal["art.29.1", "art.29.2", "art.29.3", "art.29.4", "art.29.5"]
Condition = Literal["new", "good", "fair", "worn"]


class Owner(Strict):
    """A person or company that owns or manages requisitionable property."""

    id: Id
    kind: Literal["person", "company"] = "company"
    name: StrictStr
    id_number: StrictStr | None = Field(default=None, description="National ID (persons) or 統一編號 (companies).")
    phone: StrictStr | None = None
    township: Id
    requisitions_this_year: Annotated[StrictInt, Field(ge=0, le=1_000)] = Field(
        default=0, description="Earlier requisitions from this owner this calendar year (art 30).")


class Property(Strict):
    id: Id
    kind: PropertyKind
    name: StrictStr
    owner: Id
    township: Id
    market_value: Money
    condition: Condition = "good"
    quantity: Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)] = 1
    unit: StrictStr = "輛"
    capacity_kg: Annotated[StrictInt, Field(ge=0, le=MAX_QUANTITY)] = Field(default=0, description="Payload of a vehicle (convoy capacity).")
    power_kw: Annotated[StrictInt, Field(ge=0, le=MAX_QUANTITY)] = Field(default=0, description="Output of a generator.")
    exemption: Exemption | None = None
    patent: StrictBool = False
    sole_agent: StrictBool = False
    no_alternative: StrictBool = False


class Relative(Strict):
    relation: Literal["spouse", "child", "parent", "grandparent", "grandchild", "sibling"]
    name: StrictStr


class Person(Strict):
    """A requisitionable person (民力) with the art 34 exemption flags."""

    id: Id
    name: StrictStr
    id_number: StrictStr | None = None
    phone: StrictStr | None = None
    township: Id
    skill: Skill
    employer: StrictStr | None = None
    sole_operator: StrictBool = Field(default=False, description="Art 34-3-1: runs a business alone that would fail.")
    family_dependent: StrictBool = Field(default=False, description="Art 34-3-2: the family could not live without them.")
    unfit: StrictBool = Field(default=False, description="Art 34-3-3: health unfit for service.")
    job_benefit: Money = Field(default=0, description="What the person's own job scheme pays (art 36-1); the state tops up.")
    survivors: list[Relative] = []
    will: list[StrictStr] = Field(default=[], description="Art 37-3: a will naming survivors (by name, in order).")


class Compliance(Strict):
    owners: Chance = Field(default=0.9, description="Chance an owner delivers on time (else art 41).")
    people: Chance = Field(default=0.9, description="Chance a person reports on time (else art 43).")
    employers: Chance = Field(default=0.95, description="Chance an employer grants official leave (else art 41, art 35-2).")


class Generate(Strict):
    """How many registry entries of each kind Faker zh_TW makes per county."""

    owners: GenCount = 0
    property: dict[PropertyKind, GenCount] = {}
    people: dict[Skill, GenCount] = {}

    @model_validator(mode="after")
    def _per_county(self) -> "Generate":
        total = self.owners + sum(self.property.values()) + sum(self.people.values())
        if total > MAX_GENERATED_PER_COUNTY:
            raise ValueError(f"{total} registry entries per county is more than the cap of {MAX_GENERATED_PER_COUNTY}")
        return self


class RequisitionSection(Strict):
    """Requisition (徵購徵用): the law's parameters and the registry of owners, property and people
    (docs/rules/requisition.md)."""

    mobilization: Literal["exercise", "actual"] = Field(
        default="exercise", description="exercise: XP timing (20 / 10 days); actual: IP timing (10 / 5 days, emergency mode).")
    base_unit: Money = Field(default=38000, description="Art 36 base unit: a month's pay at 委任第五職等年功俸最高級 (NT$).")
    auto_approve_after_turns: Annotated[StrictInt, Field(ge=1, le=10_000)] | None = Field(
        default=None, description="Plans not decided by the central role are approved after this many turns.")
    owner_service_days: Annotated[StrictInt, Field(ge=0, le=365)] = Field(
        default=0, description="Days from the order to the county until it serves the owner.")
    valuation_band: tuple[float, float] = Field(default=(0.5, 1.5), description="Art 31: assessed purchase price within this share of market value.")
    per_diem: Money = Field(default=1200, description="Art 35: meals, lodging and transport in cash, NT$ per person-day.")
    compliance: Compliance = Compliance()
    generate: Generate = Generate()
    owners: list[Owner] = []
    property: list[Property] = []
    people: list[Person] = []

    @field_validator("valuation_band")
    @classmethod
    def _band(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not 0 < value[0] <= 1 <= value[1]:
            raise ValueError("valuation_band must be [low, high] with 0 < low <= 1 <= high")
        return value


def parse_date(text: str) -> date:
    """An ISO date (``2026-07-20``) or the date part of an ISO date-time."""
    return date.fromisoformat(text[:10])
