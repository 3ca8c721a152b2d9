"""Mermaid diagrams drawn from the live state machines (not from hand-kept copies)."""

from __future__ import annotations

from typing import Callable

from transitions.extensions.diagrams import GraphMachine, HierarchicalGraphMachine

from tabletop.core import injects, lifecycle


class _Model:
    """A stand-in model; the machine binds its own triggers and ``get_graph`` to it."""


def _draw(machine) -> str:
    text = machine.get_graph().draw(None)
    # Drop the "current state" highlighting: a diagram documents the machine, not a run.
    lines = [line for line in text.splitlines() if not line.strip().startswith("Class ")]
    return "\n".join(lines).rstrip() + "\n"


def lifecycle_diagram() -> str:
    machine = lifecycle.build_machine(_Model(), machine_cls=_graph(HierarchicalGraphMachine))
    return _draw(machine)


def inject_diagram() -> str:
    return draw_flat(injects.STATES, injects.TRANSITIONS, "scheduled")


def draw_flat(states: list, transitions: list, initial: str) -> str:
    """Mermaid source of a flat machine (states and transitions tables), for parts' diagrams."""
    machine = _graph(GraphMachine)(model=_Model(), states=states, transitions=transitions,
                                   initial=initial, auto_transitions=False)
    return _draw(machine)


def _graph(cls: type) -> Callable[..., object]:
    def make(**kwargs):
            return cls(graph_engine="mermaid", show_conditions=True, title="", **kwargs)
    return make
