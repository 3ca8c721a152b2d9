"""Batches from the regional supply station and their payment (貨款結清).

R, operating procedure (the 2002 text's art 14, items 3 and 7; domain.md section 2): the
county collects goods from the regional supply station with its own transport, at the price
the supply agencies set; it pays in full for the last batch before it draws the next. A
collection is an invoice (``batch_collected``: goods, price per unit, amount owed);
``pay_batch`` settles it (``batch_paid``). Prices are scenario data
(``distribution.prices``, NT$ per unit; defaults below are *assumptions*).
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, StrictFloat, StrictInt

from tabletop.core.commands import Args, Command, Rejected
from tabletop.distribution import rules, supply
from tabletop.scenario.model import Id
from tabletop.core import sums

Quantity = Annotated[Union[StrictInt, StrictFloat], Field(gt=0, le=1e12, allow_inf_nan=False)]

#: NT$ per unit where the scenario sets no price (*assumption*: 2024 retail order of magnitude).
DEFAULT_PRICES: dict[str, float] = {"rice": 40.0, "edible_oil": 80.0, "salt": 20.0, "lpg": 800.0,
                                    "water": 10.0, "infant_formula": 700.0}
FALLBACK_PRICE = 50.0


class CollectBatch(Args):
    #: A new id for the batch.
    id: Id
    #: The county's warehouse that collects from the regional supply station.
    warehouse: Id
    #: A mapping good → quantity.
    goods: Annotated[dict[Id, Quantity], Field(min_length=1, max_length=100)]


class PayBatch(Args):
    #: A collected batch not yet paid.
    batch: Id


def price(state: Any, good: str) -> float:
    prices = state.params.prices
    if good in prices:
        return float(prices[good])
    return DEFAULT_PRICES.get(good, FALLBACK_PRICE)


def unpaid(state: Any, county: str | None) -> list[dict[str, Any]]:
    return [b for _, b in sorted(state.batches.items()) if b["county"] == county and not b["paid"]]


def collect(session: Any, command: Command, args: CollectBatch) -> None:
    state = session.domain("distribution")
    if state.place_county(args.warehouse) != command.county or args.warehouse not in state.warehouses:
        raise Rejected("unknown_place", "dist.reject.unknown_place", place=args.warehouse)
    for good in sorted(args.goods):
        if good not in state.goods:
            raise Rejected("unknown_good", "dist.reject.unknown_good", good=good)
    owed = unpaid(state, command.county)
    rules.check_paid(owed[0]["id"] if owed else None, owed[0]["amount"] if owed else 0)
    goods = {g: float(q) for g, q in sorted(args.goods.items())}
    prices = {g: price(state, g) for g in goods}
    amount = round(sums.total(q * prices[g] for g, q in goods.items()), 2)
    state.batches[args.id] = {"id": args.id, "county": command.county, "warehouse": args.warehouse, "goods": goods,
                              "prices": prices, "amount": amount, "turn": session.turn, "paid": False,
                              "paid_turn": None}
    session.ids[args.id] = "batch"
    session.emit("batch_collected", {"batch": args.id, "county": command.county, "warehouse": args.warehouse,
                                     "goods": goods, "prices": prices, "amount": amount})
    supply.inflow(session, args.warehouse, goods, "regional_supply")


def pay(session: Any, command: Command, args: PayBatch) -> None:
    state = session.domain("distribution")
    batch = state.batches.get(args.batch)
    if batch is None or batch["county"] != command.county:
        raise Rejected("unknown_batch", "dist.reject.unknown_batch", batch=args.batch)
    if batch["paid"]:
        raise Rejected("already_paid", "dist.reject.already_paid", batch=args.batch)
    batch["paid"] = True
    batch["paid_turn"] = session.turn
    session.emit("batch_paid", {"batch": args.batch, "county": command.county, "amount": batch["amount"],
                                "days_after": round((session.turn - batch["turn"]) * session.clock.minutes_per_turn / 1440, 3)})
