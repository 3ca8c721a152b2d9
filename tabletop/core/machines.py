"""Entity state machines (injects, stations, care stations, cases): defined with ``transitions``,
run from a table.

Each kind of entity is defined once as a flat ``transitions.Machine`` (its states, triggers,
sources, destinations and conditions; no automatic ``to_<state>`` triggers), which checks the
definition and draws the diagrams. Running thousands of entities through ``Machine.add_model``
costs a bound trigger method per trigger and state per entity and a scan of the model list on
every add (quadratic in count). So :class:`EntityMachine` compiles the machine's own event table
once into ``(trigger, state) -> [(dest, conditions)]`` and keeps an entity's state as a plain
``state`` attribute: adding an entity is setting that attribute, firing a trigger is one dict
lookup. The semantics are the machine's: a trigger its state does not allow raises
``transitions.MachineError``; a transition whose conditions fail leaves the state and returns
False; the first transition whose conditions hold wins, in the order they were declared.
"""

from __future__ import annotations

from typing import Any

from transitions import Machine, MachineError

#: (condition method name, the value it must return) for each condition of a transition.
Conditions = tuple[tuple[str, bool], ...]


class EntityMachine:
    """One kind of entity's state machine, shared by every entity of that kind."""

    def __init__(self, states: list[str], transitions: list[dict[str, Any]], initial: str) -> None:
        #: The definition, as ``transitions`` builds and checks it (no models attached).
        self.definition = Machine(model=[], states=states, transitions=transitions, initial=initial,
                                  auto_transitions=False, ignore_invalid_triggers=False)
        self.states = frozenset(states)
        self.initial = initial
        self.table: dict[tuple[str, str], tuple[tuple[str, Conditions], ...]] = {}
        for trigger, event in self.definition.events.items():
            for source, moves in event.transitions.items():
                compiled: list[tuple[str, Conditions]] = []
                for move in moves:
                    names = tuple((c.func, c.target) for c in move.conditions if isinstance(c.func, str))
                    if move.dest is None or len(names) != len(move.conditions):
                        raise ValueError(f"{trigger} from {source}: entity machines take a destination and "
                                         "conditions named as methods of the entity")
                    compiled.append((move.dest, names))
                self.table[(trigger, source)] = tuple(compiled)

    def add(self, entity: Any, initial: str | None = None) -> None:
        """Put ``entity`` under this machine, in ``initial`` (default: the machine's initial state,
        or the state it already has)."""
        self.set(entity, initial if initial is not None else getattr(entity, "state", None) or self.initial)

    def set(self, entity: Any, state: str) -> None:
        """Put ``entity`` in ``state`` (a restore from a snapshot; no transition is fired)."""
        if state not in self.states:
            raise ValueError(f"{state!r} is not a state of this machine")
        entity.state = state

    def may(self, entity: Any, trigger: str) -> bool:
        """Whether ``trigger`` would move ``entity`` now (False where its state has no such move)."""
        return self._pick(entity, trigger, raise_invalid=False) is not None

    def fire(self, entity: Any, trigger: str) -> bool:
        """Fire ``trigger`` on ``entity``: True when it moved, False when its conditions failed;
        ``MachineError`` when its state has no such transition."""
        dest = self._pick(entity, trigger, raise_invalid=True)
        if dest is None:
            return False
        entity.state = dest
        return True

    def _pick(self, entity: Any, trigger: str, raise_invalid: bool) -> str | None:
        moves = self.table.get((trigger, entity.state))
        if moves is None:
            if raise_invalid:
                raise MachineError(f"Can't trigger event {trigger} from state {entity.state}!")
            return None
        for dest, conditions in moves:
            if all(bool(getattr(entity, name)()) is target for name, target in conditions):
                return dest
        return None


def entity_machine(states: list[str], transitions: list[dict[str, Any]], initial: str) -> EntityMachine:
    """The machine for one kind of entity (see :class:`EntityMachine`)."""
    return EntityMachine(states, transitions, initial)
