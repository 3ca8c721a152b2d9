"""Commands, their specifications, and the rejection value.

A command is ``{turn, county, role, kind, args}``. Each kind is declared once by
a :class:`CommandSpec`: who may issue it, in which lifecycle states, the schema of
its arguments, and the handler that turns it into events. The session checks
schema, role, state, then the handler's own domain rules, in that order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from tabletop.core.context import Context


@dataclass(frozen=True)
class Command:
    turn: int | None
    county: str | None
    role: str
    kind: str
    args: dict[str, Any] = field(default_factory=dict)
    #: When the command was received on the wall clock (ISO 8601 with zone), or None. Logged as
    #: the ``wall`` field of its record and of the events it causes; data that no rule reads.
    wall: str | None = None

    @property
    def actor(self) -> str:
        return f"{self.county}.{self.role}" if self.county else self.role

    def to_data(self) -> dict[str, Any]:
        return {"turn": self.turn, "county": self.county, "role": self.role, "args": self.args}


class Args(BaseModel):
    """Base for command argument schemas: unknown arguments are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoArgs(Args):
    pass


class Rejected(Exception):
    """Raised by a rule or handler: the command is refused, the session goes on.

    ``rule`` names the rule that refused it (``role``, ``phase``, ``schema``,
    ``art.29`` ...); ``key`` and ``params`` pick the zh_TW / en reason from the
    translation table.
    """

    def __init__(self, rule: str, key: str, **params: Any) -> None:
        super().__init__(f"{rule}: {key} {params}")
        self.rule = rule
        self.key = key
        self.params = params


Handler = Callable[["Context", Command, Any], None]


@dataclass(frozen=True)
class CommandSpec:
    kind: str
    roles: tuple[str, ...]
    args: type[Args]
    handler: Handler
    #: Lifecycle states in which the command may be issued; empty means "ask the trigger".
    states: tuple[str, ...] = ()
    #: Lifecycle trigger this command fires (facilitator controls); checked with may_<trigger>.
    trigger: str | None = None
    #: The command creates something named by its ``id`` argument, which must be new.
    creates: bool = False


ANY_COUNTY_ROLE = "*county"  # marker in CommandSpec.roles: every role seated in a county

#: States in which players may act.
PLAY_STATES = ("running_injects", "running_orders")
