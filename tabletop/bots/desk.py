"""A headless exercise room: the server's own :class:`Room` and seat views, without the network.

Bots in ``run --bots`` and ``batch`` see exactly what a browser seat sees: the payload of
``tabletop.server.views.seat_payload`` (role pictures built from the EOC's reports, the
seat's inbox, its command forms with the choices offered now, its own commands and their
outcomes). Commands go through ``Session.submit`` and every record is indexed by the room,
as the live server does after each durable batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Iterator

from tabletop.core.commands import Command
from tabletop.core.session import Record
from tabletop.server import forms, views
from tabletop.server.room import Room
from tabletop.server.seats import Seat, SeatBook


class Desk(Room):
    """The room's indexes and seat views over a session driven synchronously.

    ``out`` receives every record made (the caller writes them to the log)."""

    def __init__(self, session: Any, header: Record) -> None:
        super().__init__(session, writer=None, records=[header], book=SeatBook.new(session), journal=None,
                         log_path="")

    def seat(self, name: str) -> Seat:
        return self.book.by_name[name]

    def play(self, seat: Seat, kind: str, args: dict[str, Any], turn: int | None = None) -> list[Record]:
        """Submit one command from ``seat`` (as the room's worker does) and index its records."""
        if turn is None and not seat.is_facilitator:
            turn = self.session.turn
        records = self.session.submit(Command(turn, seat.county, seat.role, kind, args))
        self.take(records)
        return records

    def take(self, records: list[Record]) -> None:
        """Index records made by the session (a facilitator's command, a scripted one)."""
        self.records.extend(records)
        for record in records:
            self._index(record)
        if records:
            self.durable_seq = records[-1]["seq"]

    def payload(self, seat: Seat) -> dict[str, Any]:
        """What the seat's browser page would show now (JSON-shaped data, nothing else)."""
        return views.seat_payload(self, seat)

    def view(self, seat: Seat) -> dict[str, Any]:
        """The payload's parts a bot reads, made by the same functions, with each command form
        built only when the bot reads it (most seats, most turns, read none): ``seat``,
        ``status``, ``inbox``, ``commands`` and ``forms`` (kind -> form, in the payload's order)."""
        session, inbox = self.session, views.inbox_of(self, seat)
        kinds = forms.kinds_for(session, seat.county, seat.role)
        return {"seat": views.seat_info(self, seat), "status": views.status(self), "inbox": inbox,
                "forms": Forms(lambda kind: forms.form(session, seat.county, seat.role, kind, inbox), kinds),
                "commands": views.own_commands(self, seat)}

    def close(self) -> None:  # no journal, no writer: the caller owns the log
        return None


class Forms(Mapping[str, dict[str, Any]]):
    """A seat's command forms by kind, each built by the server's ``forms.form`` when first read."""

    def __init__(self, make: Callable[[str], dict[str, Any]], kinds: list[str]) -> None:
        self._make, self._kinds = make, list(kinds)
        self._made: dict[str, dict[str, Any]] = {}

    def __getitem__(self, kind: str) -> dict[str, Any]:
        if kind not in self._kinds:
            raise KeyError(kind)
        if kind not in self._made:
            self._made[kind] = self._make(kind)
        return self._made[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)
