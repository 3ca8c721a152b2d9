"""The requisition part's events (their data models; see :mod:`tabletop.core.events`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from tabletop.core.events import Event, Text


class CasualtyRecorded(Event):
    """`record_casualty` accepted: requisitioned person `person` (requisition `requisition`) was
    injured, disabled or killed (`outcome`) on `on`; `treatment_cost` is owed."""

    on: str
    outcome: str
    person: str
    requisition: str
    treatment_cost: float


class CompensationLiability(Event):
    """A compensation became owed: `kind` says what for (use, loss, damage, injury, death, overrun
    ...), `basis` the rule id of its article, `amount` the sum in NT$ and `due_by` the deadline; the
    other fields are the figures of that kind's rule."""

    about: str
    amount: float
    base: float | None = None
    basis: str
    county: str
    created_on: str
    due_by: str
    expires_on: str | None = None
    held_days: int | None = None
    id: str
    job_benefit: float | None = None
    kind: str
    outcome: str | None = None
    overrun_days: int | None = None
    payee: str
    payee_name: str
    per_diem: float | None = None
    person: str | None = None
    person_days: int | None = None
    price: float | None = None
    relation: str | None = None
    severity: str | None = None
    survivor_basis: str | None = None
    term_days: int | None = None
    units: int | None = None


class CompensationOverdue(Event):
    """Compensation `liability` was not paid by `due_by`."""

    amount: float
    basis: str
    county: str
    due_by: str
    liability: str


class CompensationPaid(Event):
    """`pay_compensation` accepted: `liability` paid to `payee` on `paid_on` (`late` when after
    `due_by`)."""

    amount: float
    basis: str
    county: str
    due_by: str
    late: bool
    liability: str
    paid_on: str
    payee: str


class ManpowerNotice(Event):
    """`requisition_manpower` accepted: the requisition notice to `person`, who reports on `report_on`
    (to operate `operates`, or null)."""

    basis: str
    notice_on: str
    operates: str | None
    person: dict[str, Any]
    report_on: str
    requisition: str


class ManpowerState(Event):
    """A manpower requisition changed state (`trigger` moved it `from` -> `to`)."""

    from_: str | None = Field(alias="from")
    requisition: str
    to: str
    trigger: str


class PenaltyAssessed(Event):
    """A party (`party`) violated `violated`: a fine of `amount_min`-`amount_max` under `basis`."""

    about: str
    amount_max: float
    amount_min: float
    basis: str
    county: str
    on: str
    party: str
    party_name: str
    violated: str


class RequisitionDamage(Event):
    """`report_damage` accepted: requisitioned property was damaged (`severity`); `repair_cost` settled
    on `settled_on`."""

    basis: str
    county: str
    repair_cost: float
    repaired_by: str
    requisition: str
    settled_on: str
    severity: str


class RequisitionEmergency(Event):
    """An emergency requisition: property taken at once, the written order due by `order_due_by`."""

    basis: str
    order_due_by: str
    requisition: str


class RequisitionOrderIssued(Event):
    """The written requisition order (徵購/徵用令): everything the Act's order names (item, owner, term,
    purpose, where to deliver, appeal, legal basis); `late` when an emergency's order came after its
    deadline."""

    appeal: dict[str, Any]
    consent_ground: str | None
    county_order_on: str
    deliver_at: dict[str, Any]
    document_no: str
    emergency: bool
    issued_on: str
    issuing_agency: Text
    item: dict[str, Any]
    late: bool
    legal_basis: dict[str, Any]
    mode: str
    owner: dict[str, Any]
    owner_served_on: str
    purpose: str
    requisition: str
    term_days: int | None


class RequisitionOrderOverdue(Event):
    """An emergency requisition's written order was not issued by `due_by`."""

    basis: str
    county: str
    due_by: str
    requisition: str


class RequisitionOrderServed(Event):
    """The order reached the owner over `channel`, `delay_turns` after it was issued."""

    channel: str
    delay_turns: int
    requisition: str


class RequisitionPlanState(Event):
    """A requisition plan changed state (`submit` -> `submitted`, then approved or refused by central,
    with `reason`)."""

    by: str
    county: str
    from_: str | None = Field(alias="from")
    items: list[str] | None = None
    plan: str
    purpose: str | None = None
    reason: str | None = None
    to: str


class RequisitionReceipt(Event):
    """The receipt for requisitioned property delivered (item, quantity, condition, assessed price)."""

    assessed_price: float | None
    condition: str
    delivered_on: str
    issued_on: str
    item: str
    name: str
    owner: str
    quantity: int
    requisition: str
    supplement: bool
    term_days: int | None
    unit: str


class RequisitionReleased(Event):
    """Requisitioned property released (returned, or `lost`): held `held_days` on a `term_days` term
    (`overdue_days` past it)."""

    county: str
    held_days: int
    lost: bool
    operators: list[Any]
    overdue_days: int
    released_on: str
    requisition: str
    return_to: str | None
    returned_to: str
    term_days: int


class RequisitionState(Event):
    """A property requisition changed state (`trigger` moved it `from` -> `to`; `emergency` on the
    first move of an emergency requisition)."""

    emergency: bool | None = None
    from_: str | None = Field(alias="from")
    requisition: str
    to: str
    trigger: str


class RequisitionValued(Event):
    """`assess_value` accepted: the price under `mode` (purchase or use) from the `market_value` as the
    `panel` assessed it."""

    basis: str
    market_value: float
    mode: str
    panel: list[str]
    price: float
    requisition: str
    term_days: int | None


EVENTS: dict[str, type[BaseModel]] = {
    "casualty_recorded": CasualtyRecorded,
    "compensation_liability": CompensationLiability,
    "compensation_overdue": CompensationOverdue,
    "compensation_paid": CompensationPaid,
    "manpower_notice": ManpowerNotice,
    "manpower_state": ManpowerState,
    "penalty_assessed": PenaltyAssessed,
    "requisition_damage": RequisitionDamage,
    "requisition_emergency": RequisitionEmergency,
    "requisition_order_issued": RequisitionOrderIssued,
    "requisition_order_overdue": RequisitionOrderOverdue,
    "requisition_order_served": RequisitionOrderServed,
    "requisition_plan_state": RequisitionPlanState,
    "requisition_receipt": RequisitionReceipt,
    "requisition_released": RequisitionReleased,
    "requisition_state": RequisitionState,
    "requisition_valued": RequisitionValued,
}
