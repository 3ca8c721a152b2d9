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
    id: Id
    items: Annotated[list[Id], Field(min_length=1, max_length=500)]
    purpose: Annotated[StrictStr, Field(min_length=1, max_length=1000)]


class PlanRef(Args):
    plan: Id


class PlanReject(Args):
    plan: Id
    reason: Annotated[StrictStr, Field(min_length=1, max_length=1000)]


class DeliverAt(Strict):
    place: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    date: IsoDate

    _date = field_validator("date")(_real_date)


class RequisitionArgs(Args):
    id: Id
    plan: Id
    resource: Id
    mode: Literal["purchase", "use"]
    days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = None
    deliver_at: DeliverAt
    consent: StrictBool = False
    #: An art 30 exception (patent, sole agent, no alternative) or the IP emergency mode.
    exception: Literal["patent", "sole_agent", "no_alternative", "emergency"] | None = None


class CaseRef(Args):
    requisition: Id


class AssessArgs(Args):
    requisition: Id
    price: Money


class DamageArgs(Args):
    requisition: Id
    severity: Literal["repairable", "unrepairable", "lost"]
    repair_cost: Money = 0


class ManpowerArgs(Args):
    id: Id
    plan: Id
    person: Id
    notice_on: IsoDate
    report_on: IsoDate
    #: The requisition whose property this person operates (released with it, art 32).
    operates: Id | None = None

    _dates = field_validator("notice_on", "report_on")(_real_date)


class CasualtyArgs(Args):
    person: Id
    outcome: Literal["injury", "disability_mild", "disability_moderate", "disability_severe", "death"]
    treatment_cost: Money = 0


class PayArgs(Args):
    liability: Id
