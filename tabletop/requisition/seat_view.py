"""The requisition part in the trainee seats: the county's requisition paperwork (role
pictures) and the plans, items, people, cases and liabilities its commands can name (form
choices).

Plans, cases and liabilities are the county's own files, so the panels read the part's
state as it is; what is due next is worked out on the game date of the current turn.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable

from tabletop import i18n
from tabletop import pictures as pic
from tabletop.core.parts import Choice, PictureRow
from tabletop.requisition import common
from tabletop.requisition.model import parse_date
from tabletop.requisition.state import ACTIVE

CASES = "requisition.cases"
PLANS = "requisition.plans"
LIABILITIES = "requisition.liabilities"

#: Days before a deadline when a panel row turns to a warning.
SOON_DAYS = 3


def _state(session: Any) -> Any:
    return session.domain(common.NAME) if session.has_part(common.NAME) else None


def _label(prefix: str, name: str) -> dict[str, str]:
    key = f"requisition.{prefix}.{name}"
    return i18n.both(key) if key in i18n.TABLE else pic.text(name)


def _item(state: Any, ident: str) -> dict[str, Any]:
    return state.registry["property"].get(ident, {"id": ident, "name": ident, "owner": None})


def _owner_name(state: Any, owner: str | None) -> str:
    return (state.registry["owners"].get(owner or "", {}).get("name") or owner or "")


def _person(state: Any, ident: str) -> dict[str, Any]:
    return state.registry["people"].get(ident, {"id": ident, "name": ident, "skill": ""})


def _mine(items: dict[str, dict[str, Any]], county: str) -> list[dict[str, Any]]:
    return [items[i] for i in sorted(items) if items[i]["county"] == county]


# ----- cases ----------------------------------------------------------------------------------
def cases_picture(session: Any, county: str) -> list[PictureRow]:
    """Each property and manpower case with its state and what is due next, most urgent first."""
    state = _state(session)
    if state is None:
        return []
    today = common.today(session)
    rows = [_case_row(state, case, today) for case in _mine(state.cases, county)]
    rows += [_manpower_row(state, case, today) for case in _mine(state.manpower, county)]
    if not rows:
        return [pic.row("requisition.pic.no_cases", "dim")]
    return pic.capped(pic.urgent_first(rows))


def _case_row(state: Any, case: dict[str, Any], today: date) -> PictureRow:
    item = _item(state, case["resource"])
    head = i18n.both("requisition.pic.case", id=case["id"], item=item["name"],
                     state=_label("state", case["state"]), mode=_label("mode", case["mode"]))
    due, tone = _case_next(case, today)
    return PictureRow(pic.concat([head, due]), tone)


def _case_next(case: dict[str, Any], today: date) -> tuple[dict[str, str], str]:
    """What the case waits for next, and how urgent it is."""
    stage = case["state"]
    if stage in ("drafted", "order_issued", "delivered", "in_use", "damaged") and case["emergency"] and case["order_no"] is None:
        overdue = case["order_overdue"] or (case["order_due_by"] and today > parse_date(case["order_due_by"]))
        return i18n.both("requisition.pic.order_due", date=case["order_due_by"]), "bad" if overdue else "warn"
    if stage in ("drafted", "order_issued"):
        deliver_on = parse_date(case["deliver_at"]["date"])
        if today >= deliver_on:
            return i18n.both("requisition.pic.delivery_now", date=deliver_on.isoformat()), "warn"
        return i18n.both("requisition.pic.delivery_on", date=deliver_on.isoformat()), "text"
    if stage in ("delivered", "in_use", "damaged") and case["price"] is None:
        return i18n.both("requisition.pic.assess"), "warn"
    if stage == "damaged":
        return i18n.both("requisition.pic.damaged"), "warn"
    if stage == "in_use" and case["mode"] == "use" and case["delivered_on"] and case["days"]:
        end = parse_date(case["delivered_on"]) + timedelta(days=case["days"] - 1)
        if today > end:
            return i18n.both("requisition.pic.term_over", date=end.isoformat(), days=(today - end).days), "bad"
        return i18n.both("requisition.pic.term_ends", date=end.isoformat()), "ok"
    if stage == "in_use":
        return i18n.both("requisition.pic.purchase_pay"), "ok"
    if stage in ("released", "lost") and case.get("overdue_days"):
        return i18n.both("requisition.pic.released_overdue", days=case["overdue_days"]), "bad"
    if stage in ("released", "lost"):
        return i18n.both("requisition.pic.pay_owed"), "warn"
    if stage == "refused":
        return i18n.both("requisition.pic.refused"), "dim"
    return {lang: "" for lang in i18n.LANGS}, "dim"


def _manpower_row(state: Any, case: dict[str, Any], today: date) -> PictureRow:
    person = _person(state, case["person"])
    head = i18n.both("requisition.pic.manpower", id=case["id"], name=person["name"],
                     skill=_label("skill", person.get("skill") or ""), state=_label("manpower_state", case["state"]))
    if case["state"] == "noticed":
        report_on = parse_date(case["report_on"])
        due = i18n.both("requisition.pic.report_on", date=report_on.isoformat())
        tone = "warn" if (report_on - today).days <= SOON_DAYS else "text"
    elif case["state"] == "reported":
        due, tone = i18n.both("requisition.pic.reported_on", date=case["reported_on"]), "ok"
    elif case["state"] == "failed":
        due, tone = i18n.both("requisition.pic.failed"), "dim"
    else:
        due, tone = {lang: "" for lang in i18n.LANGS}, "dim"
    return PictureRow(pic.concat([head, due]), tone)


# ----- plans ----------------------------------------------------------------------------------
def plans_picture(session: Any, county: str) -> list[PictureRow]:
    state = _state(session)
    if state is None:
        return []
    rows = []
    for plan in _mine(state.plans, county):
        parts = [i18n.both("requisition.pic.plan", id=plan["id"], state=_label("plan_state", plan["state"]),
                           count=len(plan["items"]), turn=plan["submitted_turn"], purpose=plan["purpose"])]
        if plan["state"] == "rejected" and plan["reason"]:
            parts.append(i18n.both("requisition.pic.plan_reason", reason=plan["reason"]))
        tone = {"approved": "ok", "submitted": "warn", "rejected": "bad"}.get(plan["state"], "text")
        rows.append(PictureRow(pic.concat(parts), tone))
    if not rows:
        rows = [pic.row("requisition.pic.no_plans", "dim")]
    return pic.capped(pic.urgent_first(rows) + _exempt_rows(state, county))


def _exempt_rows(state: Any, county: str) -> list[PictureRow]:
    """Property of the county's registry that art 29 exempts, by class (named), so no plan lists it."""
    by_class: dict[str, list[str]] = {}
    for _ident, item in sorted(state.registry["property"].items()):
        if item.get("county") == county and item.get("exemption"):
            by_class.setdefault(item["exemption"], []).append(item["name"])
    return [pic.row("requisition.pic.exempt", "dim", clause=basis.rsplit(".", 1)[1], why=_label("exempt", basis),
                    count=len(names), items=pic.joined([{lang: n for lang in i18n.LANGS} for n in names], limit=3))
            for basis, names in sorted(by_class.items())]


# ----- liabilities ------------------------------------------------------------------------------
def liabilities_picture(session: Any, county: str) -> list[PictureRow]:
    """What the county owes: a total, then open liabilities by due date, then paid ones."""
    state = _state(session)
    if state is None:
        return []
    today = common.today(session)
    mine = _mine(state.liabilities, county)
    if not mine:
        return [pic.row("requisition.pic.no_liabilities", "dim")]
    unpaid = sorted((v for v in mine if v["paid_on"] is None), key=lambda v: (v["due_by"], v["id"]))
    overdue = [v for v in unpaid if today > parse_date(v["due_by"])]
    rows = [pic.row("requisition.pic.owed", "bad" if overdue else "warn" if unpaid else "ok", count=len(unpaid),
                    amount=f"{sum(v['amount'] for v in unpaid):,}", overdue=len(overdue))]
    for owed in unpaid:
        days = (parse_date(owed["due_by"]) - today).days
        tone = "bad" if days < 0 else "warn" if days <= SOON_DAYS else "text"
        rows.append(pic.row("requisition.pic.liability", tone, **_liability_params(owed)))
    for owed in sorted((v for v in mine if v["paid_on"] is not None), key=lambda v: v["id"]):
        rows.append(pic.row("requisition.pic.paid", "dim", paid_on=owed["paid_on"], **_liability_params(owed)))
    return pic.capped(rows)


def _liability_params(owed: dict[str, Any]) -> dict[str, Any]:
    return {"id": owed["id"], "payee": owed["payee_name"] or owed["payee"], "amount": f"{owed['amount']:,}",
            "kind": _label("liability", owed.get("kind") or ""), "due": owed["due_by"], "basis": owed["basis"]}


# ----- form choices ---------------------------------------------------------------------------
def _approved_plans(state: Any, county: str) -> list[dict[str, Any]]:
    return [p for p in _mine(state.plans, county) if p["state"] == "approved"]


def _plan_choice(plan: dict[str, Any]) -> Choice:
    return pic.choice(plan["id"], "requisition.choice.plan", id=plan["id"], purpose=plan["purpose"],
                      count=len(plan["items"]), state=_label("plan_state", plan["state"]))


def _plans(session: Any, county: str, role: str) -> list[Choice]:
    state = _state(session)
    return [] if state is None else [_plan_choice(p) for p in _approved_plans(state, county)]


def _pending_plans(session: Any, county: str, role: str) -> list[Choice]:
    """Plans waiting for the Executive Yuan Mobilization Board (every county's, for central)."""
    state = _state(session)
    if state is None:
        return []
    return [_plan_choice(state.plans[i]) for i in sorted(state.plans)
            if state.plans[i]["state"] == "submitted" and (not county or state.plans[i]["county"] == county)]


def _resources(session: Any, county: str, role: str) -> list[Choice]:
    """Property listed in the county's approved plans that no open case holds."""
    state = _state(session)
    if state is None:
        return []
    listed = sorted({i for p in _approved_plans(state, county) for i in p["items"] if i in state.registry["property"]})
    out = []
    for ident in listed:
        item = state.registry["property"][ident]
        if item["county"] != county or state.active_case_for(ident) is not None:
            continue
        out.append(pic.choice(ident, "requisition.choice.item", id=ident, name=item["name"],
                              owner=_owner_name(state, item["owner"])))
    return out


def _people(session: Any, county: str, role: str) -> list[Choice]:
    """People listed in the county's approved plans with no open manpower case."""
    state = _state(session)
    if state is None:
        return []
    listed = sorted({i for p in _approved_plans(state, county) for i in p["items"] if i in state.registry["people"]})
    return [_person_choice(state, i) for i in listed
            if state.registry["people"][i]["county"] == county and state.active_manpower_for(i) is None]


def _person_choice(state: Any, ident: str) -> Choice:
    person = _person(state, ident)
    return pic.choice(ident, "requisition.choice.person", id=ident, name=person["name"],
                      skill=_label("skill", person.get("skill") or ""))


def _claimants(session: Any, county: str, role: str) -> list[Choice]:
    """People who reported for service (art 36 claims)."""
    state = _state(session)
    if state is None:
        return []
    people = sorted({c["person"] for c in _mine(state.manpower, county)})
    return [_person_choice(state, p) for p in people
            if (state.latest_manpower_for(p) or {}).get("state") in ("reported", "released")]


def _cases(test):
    def choices(session: Any, county: str, role: str) -> list[Choice]:
        state = _state(session)
        if state is None:
            return []
        today = common.today(session)
        return [pic.choice(c["id"], "requisition.choice.case", id=c["id"], item=_item(state, c["resource"])["name"],
                           state=_label("state", c["state"]))
                for c in _mine(state.cases, county) if test(c, today)]
    return choices


def _deliverable(case: dict[str, Any], today: date) -> bool:
    pending = case["state"] == "order_issued" or (case["state"] == "drafted" and case["emergency"])
    return pending and today >= parse_date(case["deliver_at"]["date"])


def _manpower_cases(session: Any, county: str, role: str) -> list[Choice]:
    state = _state(session)
    if state is None:
        return []
    return [pic.choice(c["id"], "requisition.choice.manpower", id=c["id"], name=_person(state, c["person"])["name"],
                       state=_label("manpower_state", c["state"]))
            for c in _mine(state.manpower, county) if c["state"] in ("noticed", "reported")]


def _liabilities(session: Any, county: str, role: str) -> list[Choice]:
    """Unpaid liabilities whose claim has not expired (art 38), earliest due first."""
    state = _state(session)
    if state is None:
        return []
    today = common.today(session)
    open_ = [v for v in _mine(state.liabilities, county) if v["paid_on"] is None
             and not (v.get("expires_on") and today > date.fromisoformat(v["expires_on"]))]
    return [pic.choice(v["id"], "requisition.choice.liability", **_liability_params(v))
            for v in sorted(open_, key=lambda v: (v["due_by"], v["id"]))]


PICTURES: dict[str, Callable[[Any, str], list[PictureRow]]] = {CASES: cases_picture, PLANS: plans_picture, LIABILITIES: liabilities_picture}

#: Which roles see each panel, and where in the role's tabs (0 first; tabletop.pictures.panel_names).
PANELS: dict[str, dict[str, int]] = {
    CASES: {"commander": 3, "mobilization": 0, "reserve_command": 0},
    LIABILITIES: {"mobilization": 1},
    PLANS: {"mobilization": 2, "central": 0},
}

CHOICES: dict[str, Callable[[Any, str, str], list[Choice]]] = {
    "approve_requisition_plan.plan": _pending_plans,
    "reject_requisition_plan.plan": _pending_plans,
    "requisition.plan": _plans,
    "requisition.resource": _resources,
    "requisition_manpower.plan": _plans,
    "requisition_manpower.person": _people,
    "requisition_manpower.operates": _cases(lambda c, today: c["state"] in ACTIVE),
    "issue_requisition_order.requisition": _cases(
        lambda c, today: c["emergency"] and c["order_no"] is None and c["state"] != "refused"),
    "record_delivery.requisition": _cases(_deliverable),
    "assess_value.requisition": _cases(
        lambda c, today: c["price"] is None and c["state"] in ("drafted", "order_issued", "delivered", "in_use", "damaged")),
    "release.requisition": _cases(lambda c, today: c["mode"] == "use" and c["state"] in ("in_use", "damaged")),
    "report_damage.requisition": _cases(lambda c, today: c["mode"] == "use" and c["state"] in ("in_use", "damaged")),
    "release_manpower.requisition": _manpower_cases,
    "record_casualty.person": _claimants,
    "pay_compensation.liability": _liabilities,
}
