"""Argument schemas of the requisition commands (the contract of issue 4)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr, field_validator

from tabletop.core.commands import Args
from tabletop.scenario.model import Id, Strict

Money = Annotated[StrictInt, Field(ge=0, le=10**12)]
IsoDate = Annotated[StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


def _real_date(value: str) -> str:
    date.fromisoformat(value)  # raises ValueError (a schema rejection) for 2026-02-30
    return value


class PlanArgs(Args):
    #: A new id for the plan.
    id: Id
    #: Registry ids of the property (and people) the plan may requisition.
    items: Annotated[list[Id], Field(min_length=1, max_length=500)]
    #: Why (free text).
    purpose: Annotated[StrictStr, Field(min_length=1, max_length=1000)]


class PlanRef(Args):
    #: A submitted requisition plan.
    plan: Id


class PlanReject(Args):
    #: A submitted requisition plan.
    plan: Id
    #: Why it is rejected (free text).
    reason: Annotated[StrictStr, Field(min_length=1, max_length=1000)]


class DeliverAt(Strict):
    #: Where the owner delivers (free text).
    place: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    #: The delivery date (a real date).
    date: IsoDate

    _date = field_validator("date")(_real_date)


class RequisitionArgs(Args):
    #: A new id for the requisition case.
    id: Id
    #: An approved plan that lists the resource (art 28).
    plan: Id
    #: A registry property id listed in the plan.
    resource: Id
    #: `purchase` (徵購, ownership passes) or `use` (徵用, for a period).
    mode: Literal["purchase", "use"]
    #: The period of a `use` (art 30); leave out for a purchase.
    days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = None
    #: Where and when the owner delivers.
    deliver_at: DeliverAt
    #: The owner agreed (needed for a second requisition from the same owner in a year, art 30).
    consent: StrictBool = False
    #: An art 30 exception (patent, sole agent, no alternative) or the IP emergency mode.
    exception: Literal["patent", "sole_agent", "no_alternative", "emergency"] | None = None


class CaseRef(Args):
    #: A requisition case of your county.
    requisition: Id


class AssessArgs(Args):
    #: A purchase case of your county.
    requisition: Id
    #: The assessed price in NT$ (art 31: within the valuation band of market value).
    price: Money


class DamageArgs(Args):
    #: A use case of your county.
    requisition: Id
    #: How badly the property is damaged (art 33).
    severity: Literal["repairable", "unrepairable", "lost"]
    #: NT$, for repairable damage.
    repair_cost: Money = 0


class ManpowerArgs(Args):
    #: A new id for the manpower case.
    id: Id
    #: An approved plan that lists the person.
    plan: Id
    #: A registry person id.
    person: Id
    #: Date the notice is served.
    notice_on: IsoDate
    #: Date the person reports.
    report_on: IsoDate
    #: The requisition whose property this person operates (released with it, art 32).
    operates: Id | None = None

    _dates = field_validator("notice_on", "report_on")(_real_date)


class CasualtyArgs(Args):
    #: A requisitioned person.
    person: Id
    #: Injury, disability degree or death (art 35, the compensation table).
    outcome: Literal["injury", "disability_mild", "disability_moderate", "disability_severe", "death"]
    #: NT$ of treatment paid.
    treatment_cost: Money = 0


class PayArgs(Args):
    #: An unpaid liability (compensation owed) of your county.
    liability: Id
