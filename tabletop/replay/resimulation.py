"""The one re-simulation loop: rebuild a session from a log's header and feed it the
logged commands, comparing every record it produces with the logged bytes.

:class:`Resimulation` is fed the logged records in order (from the one streaming
reader, :func:`tabletop.logfile.iter_records`); ``verify``, both resumes (headless
and console), the replay index and fork all use it. Nothing holds the whole log:
only the records a command produced that the log has not shown yet are kept.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from tabletop import api, heap, logfile
from tabletop.core import canonical
from tabletop.core.session import Record, Session
from tabletop.logfile import BadLog, ChainCheck, Line, LogWriter, TornTail, iter_lines, iter_records, open_log


class Divergence(BadLog):
    """Re-simulation disagrees with the log at ``seq``."""


@dataclass
class Verdict:
    ok: bool
    records: int
    bad_seq: int | None = None
    message: str = ""
    #: The final hash of the log (the seal), when the chain holds to the end.
    seal: str | None = None
    #: "" (re-simulated), or why the log was not re-simulated: "format" (another engine's format).
    not_resimulated: str = ""
    #: The engine release that re-simulates a log of another format.
    engine: str = ""
    #: The lifecycle state the re-simulated session ends in (``closed`` for a finished exercise).
    state: str = ""


#: A record as read from a log (plain fields; a :class:`Record` the session makes also carries its bytes).
Logged = dict[str, Any]
#: Called after each logged command is re-simulated: (session, the records it produced).
OnBatch = Callable[[Session, list[Record]], None]


class Resimulation:
    """Feed logged records in order; every produced record must equal the logged line."""

    def __init__(self, header: Logged, on_batch: OnBatch | None = None, session: Session | None = None) -> None:
        self.header = header
        self.session = session if session is not None else api.session_from_header(header)
        self.pending: deque[Record] = deque()
        self.on_batch = on_batch
        self.count = self.session.seq  # records accounted for (header included)

    def feed_line(self, line: Line, checker: ChainCheck) -> None:
        """The next stored line (verify's fast path). A line re-simulation already produced is
        compared as bytes: equal bytes carry the same hash over the same previous hash, so the
        chain holds there without parsing or hashing it again. Other lines (commands, and any
        line that differs) go through the chain check first, so a tampered line is reported as
        tampered and a sound one that re-simulation disagrees with as diverged."""
        if self.pending and self.pending[0].line == line.data:
            checker.prev = self.pending.popleft()["hash"]
            checker.count += 1
            self.count += 1
            return
        record = checker.check(line)
        self.feed(record, line)

    def feed(self, record: Logged, line: Line | bytes | None = None) -> None:
        """The next logged record (``line``: its stored bytes, for a byte-exact comparison)."""
        seq = record.get("seq")
        data = line.data if isinstance(line, Line) else line
        if self.pending:
            made = self.pending.popleft()
        elif record.get("type") == "command":
            made = self._submit(record)
        else:
            raise Divergence(f"record {seq} is a {record.get('type')} where re-simulation expects a command", seq)
        if (made.line != data) if data is not None else (canonical.encode(made) != canonical.encode(record)):
            raise Divergence(f"record {seq} differs from what re-simulating the logged commands produces", seq)
        self.count += 1

    def take(self, data: bytes) -> Record | None:
        """The next stored line, when re-simulation already produced exactly these bytes: that
        record (accounted for; equal bytes are the same record), else None and nothing changes
        (feed the parsed record then: a command, or a line that differs). Seeks and the index
        build go through here, so only commands and differing lines are parsed."""
        if self.pending and self.pending[0].line == data:
            self.count += 1
            return self.pending.popleft()
        return None

    def _submit(self, record: Logged) -> Record:
        seq = record.get("seq")
        try:
            command = api.command_from_record(record)
            made = self.session.submit(command)
        except api.BadCommand as err:
            raise Divergence(f"record {seq}: a command the engine cannot take ({err})", seq) from None
        except Exception as err:  # noqa: BLE001  a log the engine cannot replay is reported, not a crash
            if Session.strict:
                raise
            raise Divergence(f"record {seq} cannot be re-simulated: {type(err).__name__}", seq) from None
        if self.on_batch is not None:
            self.on_batch(self.session, made)
        self.pending.extend(made)
        return self.pending.popleft()

    def missing(self) -> list[Record]:
        """Records the logged commands produce that the log does not hold (never reached the disk)."""
        return list(self.pending)


def stream(path: str) -> Iterator[tuple[Logged, Line]]:
    return iter_records(path)


def resimulate_path(path: str, on_batch: OnBatch | None = None,
                    upto: int | None = None) -> tuple[Resimulation, TornTail | None]:
    """Re-simulate the log at ``path`` (up to record ``upto`` included, when given), checking the
    chain and every record. Returns the re-simulation and the torn tail, if the file has one."""
    sim: Resimulation | None = None
    try:
        for record, line in iter_records(path):
            if sim is None:
                sim = Resimulation(record, on_batch)
                continue
            if upto is not None and record["seq"] > upto and not sim.pending:
                break
            sim.feed(record, line)
    except TornTail as torn:
        if sim is None:
            raise BadLog("the log holds no complete header", 0) from None
        return sim, torn
    if sim is None:
        raise BadLog("the log is empty", 0)
    return sim, None


def resimulate(records: Iterable[Logged], on_batch: OnBatch | None = None) -> tuple[Session, list[Logged]]:
    """Re-simulate records already in memory (tests, small logs): the session and every record
    it produced (header first), compared with the logged ones as far as they go."""
    items = iter(records)
    header = next(items)
    sim = Resimulation(header, on_batch)
    produced: list[Logged] = [header]

    def keep(session: Session, made: list[Record]) -> None:
        produced.extend(made)
        if on_batch is not None:
            on_batch(session, made)

    sim.on_batch = keep
    for record in items:
        sim.feed(record, getattr(record, "line", None))
    return sim.session, produced


def verify(path: str, seal: str | None = None) -> Verdict:
    """Check the log at ``path``: chain and canonical bytes, every header field, then
    re-simulate from the header and compare every record, streaming. With ``seal``, the
    final hash must be that seal (catches a wholly re-hashed forgery)."""
    count = 0
    sim: Resimulation | None = None
    checker = ChainCheck()
    try:
        with open_log(path) as handle, heap.young():  # as long as the log: young passes as a driver's
            for line in iter_lines(handle):
                count += 1
                if sim is None:
                    try:
                        sim = Resimulation(checker.check(line))
                    except api.OtherFormat as other:
                        return _rest_of_other_format(path, other, seal)
                    continue
                sim.feed_line(line, checker)
    except TornTail as torn:
        return Verdict(False, count, torn.index, str(torn))
    except BadLog as err:
        return Verdict(False, count, err.seq, str(err))
    if sim is None:
        return Verdict(False, 0, 0, "the log is empty")
    if sim.pending:
        seq = sim.pending[0]["seq"]
        return Verdict(False, count, seq, f"record {seq} is produced by re-simulation but missing from the log "
                                          "(the log was cut short or records were removed)")
    return _sealed(Verdict(True, count, seal=checker.prev, state=sim.session.state), seal)


def _rest_of_other_format(path: str, other: api.OtherFormat, seal: str | None) -> Verdict:
    """Chain and canonical bytes of a log of another format; no re-simulation."""
    count, last = 0, None
    try:
        for record, _line in iter_records(path):
            count += 1
            last = record["hash"]
    except BadLog as err:
        return Verdict(False, count, err.seq, str(err))
    verdict = Verdict(False, count, None, str(other), seal=last, not_resimulated="format", engine=other.engine)
    if seal is not None and seal != last:
        return Verdict(False, count, count - 1, f"the final hash {last} is not the seal {seal}", seal=last)
    return verdict


def _sealed(verdict: Verdict, seal: str | None) -> Verdict:
    if seal is not None and verdict.seal != seal.strip().lower():
        return Verdict(False, verdict.records, verdict.records - 1,
                       f"the final hash {verdict.seal} is not the seal {seal} (the log was changed or re-hashed)",
                       seal=verdict.seal)
    return verdict


def verify_bytes(data: bytes, tmp_dir: str | None = None) -> Verdict:
    """:func:`verify` on log bytes (tests): written to a temporary file and streamed."""
    import os
    import tempfile

    handle, path = tempfile.mkstemp(suffix=".jsonl", dir=tmp_dir)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        return verify(path)
    finally:
        os.remove(path)


def session_at(path: str, seq: int) -> Session:
    """The session as it stood once record ``seq`` was written (the whole batch holding it)."""
    sim, _ = resimulate_path(path, upto=seq)
    return sim.session


def known_view_at(path: str, seq: int, county: str) -> dict:
    """A county EOC's known picture at ``seq`` (for the UI and replay)."""
    from tabletop.comms import picture

    return picture.known_view(session_at(path, seq), county)


@dataclass
class Reopened:
    """A log re-simulated for appending: the session after its last command, the writer."""

    session: Session
    writer: LogWriter
    header: Logged
    #: The logged command records, in order (a resumed script checks them against its plan).
    commands: list[Logged]
    #: Records the logged commands produced that had not reached the disk, now written.
    rewritten: int
    #: Bytes of a torn last line that were cut off (0 when the file ended cleanly).
    cut: int


def reopen(path: str) -> Reopened:
    """Resume the log at ``path`` (headless runs and the console): check the chain and re-simulate
    every record (streaming), cut off a torn last line, write the records the logged commands
    produce that never reached the disk, and return the session ready for the next command.
    Raises :class:`BadLog` (or :class:`Divergence`) when the log cannot be continued."""
    from tabletop.logfile import LogWriter

    commands: list[Logged] = []
    sim: Resimulation | None = None
    torn: TornTail | None = None
    try:
        for record, line in iter_records(path):
            if sim is None:
                sim = Resimulation(record)
                continue
            if record.get("type") == "command" and not sim.pending:
                commands.append(record)
            sim.feed(record, line)
    except TornTail as tail:
        torn = tail
    if sim is None:
        raise BadLog("the log holds no complete header", 0)
    missing = sim.missing()
    if torn is not None:
        logfile.truncate(path, torn.offset)
    writer = LogWriter(path, append=True)
    writer.write(missing, sync=True)
    writer.count = sim.count + len(missing)
    return Reopened(sim.session, writer, sim.header, commands, len(missing), torn.length if torn else 0)
