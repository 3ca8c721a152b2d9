"""Requisition plans: submitted by a county, approved or rejected by the Executive Yuan
Mobilization Board (the ``central`` role), or approved automatically after a delay (art 28)."""

from __future__ import annotations

from typing import Any

from tabletop.core.commands import Command, Rejected
from tabletop.requisition import common, rules
from tabletop.requisition.args import PlanArgs, PlanRef, PlanReject


def submit(session: Any, command: Command, args: PlanArgs) -> None:
    state = common.st(session)
    if len(set(args.items)) != len(args.items):
        raise Rejected("registry", common.R + "item_twice")
    for ident in args.items:
        if ident in state.registry["people"]:
            rules.art_34_not_exempt(common.person(session, ident, command.county))
        else:
            rules.art_29_not_exempt(common.property_item(session, ident, command.county))
    session.ids[args.id] = "requisition_plan"
    plan = {"id": args.id, "county": command.county, "items": list(args.items), "purpose": args.purpose,
            "state": "submitted", "submitted_turn": session.turn, "decided_by": None, "reason": None}
    state.plans[args.id] = plan
    session.emit("requisition_plan_state", {"plan": args.id, "county": command.county, "from": None, "to": "submitted",
                                            "by": command.actor, "items": list(args.items), "purpose": args.purpose})


def approve(session: Any, command: Command, args: PlanRef) -> None:
    plan = rules.art_28_plan_pending(common.st(session).plans.get(args.plan), args.plan)
    decide(session, plan, "approved", command.actor, None)


def reject(session: Any, command: Command, args: PlanReject) -> None:
    plan = rules.art_28_plan_pending(common.st(session).plans.get(args.plan), args.plan)
    decide(session, plan, "rejected", command.actor, args.reason)


def decide(session: Any, plan: dict[str, Any], to: str, by: str, reason: str | None) -> None:
    source = plan["state"]
    plan.update(state=to, decided_by=by, reason=reason)
    session.emit("requisition_plan_state", {"plan": plan["id"], "county": plan["county"], "from": source, "to": to,
                                            "by": by, "reason": reason})


def auto_approve(session: Any) -> None:
    """Plans nobody decided are approved after the scenario's delay (if it sets one)."""
    delay = common.section(session).auto_approve_after_turns
    if delay is None:
        return
    plans = common.st(session).plans
    for ident in sorted(plans):
        plan = plans[ident]
        if plan["state"] == "submitted" and session.turn - plan["submitted_turn"] >= delay:
            decide(session, plan, "approved", "auto", None)
