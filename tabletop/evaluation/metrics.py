"""The evaluation part's metrics (``Plugin.metrics``), over the facts in ``tabletop.scoring.evaluation_facts``."""

from __future__ import annotations

from tabletop.scoring.evaluation_facts import (
    DEFAULT_ACK, DEFAULT_ACTION, room_facts, _in_scope, median, ACK_THRESHOLDS, ACTION_THRESHOLDS,
)
from tabletop.scoring.registry import Scope, Value, metric, registered
from tabletop.scoring.view import LogView


@metric("room_time_to_ack_min", "evaluation", "minutes", "lower", DEFAULT_ACK, by_capability=True,
        scenario_defaults=ACK_THRESHOLDS)
def room_time_to_ack_min(view: LogView, scope: Scope) -> Value | None:
    """Kaplan-Meier median real minutes (wall stamps) from an inject's delivery to its
    acknowledgement; injects not acknowledged before their phase ended in the room are
    censored at the phase end."""
    return median([f for f in room_facts(view) if _in_scope(f, scope)], "ack")


@metric("room_time_to_first_action_min", "evaluation", "minutes", "lower", DEFAULT_ACTION, by_capability=True,
        scenario_defaults=ACTION_THRESHOLDS)
def room_time_to_first_action_min(view: LogView, scope: Scope) -> Value | None:
    """Kaplan-Meier median real minutes from an inject's delivery to its first expected action
    met (a command or an evaluator's judgement), censored at the phase end."""
    return median([f for f in room_facts(view) if f.has_expected and _in_scope(f, scope)], "action")


#: The metrics this part declares (registered above, by name).
METRICS: tuple[str, ...] = tuple(name for name, m in registered().items() if m.compute.__module__ == __name__)
