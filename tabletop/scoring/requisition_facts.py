"""What the requisition part's metrics and the after-action report read from a log: the facts
behind its measures (the measures themselves are the part's, in
tabletop/requisition/metrics.py).

Requisition metrics (徵購徵用, issue 4), from the contract commands and events.

Reads the requisition commands (and their ``command_rejected`` with ``rule`` ``art.N``),
``requisition_plan_state``, ``requisition_state`` {requisition, from, to},
``requisition_receipt``, ``requisition_valued``, ``requisition_released`` {return_to},
``compensation_liability`` {id, payee, amount, due_by, basis, about} and
``compensation_paid`` {liability}.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from tabletop.scoring.view import LogView
from tabletop.scoring.registry import Scope


OWNERS = ("mobilization",)


COMMANDS = (
    "submit_requisition_plan", "approve_requisition_plan", "reject_requisition_plan", "requisition",
    "record_delivery", "assess_value", "release", "report_damage", "requisition_manpower",
    "release_manpower", "record_casualty", "pay_compensation",
)


EVENTS = ("requisition_plan_state", "requisition_order_issued", "requisition_receipt", "requisition_state",
          "requisition_released", "compensation_liability", "compensation_paid", "penalty_assessed")


def _county_commands(view: LogView, scope: Scope) -> list[tuple[Any, ...]]:
    """Requisition commands issued by county roles in scope, in seq order: (seq, turn, county, role, kind)."""
    if "requisition_commands" not in view.cache:
        rows = []
        for seq, record in view.commands.items():
            data = record.get("data") or {}
            if record["kind"] in COMMANDS and data.get("county") is not None:
                rows.append((seq, record["turn"], data["county"], data.get("role"), record["kind"]))
        view.cache["requisition_commands"] = sorted(rows)
    return [row for row in view.cache["requisition_commands"]
            if (scope.county is None or row[2] == scope.county) and (scope.role is None or row[3] == scope.role)]


def cases(view: LogView) -> dict[str, dict[str, Any]]:
    """Requisition id -> {county, plan, turn, delivered_turn, receipt, valued, released, return_to, compensated}."""
    if "requisition_cases" in view.cache:
        return view.cache["requisition_cases"]
    plans: dict[str, int] = {}
    out: dict[str, dict[str, Any]] = {}
    for key in sorted(k for k in view.accepted if k[1] in ("submit_requisition_plan", "requisition")):
        for _seq, turn, _role, args in view.accepted[key]:
            if key[1] == "submit_requisition_plan":
                plans.setdefault(str(args.get("id")), turn)
            else:
                out[str(args.get("id"))] = {"county": key[0], "plan": args.get("plan"), "mode": args.get("mode"),
                                            "turn": turn, "delivered_turn": None, "receipt": False, "valued": False,
                                            "released": False, "return_to": None, "lost": False, "compensated": False}
    for made in out.values():
        made["plan_turn"] = plans.get(str(made["plan"]), made["turn"])
    for record in view.events("requisition_state", "requisition_receipt", "requisition_valued",
                              "requisition_released", "compensation_liability", "compensation_paid"):
        data = record["data"]
        case = out.get(str(data.get("requisition") or data.get("about")))
        if case is None:
            continue
        kind = record["kind"]
        if kind == "requisition_state" and data.get("to") == "delivered" and case["delivered_turn"] is None:
            case["delivered_turn"] = record["turn"]
        elif kind == "requisition_receipt":
            case["receipt"] = True
            case["valued"] = case["valued"] or data.get("assessed_price") is not None
            if case["delivered_turn"] is None:
                case["delivered_turn"] = record["turn"]
        elif kind == "requisition_valued":
            case["valued"] = True
        elif kind == "requisition_released":
            case["released"] = True
            case["return_to"] = data.get("return_to")
            case["lost"] = bool(data.get("lost"))
        elif kind == "compensation_liability":
            case["compensated"] = True
    view.cache["requisition_cases"] = dict(sorted(out.items()))
    return view.cache["requisition_cases"]


def _cases(view: LogView, scope: Scope) -> list[dict[str, Any]]:
    return [c for c in cases(view).values() if scope.county is None or c["county"] == scope.county]


def _parse_date(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def ledger(view: LogView) -> list[dict[str, Any]]:
    """Every compensation liability with its payment and whether it is overdue at the end of the log."""
    if "ledger" in view.cache:
        return view.cache["ledger"]
    paid: dict[str, Any] = {}
    for record in view.events("compensation_paid"):
        data = record["data"]
        paid.setdefault(str(data.get("liability") or data.get("id")), data.get("paid_on") or record["time"][:10])
    end = end_date(view)
    rows = []
    for record in view.events("compensation_liability"):
        data = record["data"]
        due = _parse_date(data.get("due_by"))
        ident = str(data.get("id"))
        rows.append({"id": ident, "county": data.get("county") or view.cause_county(record), "payee": data.get("payee"),
                     "payee_name": data.get("payee_name"), "amount": data.get("amount"), "basis": data.get("basis"),
                     "kind": data.get("kind"), "about": data.get("about"), "due_by": data.get("due_by"),
                     "paid_on": paid.get(ident),
                     "overdue": ident not in paid and due is not None and due < end})
    view.cache["ledger"] = sorted(rows, key=lambda r: (str(r["county"]), str(r["due_by"]), r["id"]))
    return view.cache["ledger"]


def overdue_releases(view: LogView) -> list[dict[str, Any]]:
    """Use requisitions held past their term (Act art 32: release at once): released late
    (``requisition_released`` with ``overdue_days``) or still held past the term at the end of the log."""
    end = end_date(view)
    released = {str(r["data"].get("requisition")): r["data"] for r in view.events("requisition_released")}
    rows = []
    for record in view.events("requisition_receipt"):
        data = record["data"]
        ident, term = str(data.get("requisition")), data.get("term_days")
        if not term or data.get("supplement"):
            continue
        done = released.get(ident)
        if done is not None:
            days = int(done.get("overdue_days") or 0)
            state = "released"
        else:
            delivered = _parse_date(data.get("delivered_on"))
            days = max(0, (end - delivered).days + 1 - int(term)) if delivered else 0
            state = "held"
        if days > 0:
            rows.append({"id": ident, "county": data.get("county") or view.cause_county(record), "term_days": term,
                         "overdue_days": days, "state": state})
    return sorted(rows, key=lambda r: (str(r["county"]), r["id"]))


def end_date(view: LogView) -> date:
    """Game date at the end of the log's last turn."""
    last = view.start + timedelta(minutes=view.minutes_per_turn * view.last_turn)
    return (last - timedelta(microseconds=1)).date() if view.last_turn else datetime.fromisoformat(
        view.scenario.clock.start).date()
