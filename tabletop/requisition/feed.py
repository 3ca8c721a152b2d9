"""The requisition part's event feed lines (``Plugin.feed``; see :mod:`tabletop.feed`): each of its
event kinds -> the parameters of its ``ui.ev.<kind>`` line (strings in ``strings.yaml``)."""

from __future__ import annotations

from typing import Any

from tabletop.feed import Names, Params


def _case_state(group: str) -> Params:
    def params(n: Names, d: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        case = n.case(d["requisition"])
        if d.get("from") is None:
            emergency = n.paren(n.t("ui.emergency")) if d.get("emergency") else ""
            return f"ui.ev.{group}.new", {"case": case, "emergency": emergency}
        return f"ui.ev.{group}", {"case": case, "src": n.label(group, d["from"]), "dst": n.label(group, d["to"])}
    return params


def _plan_state(n: Names, d: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if d.get("from") is None:
        return "ui.ev.requisition_plan_state.new", {"plan": d["plan"], "by": n.actor(d.get("by")),
                                                    "purpose": d.get("purpose") or ""}
    return "ui.ev.requisition_plan_state", {"plan": d["plan"], "src": n.label("plan_state", d["from"]),
                                            "dst": n.label("plan_state", d["to"]),
                                            "by": n.paren(n.label("decided_by", d.get("by")) if d.get("by") == "auto"
                                                          else n.actor(d.get("by")))}


FEED: dict[str, Params] = {
    "requisition_state": _case_state("requisition_state"),
    "manpower_state": _case_state("manpower_state"),
    "requisition_emergency": lambda n, d: {"case": n.case(d["requisition"]), "due": d.get("order_due_by")},
    "requisition_order_issued": lambda n, d: {"case": n.case(d["requisition"]), "number": d.get("document_no", "")},
    "requisition_order_served": lambda n, d: {"case": n.case(d["requisition"]), "channel": n.channel(d.get("channel")),
                                              "delay": d.get("delay_turns", 0)},
    "requisition_order_overdue": lambda n, d: {"case": n.case(d["requisition"]), "due": d.get("due_by")},
    "requisition_receipt": lambda n, d: {"case": d["requisition"], "name": d.get("name") or n.registered(d.get("item")),
                                         "quantity": n.num(d.get("quantity")), "unit": d.get("unit") or ""},
    "requisition_valued": lambda n, d: {"case": n.case(d["requisition"]), "price": n.num(d.get("price")),
                                        "market": n.num(d.get("market_value"))},
    "requisition_released": lambda n, d: (
        "ui.ev.requisition_released.lost" if d.get("lost") else "ui.ev.requisition_released",
        {"case": n.case(d["requisition"]), "owner": n.registered(d.get("returned_to")), "days": d.get("held_days")}),
    "requisition_damage": lambda n, d: {"case": n.case(d["requisition"]), "severity": n.label("severity", d.get("severity")),
                                        "cost": n.num(d.get("repair_cost") or 0)},
    "requisition_plan_state": _plan_state,
    "compensation_liability": lambda n, d: {"id": d["id"], "amount": n.num(d.get("amount")),
                                            "payee": d.get("payee_name") or n.registered(d.get("payee")),
                                            "basis": n.basis(d.get("basis")), "due": d.get("due_by")},
    "compensation_paid": lambda n, d: {"liability": d["liability"], "amount": n.num(d.get("amount")),
                                       "payee": n.registered(d.get("payee")),
                                       "late": n.paren(n.t("ui.late")) if d.get("late") else ""},
    "compensation_overdue": lambda n, d: {"liability": d["liability"], "amount": n.num(d.get("amount")), "due": d.get("due_by")},
    "penalty_assessed": lambda n, d: {"party": d.get("party_name") or n.registered(d.get("party")),
                                      "violated": n.basis(d.get("violated")), "low": n.num(d.get("amount_min")),
                                      "high": n.num(d.get("amount_max"))},
    "manpower_notice": lambda n, d: {"case": d["requisition"], "name": (d.get("person") or {}).get("name", ""),
                                     "report_on": d.get("report_on")},
    "casualty_recorded": lambda n, d: {"person": n.registered(d.get("person")), "outcome": n.label("outcome", d.get("outcome"))},
}
