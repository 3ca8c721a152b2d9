"""Injects from the master scenario events list (MSEL) and their lifecycle.

scheduled → delivered → acknowledged → resolved | expired (and scheduled →
cancelled by the facilitator). One pytransitions machine serves every inject.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tabletop.core.machines import EntityMachine, entity_machine

STATES = ["scheduled", "delivered", "acknowledged", "resolved", "expired", "cancelled"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "deliver", "source": "scheduled", "dest": "delivered"},
    {"trigger": "acknowledge", "source": "delivered", "dest": "acknowledged"},
    {"trigger": "resolve", "source": "acknowledged", "dest": "resolved"},
    {"trigger": "expire", "source": ["delivered", "acknowledged"], "dest": "expired"},
    {"trigger": "cancel", "source": "scheduled", "dest": "cancelled"},
]
OPEN = ("delivered", "acknowledged")


@dataclass
class InjectRun:
    """The live record of one inject; ``state`` is kept by the machine."""

    id: str
    county: str
    role: str
    #: Turn it is scheduled for; None for triggered injects and deck cards until they fire.
    due_turn: int | None
    order: int
    delivered_turn: int | None = None
    #: Turn the inject's event happened, when its news travels as a message (``source``).
    released_turn: int | None = None
    #: Channel it reached the players over (``control`` when handed over by exercise control).
    channel: str | None = None
    acknowledged_turn: int | None = None
    met: list[int | None] = field(default_factory=list)  # seq of the command that met each expected action
    missed: list[bool] = field(default_factory=list)
    state: str = "scheduled"

    def to_data(self) -> dict[str, Any]:
        return {"state": self.state, "county": self.county, "role": self.role, "due_turn": self.due_turn,
                "order": self.order, "delivered_turn": self.delivered_turn,
                "acknowledged_turn": self.acknowledged_turn, "released_turn": self.released_turn,
                "channel": self.channel, "met": list(self.met), "missed": list(self.missed)}


#: The inject machine (its entities keep their own state; one machine serves every session).
MACHINE = entity_machine(STATES, TRANSITIONS, "scheduled")


def new_machine() -> EntityMachine:
    return MACHINE


def args_match(constraints: dict[str, Any], args: dict[str, Any]) -> bool:
    """An expected action's argument constraints: equal values, or any of a list."""
    for key, want in constraints.items():
        have = args.get(key)
        if isinstance(want, list):
            if have not in want:
                return False
        elif have != want:
            return False
    return True
