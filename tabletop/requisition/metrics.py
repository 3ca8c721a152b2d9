"""The requisition part's metrics (``Plugin.metrics``), over the facts in ``tabletop.scoring.requisition_facts``."""

from __future__ import annotations

from tabletop.scoring.registry import Scope, Value, in_scope_role, metric, registered
from tabletop.scoring.requisition_facts import (
    OWNERS, _county_commands, cases, _cases, ledger,
)
from tabletop.scoring.survival import Observation, km_median
from tabletop.scoring.view import LogView


@metric("requisition_rejected_share", "requisition", "ratio", "lower", (0.05, 0.15, 0.3), owners=OWNERS)
def requisition_rejected_share(view: LogView, scope: Scope) -> Value | None:
    """Share of the county's requisition commands that were rejected; the detail counts the
    rejections by rule (``art.28``, ``art.29``, ...)."""
    rows = _county_commands(view, scope)
    if not rows:
        return None
    by_rule: dict[str, int] = {}
    for seq, *_ in rows:
        rejection = view.rejected.get(seq)
        if rejection is not None:
            rule = str((rejection.get("data") or {}).get("rule"))
            by_rule[rule] = by_rule.get(rule, 0) + 1
    rejected = sum(by_rule.values())
    return Value(rejected / len(rows), len(rows), {"rejected": rejected, "by_rule": dict(sorted(by_rule.items()))})


@metric("requisition_lead_time_min", "requisition", "minutes", "lower", (2, 4, 8), owners=OWNERS)
def requisition_lead_time_min(view: LogView, scope: Scope) -> Value | None:
    """Kaplan-Meier median game minutes from the plan's submission to the property's delivery, over
    accepted requisitions; requisitions never delivered are censored at the end of the log."""
    if not in_scope_role(scope, OWNERS):
        return None
    rows = _cases(view, scope)
    observations = []
    for case in rows:
        if case["delivered_turn"] is not None:
            observations.append(Observation(view.minutes(case["plan_turn"], case["delivered_turn"]), True))
        else:
            observations.append(Observation(view.minutes(case["plan_turn"], view.last_turn), False))
    median = km_median(observations)
    if median is None:
        return None
    return Value(median.value, len(observations), {"delivered": median.done, "censored": median.censored},
                 not_reached=median.value is None, horizon=median.horizon)


@metric("paper_trail_completeness", "requisition", "ratio", "higher", (0.95, 0.85, 0.7), owners=OWNERS)
def paper_trail_completeness(view: LogView, scope: Scope) -> Value | None:
    """Share of required documents present: every delivery has a receipt and a valuation; every
    release has a return place (unless the property was lost) and a compensation liability."""
    if not in_scope_role(scope, OWNERS):
        return None
    have = need = 0
    gaps: dict[str, list[str]] = {}
    for ident, case in cases(view).items():
        if scope.county is not None and case["county"] != scope.county:
            continue
        checks = []
        if case["delivered_turn"] is not None:
            checks += [("receipt", case["receipt"]), ("valuation", case["valued"])]
        if case["released"]:
            checks += [("return", case["return_to"] is not None or case["lost"]), ("compensation", case["compensated"])]
        need += len(checks)
        have += sum(1 for _, ok in checks if ok)
        missing = [name for name, ok in checks if not ok]
        if missing:
            gaps[ident] = missing
    if need == 0:
        return None
    return Value(have / need, need, {"missing": gaps})


@metric("overdue_liability_share", "requisition", "ratio", "lower", (0.0, 0.1, 0.25), owners=OWNERS)
def overdue_liability_share(view: LogView, scope: Scope) -> Value | None:
    """Share of compensation liabilities still unpaid after their due date at the end of the log."""
    if not in_scope_role(scope, OWNERS):
        return None
    rows = [r for r in ledger(view) if scope.county is None or r["county"] == scope.county]
    if not rows:
        return None
    overdue = [r for r in rows if r["overdue"]]
    return Value(len(overdue) / len(rows), len(rows), {"overdue": len(overdue),
                                                        "overdue_amount": sum(int(r["amount"] or 0) for r in overdue)})


#: The metrics this part declares (registered above, by name).
METRICS: tuple[str, ...] = tuple(name for name, m in registered().items() if m.compute.__module__ == __name__)
