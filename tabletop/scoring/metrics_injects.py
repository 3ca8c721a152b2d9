"""Inject metrics (MSEL): delivered → acknowledged → first relevant action → expected actions.

Times are game minutes from the delivery record to the response record (the log's
clock has one-turn resolution, so a response in the delivery turn takes 0 minutes).
Unfinished tasks are censored at the end of the log (see :mod:`.survival`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tabletop.scoring.view import LogView
from tabletop.scoring.registry import Scope, Value, metric
from tabletop.scoring.survival import Observation, km_median


@dataclass
class Expected:
    index: int
    #: The command kind that meets it; "" for an expectation judged by an evaluator.
    kind: str
    capability: str
    role: str | None
    deadline_turn: int
    #: met | missed | censored (neither by the end of the log)
    status: str = "censored"
    turn: int | None = None


@dataclass
class InjectFact:
    id: str
    county: str
    role: str
    phase: str | None
    title: dict[str, str]
    seq: int
    delivered_turn: int
    ack_turn: int | None = None
    ack_by: str | None = None
    first_action_turn: int | None = None
    expired: bool = False
    expected: list[Expected] = field(default_factory=list)

    @property
    def capabilities(self) -> list[str]:
        return sorted({e.capability for e in self.expected})

    def to_json(self, view: LogView) -> dict[str, Any]:
        def after(turn: int | None) -> int | None:
            return None if turn is None else view.minutes(self.delivered_turn, turn)
        return {
            "county": self.county, "role": self.role, "phase": self.phase, "title": self.title,
            "delivered_turn": self.delivered_turn, "acknowledged_after_min": after(self.ack_turn),
            "acknowledged_by": self.ack_by, "first_action_after_min": after(self.first_action_turn),
            "status": self.status(view),
            "expected": [{"index": e.index, "kind": e.kind, "capability": e.capability, "role": e.role,
                          "deadline_turn": e.deadline_turn, "status": e.status, "after_min": after(e.turn)}
                         for e in self.expected],
        }

    def status(self, view: LogView) -> str:
        if self.expired:
            return "expired"
        if self.expected and all(e.status == "met" for e in self.expected) and self.ack_turn is not None:
            return "resolved"
        return "acknowledged" if self.ack_turn is not None else "delivered"


def inject_facts(view: LogView) -> dict[str, InjectFact]:
    """Every delivered inject and what became of it (computed once per view)."""
    if "inject_facts" in view.cache:
        return view.cache["inject_facts"]
    facts: dict[str, InjectFact] = {}
    for record in view.events("inject_delivered"):
        data = record["data"]
        delivered = InjectFact(data["inject"], data.get("county", ""), data.get("role", ""), data.get("phase"),
                               data.get("title") or {}, record["seq"], record["turn"])
        for index, exp in enumerate(data.get("expected") or []):
            delivered.expected.append(Expected(index, exp.get("kind") or "", exp.get("capability", ""), exp.get("role"),
                                               exp.get("deadline_turn", record["turn"])))
        facts[delivered.id] = delivered
    for record in view.events("inject_acknowledged"):
        fact = facts.get(record["data"].get("inject"))
        if fact is not None and fact.ack_turn is None:
            fact.ack_turn, fact.ack_by = record["turn"], record["data"].get("by")
    for record in view.events("expected_action_met", "expected_action_missed"):
        fact = facts.get(record["data"].get("inject"))
        index = record["data"].get("index", -1)
        if fact is None or not 0 <= index < len(fact.expected):
            continue
        exp = fact.expected[index]
        exp.status = "met" if record["kind"] == "expected_action_met" else "missed"
        exp.turn = record["turn"] if exp.status == "met" else None
    for record in view.events("inject_state"):
        fact = facts.get(record["data"].get("inject"))
        if fact is not None and record["data"].get("to") == "expired":
            fact.expired = True
    for fact in facts.values():
        kinds = sorted({e.kind for e in fact.expected if e.kind})
        first = view.first_accepted(fact.county, kinds, fact.seq)
        fact.first_action_turn = first[1] if first else None
        # An expectation judged by an evaluator is acted on when it is met.
        judged = [e.turn for e in fact.expected if not e.kind and e.status == "met" and e.turn is not None]
        if judged and (fact.first_action_turn is None or min(judged) < fact.first_action_turn):
            fact.first_action_turn = min(judged)
    view.cache["inject_facts"] = dict(sorted(facts.items()))
    return view.cache["inject_facts"]


def _in_scope(fact: InjectFact, scope: Scope) -> bool:
    if scope.county is not None and fact.county != scope.county:
        return False
    if scope.role is not None and fact.role != scope.role and all(e.role != scope.role for e in fact.expected):
        return False
    return scope.capability is None or scope.capability in fact.capabilities


def _facts(view: LogView, scope: Scope) -> list[InjectFact]:
    return [f for f in inject_facts(view).values() if _in_scope(f, scope)]


@metric("expected_on_time_rate", "injects", "ratio", "higher", (0.9, 0.75, 0.5), by_capability=True)
def expected_on_time_rate(view: LogView, scope: Scope) -> Value | None:
    """Share of expected player actions done by their deadline: met / (met + missed).

    Actions whose deadline had not passed when the log ends are censored (left out)."""
    met = missed = censored = 0
    for fact in _facts(view, scope):
        for exp in fact.expected:
            if scope.capability is not None and exp.capability != scope.capability:
                continue
            if scope.role is not None and fact.role != scope.role and exp.role != scope.role:
                continue
            met += exp.status == "met"
            missed += exp.status == "missed"
            censored += exp.status == "censored"
    if met + missed == 0:
        return None
    return Value(met / (met + missed), met + missed, {"met": met, "missed": missed, "censored": censored})


@metric("ack_rate", "injects", "ratio", "higher", (0.95, 0.8, 0.6), by_capability=True)
def ack_rate(view: LogView, scope: Scope) -> Value | None:
    """Share of delivered injects acknowledged. An unacknowledged inject counts against the
    score once it has expired or play is over; before that it is censored (left out)."""
    acked = failed = censored = 0
    for fact in _facts(view, scope):
        if fact.ack_turn is not None:
            acked += 1
        elif fact.expired or view.ended:
            failed += 1
        else:
            censored += 1
    if acked + failed == 0:
        return None
    return Value(acked / (acked + failed), acked + failed, {"acknowledged": acked, "not_acknowledged": failed,
                                                            "censored": censored})


def _median(view: LogView, facts: list[InjectFact], attribute: str) -> Value | None:
    observations = []
    for fact in facts:
        turn = getattr(fact, attribute)
        if turn is not None:
            observations.append(Observation(view.minutes(fact.delivered_turn, turn), True))
        else:
            observations.append(Observation(view.minutes(fact.delivered_turn, view.last_turn), False))
    median = km_median(observations)
    if median is None:
        return None
    return Value(median.value, len(observations), {"done": median.done, "censored": median.censored},
                 not_reached=median.value is None, horizon=median.horizon)


@metric("time_to_ack_min", "injects", "minutes", "lower", (0, 1, 2), by_capability=True)
def time_to_ack_min(view: LogView, scope: Scope) -> Value | None:
    """Kaplan-Meier median game minutes from delivery to acknowledgement; injects never
    acknowledged are censored at the end of the log."""
    return _median(view, _facts(view, scope), "ack_turn")


@metric("time_to_first_action_min", "injects", "minutes", "lower", (0, 1, 2), by_capability=True)
def time_to_first_action_min(view: LogView, scope: Scope) -> Value | None:
    """Kaplan-Meier median game minutes from delivery to the first relevant action: the first
    accepted command of the inject's county whose kind is one the inject expects (its
    arguments need not match). Injects with no such command are censored."""
    return _median(view, [f for f in _facts(view, scope) if f.expected], "first_action_turn")
