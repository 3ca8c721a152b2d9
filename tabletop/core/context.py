"""What a part may use of the session: the :class:`Context` protocol.

Handlers, hooks, effects, receivers, timers, listeners, pictures, choices and queries get
the session typed as :class:`Context`; :class:`tabletop.core.session.Session` satisfies it.
Anything not named here (the log, checkpoints, other parts' slices) is not a part's business.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tabletop.core.clock import Clock
    from tabletop.core.commands import Command
    from tabletop.core.ids import IdRegistry
    from tabletop.core.injects import InjectRun
    from tabletop.core.parts import Parts
    from tabletop.core.rng import Stream


class Context(Protocol):
    """The session as the parts see it."""

    #: The validated scenario (its pydantic model, parts' sections included).
    scenario: Any
    seed: int
    #: Entities generated before play (from the log header), by part name.
    generated: dict[str, Any]
    @property
    def clock(self) -> Clock:
        """Game time as the current turn sees it (``minutes_per_turn`` is this turn's length)."""
    turn: int
    counties: dict[str, Any]
    #: Named places by kind (eoc, township, warehouse, station), for message routing.
    places: dict[str, dict[str, str]]
    #: Ids the players created (station ids, plan ids ...) -> what they name.
    ids: IdRegistry
    injects: dict[str, InjectRun]
    parts: Parts

    @property
    def state(self) -> str: ...

    @property
    def phase(self) -> str | None: ...

    def domain(self, name: str) -> Any:
        """This part's own slice of session state (a part reads only its own)."""

    def has_part(self, name: str) -> bool:
        """Whether part ``name`` runs in this session."""

    def emit(self, kind: str, data: dict[str, Any]) -> Any:
        """Log an engine event (the parts listening for it react at once)."""

    def rng(self, name: str) -> Stream:
        """The seeded random stream ``name`` (its state is part of the session)."""

    def time(self) -> str: ...

    def judge_expected(self, county: str, role: str | None, capability: str, task: str | None,
                       met: bool) -> list[str]:
        """Meet (or miss) the expectations of ``county``'s open injects judged by an evaluator."""

    def send(self, frm: str, to: str, kind: str, payload: dict[str, Any], channel: str | None = None,
             ident: str | None = None) -> str: ...

    def receive(self, msg: dict[str, Any]) -> None: ...

    def schedule(self, turn: int, name: str, data: dict[str, Any]) -> None: ...

    def query(self, name: str, *args: Any, default: Any = None) -> Any:
        """Ask another part a declared question (``Plugin.queries``)."""

    def has_query(self, name: str) -> bool: ...

    @staticmethod
    def node_of(command: Command) -> str: ...

    def fire(self, trigger: str) -> None: ...

    def draw_card(self, deck: str) -> InjectRun | None: ...

    def release(self, run: InjectRun) -> None: ...

    def cancel(self, run: InjectRun) -> None: ...

    def acknowledge(self, run: InjectRun) -> None: ...
