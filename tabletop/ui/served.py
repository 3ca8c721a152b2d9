"""The console as the room's projector (``run_exercise.py --serve``).

One authority: the session server (:class:`tabletop.server.room.Room`) owns the one
``Session`` and its one command queue. :func:`open_served` opens the room, starts the same
Starlette app that ``serve`` runs under uvicorn in a background thread, and gives the
console a :class:`RoomLink` (``Console.room``):

- **commands** (the facilitator's keys and buttons, hot-seat trainees' forms) go into the
  room's queue like every browser seat's (``Room.submit``, each with its own client id) and
  :meth:`RoomLink.submit` waits for the durable answer: the records are on disk, journal
  first, before the console shows them;
- **reading** for drawing holds the room's own lock (:meth:`RoomLink.reading`), which the
  room's worker holds from its first ``Session.submit`` until the batch is durable: the
  console never sees a half-applied batch, or a fact a crash could take back, and the
  worker never changes the session under a frame. The console's ``session`` and ``records``
  are the room's.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
import uuid
from typing import Any, Iterator

from tabletop import i18n
from tabletop.core.commands import Command
from tabletop.ui.console import Console, Outcome

#: Seconds to wait for the server to start, and for a command's durable answer.
START_TIMEOUT = 30.0
ANSWER_TIMEOUT = 60.0


class ServeFailed(Exception):
    """The room could not be opened or the port not bound (exit 2)."""


class _LoopLock:
    """An ``asyncio.Lock`` of the server's event loop, held by the console's (pygame) thread.

    A small coroutine on the loop takes the lock and keeps it until the console lets go.
    Re-entrant within the console's thread (a screenshot draws inside a frame). Once the
    loop has stopped nothing can change the session, and nothing is taken.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, lock: asyncio.Lock) -> None:
        self.loop, self.lock = loop, lock
        self.depth = 0
        self._release: asyncio.Event | None = None

    def acquire(self) -> None:
        if self.depth:
            self.depth += 1
            return
        self.depth = 1
        if self.loop.is_closed() or not self.loop.is_running():
            return
        held, release = threading.Event(), asyncio.Event()
        future = asyncio.run_coroutine_threadsafe(self._hold(held, release), self.loop)
        while not held.wait(0.2):
            if future.done() or not self.loop.is_running():  # the server stopped meanwhile
                return
        self._release = release

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0 and self._release is not None:
            release, self._release = self._release, None
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self.loop.call_soon_threadsafe(release.set)

    async def _hold(self, held: threading.Event, release: asyncio.Event) -> None:
        async with self.lock:
            held.set()
            await release.wait()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()

    @contextlib.contextmanager
    def let_go(self) -> Iterator[None]:
        """Release the lock entirely (whatever the depth) for the duration, then take it back."""
        depth = self.depth
        while self.depth:
            self.release()
        try:
            yield
        finally:
            for _ in range(depth):
                self.acquire()


class RoomLink:
    """The console's link to the room it serves: uvicorn in a thread, commands through the room's queue."""

    def __init__(self, room: Any, host: str, sock: Any, pin: str | None = None) -> None:
        import uvicorn

        from tabletop.server.app import make_app
        from tabletop.server.serve import link_host, uvicorn_config

        self.room = room
        self.sock = sock
        self.base = f"http://{link_host(host)}:{sock.getsockname()[1]}"
        self.links = room.book.links(self.base)
        self.server = uvicorn.Server(uvicorn_config(make_app(room, pin=pin)))
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=self._run, name="tabletop-room", daemon=True)
        self._lock: _LoopLock | None = None
        self._failure: BaseException | None = None
        self.stopped = False

    # ----- the server thread ----------------------------------------------------------------
    def _run(self) -> None:
        async def main() -> None:
            self.loop = asyncio.get_running_loop()
            await self.server.serve(sockets=[self.sock])

        try:
            asyncio.run(main())
        except BaseException as err:  # noqa: BLE001  reported by start() or seen as a stopped server
            self._failure = err

    def start(self) -> "RoomLink":
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.server.should_exit = True
                raise ServeFailed(f"the session server did not start: {self._failure or 'timed out'}")
            time.sleep(0.01)
        if self.loop is None:
            raise RuntimeError("the room's loop did not start")
        self._lock = _LoopLock(self.loop, self.room.lock)
        return self

    def stop(self) -> None:
        """Stop the server (the room closes its log and journal on the way out); idempotent."""
        if self.stopped:
            return
        self.stopped = True
        if self._lock is not None:
            while self._lock.depth:
                self._lock.release()
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout=30)

    # ----- what the console uses --------------------------------------------------------------
    def reading(self) -> contextlib.AbstractContextManager:
        """Hold the room's lock while the console reads the session (a frame: events, drawing)."""
        return self._lock.held() if self._lock is not None else contextlib.nullcontext()

    def submit(self, command: Command) -> Outcome:
        """Queue ``command`` as its seat's (the facilitator, or a hot-seat trainee) and wait for
        the durable answer; the outcome is read from the room's records, as the console's own."""
        from tabletop.server.seats import Seat

        room = self.room
        name = f"{command.county}.{command.role}" if command.county else command.role
        seat = room.book.by_name.get(name) or Seat(command.county, command.role, "")
        client_id = f"console-{uuid.uuid4().hex}"
        if self._lock is None or self.loop is None:
            raise RuntimeError("RoomLink.start() was not called")
        with self._lock.let_go():  # the worker needs the lock to apply the command
            future = asyncio.run_coroutine_threadsafe(
                room.submit(seat, command.kind, dict(command.args), client_id, command.turn), self.loop)
            answer = future.result(timeout=ANSWER_TIMEOUT)
        with self.reading():
            seq = answer["seq"]
            records = [room.records[seq]]
            for record in room.records[seq + 1:]:
                if record["type"] == "command":
                    break
                records.append(record)
        rejected = next((i18n.render_both(r["data"]["key"], r["data"]["params"])
                         for r in records if r["kind"] == "command_rejected"), None)
        return Outcome(records, rejected)

    def connections(self) -> dict[str, int]:
        """Seat name -> open websocket connections (the seats' pages that are open now)."""
        return self.room.connections()

    def trainee_links(self) -> list[dict[str, Any]]:
        """The seats file's ``seats``: one join link per trainee seat, in scenario order."""
        return list(self.links["seats"])


def open_served(scenario: str | None, log: str | None, resume: str | None, seed: int, lang: str, host: str,
                port: int, seats_out: str | None, pin: str | None) -> Console:
    """Open the room (a new session, or ``resume`` after a crash), start its server, and return
    the console that drives it (``Console.room``). Prints the join links as ``serve`` does."""
    from tabletop import files
    from tabletop.api import DEFAULT_SCENARIO
    from tabletop.server.room import RoomError
    from tabletop.server.serve import announce, bind, open_room

    loaded = _scenario_for(scenario or (None if resume else DEFAULT_SCENARIO), resume)
    if resume:
        path, seed_given = log or resume, None  # a resumed session keeps its own seed
    else:
        path = log or files.free_path(os.path.join("out", f"{loaded.scenario.scenario.id}-seed{seed}-room.jsonl"))
        seed_given = seed
    try:
        room = open_room(loaded, seed_given, path, resume)
    except (RoomError, OSError) as err:
        raise ServeFailed(str(err)) from None
    try:
        sock = bind(host, port)
    except OSError as err:
        room.close()
        raise ServeFailed(f"{host}:{port}: cannot listen: {err.strerror}") from None
    announce(room, sock, host, seats_out, path)
    link = RoomLink(room, host, sock, pin)
    try:
        link.start()
    except ServeFailed:
        room.close()
        raise
    print(i18n.t("ui.serving", lang, url=link.base, path=path), flush=True)
    return Console(room.session, room.writer, room.records, lang, room=link)


def _scenario_for(path: str | None, resume: str | None) -> Any:
    """The scenario file given, or (resuming without one) the scenario the log's header holds."""
    from tabletop.api import load_scenario_file, load_scenario_text

    if path is not None:
        loaded = load_scenario_file(path)
    elif resume is None:
        raise ServeFailed("nothing to serve: no scenario file and no log to resume")
    else:
        from tabletop.logfile import BadLog, read_header

        try:
            info = read_header(resume)["data"]["scenario"]
            loaded = load_scenario_text(info["content"], info.get("file") or "scenario.yaml")
        except (BadLog, OSError, KeyError, TypeError) as err:
            raise ServeFailed(f"{resume}: cannot resume: {err}") from None
    if not loaded.ok:
        raise ServeFailed("\n".join(str(problem) for problem in loaded.problems))
    return loaded
