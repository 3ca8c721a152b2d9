"""Property requisition cases: order, delivery and receipt, valuation, release, damage (arts 28-33)."""

from __future__ import annotations

from typing import Any

from tabletop.core.commands import Command, Rejected
from tabletop.requisition import common, dates, rules
from tabletop.requisition.args import AssessArgs, CaseRef, DamageArgs, RequisitionArgs
from tabletop.requisition.model import parse_date

# The order's printed clauses, as message keys (the log holds keys; readers render the text).
LEGAL_BASIS = {"key": "requisition.order.legal_basis", "params": {}}
APPEAL = {"key": "requisition.order.appeal", "params": {}}


def requisition(session: Any, command: Command, args: RequisitionArgs) -> None:
    state, section, today = common.st(session), common.section(session), common.today(session)
    item = common.property_item(session, args.resource, command.county)
    rules.art_29_not_exempt(item)
    rules.art_28_plan_approved(state.plans.get(args.plan), args.plan, item["id"], command.county)
    held = state.active_case_for(item["id"])
    if held is not None:
        raise Rejected("requisition", common.R + "item_held", item=item["id"], requisition=held["id"])
    if args.mode == "use" and args.days is None:
        raise Rejected("art.30", common.R + "use_needs_term")
    if args.mode == "purchase" and args.days is not None:
        raise Rejected("art.30", common.R + "purchase_no_term")
    emergency = args.exception == "emergency"
    deliver_on = parse_date(args.deliver_at.date)
    timing = rules.order_timing(section.mobilization, today, deliver_on, section.owner_service_days, emergency)
    earlier = state.owner_requisitions(item["owner"], today.year)
    ground = rules.art_30_repeat_consent(item, earlier, args.consent, None if emergency else args.exception)
    # Every check passed: from here on the command only records.
    session.ids[args.id] = "requisition"
    case = {"id": args.id, "county": command.county, "plan": args.plan, "resource": item["id"], "owner": item["owner"],
            "mode": args.mode, "days": args.days, "deliver_at": {"place": args.deliver_at.place, "date": deliver_on.isoformat()},
            "emergency": emergency, "consent_ground": ground, "ordered_on": today.isoformat(), "order_no": None,
            "order_due_by": timing["order_due_by"], "order_overdue": False, "delivered_on": None, "price": None,
            "damage": None, "released_on": None, "state": "drafted"}
    state.add_case(case)
    session.emit("requisition_state", {"requisition": args.id, "from": None, "to": "drafted", "trigger": "draft",
                                       "emergency": emergency})
    if emergency:
        session.emit("requisition_emergency", {"requisition": args.id, "order_due_by": timing["order_due_by"],
                                               "basis": "ip.emergency"})
    else:
        _issue(session, case, timing)


def issue_order(session: Any, command: Command, args: CaseRef) -> None:
    """The order that must follow an IP emergency requisition within 3 days."""
    case = common.case(session, command, args.requisition)
    if not case["emergency"] or case["order_no"] is not None:
        raise Rejected("ip.timing", common.R + "order_not_pending", requisition=case["id"])
    if case["state"] == "refused":
        raise Rejected("ip.timing", common.R + "order_not_pending", requisition=case["id"])
    today = common.today(session)
    _issue(session, case, {"county_order_on": today.isoformat(), "owner_served_on": today.isoformat(),
                           "order_due_by": case["order_due_by"]})


def _issue(session: Any, case: dict[str, Any], timing: dict[str, Any]) -> None:
    state = common.st(session)
    item = state.registry["property"][case["resource"]]
    owner = state.registry["owners"].get(case["owner"], {})
    county = session.counties[case["county"]]
    number = sum(1 for c in state.cases.values() if c["county"] == case["county"] and c["order_no"]) + 1
    today = common.today(session)
    case["order_no"] = f"{county.name.zh_TW}府動徵字第{today.year - 1911}{number:04d}號"
    late = bool(case["order_due_by"]) and today > parse_date(case["order_due_by"])
    plan = state.plans[case["plan"]]
    session.emit("requisition_order_issued", {
        "requisition": case["id"], "document_no": case["order_no"], "issued_on": today.isoformat(),
        "issuing_agency": county.eoc.model_dump() if county.eoc else county.name.model_dump(),
        "owner": {"id": case["owner"], "name": owner.get("name"), "id_number": owner.get("id_number"),
                  "phone": owner.get("phone")},
        "purpose": plan["purpose"], "legal_basis": LEGAL_BASIS, "mode": case["mode"],
        "item": {"id": item["id"], "name": item["name"], "kind": item["kind"], "class": item["class"],
                 "quantity": item["quantity"], "unit": item["unit"], "condition": item["condition"],
                 "capacity_kg": item.get("capacity_kg", 0), "power_kw": item.get("power_kw", 0)},
        "term_days": case["days"], "deliver_at": case["deliver_at"], "consent_ground": case["consent_ground"],
        "county_order_on": timing["county_order_on"], "owner_served_on": timing["owner_served_on"],
        "emergency": case["emergency"], "late": late, "appeal": APPEAL,
    })
    if case["state"] == "drafted":
        common.move(session, case["id"], "issue")
    # The order is served on the owner through the township office where the property is.
    session.send(f"eoc:{case['county']}", f"township:{item['township']}", ORDER, {"requisition": case["id"]})


ORDER = "requisition_order"


def order_served(session: Any, msg: dict[str, Any]) -> None:
    """The township office has the order and serves it on the owner."""
    case = common.st(session).cases.get(msg["payload"]["requisition"])
    if case is None or case.get("served_turn") is not None:
        return
    case["served_turn"] = session.turn
    session.emit("requisition_order_served", {"requisition": case["id"], "delay_turns": session.turn - msg["sent_turn"],
                                              "channel": msg.get("channel_used")})


def record_delivery(session: Any, command: Command, args: CaseRef) -> None:
    case = common.case(session, command, args.requisition)
    rules.art_30_can_deliver(case)
    today = common.today(session)
    rules.art_28_delivery_due(today, parse_date(case["deliver_at"]["date"]))
    rules.art_30_served(case)
    state = common.st(session)
    owner = state.registry["owners"].get(case["owner"], {})
    if not session.rng("requisition.owners").chance(common.section(session).compliance.owners):
        common.move(session, case["id"], "refuse")
        common.penalty(session, case["county"], case["id"], rules.art_41_penalty(case["owner"], "art.28.3"), owner.get("name"))
        return
    case["delivered_on"] = today.isoformat()
    common.move(session, case["id"], "deliver")
    _receipt(session, case)
    common.move(session, case["id"], "put_in_use")
    if case["mode"] == "purchase" and case["price"] is not None:
        _purchase_liability(session, case)


def _receipt(session: Any, case: dict[str, Any], supplement: bool = False) -> None:
    item = common.st(session).registry["property"][case["resource"]]
    data = rules.art_30_receipt(case, item)
    data.update(issued_on=common.today(session).isoformat(), delivered_on=case["delivered_on"], supplement=supplement)
    session.emit("requisition_receipt", data)


def _purchase_liability(session: Any, case: dict[str, Any]) -> None:
    owner = common.st(session).registry["owners"].get(case["owner"], {})
    common.liability(session, county=case["county"], payee=case["owner"], payee_name=owner.get("name"), amount=case["price"],
                     due_by=rules.purchase_due(parse_date(case["delivered_on"])), basis="art.31", about=case["id"],
                     kind="purchase_price")


def assess_value(session: Any, command: Command, args: AssessArgs) -> None:
    case = common.case(session, command, args.requisition)
    if case["state"] not in ("drafted", "order_issued", "delivered", "in_use", "damaged"):
        raise Rejected("art.31", common.R + "assess_state", requisition=case["id"], state=case["state"])
    if case["price"] is not None:
        raise Rejected("art.31", common.R + "assessed_already", requisition=case["id"], price=case["price"])
    item = common.st(session).registry["property"][case["resource"]]
    rules.art_31_price(item, case["mode"], args.price, common.section(session).valuation_band)
    case["price"] = args.price
    session.emit("requisition_valued", {"requisition": case["id"], "price": args.price, "market_value": item["market_value"],
                                        "mode": case["mode"], "term_days": case["days"], "basis": "art.31",
                                        "panel": ["organizer", "county", "owner", "trade_association"]})
    if case["delivered_on"] is not None:
        _receipt(session, case, supplement=True)
        if case["mode"] == "purchase":
            _purchase_liability(session, case)


def release(session: Any, command: Command, args: CaseRef) -> None:
    case = common.case(session, command, args.requisition)
    rules.art_32_can_release(case)
    rules.art_31_assessed(case)
    _release(session, case)


def _release(session: Any, case: dict[str, Any]) -> None:
    """Return the item to its delivery place, owe use compensation, release its operators (arts 28, 32, 33)."""
    from tabletop.requisition import manpower

    today = common.today(session)
    held = dates.held_days(parse_date(case["delivered_on"]), today)
    if case["state"] == "damaged":
        common.move(session, case["id"], "repair")
    lost = case["state"] == "lost"
    common.move(session, case["id"], "release")
    case["released_on"] = today.isoformat()
    operators = manpower.release_operators(session, case["id"])
    overdue = rules.art_32_overdue_days(case["days"] if case["mode"] == "use" else None, held)
    case["overdue_days"] = overdue
    session.emit("requisition_released", {"requisition": case["id"], "return_to": None if lost else case["deliver_at"]["place"],
                                          "returned_to": case["owner"], "released_on": today.isoformat(),
                                          "held_days": held, "term_days": case["days"], "overdue_days": overdue,
                                          "county": case["county"], "operators": operators, "lost": lost})
    owner = common.st(session).registry["owners"].get(case["owner"], {})
    use = rules.art_28_use_compensation(case["price"], case["days"], held,
                                        overrun_under_art_33=case["damage"] == "repairable")
    common.liability(session, county=case["county"], payee=case["owner"], payee_name=owner.get("name"), amount=use,
                     due_by=today, basis="art.28", about=case["id"], kind="use_compensation", held_days=held,
                     term_days=case["days"], price=case["price"])
    overrun = rules.art_33_overrun(case["price"], case["days"], held) if case["damage"] == "repairable" else 0
    if overrun:
        common.liability(session, county=case["county"], payee=case["owner"], payee_name=owner.get("name"), amount=overrun,
                         due_by=rules.art_33_due(today), basis="art.33", about=case["id"], kind="repair_overrun",
                         overrun_days=held - case["days"])


def report_damage(session: Any, command: Command, args: DamageArgs) -> None:
    case = common.case(session, command, args.requisition)
    rules.art_33_can_damage(case, args.severity, args.repair_cost)
    if args.severity != "repairable":
        rules.art_31_assessed(case)
    today = common.today(session)
    session.emit("requisition_damage", {"requisition": case["id"], "county": case["county"], "severity": args.severity,
                                        "repair_cost": args.repair_cost, "repaired_by": "organizer",
                                        "settled_on": today.isoformat(), "basis": "art.33"})
    if args.severity == "repairable":
        case["damage"] = "repairable"
        common.move(session, case["id"], "damage")
        return
    case["damage"] = args.severity
    common.move(session, case["id"], "lose")
    _release(session, case)
    item = common.st(session).registry["property"][case["resource"]]
    owner = common.st(session).registry["owners"].get(case["owner"], {})
    common.liability(session, county=case["county"], payee=case["owner"], payee_name=owner.get("name"),
                     amount=item["market_value"], due_by=rules.art_33_due(today), basis="art.33", about=case["id"],
                     kind="loss", severity=args.severity)
