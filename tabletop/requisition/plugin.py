"""The requisition plugin (issue 4): commands, scenario section, state, hooks, checks, registry, CLI."""

from __future__ import annotations

from tabletop.core.messages import message
from tabletop.scenario.locate import near_param

from typing import Any

from tabletop.requisition.events import EVENTS
from tabletop.requisition.feed import FEED
from tabletop.requisition import metrics
from tabletop.core.commands import PLAY_STATES, CommandSpec
from tabletop.core.parts import Plugin
from tabletop.requisition import args as a, cases, manpower, payments, plans, queries, registry, restore, seat_view, state
from tabletop.requisition.model import RequisitionSection
from tabletop.requisition.state import RequisitionState

MOB, CENTRAL = ("mobilization",), ("central",)


def _specs() -> tuple[CommandSpec, ...]:
    def spec(kind, roles, model, handler, creates=False):
        return CommandSpec(kind, roles, model, handler, states=PLAY_STATES, creates=creates)

    return (
        spec("submit_requisition_plan", MOB, a.PlanArgs, plans.submit, creates=True),
        spec("approve_requisition_plan", CENTRAL, a.PlanRef, plans.approve),
        spec("reject_requisition_plan", CENTRAL, a.PlanReject, plans.reject),
        spec("requisition", MOB, a.RequisitionArgs, cases.requisition, creates=True),
        spec("issue_requisition_order", MOB, a.CaseRef, cases.issue_order),
        spec("record_delivery", MOB, a.CaseRef, cases.record_delivery),
        spec("assess_value", MOB, a.AssessArgs, cases.assess_value),
        spec("release", MOB, a.CaseRef, cases.release),
        spec("report_damage", MOB, a.DamageArgs, cases.report_damage),
        spec("requisition_manpower", MOB, a.ManpowerArgs, manpower.requisition_manpower, creates=True),
        spec("release_manpower", MOB, a.CaseRef, manpower.release_manpower),
        spec("record_casualty", MOB, a.CasualtyArgs, manpower.record_casualty),
        spec("pay_compensation", MOB, a.PayArgs, payments.pay),
    )


def _init(session: Any) -> RequisitionState:
    return RequisitionState(registry.build(session.scenario, session.generated.get("requisition")))


def check(scenario: Any) -> list[tuple]:
    """Hand-listed registry entries: unique ids, known townships and owners."""
    section = scenario.requisition
    towns = {t.id for c in scenario.counties for t in c.townships}
    owners = {o.id for o in section.owners}
    out: list[tuple] = []
    seen: set[str] = set()
    for part in ("owners", "property", "people"):
        for index, entry in enumerate(getattr(section, part)):
            path = ("requisition", part, index)
            if entry.id in seen:
                out.append((path + ("id",), message("requisition.check.duplicate", id=entry.id)))
            seen.add(entry.id)
            if entry.township not in towns:
                out.append((path + ("township",), message("check.unknown_township", township=entry.township,
                                                          near=near_param(entry.township, sorted(towns)))))
            if part == "property" and entry.owner not in owners:
                out.append((path + ("owner",), message("requisition.check.unknown_owner", owner=entry.owner,
                                                       near=near_param(entry.owner, sorted(owners)))))
    return out


PLUGIN = Plugin(
    name="requisition",
    events=EVENTS,
    feed=FEED,
    metrics=metrics.METRICS,
    commands=_specs(),
    scenario_sections={"requisition": RequisitionSection},
    init_state=_init,
    restore=restore.restore,
    hooks={"injects": payments.on_turn_start},
    check_scenario=check,
    generate=registry.generate,
    diagrams={"requisition_case": state.case_diagram},
    receivers={cases.ORDER: cases.order_served},
    pictures=seat_view.PICTURES,
    panels=seat_view.PANELS,
    choices=seat_view.CHOICES,
    queries=queries.QUERIES,
)
