"""The Mobilization Act, arts 28-43, as pure functions: one place per rule.

Each ``art_N_*`` function either returns what the article computes or raises
:class:`Rejected` with ``rule="art.N"`` and a bilingual reason (keys in
``tabletop/requisition/strings.yaml``). Handlers call these before they change
anything, so a refused command leaves no trace but its rejection.

The XP / IP timing rules (the exercise regulations and the implementation plan,
not the Act) are ``xp_timing`` and ``ip_timing``, with rules ``xp.timing`` and
``ip.timing``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence

from tabletop.core.commands import Rejected
from tabletop.core.messages import ref
from tabletop.requisition import dates

R = "requisition.reject."

# ----- art 28: approval first, delivery on time, use owes compensation ------------------------


def art_28_plan_approved(plan: dict[str, Any] | None, plan_id: str, item: str, county: str | None) -> None:
    """No requisition before the Executive Yuan Mobilization Board approved a plan that covers it."""
    if plan is None or plan["county"] != county:
        raise Rejected("art.28", R + "no_plan", plan=plan_id)
    if plan["state"] != "approved":
        raise Rejected("art.28", R + "plan_not_approved", plan=plan_id, state=plan["state"])
    if item not in plan["items"]:
        raise Rejected("art.28", R + "not_in_plan", plan=plan_id, item=item)


def art_28_plan_pending(plan: dict[str, Any] | None, plan_id: str) -> dict[str, Any]:
    """Only a submitted, undecided plan can be approved or rejected; returns it."""
    if plan is None:
        raise Rejected("art.28", R + "no_plan", plan=plan_id)
    if plan["state"] != "submitted":
        raise Rejected("art.28", R + "plan_decided", plan=plan_id, state=plan["state"])
    return plan


def art_28_delivery_due(today: date, deliver_on: date) -> None:
    """The owner delivers at the set date; a delivery is recorded on or after it."""
    if today < deliver_on:
        raise Rejected("art.28", R + "not_due", date=deliver_on.isoformat(), today=today.isoformat())


def art_28_use_compensation(price: int, term_days: int, held: int, overrun_under_art_33: bool = False) -> int:
    """Use compensation (arts 28 and 32) for the whole time held: the assessed price covers the
    term, and is owed pro rata for every day actually held, past the term too (a truck held 29
    days on a 7-day term is owed 29 days). When a repair kept it past the term, the days past it
    are owed under art 33 instead (``art_33_overrun``), so no day is paid twice."""
    days = min(held, term_days) if overrun_under_art_33 else held
    return round(price * days / term_days)


def art_32_overdue_days(term_days: int | None, held: int) -> int:
    """Art 32: release at once when the reason ends; days held past the stated term are an overdue release."""
    return max(0, held - term_days) if term_days else 0



# ----- art 29: exempt property -------------------------------------------------------------------


def art_29_not_exempt(item: dict[str, Any]) -> None:
    basis = item.get("exemption")
    if basis:
        raise Rejected("art.29", R + "exempt", item=item["id"], basis=basis, why=ref("requisition.exempt", basis))



# ----- art 30: order, receipt, the same owner twice in a year ------------------------------------

ART_30_EXCEPTIONS = ("patent", "sole_agent", "no_alternative")


def art_30_repeat_consent(item: dict[str, Any], earlier: int, consent: bool, exception: str | None) -> str | None:
    """A second requisition from one owner in one calendar year needs consent, unless the item
    is patented, sold by a sole agent, or has no alternative in the area. Returns the ground used."""
    if earlier == 0:
        return None
    if consent:
        return "consent"
    if exception in ART_30_EXCEPTIONS:
        if not item.get(exception):
            raise Rejected("art.30", R + "exception_unfounded", item=item["id"], exception=exception)
        return exception
    raise Rejected("art.30", R + "repeat_needs_consent", owner=item["owner"], count=earlier)


def art_30_receipt(case: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """What the receipt (受領證明) must record: item, quantity, condition, assessed price, term."""
    return {"requisition": case["id"], "item": item["id"], "name": item["name"], "quantity": item["quantity"],
            "unit": item["unit"], "condition": item["condition"], "assessed_price": case["price"],
            "term_days": case["days"] if case["mode"] == "use" else None, "owner": item["owner"]}


def art_30_can_deliver(case: dict[str, Any]) -> None:
    """Property is handed over under an order (or first, in an IP emergency)."""
    if case["state"] == "drafted" and not case["emergency"]:
        raise Rejected("art.30", R + "no_order", requisition=case["id"])
    if case["state"] not in ("drafted", "order_issued"):
        raise Rejected("art.30", R + "delivered_already", requisition=case["id"], state=case["state"])


def art_30_served(case: dict[str, Any]) -> None:
    """The order travels to the owner through the township office (communications); the owner
    delivers under an order actually served (not needed when an IP emergency takes the property first)."""
    if case["state"] == "order_issued" and not case["emergency"] and case.get("served_turn") is None:
        raise Rejected("art.30", R + "order_not_served", requisition=case["id"])


# ----- art 31: valuation -------------------------------------------------------------------------


def art_31_price(item: dict[str, Any], mode: str, price: int, band: Sequence[float]) -> None:
    """The panel's price follows market price and use: a purchase within the band around market
    value; a use compensation above zero and never more than buying the item would cost."""
    value = item["market_value"]
    if price <= 0:
        raise Rejected("art.31", R + "price_positive", price=price)
    low, high = round(value * band[0]), round(value * band[1])
    if mode == "purchase" and not low <= price <= high:
        raise Rejected("art.31", R + "price_off_market", price=price, low=low, high=high, value=value)
    if mode == "use" and price > high:
        raise Rejected("art.31", R + "use_above_value", price=price, high=high)


def art_31_assessed(case: dict[str, Any]) -> None:
    if case["price"] is None:
        raise Rejected("art.31", R + "not_assessed", requisition=case["id"])


# ----- art 32: release and return ------------------------------------------------------------------


def art_32_can_release(case: dict[str, Any]) -> None:
    if case["mode"] != "use":
        raise Rejected("art.32", R + "purchase_not_released", requisition=case["id"])
    if case["state"] not in ("in_use", "damaged"):
        raise Rejected("art.32", R + "not_held", requisition=case["id"], state=case["state"])


# ----- art 33: damage and loss ---------------------------------------------------------------------


def art_33_can_damage(case: dict[str, Any], severity: str, repair_cost: int) -> None:
    if case["mode"] != "use":
        raise Rejected("art.33", R + "damage_purchase", requisition=case["id"])
    allowed = ("in_use",) if severity == "repairable" else ("in_use", "damaged")
    if case["state"] not in allowed:
        raise Rejected("art.33", R + "damage_state", requisition=case["id"], state=case["state"])
    if severity == "repairable" and repair_cost <= 0:
        raise Rejected("art.33", R + "repair_cost", requisition=case["id"])


def art_33_overrun(price: int, term_days: int, held: int) -> int:
    """Extra compensation when a repair keeps the item past the requisition period."""
    return round(price * max(0, held - term_days) / term_days)


def art_33_due(settled: date) -> date:
    """Damage or loss is paid within 6 months after the investigation is settled."""
    return dates.add_months(settled, 6)


# ----- XP / IP timing ------------------------------------------------------------------------------

XP_ORDER_DAYS, XP_SERVICE_DAYS, XP_PURCHASE_PAY_DAYS = 20, 10, 20
IP_ORDER_DAYS, IP_SERVICE_DAYS, IP_EMERGENCY_ORDER_DAYS = 10, 5, 3


def order_timing(mobilization: str, today: date, deliver_on: date, service_days: int, emergency: bool) -> dict[str, Any]:
    """Check the lead time of an order; returns the dates the order records."""
    rule, order_days, serve_days = (("xp.timing", XP_ORDER_DAYS, XP_SERVICE_DAYS) if mobilization == "exercise"
                                    else ("ip.timing", IP_ORDER_DAYS, IP_SERVICE_DAYS))
    if emergency:
        if mobilization != "actual":
            raise Rejected("ip.timing", R + "emergency_only_actual")
        if deliver_on < today:
            raise Rejected("ip.timing", R + "deliver_past", date=deliver_on.isoformat())
        return {"county_order_on": None, "owner_served_on": None,
                "order_due_by": dates.add_days(today, IP_EMERGENCY_ORDER_DAYS).isoformat()}
    served = dates.add_days(today, service_days)
    lead, service_lead = dates.days_between(today, deliver_on), dates.days_between(served, deliver_on)
    if lead < order_days:
        raise Rejected(rule, R + "order_late", days=order_days, lead=lead, date=deliver_on.isoformat())
    if service_lead < serve_days:
        raise Rejected(rule, R + "service_late", days=serve_days, lead=service_lead, date=deliver_on.isoformat())
    return {"county_order_on": today.isoformat(), "owner_served_on": served.isoformat(), "order_due_by": None}


def purchase_due(receipt: date) -> date:
    """XP: the purchase price is paid in one sum within 20 days of the receipt."""
    return dates.add_days(receipt, XP_PURCHASE_PAY_DAYS)


# ----- art 34: people ------------------------------------------------------------------------------

ART_34_NOTICE_DAYS = 10


def art_34_not_exempt(person: dict[str, Any]) -> None:
    for flag, clause in (("sole_operator", "art.34.3.1"), ("family_dependent", "art.34.3.2"), ("unfit", "art.34.3.3")):
        if person.get(flag):
            raise Rejected("art.34", R + "person_exempt", person=person["id"], clause=clause,
                           why=ref("requisition.person_exempt", flag))




def art_34_notice(today: date, notice_on: date, report_on: date) -> None:
    """Written notice is served (today or later, never backdated) at least 10 days before reporting."""
    if notice_on < today:
        raise Rejected("art.34", R + "notice_backdated", notice=notice_on.isoformat(), today=today.isoformat())
    lead = dates.days_between(notice_on, report_on)
    if lead < ART_34_NOTICE_DAYS:
        raise Rejected("art.34", R + "notice_short", days=ART_34_NOTICE_DAYS, lead=lead)


def art_34_can_release(case: dict[str, Any]) -> None:
    if case["state"] not in ("noticed", "reported"):
        raise Rejected("art.34", R + "manpower_state", requisition=case["id"], state=case["state"])


# ----- art 35: meals, lodging, transport -----------------------------------------------------------


def art_35_support(person_days: int, per_diem: int) -> int:
    return person_days * per_diem


# ----- arts 36-38: injury, disability, death, survivors, expiry ------------------------------------

ART_36_UNITS = {"disability_severe": 36, "disability_moderate": 18, "disability_mild": 8, "death": 90}


def art_36_can_claim(case: dict[str, Any] | None, person: str) -> dict[str, Any]:
    """Only a requisitioned person who reported (or served and was released) has an art 36 claim."""
    if case is None or case["state"] not in ("reported", "released"):
        raise Rejected("art.36", R + "not_serving", person=person)
    return case


def art_36_benefit(outcome: str, base: int, units_paid: int, job_benefit: int) -> tuple[int, int]:
    """(units, amount) of the one-off disability payment or death pension.

    Disability: 36 / 18 / 8 base units. Death: 90, less what an earlier disability payment
    for the same person already paid ("topped up to 90"). Whatever the person's own job
    scheme pays is deducted: the state pays the difference. Injury alone: no units (the
    treatment cost is paid separately).
    """
    units = ART_36_UNITS.get(outcome, 0)
    if outcome == "death":
        units = max(0, units - units_paid)
    elif outcome.startswith("disability"):
        units = max(0, units - units_paid)
    return units, max(0, units * base - job_benefit)


SURVIVOR_ORDER = (("spouse", "child"), ("parent",), ("grandparent",), ("grandchild",), ("sibling",))


def art_37_survivors(person: dict[str, Any], amount: int) -> list[dict[str, Any]]:
    """Who receives a death pension: a will first; else the first non-empty order, equal shares
    (whole NT$; the remainder goes one dollar each to the first listed)."""
    relatives = person.get("survivors") or []
    if person.get("will"):
        named = [r for name in person["will"] for r in relatives if r["name"] == name][:1]
        chosen = named or [{"name": person["will"][0], "relation": "will"}]
    else:
        chosen = []
        for order in SURVIVOR_ORDER:
            chosen = [r for r in relatives if r["relation"] in order]
            if chosen:
                break
    if not chosen:
        return [{"name": None, "relation": "estate", "amount": amount, "order": None}]
    share, rest = divmod(amount, len(chosen))
    return [{"name": r["name"], "relation": r["relation"], "amount": share + (1 if i < rest else 0)}
            for i, r in enumerate(chosen)]


def art_38_expires(can_claim_from: date) -> date:
    """An art 36 claim lapses if not exercised within 2 years from when it could first be."""
    return dates.add_years(can_claim_from, 2)


def art_38_not_expired(liability: dict[str, Any], today: date) -> None:
    expires = liability.get("expires_on")
    if expires and today > date.fromisoformat(expires):
        raise Rejected("art.38", R + "claim_expired", liability=liability["id"], expired=expires)


# ----- arts 41 and 43: penalties -------------------------------------------------------------------


def art_41_penalty(party: str, violated: str) -> dict[str, Any]:
    """Failing to deliver requisitioned property (28-3) or refusing leave (35-2): up to NT$3,000,000."""
    return {"party": party, "amount_min": 0, "amount_max": 3_000_000, "basis": "art.41", "violated": violated}


def art_43_penalty(party: str) -> dict[str, Any]:
    """A requisitioned person who fails to report (34-2): NT$20,000 to 100,000."""
    return {"party": party, "amount_min": 20_000, "amount_max": 100_000, "basis": "art.43", "violated": "art.34.2"}
