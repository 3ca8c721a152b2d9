"""The one way entity state machines are built (injects, stations, care stations, cases, crises).

Every entity kind is a flat ``transitions.Machine`` shared by all entities of that kind
(``model=[]``, entities added with ``add_model``), with no automatic ``to_<state>``
triggers and an error for a trigger its state does not allow: an illegal move is a bug,
never a silent no-op.
"""

from __future__ import annotations

from typing import Any

from transitions import Machine


def entity_machine(states: list[str], transitions: list[dict[str, Any]], initial: str) -> Machine:
    """A machine for one kind of entity, to which each entity is added as a model."""
    return Machine(model=[], states=states, transitions=transitions, initial=initial,
                   auto_transitions=False, ignore_invalid_triggers=False)
