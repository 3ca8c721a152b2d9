"""The distribution part's events (their data models; see :mod:`tabletop.core.events`).

Quantities are in the goods' units (kg, litres, cylinders); `goods` maps good -> quantity.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from tabletop.core.events import Event


class ShortageDeclared(Event):
    """`declare_shortage` accepted (by the county or central): rationing of `goods` may begin."""

    goods: list[str]
    by: str


class RationSet(Event):
    """`set_ration` accepted: the county's ration of `good` from now on (`previous`: the one it
    replaces, or null)."""

    county: str
    good: str
    per_person_per_day: float
    per_purchase: float
    purchases_per_month: int
    specific_persons: bool
    window_turns: int
    previous: dict[str, float | int | bool] | None


class StationState(Event):
    """A distribution station changed state (`planned`, `setting_up`, `open`, `suspended`,
    `closing`, `closed`); `reason` says why (`opened`, an order, an alert, a strike ...). When it
    is planned (`from` null) the event also names where it stands and its staff."""

    station: str
    from_: str | None = Field(alias="from")
    to: str
    reason: str
    township: str | None = None
    site: str | None = None
    type: str | None = None
    staff: int | None = None
    staff_required: int | None = None


class StationOrderReceived(Event):
    """An EOC order (`order`: its command kind) reached the township office of `station`,
    `delay_turns` after it was sent; it takes effect now."""

    station: str
    order: str
    delay_turns: int
    township: str | None = None


class StationOrderFailed(Event):
    """An EOC order reached the station's township office but no longer applies (the station
    moved on meanwhile): refused as `rule` / `key` / `params`, like a rejection."""

    station: str
    order: str
    delay_turns: int
    rule: str
    key: str
    params: dict[str, object]


class StationStaffed(Event):
    """A station's staff changed (`staff` of the `staff_required` its type needs)."""

    station: str
    staff: int
    staff_required: int


class ConvoyDispatched(Event):
    """`dispatch` accepted: a convoy leaves `from` for `to` with `goods` over `route` (road
    links), due at `eta_turn`."""

    convoy: str
    from_: str = Field(alias="from")
    to: str
    goods: dict[str, float]
    vehicles: int
    requisitioned_vehicles: int
    load_kg: float
    minutes: int
    route: list[str]
    eta_turn: int


class ConvoyHeld(Event):
    """A convoy waits where it is this turn (`reason`: `air_raid` during an alert)."""

    convoy: str
    at: str
    reason: str


class ConvoyBlocked(Event):
    """A closed road stopped a convoy at `at`: rerouted over `route` (`minutes_left` to go), or
    stuck (`rerouted: false`, `minutes_left` null) until the road opens."""

    convoy: str
    link: str
    at: str
    rerouted: bool
    minutes_left: int | None
    route: list[str] | None = None


class ConvoyArrived(Event):
    """A convoy reached `at` and unloaded `goods`; its vehicles are back at `vehicles_back_turn`."""

    convoy: str
    at: str
    goods: dict[str, float]
    minutes: int
    vehicles_back_turn: int


class Served(Event):
    """One station's line for one good this turn: `people` served with `quantity`; `unmet` left
    the queue unserved (waited too long), `queue` still wait."""

    people: int
    quantity: float
    unmet: int
    queue: int


class DistributionServed(Event):
    """A county's stations served people this turn (format 5: one record per county and turn,
    not one per station and good): `stations` maps station -> good -> its line, for every
    station that served someone or turned someone away."""

    county: str
    turn: int
    stations: dict[str, dict[str, Served]]


class Stockout(Event):
    """A station (or a warehouse) ran out of `good`."""

    good: str
    station: str | None = None
    warehouse: str | None = None


class GoodsInflow(Event):
    """Goods arrived at a warehouse or station from outside the county's network (`source`:
    `regional_supply`, an effect ...)."""

    place: str
    goods: dict[str, float]
    source: str


class GoodsLost(Event):
    """Goods destroyed or spoiled at `place` (`cause`: a strike, a flood ...)."""

    place: str
    goods: dict[str, float]
    cause: str


class PanicChanged(Event):
    """Panic buying changed in townships (`panic`: township -> level 0-1); `cause` is the effect,
    or `announcement` (then `county` names who calmed it)."""

    cause: str
    panic: dict[str, float]
    county: str | None = None


class PurchaseWindow(Event):
    """A purchase window of `good` closed in `county`: `lapsed` entitlements were not bought."""

    county: str
    good: str
    window: int
    lapsed: int | float


class RoadState(Event):
    """A road link closed or opened (`cause`: the effect or the repair)."""

    road: str
    closed: bool
    cause: str


class SupplyStatus(Event):
    """Each county's supply picture at turn end: days of supply per good, stations by state, and
    coverage against the planning reference."""

    county: str
    days_of_supply: dict[str, float | None]
    stations: dict[str, int]
    coverage: dict[str, object]


class BatchCollected(Event):
    """`collect_batch` accepted: the county bought `goods` from the regional supply station into
    `warehouse` at `prices`; `amount` is owed until `pay_batch`."""

    batch: str
    county: str
    warehouse: str
    goods: dict[str, float]
    prices: dict[str, float]
    amount: float


class BatchPaid(Event):
    """`pay_batch` accepted: the batch is settled, `days_after` its collection."""

    batch: str
    county: str
    amount: float
    days_after: float


class AidRequested(Event):
    """`request_aid` accepted: `county` asks central for `goods`, `trucks`, `medical_teams` and
    `shelter_places`, delivered to its warehouse `to` (null when it asks only for places)."""

    request: str
    county: str
    to: str | None
    goods: dict[str, float]
    trucks: int
    medical_teams: int
    shelter_places: int


class AidRequestReceived(Event):
    """Central has `county`'s request `request` (a message from the county's EOC), `delay_turns`
    after it was sent: from now on it can be allocated."""

    request: str
    county: str
    delay_turns: int


class AidAllocated(Event):
    """`allocate_aid` accepted: central gives part of `request` from `lender`'s warehouse `from`:
    `goods` carried by `vehicles` of the lender's trucks, `trucks` lent, `medical_teams` aboard, all
    on convoy `convoy` (null when only shelter places) over `route`, due at `eta_turn`;
    `lender_days_before` / `_after`: the lender's own days of supply of each good lent."""

    allocation: str
    request: str
    county: str
    lender: str
    from_: str | None = Field(alias="from")
    goods: dict[str, float]
    vehicles: int
    trucks: int
    medical_teams: int
    shelter_places: int
    convoy: str | None
    route: list[str]
    eta_turn: int | None
    lender_days_before: dict[str, float | None]
    lender_days_after: dict[str, float | None]


class AidDelivered(Event):
    """Part of a request reached the county (`turns` after it asked): an aid convoy arrived, or
    shelter places were granted."""

    allocation: str
    request: str
    county: str
    lender: str
    goods: dict[str, float]
    trucks: int
    medical_teams: int
    shelter_places: int
    turns: int


class AidFilled(Event):
    """Everything `request` asked for has been delivered, `turns` after it was made."""

    request: str
    county: str
    turns: int


EVENTS: dict[str, type[BaseModel]] = {
    "shortage_declared": ShortageDeclared,
    "ration_set": RationSet,
    "station_state": StationState,
    "station_order_received": StationOrderReceived,
    "station_order_failed": StationOrderFailed,
    "station_staffed": StationStaffed,
    "convoy_dispatched": ConvoyDispatched,
    "convoy_held": ConvoyHeld,
    "convoy_blocked": ConvoyBlocked,
    "convoy_arrived": ConvoyArrived,
    "distribution_served": DistributionServed,
    "stockout": Stockout,
    "goods_inflow": GoodsInflow,
    "goods_lost": GoodsLost,
    "panic_changed": PanicChanged,
    "purchase_window": PurchaseWindow,
    "road_state": RoadState,
    "supply_status": SupplyStatus,
    "batch_collected": BatchCollected,
    "batch_paid": BatchPaid,
    "aid_requested": AidRequested,
    "aid_request_received": AidRequestReceived,
    "aid_allocated": AidAllocated,
    "aid_delivered": AidDelivered,
    "aid_filled": AidFilled,
}
