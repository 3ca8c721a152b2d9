"""The one authority: the server's session, its one command queue, and the log.

Commands from every seat go through one ``asyncio.Queue`` into ``Session.submit``, in one
task (:meth:`Room._worker`). The worker takes what has queued up (group commit): submits
each command, appends the batch's client ids to the journal (fsync), writes the batch's
records to the log (``LogWriter.write(records, sync=True)``), and only then answers. A
seat's county and role come from its token (:class:`Seat`); the body never names them.

Everything that reads the session (payloads, events) holds :attr:`Room.lock`, which the
worker holds from its first ``submit`` until the batch is durable: no seat ever sees a fact
that a crash could take back.
"""

from __future__ import annotations

import asyncio
import bisect
import heapq
import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from tabletop import api, feed, files, i18n, logfile
from tabletop.core import canonical
from tabletop.core.commands import Command
from tabletop.core.session import BadCommand
from tabletop.heap import HeapKeeper
from tabletop.logfile import BadLog, LogWriter, TornTail, iter_records
from tabletop.server import views
from tabletop.server.journal import Journal, journal_path, read_journal
from tabletop.server.seats import Seat, SeatBook, SeatError, sidecar_path

#: Commands taken from the queue in one batch at most (one journal and one log fsync each).
MAX_BATCH = 256


class RoomError(Exception):
    """A log or seats file the room cannot open (exit 2): a message key and its parameters
    (:meth:`text` in a language; ``str`` is English)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(i18n.t(key, "en", **params))
        self.key = key
        self.params = params

    def text(self, lang: str) -> str:
        return i18n.t(self.key, lang, **self.params)


class Unavailable(Exception):
    """The disk refused a write: the room accepts nothing more (answers 503)."""


@dataclass
class _Item:
    seat: Seat
    kind: str
    args: dict[str, Any]
    client_id: str
    turn: int | None
    future: asyncio.Future
    #: When the server received the command (the record's ``wall``).
    wall: str | None = None


def now_stamp() -> str:
    """The wall-clock time now, ISO 8601 with the machine's zone, to the second (data no rule reads)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Room:
    def __init__(self, session: Any, writer: LogWriter | None, records: list[dict[str, Any]], book: SeatBook,
                 journal: Journal | None, log_path: str, dedup: dict[tuple[str, str], int] | None = None) -> None:
        self.session = session
        self.writer = writer
        self.records = records
        self.book = book
        self.journal = journal
        self.log_path = log_path
        self.dedup: dict[tuple[str, str], int] = dict(dedup or {})
        self.pending: dict[tuple[str, str], asyncio.Future] = {}
        self.lock = asyncio.Lock()
        self.queue: asyncio.Queue[_Item] | None = None
        self.broken: Exception | None = None
        #: Seat name -> open websocket connections (the facilitator's "who is here").
        self.connected: dict[str, int] = {}
        #: Called with the set of seat names a durable batch concerns ("*" for all).
        self.subscribers: list[Callable[[set[str]], None]] = []
        self._task: asyncio.Task | None = None
        #: Stamps a received command (``wall``); tests may set a fixed clock.
        self.clock: Callable[[], str] = now_stamp
        # Indexes, kept as records are made (never a scan of the whole log per request).
        self.messages: dict[str, dict[str, Any]] = {}
        self.messages_by_seq: dict[int, dict[str, Any]] = {}
        self._inbox: dict[str, list[int]] = {}
        self._commands: dict[str, list[int]] = {}
        self._rejections: dict[int, dict[str, Any]] = {}
        self._public: list[int] = []
        self._visible: dict[str, list[int]] = {}
        self._county_seats = {county.id: [f"{county.id}.{role}" for role in county.roles]
                              for county in session.scenario.counties}
        for record in records[1:]:
            self._index(record)
        self.durable_seq = records[-1]["seq"]
        #: Freezes the long-lived heap every 5,000 records (:mod:`tabletop.heap`): the log held
        #: in memory grows all exercise and would make each full garbage collection longer.
        #: The records already held (a resumed log's) count as made.
        self.heap = HeapKeeper(made=len(records))

    # ----- opening ------------------------------------------------------------------------
    @classmethod
    def create(cls, loaded: Any, seed: int, log_path: str) -> "Room":
        """A new session: header written (fsync), fresh tokens in the seats sidecar."""
        session, header = api.new_session(loaded, seed)
        writer = LogWriter(log_path)
        writer.write([header], sync=True)
        book = SeatBook.new(session)
        book.save(sidecar_path(log_path), header["hash"])
        journal_file = journal_path(log_path)
        write_lines(journal_file, [])
        return cls(session, writer, [header], book, Journal(journal_file), log_path)

    @classmethod
    def resume(cls, loaded: Any, seed: int | None, log_path: str) -> "Room":
        """Reopen a session after a crash: the same log, the same tokens, the same client ids.

        A torn last line is cut off; the logged commands are re-simulated
        (``replay.resimulate``) and must reproduce the log; records they produce that never
        reached the disk are written. Journal lines the log does not bear out are dropped.
        """
        from tabletop.replay import resimulate

        records, good_bytes = read_records(log_path)
        header = records[0]["data"]
        if header["scenario"]["sha256"] != canonical.sha256_text(loaded.text):
            raise RoomError("resume.other_scenario", log=log_path)
        if seed is not None and seed != header["seed"]:
            raise RoomError("resume.other_seed", log=log_path, logged=header["seed"], seed=seed)
        try:
            session, produced = resimulate(records)
        except BadLog as err:
            raise RoomError("resume.bad_log", log=log_path, detail=str(err)) from None
        for made, logged in zip(produced, records, strict=True):
            if canonical.dumps(made) != canonical.dumps(logged):
                raise RoomError("resume.not_resimulated", log=log_path, seq=logged.get("seq"))
        try:
            book = SeatBook.load(sidecar_path(log_path), session, records[0]["hash"])
        except SeatError as err:
            raise RoomError("resume.seats", detail=str(err)) from None
        logfile.truncate(log_path, good_bytes)
        writer = LogWriter(log_path, append=True)
        writer.write(produced[len(records):], sync=True)
        journal_file = journal_path(log_path)
        dedup = read_journal(journal_file, produced)
        write_lines(journal_file, [{"seat": seat, "client_id": client, "seq": seq, "hash": produced[seq]["hash"]}
                                   for (seat, client), seq in sorted(dedup.items(), key=lambda item: item[1])])
        return cls(session, writer, produced, book, Journal(journal_file), log_path, dedup)

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.journal is not None:
            self.journal.close()
        if self.writer is not None:
            self.writer.close()
        self.heap.release()

    def start(self) -> None:
        """Start the one worker (call inside the running event loop)."""
        self.queue = asyncio.Queue()
        self._task = asyncio.get_running_loop().create_task(self._worker())

    # ----- the one way in -------------------------------------------------------------------
    async def submit(self, seat: Seat, kind: str, args: dict[str, Any], client_id: str,
                     turn: int | None = None) -> dict[str, Any]:
        """Queue one command and wait for its durable answer; a known client id gets its first answer."""
        if self.broken is not None:
            raise Unavailable(str(self.broken))
        key = (seat.name, client_id)
        if key in self.dedup:
            return self.answer_of(self.dedup[key])
        if key in self.pending:
            return await asyncio.shield(self.pending[key])
        if self.queue is None:
            raise RuntimeError("Room.start() was not called")
        future = asyncio.get_running_loop().create_future()
        self.pending[key] = future
        await self.queue.put(_Item(seat, kind, args, client_id, turn, future, self.clock()))
        return await asyncio.shield(future)

    async def _worker(self) -> None:
        if self.queue is None:
            raise RuntimeError("Room.start() was not called")
        while True:
            batch = [await self.queue.get()]
            while len(batch) < MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            try:
                await self._run(batch)
            except Exception as err:  # noqa: BLE001  the disk failed: stop accepting, answer everyone
                self.broken = err
                for item in batch:
                    self.pending.pop((item.seat.name, item.client_id), None)
                    if not item.future.done():
                        item.future.set_exception(Unavailable(str(err)))
                while not self.queue.empty():
                    item = self.queue.get_nowait()
                    self.pending.pop((item.seat.name, item.client_id), None)
                    item.future.set_exception(Unavailable(str(err)))
                return

    async def _run(self, batch: list[_Item]) -> None:
        session = self.session
        made: list[dict[str, Any]] = []
        entries: list[tuple[str, str, int, str]] = []
        outcome: list[tuple[_Item, int | BadCommand]] = []
        async with self.lock:
            for item in batch:
                seat = item.seat
                turn = item.turn if item.turn is not None else (None if seat.is_facilitator else session.turn)
                try:
                    records = session.submit(Command(turn, seat.county, seat.role, item.kind, item.args, item.wall))
                except BadCommand as err:  # nothing logged: the reader refuses it (400)
                    outcome.append((item, err))
                    continue
                made += records
                entries.append((seat.name, item.client_id, records[0]["seq"], records[0]["hash"]))
                outcome.append((item, records[0]["seq"]))
            if made:
                await asyncio.to_thread(self._persist, entries, made)
            touched: set[str] = set()
            self.records.extend(made)
            for record in made:
                touched.update(self._index(record))
            if made:
                self.durable_seq = made[-1]["seq"]
        self.heap.after(len(made))
        for item, result in outcome:
            key = (item.seat.name, item.client_id)
            self.pending.pop(key, None)
            if isinstance(result, BadCommand):
                item.future.set_exception(result)
            else:
                self.dedup[key] = result
                item.future.set_result(self.answer_of(result))
        if made:
            for notify in list(self.subscribers):
                notify(touched)

    def _persist(self, entries: list[tuple[str, str, int, str]], records: list[dict[str, Any]]) -> None:
        """Journal first, then the log; both fsync'd (see tabletop/server/journal.py for why)."""
        if self.journal is None or self.writer is None:
            raise RuntimeError("this room has no log to write to (a bot desk: its caller writes the log)")
        self.journal.append(entries)
        self.writer.write(records, sync=True)

    # ----- indexes --------------------------------------------------------------------------
    def _index(self, record: dict[str, Any]) -> set[str]:
        """Add a record (already in :attr:`records`) to the indexes; returns the seat names it concerns."""
        seq, kind, data = record["seq"], record["kind"], record["data"]
        touched: set[str] = set()
        if record["type"] == "command":
            self._commands.setdefault(record["actor"], []).append(seq)
            county = data.get("county")
            touched.update(self._county_seats.get(county, ()) if county else ("*",))
        elif kind == "command_rejected":
            self._rejections[data["command"]] = data
        elif kind == "message_sent":
            self.messages[data["id"]] = data
        elif kind == "message_delivered" and data.get("id") in self.messages:
            sent = self.messages[data["id"]]
            if sent.get("kind") == "text":
                self.messages_by_seq[seq] = sent
                self._inbox.setdefault(sent.get("to") or "", []).append(seq)
        seen = views.audience(self, record)
        if "*" in seen:
            self._public.append(seq)
        else:
            for name in seen:
                self._visible.setdefault(name, []).append(seq)
        return touched | set(seen)

    def connections(self) -> dict[str, int]:
        """Seat name -> open websocket connections: a copy, safe to read from another thread (the console)."""
        return dict(self.connected)

    def county_seats(self, county: str) -> list[str]:
        return self._county_seats.get(county, [])

    def commands_of(self, name: str) -> list[int]:
        return self._commands.get(name, [])

    def inbox_messages(self, seat: Seat) -> list[int]:
        return self._inbox.get(f"eoc:{seat.county}" if seat.county else seat.role, [])

    def answer_of(self, seq: int) -> dict[str, Any]:
        """The answer to the command logged at ``seq``, rebuilt from the log's records."""
        rejected = self._rejections.get(seq)
        if rejected is None:
            return {"status": "accepted", "seq": seq, "rule": None, "reason": None}
        return {"status": "rejected", "seq": seq, "rule": rejected.get("rule"),
                "reason": {lang: feed.reason(self.session, rejected, lang) for lang in i18n.LANGS}}

    def visible(self, seat: Seat, after: int, limit: int) -> list[int]:
        """Seqs after ``after`` that ``seat`` may see, oldest first, at most ``limit``."""
        if seat.is_facilitator:
            return list(range(after + 1, min(self.durable_seq, after + limit) + 1))
        own = self._visible.get(seat.name, [])
        merged = heapq.merge(self._public[bisect.bisect_right(self._public, after):],
                             own[bisect.bisect_right(own, after):])
        out: list[int] = []
        for seq in merged:
            if seq > self.durable_seq or len(out) >= limit:
                break
            out.append(seq)
        return out

    def events(self, seat: Seat, after: int, limit: int = 500) -> list[dict[str, Any]]:
        return [views.render(self, self.records[seq]) for seq in self.visible(seat, after, limit)]


def read_records(path: str) -> tuple[list[dict[str, Any]], int]:
    """Every whole record of the log at ``path`` (chain checked) and the bytes they take."""
    if not os.path.exists(path):
        raise RoomError("cli.no_log_to_resume", path=path)
    records: list[dict[str, Any]] = []
    good = 0
    try:
        for record, line in iter_records(path):
            records.append(record)
            good = line.offset + len(line.data) + 1
    except TornTail as torn:
        good = torn.offset
    except BadLog as err:
        raise RoomError("resume.bad_log", log=path, detail=str(err)) from None
    if not records or records[0].get("type") != "header":
        raise RoomError("resume.no_header", log=path)
    return records, good


def write_lines(path: str, items: list[dict[str, Any]]) -> None:
    """Rewrite a JSON Lines sidecar atomically (temp file, fsync, rename)."""
    files.write_lines(path, (json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
                             for item in items))

