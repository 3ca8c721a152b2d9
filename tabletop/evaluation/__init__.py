"""Evaluation as a part (HSEEP Exercise Evaluation Guides): departments' response reports
(應處報告), evaluators' observations and P/S/M/U ratings, participant feedback, the
improvement plan, and the drill's phase clock (discussion and brief countdowns).

Its ``evaluation:`` scenario section lists the capabilities and tasks evaluators rate and the
thresholds of the minute-based responsiveness measures. The evaluator seat is the global role
``evaluator`` (tabletop.core.roles). See docs/scoring.md for how ratings enter the AAR.
"""

from __future__ import annotations

from typing import Any

from tabletop.core.parts import Choice, Plugin
from tabletop.evaluation import commands, metrics
from tabletop.evaluation.events import EVENTS
from tabletop.evaluation.feed import FEED
from tabletop.evaluation.model import EvaluationSection
from tabletop.evaluation.state import init_state, restore


def _check(scenario: Any) -> list[tuple[tuple, str]]:
    section = scenario.evaluation
    out: list[tuple[tuple, str]] = []
    phases = {p.id for p in scenario.phases}
    guides: dict[str, Any] = {}
    for index, guide in enumerate(section.capabilities):
        if guide.id in guides:
            out.append((("evaluation", "capabilities", index, "id"), f"duplicate capability id {guide.id!r}"))
        guides[guide.id] = guide
        for pi, phase in enumerate(guide.phases):
            if phase not in phases:
                out.append((("evaluation", "capabilities", index, "phases", pi), f"unknown phase {phase!r}"))
        seen: set[str] = set()
        for ti, task in enumerate(guide.tasks):
            if task.id in seen:
                out.append((("evaluation", "capabilities", index, "tasks", ti, "id"), f"duplicate task id {task.id!r}"))
            seen.add(task.id)
    for ii, inject in enumerate(scenario.injects):
        for ei, expected in enumerate(inject.expected):
            if expected.judged_by is None:
                if expected.task is not None:
                    out.append((("injects", ii, "expected", ei, "task"), "task is for expectations judged_by an evaluator"))
                continue
            guide = guides.get(expected.capability)
            if guides and guide is None:
                out.append((("injects", ii, "expected", ei, "capability"),
                            f"capability {expected.capability!r} is not in evaluation.capabilities"))
            if expected.task is not None and (guide is None or expected.task not in {t.id for t in guide.tasks}):
                out.append((("injects", ii, "expected", ei, "task"),
                            f"capability {expected.capability!r} has no task {expected.task!r}"))
    return out


def _clock(session: Any) -> dict[str, Any]:
    return session.domain("evaluation")["clock"]


def _capability_choices(session: Any, county: str, role: str) -> list[Choice]:
    guides = session.scenario.evaluation.capabilities
    out = [Choice(g.id, g.name.model_dump()) for g in guides]
    known = {g.id for g in guides}
    tagged = sorted({e.capability for i in session.scenario.injects for e in i.expected} - known)
    return out + [Choice(name, {"zh_TW": name, "en": name}) for name in tagged]


def _county_choices(session: Any, county: str, role: str) -> list[Choice]:
    return [Choice(c.id, c.name.model_dump()) for c in session.scenario.counties]


def _role_choices(session: Any, county: str, role: str) -> list[Choice]:
    """Departments: every role some county seats, in the roles' order."""
    from tabletop import i18n
    from tabletop.core.roles import COUNTY_ROLES

    seated = {r for c in session.scenario.counties for r in c.roles}
    return [Choice(r, i18n.both(f"role.{r}")) for r in COUNTY_ROLES if r in seated]


def _task_choices(session: Any, county: str, role: str) -> list[Choice]:
    out = []
    for guide in session.scenario.evaluation.capabilities:
        for task in guide.tasks:
            out.append(Choice(task.id, {lang: f"{guide.name.model_dump()[lang]}{'：' if lang == 'zh_TW' else ': '}{task.name.model_dump()[lang]}"
                                        for lang in ("zh_TW", "en")}))
    return out


def _inject_choices(session: Any, county: str, role: str) -> list[Choice]:
    return [Choice(run.id, {lang: f"{run.id} {session.inject_specs[run.id].title.model_dump()[lang]}"
                            for lang in ("zh_TW", "en")})
            for run in sorted(session.injects.values(), key=lambda r: r.order) if run.delivered_turn is not None]


def _rating_choices(session: Any, county: str, role: str) -> list[Choice]:
    from tabletop import i18n

    return [Choice(r, i18n.both(f"evaluation.rating.{r}")) for r in commands.RATINGS]


PLUGIN = Plugin(
    name="evaluation",
    feed=FEED,
    metrics=metrics.METRICS,
    commands=commands.specs(),
    scenario_sections={"evaluation": EvaluationSection},
    events=EVENTS,
    init_state=init_state,
    restore=restore,
    check_scenario=_check,
    listeners={"turn_started": commands.on_turn_started, "exercise_state": commands.on_exercise_state},
    choices={"observe.capability": _capability_choices, "rate.capability": _capability_choices,
             "observe.county": _county_choices, "rate.county": _county_choices,
             "rate.rating": _rating_choices, "ip_item.capability": _capability_choices,
             "ip_item.county": _county_choices, "observe.role": _role_choices, "rate.role": _role_choices,
             "observe.task": _task_choices, "rate.task": _task_choices, "observe.inject": _inject_choices},
    queries={"evaluation.clock": _clock},
)
