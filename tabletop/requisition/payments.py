"""Paying what is owed, and the turn-start watch over deadlines (XP payment rules, arts 33 and 38)."""

from __future__ import annotations

from typing import Any

from tabletop.core.commands import Command, Rejected
from tabletop.requisition import common, manpower, plans, rules
from tabletop.requisition.args import PayArgs
from tabletop.requisition.model import parse_date


def pay(session: Any, command: Command, args: PayArgs) -> None:
    state = common.st(session)
    owed = state.liabilities.get(args.liability)
    if owed is None or owed["county"] != command.county:
        raise Rejected("requisition", common.R + "unknown_liability", liability=args.liability)
    if owed["paid_on"] is not None:
        raise Rejected("requisition", common.R + "paid_already", liability=args.liability, on=owed["paid_on"])
    today = common.today(session)
    rules.art_38_not_expired(owed, today)
    owed["paid_on"] = today.isoformat()
    session.emit("compensation_paid", {"liability": owed["id"], "county": owed["county"], "payee": owed["payee"],
                                       "amount": owed["amount"], "paid_on": owed["paid_on"], "due_by": owed["due_by"],
                                       "late": today > parse_date(owed["due_by"]), "basis": owed["basis"]})
    case = state.cases.get(owed["about"])
    if case is not None and _all_paid(state, case["id"]) and state.may(case["id"], "settle"):
        common.move(session, case["id"], "settle")


def _all_paid(state: Any, about: str) -> bool:
    mine = [v for v in state.liabilities.values() if v["about"] == about]
    return bool(mine) and all(v["paid_on"] is not None for v in mine)


def watch_deadlines(session: Any) -> None:
    """Flag, once, each emergency order not issued within 3 days and each liability past due."""
    state, today = common.st(session), common.today(session)
    for ident in sorted(state.cases):
        case = state.cases[ident]
        due = case["order_due_by"]
        if case["emergency"] and case["order_no"] is None and not case["order_overdue"] and due and today > parse_date(due):
            case["order_overdue"] = True
            session.emit("requisition_order_overdue", {"requisition": ident, "county": case["county"], "due_by": due,
                                                       "basis": "ip.emergency"})
    for ident in sorted(state.liabilities):
        owed = state.liabilities[ident]
        if owed["paid_on"] is None and not owed["overdue"] and today > parse_date(owed["due_by"]):
            owed["overdue"] = True
            session.emit("compensation_overdue", {"liability": ident, "county": owed["county"], "due_by": owed["due_by"],
                                                  "amount": owed["amount"], "basis": owed["basis"]})


def on_turn_start(session: Any) -> None:
    """The ``injects`` phase hook: approvals by delay, reporting days, deadlines."""
    plans.auto_approve(session)
    manpower.report_due(session)
    watch_deadlines(session)
