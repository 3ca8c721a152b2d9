"""One session played by bots (and scripted seats): the facilitator's script, then in each
turn's orders phase the scripted commands of that turn and rounds of bot decisions until no
bot has anything more to send. Everything goes through ``Session.submit`` and into the log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tabletop import api
from tabletop.bots.desk import Desk
from tabletop.bots.doctrine import Book, read_book
from tabletop.bots.players import Player
from tabletop.bots.policy import Policy
from tabletop.core.session import BadCommand
from tabletop.logfile import LogWriter
from tabletop.runner import FACILITATOR, plan
from tabletop.scenario.actions import Action
from tabletop.scenario.validate import Loaded
from tabletop.server import views
from tabletop.server.seats import seat_names

#: Rounds of bot decisions per orders phase at most (a tasking message, then the action it asks for ...).
MAX_ROUNDS = 4


@dataclass
class Played:
    records: list[dict[str, Any]] = field(default_factory=list)
    state: str = ""

    @property
    def seal(self) -> str:
        return self.records[-1]["hash"]


def seats_of(loaded: Loaded) -> list[str]:
    """The trainee seats of a scenario, as ``run --bots`` names them."""
    session, _ = api.new_session(loaded, 0)
    return [f"{county}.{role}" if county else role for county, role in seat_names(session)]


def play(loaded: Loaded, seed: int, bots: dict[str, Policy], scripted: list[Action] | None = None,
         log_path: str | None = None, book: Book | None = None, turns: int | None = None) -> Played:
    """Play a whole session. ``bots``: seat name -> policy; ``scripted``: actions file entries
    (the facilitator's always; a seat's only where no bot holds it)."""
    session, header = api.new_session(loaded, seed)
    desk = Desk(session, header)
    book = book or read_book(loaded.scenario)
    players = {name: Player(policy, book, seed, name) for name, policy in bots.items()}
    order = [seat for seat in desk.book.trainees if seat.name in players]
    kept = [a for a in scripted or [] if a.role == FACILITATOR or _seat_of(a) not in players]
    writer = LogWriter(log_path) if log_path else None
    if writer:
        writer.write([header], sync=True)
    total = api.scenario_of(loaded).clock.turns
    try:
        for command in plan(kept, min(turns or total, total), total):
            if command.kind == "advance" and session.state == "running_orders":
                bot_rounds(desk, players, order, writer)
            records = session.submit(command)
            desk.take(records)
            if writer:
                writer.write(records, sync=command.role == FACILITATOR)
    finally:
        if writer:
            writer.close()
    return Played(desk.records, session.state)


def bot_rounds(desk: Desk, players: dict[str, Player], order: list[Any], writer: LogWriter | None) -> None:
    """Rounds of decisions until no bot sends anything. After the first round a seat looks again
    only if it sent something or was shown something new (a record in its view: a message, an
    inject event), as a person at a browser seat would. ``idle`` seats never look."""
    looking = {seat.name for seat in order if players[seat.name].policy.name != "idle"}
    for _ in range(MAX_ROUNDS):
        again: set[str] = set()
        for seat in order:
            if seat.name not in looking:
                continue
            for kind, args in players[seat.name].decide(desk.view(seat)):
                try:
                    records = desk.play(seat, kind, args)
                except BadCommand:
                    continue  # the log cannot hold these arguments: a seat's form refuses them too
                again.add(seat.name)
                for record in records[1:]:
                    again.update(views.audience(desk, record))
                if writer:
                    writer.write(records, sync=False)
        if not again:
            return
        looking = {seat.name for seat in order if players[seat.name].policy.name != "idle"
                   and (seat.name in again or views.PUBLIC in again)}


def _seat_of(action: Action) -> str:
    command = action.command()
    return f"{command.county}.{command.role}" if command.county else command.role
