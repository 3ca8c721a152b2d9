"""The exercise lifecycle as a hierarchical state machine (pytransitions).

setup → briefing → running (injects → orders → adjudication → turnend, then the
next turn) ⇄ paused → hotwash → closed. The machine owns legality and structure;
the session runs the effects of each transition (turn counter, deliveries,
adjudication) after the trigger returns, so callbacks stay trivial.
"""

from __future__ import annotations

from typing import Any, Callable

from transitions.extensions import HierarchicalMachine

PHASES = ("injects", "orders", "adjudication", "turnend")  # no "_" inside a name: it is the nesting separator

STATES = [
    "setup",
    "briefing",
    {"name": "running", "children": list(PHASES)},
    "paused",
    "hotwash",
    "closed",
]

TRIGGERS = ("start", "advance", "pause", "resume", "end_exercise", "close")


def _transitions() -> list[dict[str, Any]]:
    table: list[dict[str, Any]] = [
        {"trigger": "start", "source": "setup", "dest": "briefing"},
        {"trigger": "advance", "source": "briefing", "dest": "running_injects"},
        {"trigger": "advance", "source": "running_injects", "dest": "running_orders"},
        {"trigger": "advance", "source": "running_orders", "dest": "running_adjudication"},
        {"trigger": "advance", "source": "running_adjudication", "dest": "running_turnend"},
        {"trigger": "advance", "source": "running_turnend", "dest": "running_injects", "conditions": "has_more_turns"},
        {"trigger": "advance", "source": "running_turnend", "dest": "hotwash", "unless": "has_more_turns"},
        {"trigger": "pause", "source": "running", "dest": "paused", "before": "remember_phase"},
        {"trigger": "end_exercise", "source": ["running", "paused"], "dest": "hotwash"},
        {"trigger": "close", "source": "hotwash", "dest": "closed"},
    ]
    for phase in PHASES:
        table.append({"trigger": "resume", "source": "paused", "dest": f"running_{phase}",
                      "conditions": f"paused_in_{phase}"})
    return table


class Lifecycle:
    """Model object for the machine. ``state`` and ``paused_from`` are its whole state."""

    def __init__(self, has_more_turns: Callable[[], bool], state: str = "setup", paused_from: str | None = None) -> None:
        self._more = has_more_turns
        self.paused_from = paused_from
        self.machine = build_machine(self, initial=state)

    def has_more_turns(self) -> bool:
        return self._more()

    def remember_phase(self) -> None:
        self.paused_from = self.state  # type: ignore[attr-defined]

    def can(self, trigger: str) -> bool:
        return bool(getattr(self, f"may_{trigger}")())

    def fire(self, trigger: str) -> tuple[str, str]:
        """Fire ``trigger``; return (from, to). Call only after :meth:`can`."""
        source = self.state  # type: ignore[attr-defined]
        getattr(self, trigger)()
        return source, self.state  # type: ignore[attr-defined]


def _paused_in(phase: str) -> Callable[[Lifecycle], bool]:
    return lambda self: self.paused_from == f"running_{phase}"


for _phase in PHASES:
    setattr(Lifecycle, f"paused_in_{_phase}", _paused_in(_phase))


def build_machine(model: object | None, initial: str = "setup", machine_cls: Callable[..., Any] = HierarchicalMachine) -> Any:
    return machine_cls(model=model, states=STATES, transitions=_transitions(), initial=initial,
                       auto_transitions=False, ignore_invalid_triggers=False)
