"""Requisitioned people (民力): written notice, reporting, release or replacement, support,
and the benefits for injury, disability and death (arts 34-38, 41, 43)."""

from __future__ import annotations

from typing import Any

from tabletop.core.commands import Command, Rejected
from tabletop.requisition import common, dates, rules
from tabletop.requisition.args import CasualtyArgs, CaseRef, ManpowerArgs
from tabletop.requisition.model import parse_date
from tabletop.requisition.state import ACTIVE


def requisition_manpower(session: Any, command: Command, args: ManpowerArgs) -> None:
    state = common.st(session)
    person = common.person(session, args.person, command.county)
    rules.art_34_not_exempt(person)
    rules.art_28_plan_approved(state.plans.get(args.plan), args.plan, person["id"], command.county)
    busy = state.active_manpower_for(person["id"])
    if busy is not None:
        raise Rejected("requisition", common.R + "person_busy", person=person["id"], requisition=busy["id"])
    notice_on, report_on = parse_date(args.notice_on), parse_date(args.report_on)
    rules.art_34_notice(common.today(session), notice_on, report_on)
    if args.operates is not None:
        operated = state.cases.get(args.operates)
        if operated is None or operated["county"] != command.county or operated["state"] not in ACTIVE:
            raise Rejected("requisition", common.R + "unknown_case", requisition=args.operates)
    session.ids[args.id] = "manpower_requisition"
    case = {"id": args.id, "county": command.county, "plan": args.plan, "person": person["id"],
            "notice_on": notice_on.isoformat(), "report_on": report_on.isoformat(), "operates": args.operates,
            "reported_on": None, "released_on": None, "state": "noticed"}
    state.add_manpower(case)
    session.emit("manpower_notice", {"requisition": args.id, "person": {"id": person["id"], "name": person["name"],
                                     "id_number": person.get("id_number"), "skill": person["skill"]},
                                     "notice_on": case["notice_on"], "report_on": case["report_on"],
                                     "operates": args.operates, "basis": "art.34"})
    session.emit("manpower_state", {"requisition": args.id, "from": None, "to": "noticed", "trigger": "notice"})


def report_due(session: Any) -> None:
    """On the reporting day each noticed person reports, or not, by seeded chance (art 43);
    an employer grants official leave, or not (art 41 with art 35-2)."""
    state, today = common.st(session), common.today(session)
    chances = common.section(session).compliance
    for ident in sorted(state.manpower):
        case = state.manpower[ident]
        if case["state"] != "noticed" or parse_date(case["report_on"]) > today:
            continue
        person = state.registry["people"][case["person"]]
        if not session.rng("requisition.people").chance(chances.people):
            common.move(session, ident, "fail", "manpower_state")
            common.penalty(session, case["county"], ident, rules.art_43_penalty(person["id"]), person["name"])
            continue
        case["reported_on"] = today.isoformat()
        common.move(session, ident, "report", "manpower_state")
        if person.get("employer") and not session.rng("requisition.employers").chance(chances.employers):
            common.penalty(session, case["county"], ident, rules.art_41_penalty("employer", "art.35.2"), person["employer"])


def release_manpower(session: Any, command: Command, args: CaseRef) -> None:
    case = common.manpower_case(session, command, args.requisition)
    rules.art_34_can_release(case)
    _release_one(session, case)


def release_operators(session: Any, requisition: str) -> list[str]:
    """Art 32: the operators of released property are released with it."""
    state = common.st(session)
    out = []
    for ident in sorted(state.manpower):
        case = state.manpower[ident]
        if case["operates"] == requisition and case["state"] in ("noticed", "reported"):
            _release_one(session, case)
            out.append(ident)
    return out


def _release_one(session: Any, case: dict[str, Any]) -> None:
    today = common.today(session)
    if case["state"] == "noticed":  # before reporting: released and replaced (XM)
        common.move(session, case["id"], "replace", "manpower_state")
        return
    common.move(session, case["id"], "release", "manpower_state")
    case["released_on"] = today.isoformat()
    person = common.st(session).registry["people"][case["person"]]
    days = dates.held_days(parse_date(case["reported_on"]), today)
    per_diem = common.section(session).per_diem
    common.liability(session, county=case["county"], payee=person["id"], payee_name=person["name"],
                     amount=rules.art_35_support(days, per_diem), due_by=today, basis="art.35", about=case["id"],
                     kind="support_in_lieu", person_days=days, per_diem=per_diem)


def record_casualty(session: Any, command: Command, args: CasualtyArgs) -> None:
    state = common.st(session)
    person = common.person(session, args.person, command.county)
    case = rules.art_36_can_claim(state.latest_manpower_for(person["id"]), person["id"])
    earlier = [v for v in state.liabilities.values() if v.get("person") == person["id"] and v["basis"] == "art.36"]
    if any(v.get("outcome") == "death" for v in earlier):
        raise Rejected("art.36", common.R + "already_dead", person=person["id"])
    today = common.today(session)
    base = common.section(session).base_unit
    units_paid = sum(v.get("units") or 0 for v in earlier if v.get("kind") == "benefit")
    units, amount = rules.art_36_benefit(args.outcome, base, units_paid, person.get("job_benefit", 0))
    expires = rules.art_38_expires(today)
    session.emit("casualty_recorded", {"person": person["id"], "requisition": case["id"], "outcome": args.outcome,
                                       "treatment_cost": args.treatment_cost, "on": today.isoformat()})
    common_fields = dict(county=case["county"], due_by=expires, basis="art.36", about=person["id"], person=person["id"],
                         outcome=args.outcome, expires_on=expires.isoformat())
    if args.treatment_cost:
        common.liability(session, payee=person["id"], payee_name=person["name"], amount=args.treatment_cost,
                         kind="treatment", units=None, base=None, **common_fields)
    if not amount:
        return
    if args.outcome != "death":
        common.liability(session, payee=person["id"], payee_name=person["name"], amount=amount, kind="benefit",
                         units=units, base=base, job_benefit=person.get("job_benefit", 0), **common_fields)
        return
    for share in rules.art_37_survivors(person, amount):
        common.liability(session, payee=f"{person['id']}:{share['relation']}", payee_name=share["name"],
                         amount=share["amount"], kind="benefit", units=units, base=base, survivor_basis="art.37",
                         relation=share["relation"], job_benefit=person.get("job_benefit", 0), **common_fields)
