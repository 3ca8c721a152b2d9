"""What the evaluation part's metrics and the after-action report read from a log: the facts behind
its measures (the measures themselves are the part's, in tabletop/evaluation/metrics.py).

Responsiveness in real minutes (the room's clock, the records' ``wall`` stamps).

Beside the turn-based inject measures: the real minutes from an inject's delivery to its
acknowledgement and to its first expected action (a command that met it or an evaluator's
judgement), per seat and department. An inject not answered before its phase ended in the
room (the last stamp of the phase's last turn) is censored at that moment: Kaplan-Meier
medians, as for the game-time measures. Logs without stamps give no value. Thresholds are
scenario data: ``evaluation.responsiveness`` (P, S, M in real minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tabletop.core import wallclock
from tabletop.scoring.metrics_injects import inject_facts
from tabletop.scoring.registry import Scope, Value
from tabletop.scoring.survival import Observation, km_median
from tabletop.scoring.view import LogView


DEFAULT_ACK = (5.0, 10.0, 20.0)


DEFAULT_ACTION = (15.0, 30.0, 45.0)


@dataclass
class RoomFact:
    inject: str
    county: str
    role: str
    phase: str | None
    capabilities: list[str]
    roles: list[str]
    #: Real minutes to the acknowledgement / first expected action; None: not within the phase.
    ack: float | None
    action: float | None
    #: Real minutes from the delivery to the phase's end in the room (the censoring time).
    window: float
    has_expected: bool


def _phase_of(view: LogView, turn: int, named: str | None) -> Any:
    for phase in view.scenario.phases:
        if (named is not None and phase.id == named) or (named is None and phase.first_turn <= turn <= phase.last_turn):
            return phase
    return None


def _phase_end(view: LogView, phase: Any, turn: int) -> str | None:
    last = phase.last_turn if phase is not None else turn
    stamps = [view.turn_walls[t] for t in sorted(view.turn_walls) if t <= last]
    return stamps[-1] if stamps else None


def room_facts(view: LogView) -> list[RoomFact]:
    """One fact per delivered inject whose delivery has a stamp (computed once per view)."""
    if "room_facts" in view.cache:
        return view.cache["room_facts"]
    delivered = {r["data"].get("inject"): r for r in view.events("inject_delivered")}
    acked: dict[str, str | None] = {}
    for event in view.events("inject_acknowledged"):
        acked.setdefault(event["data"].get("inject"), event.get("wall"))
    acted: dict[str, str | None] = {}
    for event in view.events("expected_action_met"):
        acted.setdefault(event["data"].get("inject"), event.get("wall"))
    out: list[RoomFact] = []
    for ident, fact in inject_facts(view).items():
        found = delivered.get(ident)
        start = found.get("wall") if found is not None else None
        if start is None:
            continue
        phase = _phase_of(view, fact.delivered_turn, fact.phase)
        end = _phase_end(view, phase, fact.delivered_turn)
        window = max(wallclock.minutes_between(start, end) or 0.0, 0.0)

        def within(stamp: str | None, window: float = window, start: str = start) -> float | None:
            minutes = wallclock.minutes_between(start, stamp)
            return minutes if minutes is not None and minutes <= window + 1e-9 else None

        roles = sorted({e.role or fact.role for e in fact.expected} | {fact.role})
        out.append(RoomFact(ident, fact.county, fact.role, phase.id if phase is not None else None,
                            fact.capabilities, roles, within(acked.get(ident)), within(acted.get(ident)),
                            window, bool(fact.expected)))
    view.cache["room_facts"] = out
    return out


def _in_scope(fact: RoomFact, scope: Scope) -> bool:
    if scope.county is not None and fact.county != scope.county:
        return False
    if scope.role is not None and scope.role not in fact.roles:
        return False
    return scope.capability is None or scope.capability in fact.capabilities


def median(facts: list[RoomFact], attribute: str) -> Value | None:
    observations = []
    for fact in facts:
        value = getattr(fact, attribute)
        observations.append(Observation(value, True) if value is not None else Observation(fact.window, False))
    result = km_median(observations)
    if result is None:
        return None
    return Value(result.value, len(observations), {"done": result.done, "censored": result.censored},
                 not_reached=result.value is None, horizon=result.horizon)


def _thresholds(name: str, default: tuple[float, float, float]):
    def read(scenario: Any) -> tuple[float, float, float]:
        section = getattr(scenario, "evaluation", None)
        given = getattr(getattr(section, "responsiveness", None), name, None)
        return (float(given.P), float(given.S), float(given.M)) if given is not None else default
    return read


ACK_THRESHOLDS = _thresholds("acknowledge", DEFAULT_ACK)


ACTION_THRESHOLDS = _thresholds("first_action", DEFAULT_ACTION)
