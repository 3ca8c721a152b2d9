"""The evaluation part's commands: response reports, evaluators' observations and ratings,
participant feedback, the improvement plan and the phase clock.

None of them changes the exercise's truth, and none reads the wall clock: the clock commands
keep the ``wall`` stamps of their own records (``Command.wall``) so the seats can count down;
no rule reads them (docs/log-format.md, "wall").
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, StrictStr, field_validator

from tabletop.core.commands import ANY_COUNTY_ROLE, Args, Command, CommandSpec, Rejected
from tabletop.core.messages import ref
from tabletop.evaluation.state import EvaluationState, idle_clock
from tabletop.scenario.model import Id

Text = Annotated[StrictStr, Field(max_length=4000)]
Short = Annotated[StrictStr, Field(min_length=1, max_length=400)]
EVALUATOR = "evaluator"
FACILITATOR = "facilitator"
RUNNING = ("running_injects", "running_orders", "running_adjudication", "running_turnend")
#: Where evaluators and the room work: every running phase, a pause, the hotwash.
LIVE = RUNNING + ("paused", "hotwash")
RATINGS = ("P", "S", "M", "U")
#: The structured fields of a response report (應處報告), in the order the form shows them.
REPORT_FIELDS = ("situation", "decisions", "resources", "requests", "next_steps")
SEGMENTS = ("discussion", "brief")


class ReportArgs(Args):
    situation: Text = ""
    decisions: Text = ""
    resources: Text = ""
    requests: Text = ""
    next_steps: Text = ""
    text: Text = ""


class ObserveArgs(Args):
    county: Id
    role: StrictStr | None = None
    capability: Id
    task: Id | None = None
    inject: Id | None = None
    text: Annotated[StrictStr, Field(min_length=1, max_length=4000)]


class RateArgs(Args):
    county: Id
    role: StrictStr | None = None
    capability: Id
    task: Id | None = None
    rating: Literal["P", "S", "M", "U"]
    rationale: Annotated[StrictStr, Field(min_length=1, max_length=4000)]


class FeedbackArgs(Args):
    strengths: Text = ""
    #: Areas for improvement, per capability id.
    improvements: dict[Id, Text] = {}
    text: Text = ""


class IpItemArgs(Args):
    id: Id
    issue: Short
    corrective_action: Short
    capability: Id
    owner: Short
    due: StrictStr
    county: Id | None = None

    @field_validator("due")
    @classmethod
    def _date(cls, value: str) -> str:
        try:
            date.fromisoformat(value)
        except ValueError as err:
            raise ValueError("due must be a date, YYYY-MM-DD") from err
        return value


class ClockStartArgs(Args):
    segment: Literal["discussion", "brief"]
    #: Minutes of the segment (default: the phase's discussion_minutes or brief_minutes).
    minutes: Annotated[int, Field(ge=1, le=24 * 60)] | None = None


class ClockExtendArgs(Args):
    minutes: Annotated[int, Field(ge=1, le=240)]


class NoArgs(Args):
    pass


def _state(session: Any) -> EvaluationState:
    return session.domain("evaluation")


def phase_at(scenario: Any, turn: int) -> Any:
    for phase in scenario.phases:
        if phase.first_turn <= turn <= phase.last_turn:
            return phase
    return None


def _phase_id(session: Any) -> str | None:
    phase = phase_at(session.scenario, session.turn)
    return phase.id if phase is not None else None


def _section(session: Any) -> Any:
    return session.scenario.evaluation


def _guide(session: Any, capability: str, task: str | None) -> None:
    guides = {g.id: g for g in _section(session).capabilities}
    tagged = {e.capability for inject in session.scenario.injects for e in inject.expected}
    if capability not in guides and capability not in tagged:
        raise Rejected("evaluation", "evaluation.reject.unknown_capability", capability=capability)
    if task is not None:
        guide = guides.get(capability)
        if guide is None or task not in {t.id for t in guide.tasks}:
            raise Rejected("evaluation", "evaluation.reject.unknown_task", capability=capability, task=task)


def _seat(session: Any, county: str, role: str | None) -> None:
    spec = session.counties.get(county)
    if spec is None:
        raise Rejected("evaluation", "reject.unknown_county", county=county)
    if role is not None and role not in spec.roles:
        raise Rejected("evaluation", "reject.unknown_role", county=county, role=role)


def _submit_report(session: Any, command: Command, args: ReportArgs) -> None:
    fields = args.model_dump()
    if not any(value.strip() for value in fields.values()):
        raise Rejected("evaluation", "evaluation.reject.empty_report")
    phase = _phase_id(session)
    if phase is None:
        raise Rejected("evaluation", "evaluation.reject.no_phase", turn=session.turn)
    state = _state(session)
    versions = state["reports"].setdefault(command.actor, {}).setdefault(phase, [])
    if len(versions) >= _section(session).max_report_versions:
        raise Rejected("evaluation", "evaluation.reject.too_many_versions", limit=_section(session).max_report_versions)
    version = len(versions) + 1
    versions.append({"version": version, "turn": session.turn, **fields})
    session.emit("report_submitted", {"county": command.county, "role": command.role, "phase": phase,
                                      "version": version, "fields": fields})


def _observe(session: Any, command: Command, args: ObserveArgs) -> None:
    _seat(session, args.county, args.role)
    _guide(session, args.capability, args.task)
    if args.inject is not None and args.inject not in session.injects:
        raise Rejected("inject", "reject.unknown_inject", inject=args.inject)
    data = {"county": args.county, "role": args.role, "capability": args.capability, "task": args.task,
            "inject": args.inject, "text": args.text, "phase": _phase_id(session), "by": command.actor}
    _state(session)["observations"].append(data | {"turn": session.turn})
    session.emit("observation_recorded", data)


def _rate(session: Any, command: Command, args: RateArgs) -> None:
    _seat(session, args.county, args.role)
    _guide(session, args.capability, args.task)
    data = {"county": args.county, "role": args.role, "capability": args.capability, "task": args.task,
            "rating": args.rating, "rationale": args.rationale, "phase": _phase_id(session), "by": command.actor}
    _state(session)["ratings"].append(data | {"turn": session.turn})
    session.emit("rating_recorded", data)
    if session.state in RUNNING:
        session.judge_expected(args.county, args.role, args.capability, args.task, args.rating in ("P", "S"))


def _feedback(session: Any, command: Command, args: FeedbackArgs) -> None:
    fields = args.model_dump()
    if not (args.strengths.strip() or args.text.strip() or any(v.strip() for v in args.improvements.values())):
        raise Rejected("evaluation", "evaluation.reject.empty_feedback")
    _state(session)["feedback"].append({"by": command.actor, "turn": session.turn, **fields})
    session.emit("feedback_submitted", {"by": command.actor, "county": command.county, "role": command.role,
                                        "fields": fields})


def _ip_item(session: Any, command: Command, args: IpItemArgs) -> None:
    if args.county is not None:
        _seat(session, args.county, None)
    fields = args.model_dump()
    versions = _state(session)["ip"].setdefault(args.id, [])
    version = len(versions) + 1
    versions.append({"version": version, "by": command.actor, "turn": session.turn, **fields})
    session.emit("ip_item_saved", {"item": args.id, "version": version, "by": command.actor, "fields": fields})


def _clock(session: Any) -> dict[str, Any]:
    return _state(session)["clock"]


def _clock_start(session: Any, command: Command, args: ClockStartArgs) -> None:
    clock = _clock(session)
    if clock["state"] == "running":
        raise Rejected("clock", "evaluation.reject.clock_running", segment=ref("segment", clock["segment"]))
    phase = phase_at(session.scenario, session.turn)
    if clock["state"] == "paused" and clock["segment"] == args.segment and args.minutes is None:
        clock["runs"].append([command.wall, None])
        clock["state"] = "running"
        session.emit("clock_started", {"segment": args.segment, "minutes": clock["minutes"], "resumed": True,
                                       "phase": phase.id if phase else None})
        return
    default = (phase.discussion_minutes if args.segment == "discussion" else phase.brief_minutes) if phase else (
        50 if args.segment == "discussion" else 10)
    minutes = args.minutes or default
    _state(session)["clock"] = {"segment": args.segment, "turn": session.turn, "minutes": minutes,
                                "runs": [[command.wall, None]], "state": "running"}
    session.emit("clock_started", {"segment": args.segment, "minutes": minutes, "resumed": False,
                                   "phase": phase.id if phase else None})


def _clock_pause(session: Any, command: Command, args: NoArgs) -> None:
    clock = _clock(session)
    if clock["state"] != "running":
        raise Rejected("clock", "evaluation.reject.clock_not_running")
    clock["runs"][-1][1] = command.wall
    clock["state"] = "paused"
    session.emit("clock_paused", {"segment": clock["segment"]})


def _clock_extend(session: Any, command: Command, args: ClockExtendArgs) -> None:
    clock = _clock(session)
    if clock["state"] not in ("running", "paused"):
        raise Rejected("clock", "evaluation.reject.clock_idle")
    clock["minutes"] += args.minutes
    session.emit("clock_extended", {"segment": clock["segment"], "by_minutes": args.minutes,
                                    "minutes": clock["minutes"]})


def _clock_skip(session: Any, command: Command, args: NoArgs) -> None:
    clock = _clock(session)
    if clock["state"] not in ("running", "paused"):
        raise Rejected("clock", "evaluation.reject.clock_idle")
    if clock["state"] == "running":
        clock["runs"][-1][1] = command.wall
    segment = clock["segment"]
    _state(session)["clock"] = idle_clock(session.turn)
    session.emit("clock_skipped", {"segment": segment})


def on_turn_started(session: Any, data: dict[str, Any]) -> None:
    """A new turn starts with the clock idle (the facilitator starts its discussion)."""
    _state(session)["clock"] = idle_clock(session.turn)


def on_exercise_state(session: Any, data: dict[str, Any]) -> None:
    """Play over (hotwash, closed): no segment is timed any more."""
    if data.get("to") in ("hotwash", "closed"):
        _state(session)["clock"] = idle_clock(session.turn)


def specs() -> tuple[CommandSpec, ...]:
    return (
        CommandSpec("submit_report", (ANY_COUNTY_ROLE,), ReportArgs, _submit_report, states=RUNNING + ("paused",)),
        CommandSpec("observe", (EVALUATOR,), ObserveArgs, _observe, states=LIVE),
        CommandSpec("rate", (EVALUATOR,), RateArgs, _rate, states=LIVE),
        CommandSpec("feedback", (ANY_COUNTY_ROLE, "central", EVALUATOR), FeedbackArgs, _feedback, states=("hotwash",)),
        CommandSpec("ip_item", (FACILITATOR, EVALUATOR), IpItemArgs, _ip_item, states=LIVE),
        CommandSpec("clock_start", (FACILITATOR,), ClockStartArgs, _clock_start, states=LIVE),
        CommandSpec("clock_pause", (FACILITATOR,), NoArgs, _clock_pause, states=LIVE),
        CommandSpec("clock_extend", (FACILITATOR,), ClockExtendArgs, _clock_extend, states=LIVE),
        CommandSpec("clock_skip", (FACILITATOR,), NoArgs, _clock_skip, states=LIVE),
    )
