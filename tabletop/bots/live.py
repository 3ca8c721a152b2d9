"""Bots in the live room (``serve --bots``): the listed seats are played by bots, the others by people.

Each bot is a task in the room's event loop that behaves like a browser seat: it is woken by
the room when a durable batch concerns its seat (the websocket's notification), reads the
seat payload under the room's lock, decides, and queues its commands through
``Room.submit`` with client ids of its own (so a resumed room never applies one twice).
"""

from __future__ import annotations

import asyncio
from typing import Any

from tabletop.bots.doctrine import read_book
from tabletop.bots.players import Player
from tabletop.bots.policy import Policy
from tabletop.core.session import BadCommand
from tabletop.server import views
from tabletop.server.room import Room, Unavailable

#: Seconds a bot waits after a wake-up before it looks (a burst of batches becomes one look).
SETTLE = 0.05


def players_for(room: Room, bots: dict[str, Policy]) -> dict[str, Player]:
    book = read_book(room.session.scenario)
    return {name: Player(policy, book, room.session.seed, name) for name, policy in bots.items()}


async def play_seat(room: Room, name: str, player: Player) -> None:
    seat = room.book.by_name[name]
    dirty = asyncio.Event()
    dirty.set()

    def notify(touched: set[str]) -> None:
        if "*" in touched or name in touched:
            dirty.set()

    room.subscribers.append(notify)
    try:
        while room.broken is None:
            await dirty.wait()
            dirty.clear()
            await asyncio.sleep(SETTLE)
            async with room.lock:
                payload = views.seat_payload(room, seat)
            for index, (kind, args) in enumerate(player.decide(payload)):
                try:
                    await room.submit(seat, kind, args, client_id=f"bot-{payload['status']['seq']}-{index}")
                except BadCommand:
                    continue
                except Unavailable:
                    return
    finally:
        room.subscribers.remove(notify)


def attach(app: Any, room: Room, bots: dict[str, Policy]) -> Any:
    """The room's ASGI app with the bots started once the app's start-up (``Room.start``) is done."""
    players = players_for(room, bots)
    tasks: list[asyncio.Task] = []

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return

        async def on_send(message: dict[str, Any]) -> None:
            if message["type"] == "lifespan.startup.complete" and not tasks:
                loop = asyncio.get_running_loop()
                tasks.extend(loop.create_task(play_seat(room, name, player)) for name, player in players.items())
            elif message["type"].startswith("lifespan.shutdown"):
                for task in tasks:
                    task.cancel()
            await send(message)

        await app(scope, receive, on_send)

    return wrapped
