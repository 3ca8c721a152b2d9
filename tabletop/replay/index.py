"""The replay index of a log (``LOG.replay-index``, SQLite): built once, trusted only while it matches.

Where it lives: beside the log when the log's folder can be written; otherwise (a log on
read-only media, a full disk) in the per-user cache folder,
``<user cache>/replay-index/<SHA-256 of the log's real path>-<name>.replay-index``
(:func:`tabletop.files.user_cache_dir`), so nothing is ever written beside such a log and
two logs never share an index; when neither can be written it is kept in memory for that
run. Whichever is found is used only if it matches the log (size, digest, chain).

It holds what makes seeking fast and the viewer's lists cheap on a million-record log:

- ``snapshots``: the whole session state (``Session.snapshot(copied=False)``: live objects
  encoded at once, orjson + zlib) after
  the first command's batch that ends ``every`` or more records after the previous
  snapshot, so reaching any record re-simulates little. Placement depends on record
  counts only, never on the clock: the same log always gives the same snapshots;
- ``records``: per record its turn, type, kind, county and role, and the command
  whose batch it belongs to (filters and jumps query these, not the log);
- ``marks``: (inject | rejection | alert | rating, seq) jump targets;
- ``meta``: the log's size, SHA-256 and last hash, the chain check and re-simulation
  verdicts, and the line offsets; ``scores``: cached "score so far" results.

The index is used only when the log's digest and size equal those it was built from and
every snapshot's ``last_hash`` is the hash of the log record before it; otherwise it is
rebuilt (written to a temporary file in the same folder, fsync'd, then renamed over the
old one: a reader never sees half an index).
"""

from __future__ import annotations

import hashlib
import mmap
import os
import sqlite3
import struct
import threading
import time
import zlib
from array import array
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import orjson

from tabletop import api, files, heap
from tabletop.core import canonical, ids
from tabletop.core.session import Session
from tabletop.logfile import BadLog
from tabletop.replay.resimulation import Resimulation
from tabletop.replay import marks as mk
from tabletop.replay.source import Integrity, LogSource

FORMAT = 2
SUFFIX = ".replay-index"
#: Records between snapshots: a cold seek re-simulates at most about twice this many, and a
#: batch longer than this (a turn's end) is followed by a snapshot, so seeking into it costs a
#: restore only (bench_replay.py: 500 gave a 1,000,000-record national log's seeks a median
#: under 50 ms and a worst under 100 ms).
EVERY = 500
#: No longer used: snapshots are placed by record count alone (kept for callers that pass it).
BUDGET = None
#: The in-memory index's ``path`` (nothing could be written).
MEMORY = ":memory:"
_CHUNK = 20_000
_PRAGMAS = "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
#: Writes the index build lets wait for its writer thread (each a snapshot or a chunk of rows).
_QUEUED = 8
#: A snapshot's ids registry is stored whole at most this many snapshots apart; the ones between
#: store only the entries set since the previous snapshot (its journal, ``IdRegistry.entered``),
#: so a restore reads one whole registry and fewer than this many small changes.
IDS_BASE_EVERY = 64

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, last_hash TEXT NOT NULL, turn INTEGER NOT NULL, data BLOB NOT NULL,
                        ids_from INTEGER NOT NULL, ids BLOB NOT NULL);
CREATE TABLE records (seq INTEGER PRIMARY KEY, turn INTEGER, batch INTEGER, type TEXT, kind TEXT, county TEXT, role TEXT);
CREATE TABLE marks (mark TEXT, seq INTEGER, PRIMARY KEY (mark, seq)) WITHOUT ROWID;
CREATE TABLE scores (seq INTEGER PRIMARY KEY, data BLOB);
"""
INDEXES = """
CREATE INDEX records_county ON records (county, seq);
CREATE INDEX records_role ON records (role, seq);
CREATE INDEX records_kind ON records (kind, seq);
CREATE INDEX records_turn ON records (turn, seq);
"""


def index_path(log: str) -> str:
    """The index beside the log (used when the log's folder can be written)."""
    return log + SUFFIX


def cache_index_path(log: str) -> str:
    """The index of ``log`` in the per-user cache folder: named by the SHA-256 of the log's
    real absolute path (two logs never share one; what it was built from is checked inside)."""
    real = os.path.realpath(log)
    key = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in os.path.basename(real))[:80]
    return os.path.join(files.user_cache_dir(), "replay-index", f"{key}-{name}{SUFFIX}")


def index_paths(log: str) -> list[str]:
    """Where an index of ``log`` may be, in the order they are tried: beside it, then the cache."""
    return [index_path(log), cache_index_path(log)]


@dataclass
class BuildStats:
    seconds: float = 0.0
    snapshots: int = 0
    records: int = 0
    #: Parts without ``Plugin.restore``: no snapshots then, and seeking re-simulates from the start.
    unrestorable: tuple[str, ...] = ()
    #: Whether a helper process wrote the rows, marks and snapshots (:class:`_Helper`).
    helper: bool = False


def state_of(frozen: bytes, registry: dict[str, str]) -> dict[str, Any]:
    """A stored snapshot (:meth:`Index.snapshot_parts`) as the state ``Session.snapshot`` gives:
    parsed fresh, with its ids registry."""
    state: dict[str, Any] = orjson.loads(frozen)
    state["ids"] = registry
    return state


class Index:
    """An open, matching index (read side)."""

    def __init__(self, path: str, db: sqlite3.Connection | None = None,
                 problem: files.FileProblem | None = None) -> None:
        self.path = path
        self.db = db if db is not None else sqlite3.connect(path, check_same_thread=False)
        #: Why the index is held in memory (nowhere could it be written), else None.
        self.problem = problem
        self.meta = {key: value for key, value in self.db.execute("SELECT key, value FROM meta")}

    def close(self) -> None:
        self.db.close()

    # ----- meta -------------------------------------------------------------------------
    def integrity(self) -> Integrity:
        return Integrity.from_data(orjson.loads(self.meta["integrity"]))

    def offsets(self) -> array:
        out = array("q")
        out.frombytes(self.meta["offsets"])
        return out

    @property
    def replayable(self) -> int:
        """Records the viewer may show: the intact prefix, cut where re-simulation diverged."""
        return int(self.meta["replayable"])

    # ----- snapshots ----------------------------------------------------------------------
    def snapshot_before(self, seq: int) -> tuple[int, dict[str, Any]] | None:
        """The latest snapshot whose state includes no record after ``seq``: (its next seq, state)."""
        found = self.snapshot_seq_before(seq)
        state = None if found is None else self.snapshot_at(found)
        return None if found is None or state is None else (found, state)

    def snapshot_seq_before(self, seq: int) -> int | None:
        row = self.db.execute("SELECT max(seq) FROM snapshots WHERE seq <= ?", (seq + 1,)).fetchone()
        return row[0] if row else None

    def snapshot_seq_for(self, seq: int, batch: int) -> int | None:
        """The latest snapshot at or before the state after the batch (first seq ``batch``) that
        holds ``seq``: the one taken right after that batch when there is one (the state a seek
        into the batch shows, with nothing to re-simulate: a long batch such as a turn's end
        costs a restore only), else :meth:`snapshot_seq_before`."""
        row = self.db.execute("SELECT min(seq) FROM snapshots WHERE seq > ?", (seq + 1,)).fetchone()
        after = row[0] if row else None
        if after is not None:
            last = self.row(after - 1)
            if last is not None and last[2] == batch:
                return after
        return self.snapshot_seq_before(seq)

    def snapshot_at(self, seq: int) -> dict[str, Any] | None:
        """The state of the snapshot whose next seq is ``seq`` (None if there is none)."""
        found = self.snapshot_parts(seq)
        return None if found is None else state_of(*found)

    def snapshot_parts(self, seq: int) -> tuple[bytes, dict[str, str]] | None:
        """The snapshot whose next seq is ``seq`` as stored: the state without its ids registry, as
        JSON bytes (``Session.snapshot(copied=False, ids=False)``), and the registry (None if there
        is none). The bytes are a restored session's rollback checkpoint (``Session.adopt_checkpoint``)."""
        row = self.db.execute("SELECT data, ids_from FROM snapshots WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            return None
        frozen = zlib.decompress(row[0])
        # the registry: whole at ``ids_from``, then the entries set up to this snapshot
        chain = self.db.execute("SELECT ids FROM snapshots WHERE seq >= ? AND seq <= ? ORDER BY seq", (row[1], seq))
        registry: dict[str, str] = {}
        for (blob,) in chain:
            part = orjson.loads(zlib.decompress(blob))
            if isinstance(part, dict):
                registry = part
            else:
                ids.replay(registry, part)
        return frozen, registry

    def snapshot_seqs(self) -> list[int]:
        return [row[0] for row in self.db.execute("SELECT seq FROM snapshots ORDER BY seq")]

    def snapshot_hashes(self) -> Iterator[tuple[int, str]]:
        return iter(self.db.execute("SELECT seq, last_hash FROM snapshots ORDER BY seq").fetchall())

    # ----- records ------------------------------------------------------------------------
    def row(self, seq: int) -> tuple[Any, ...] | None:
        return self.db.execute("SELECT seq, turn, batch, type, kind, county, role FROM records WHERE seq = ?",
                               (seq,)).fetchone()

    def turn_end(self, turn: int) -> int | None:
        """The last record before the batch that starts turn ``turn + 1`` (None if the log never reached ``turn``)."""
        row = self.db.execute("SELECT batch FROM records WHERE turn > ? ORDER BY seq LIMIT 1", (turn,)).fetchone()
        if row is not None:
            first = self.db.execute("SELECT min(seq) FROM records WHERE turn = ?", (turn,)).fetchone()
            return row[0] - 1 if first and first[0] is not None else None
        row = self.db.execute("SELECT max(seq) FROM records WHERE turn = ?", (turn,)).fetchone()
        return row[0] if row else None

    def last_turn(self) -> int:
        row = self.db.execute("SELECT max(turn) FROM records").fetchone()
        return row[0] or 0

    def next_mark(self, mark: str, seq: int, forward: bool = True) -> int | None:
        if forward:
            row = self.db.execute("SELECT min(seq) FROM marks WHERE mark = ? AND seq > ?", (mark, seq)).fetchone()
        else:
            row = self.db.execute("SELECT max(seq) FROM marks WHERE mark = ? AND seq < ?", (mark, seq)).fetchone()
        return row[0] if row else None

    def mark_seqs(self, mark: str) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT seq FROM marks WHERE mark = ? ORDER BY seq", (mark,))]

    def add_marks(self, mark: str, seqs: list[int]) -> None:
        self._cache(lambda: self.db.executemany("INSERT OR IGNORE INTO marks VALUES (?, ?)", [(mark, s) for s in seqs]))

    def _cache(self, change: Callable[[], Any]) -> None:
        """Add to the index after it was built (derived data only): where the index cannot be
        written (read-only media, a full disk) the addition is dropped, never an error."""
        try:
            change()
            self.db.commit()
        except sqlite3.Error:
            try:
                self.db.rollback()
            except sqlite3.Error:
                pass

    def events(self, seq: int, limit: int, county: str = "", role: str = "", kind: str = "") -> list[int]:
        """Seqs of up to ``limit`` records at or before ``seq`` matching the filters, newest first."""
        where: list[str] = ["seq <= ?", "type != 'header'"]
        params: list[int | str] = [seq]
        for column, value in (("county", county), ("role", role), ("kind", kind)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        # Fixed column names only; every value is a bound parameter.
        sql = f"SELECT seq FROM records WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ?"  # noqa: S608
        return [r[0] for r in self.db.execute(sql, (*params, limit))]

    def distinct(self, column: str) -> list[str]:
        if column not in ("county", "role", "kind"):
            raise ValueError(f"no such column: {column}")
        # The column name is one of three fixed names (checked above); values are bound.
        return [r[0] for r in self.db.execute(f"SELECT DISTINCT {column} FROM records WHERE {column} != '' ORDER BY 1")]  # noqa: S608

    # ----- cached scores ------------------------------------------------------------------
    def score(self, seq: int) -> Any:
        row = self.db.execute("SELECT data FROM scores WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else orjson.loads(row[0])

    def put_score(self, seq: int, data: Any) -> None:
        self._cache(lambda: self.db.execute("INSERT OR REPLACE INTO scores VALUES (?, ?)", (seq, orjson.dumps(data))))


# ----- matching -----------------------------------------------------------------------------
def load_matching(source: LogSource, digest: str) -> tuple[Index | None, str]:
    """The index of ``source`` (beside it, else in the cache) if it matches the log, else (None, why not)."""
    why = "missing"
    for path in index_paths(source.path):
        if not os.path.exists(path):
            continue
        index, reason = _matching(path, source, digest)
        if index is not None:
            return index, "ok"
        if why == "missing":
            why = reason
    return None, why


def _matching(path: str, source: LogSource, digest: str) -> tuple[Index | None, str]:
    index: Index | None = None
    try:
        index = Index(path)
        meta = index.meta
        if int(meta.get("format", 0)) != FORMAT:
            index.close()
            return None, "old format"
        if int(meta["size"]) != source.size or meta["digest"] != digest:
            index.close()
            return None, "the log changed"
        source.use_offsets(index.offsets(), bool(int(meta["torn"])))
        for seq, last_hash in index.snapshot_hashes():
            if seq - 1 >= source.lines or orjson.loads(source.line(seq - 1)).get("hash") != last_hash:
                index.close()
                return None, "does not match the log's hash chain"
        return index, "ok"
    except (sqlite3.DatabaseError, KeyError, ValueError, orjson.JSONDecodeError):
        if index is not None:
            index.close()
        return None, "unreadable"


def previous_extent(source: LogSource) -> tuple[int, str] | None:
    """(records, last hash) the old index saw, if it is readable (to notice a shortened log)."""
    for path in index_paths(source.path):
        if not os.path.exists(path):
            continue
        try:
            db = sqlite3.connect(path)
            try:
                meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('intact', 'last_hash')").fetchall())
            finally:
                db.close()
            return int(meta["intact"]), str(meta["last_hash"])
        except (sqlite3.DatabaseError, KeyError, ValueError):
            continue
    return None


# ----- building -----------------------------------------------------------------------------
def build(source: LogSource, integrity: Integrity, digest: str, every: int = EVERY, budget: Any = None,
          progress: Callable[[int], None] | None = None) -> tuple[Index, BuildStats]:
    """Re-simulate the intact prefix once, comparing every record, and write the index.

    Tried in turn: beside the log, the per-user cache, memory (see the module doc). Each
    file is built under a temporary name in its folder, fsync'd and renamed into place; a
    folder that cannot be written (read-only, full) is left as it was, with no temporary
    file behind. ``budget`` is ignored (snapshots are placed by record count alone).
    """
    start = time.perf_counter()
    problem: files.FileProblem | None = None
    places = list(index_paths(source.path))
    while places:
        final = places[0]
        tmp = ""
        db: sqlite3.Connection | None = None
        helped = HELPER
        try:
            files.make_folder(os.path.dirname(os.path.abspath(final)), final)
            files.sweep_temps(final)  # left by a process killed while building
            tmp = files.temp_path(final)
            # Create the file ourselves first: a read-only folder or a full disk is a plain
            # OSError with its errno here, before any re-simulation is spent on it.
            files.create_new(tmp)
            db = sqlite3.connect(tmp, check_same_thread=False)  # written by the build's writer thread
            stats = _fill(db, source, integrity, digest, every, progress)
            db.close()
            db = None
            files.fsync_file(tmp)
            files.publish(tmp, final)
        except (OSError, sqlite3.Error, files.FileProblem) as err:
            if db is not None:
                db.close()
            files.discard(tmp)
            if helped and not HELPER:
                continue  # a helper that did nothing was given up (_Watch): the same place, without one
            if problem is None:
                problem = files.problem(err, final)
            places.pop(0)
            continue
        except BaseException:
            if db is not None:
                db.close()
            files.discard(tmp)
            raise
        stats.seconds = time.perf_counter() - start
        return Index(final), stats
    db = sqlite3.connect(MEMORY, check_same_thread=False)
    stats = _fill(db, source, integrity, digest, every, progress)
    stats.seconds = time.perf_counter() - start
    return Index(MEMORY, db=db, problem=problem), stats


def _fill(db: sqlite3.Connection, source: LogSource, integrity: Integrity, digest: str, every: int,
          progress: Callable[[int], None] | None) -> BuildStats:
    db.executescript(_PRAGMAS + SCHEMA)
    db.commit()  # no transaction left open: a helper process may write the file now
    stats = BuildStats()
    with heap.young():  # a re-simulation as long as the log: young passes as a driver's (heap.YOUNG)
        replayable, integrity = _replay_into(db, source, integrity, every, progress, stats)
    last_hash = orjson.loads(source.line(integrity.intact - 1))["hash"] if integrity.intact else canonical.GENESIS
    meta = {"format": str(FORMAT), "size": str(source.size), "digest": digest, "torn": str(int(source.torn)),
            "intact": str(integrity.intact), "replayable": str(replayable), "last_hash": last_hash,
            "integrity": orjson.dumps(integrity.to_data()).decode(), "offsets": source.offsets.tobytes(),
            "every": str(every), "unrestorable": ",".join(stats.unrestorable)}
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.commit()
    return stats


def _replay_into(db: sqlite3.Connection, source: LogSource, integrity: Integrity, every: int,
                 progress: Callable[[int], None] | None, stats: BuildStats) -> tuple[int, Integrity]:
    """Feed the logged commands to a session; store snapshots, then rows and marks of the records
    kept (the replayable ones) and the tables' indexes. Returns (replayable, integrity)."""
    intact = integrity.intact
    if intact == 0:
        return 0, integrity
    header = source.record(0)
    try:
        session = api.session_from_header(header)
    except api.BadLog as err:
        _write_rows(db, source, 1, {}, frozenset())
        return 1, _diverged(integrity, 1, f"the header cannot be replayed: {err}")
    seats = mk.inject_seats(session.scenario)
    stats.unrestorable = unrestorable(session)
    alerts = mk.alert_injects(session.scenario)
    # Rows and marks come from the stored records alone: a helper process writes them (and the
    # snapshots this process sends it) beside the re-simulation, on the second CPU.
    helper = _Helper.start(db, source, intact, seats, alerts)
    stats.helper = helper is not None
    # The one re-simulation loop (tabletop.replay.Resimulation) compares every record with its
    # stored bytes; snapshots are taken between whole batches, by record count (deterministic).
    sim = Resimulation(header, session=session)
    try:
        writer = _Writer(db if helper is None else None, helper)
        journal = _Journal()
        pos, since, batch, tick = 1, 0, 1, 0
        stop: tuple[int, Integrity] | None = None
        pending, data, offsets = sim.pending, source.data, source.offsets
        try:
            while pos < intact:
                if progress is not None and pos >= tick:
                    progress(pos)
                    tick = pos + 1024
                if pending:
                    # The lines re-simulation already produced byte for byte are those records
                    # (what Resimulation.take does, in one loop): not parsed again.
                    start = pos
                    while pending and pos < intact and pending[0].line == data[offsets[pos]:offsets[pos + 1] - 1]:
                        pending.popleft()
                        pos += 1
                    sim.count += pos - start
                    since += pos - start
                    if pending and pos < intact:  # a line that differs: fed, so the divergence is reported
                        stop = _feed(sim, source, pos, batch, integrity)
                        if stop is not None:
                            break
                        pos += 1
                        since += 1
                    continue
                # A batch boundary: the session stands after whole batches. A snapshot before a
                # batch that would carry the gap past ``every`` (so a gap is at most ``every``
                # records, or one longer batch, which gets a snapshot after it).
                if not stats.unrestorable and since and (
                        since >= every or _batch_length(source, pos, min(intact, pos + every - since + 1)) > every - since):
                    journal.store(writer, sim.session)
                    stats.snapshots += 1
                    since = 0
                batch = pos
                stop = _feed(sim, source, pos, batch, integrity)
                if stop is not None:
                    break
                pos += 1
                since += 1
        finally:
            writer.close()  # every snapshot so far written or sent (or its error raised) before what follows
        keep = stop[0] if stop is not None else intact
        if progress is not None:
            progress(intact)
        if helper is not None:
            helper.finish(keep)  # its rows, marks, snapshots and indexes written and committed
        else:
            _write_rows(db, source, keep, seats, alerts)
    finally:
        if helper is not None:
            helper.close()
    stats.records = intact
    return stop if stop is not None else (intact, integrity)


def _write_rows(db: sqlite3.Connection, source: LogSource, stop: int, seats: dict[str, tuple[str | None, str]],
                alerts: frozenset[str]) -> None:
    """Rows and marks of records ``0 .. stop - 1``, then the tables' indexes (after the bulk insert:
    faster than keeping them up to date)."""
    made, error = _rows(source, stop, seats, alerts, lambda rows, found: _flush(db, rows, found))
    if error is not None and made < stop:
        raise error
    db.executescript(INDEXES)


def _rows(source: LogSource, stop: int, seats: dict[str, tuple[str | None, str]], alerts: frozenset[str],
          sink: Callable[[list[tuple], list[tuple[str, int]]], None]) -> tuple[int, Exception | None]:
    """The index rows (turn, batch, type, kind, county, role) and jump marks of records
    ``0 .. stop - 1``, read from the stored lines and handed to ``sink`` in chunks. A batch is a
    command and the events after it (re-simulation checks that the log holds exactly these).
    Returns (records done, the error that stopped it at a record that cannot be read, else None)."""
    header = source.record(0) if stop else {}
    rows: list[tuple] = [(0, 0, 0, "header", header.get("kind", ""), "", "")] if stop else []
    found: list[tuple[str, int]] = []
    batch, command = 1, header
    about, names_of = mk.about, mk.mark_names
    pos = 1
    try:
        for pos in range(1, stop):
            record = source.record(pos)
            if record["type"] == "command":
                batch, command = pos, record
            county, role = about(record, command, seats)
            rows.append((pos, record["turn"], batch, record["type"], record["kind"], county, role))
            for name in names_of(record, alerts):
                found.append((name, pos))
            if len(rows) >= _CHUNK:
                sink(rows, found)
                rows, found = [], []
        pos = max(stop, 1)
    except Exception as err:  # noqa: BLE001  past the replayable part this is not an error (the caller decides)
        sink(rows, found)
        return pos, err
    sink(rows, found)
    return stop, None


_PREV, _COMMAND = b'"prev":"', b'"type":"command"'


def _batch_length(source: LogSource, pos: int, stop: int) -> int:
    """Records in the batch of the command at ``pos`` (it and the events after it, read no further
    than line ``stop``), from the stored bytes: a line is a command when ``"type":"command"``
    follows its top-level ``prev`` (the canonical form sorts the keys: only seq, time, turn, type
    and wall come after prev)."""
    data, offsets = source.data, source.offsets
    end = pos + 1
    while end < stop:
        start, finish = offsets[end], offsets[end + 1] - 1
        cut = data.rfind(_PREV, start, finish)
        if data.find(_COMMAND, cut, finish) >= 0:
            break
        end += 1
    return end - pos


def unrestorable(session: Session) -> tuple[str, ...]:
    """Parts holding state that cannot be rebuilt from a snapshot."""
    return tuple(p.name for p in session.plugins if session.has_part(p.name) and p.restore is None)


def _flush(db: sqlite3.Connection, rows: list[tuple], found: list[tuple[str, int]]) -> None:
    db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT OR IGNORE INTO marks VALUES (?, ?)", found)
    rows.clear()
    found.clear()


class _Journal:
    """Where the ids registry stood at the previous snapshot: each snapshot stores the registry
    whole (every :data:`IDS_BASE_EVERY` snapshots, or when the session replaced it: a rollback
    reloads it) or only the journal entries set since the previous one."""

    def __init__(self) -> None:
        self.registry: ids.IdRegistry | None = None
        self.mark = 0  # journal entries the previous snapshot holds
        self.base = 0  # the seq of the snapshot holding the registry whole
        self.since = 0  # snapshots since that one

    def store(self, writer: "_Writer", session: Session) -> None:
        registry = session.ids
        if registry is not self.registry or self.since + 1 >= IDS_BASE_EVERY or len(registry.entered) < self.mark:
            part: Any = dict(registry)
            self.registry, self.base, self.since = registry, session.seq, 0
        else:
            part = registry.entered[self.mark:]
            self.since += 1
        self.mark = len(registry.entered)
        # encoded at once from the live state: no copy
        raw, raw_ids = orjson.dumps(session.snapshot(copied=False, ids=False)), orjson.dumps(part)
        writer.put((session.seq, session.last_hash, session.turn, self.base), raw, raw_ids)


def _insert_snapshot(db: sqlite3.Connection, row: tuple[Any, ...]) -> None:
    """One snapshot row: (seq, last_hash, turn, data, ids_from, ids), its blobs compressed."""
    db.execute("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?)", row)


def _compressed(row: tuple[int, str, int, int], raw: bytes, raw_ids: bytes) -> tuple[Any, ...]:
    return (*row[:3], zlib.compress(raw, 1), row[3], zlib.compress(raw_ids, 1))


class _Writer:
    """The index build's snapshot writes, in order. With a helper process (:class:`_Helper`) each
    is sent to it at once, uncompressed (it compresses and inserts). Otherwise they are compressed
    and inserted in one thread beside the re-simulation: zlib and SQLite release the GIL while they
    work, so on a second CPU they cost the build little. At most :data:`_QUEUED` writes wait; an
    error is raised in the building thread by the next :meth:`put` or by :meth:`close`."""

    def __init__(self, db: sqlite3.Connection | None, helper: "_Helper | None") -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.db, self.helper = db, helper
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replay-index")
        self.pending: deque[Any] = deque()

    def put(self, row: tuple[int, str, int, int], raw: bytes, raw_ids: bytes) -> None:
        if self.helper is not None:  # sent at once (one pipe write, no GIL handed back and forth)
            self.helper.send((row, raw, raw_ids))
            return
        self.pending.append(self.pool.submit(self._write, row, raw, raw_ids))
        while self.pending and (self.pending[0].done() or len(self.pending) > _QUEUED):
            self.pending.popleft().result()

    def _write(self, row: tuple[int, str, int, int], raw: bytes, raw_ids: bytes) -> None:
        if self.db is not None:
            _insert_snapshot(self.db, _compressed(row, raw, raw_ids))

    def close(self) -> None:
        try:
            while self.pending:
                self.pending.popleft().result()
        finally:
            for future in self.pending:
                future.cancel()
            self.pool.shutdown(wait=True)


class _Helper:
    """A child process (forked) that writes the index file beside the re-simulation: the rows and
    marks of every record (from the stored lines: :func:`_rows`), the snapshots the building
    process hands it (encoded; compressed here), then the tables' indexes; it deletes the rows
    past the replayable part when told where that ends (:meth:`finish`) and commits. Used for an
    index in a file where ``fork`` exists; otherwise the build writes the rows itself, after
    re-simulating. Its error is raised in the building process as :class:`sqlite3.OperationalError`
    (the next place is tried, as for any write error).

    The snapshots go through a ring of shared memory (made before the fork), each a frame
    (:data:`_FRAME` then its last hash, data and ids); its head says how far each side has come.
    Handing one over is a copy, no system call and no wake-up: the helper looks at the ring
    between chunks of rows. A snapshot larger than the ring goes through the pipe instead."""

    def __init__(self, path: str, source: LogSource, intact: int, seats: dict[str, tuple[str | None, str]],
                 alerts: frozenset[str]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.ring = mmap.mmap(-1, _RING_HEAD + _RING)
        self.written = 0
        try:
            self.conn, theirs = context.Pipe()
        except BaseException:
            self.ring.close()
            raise
        try:
            self.process = context.Process(target=_helper_main, args=(theirs, self.ring, path, source, intact, seats,
                                                                      alerts, self.conn),
                                           name="replay-index-rows", daemon=True)
            self.process.start()
        except BaseException:  # no process: nothing of it is kept open
            self.conn.close()
            self.ring.close()
            raise
        finally:
            theirs.close()

    @classmethod
    def start(cls, db: sqlite3.Connection, source: LogSource, intact: int, seats: dict[str, tuple[str | None, str]],
              alerts: frozenset[str]) -> "_Helper | None":
        import multiprocessing

        path = db.execute("PRAGMA database_list").fetchone()[2]
        if not path or not HELPER or "fork" not in multiprocessing.get_all_start_methods():
            return None  # in memory (or no fork): written in this process
        if _threads() > 1:
            # A fork copies only this thread: a lock another thread holds (in C or Python) would
            # stay held in the child for ever. Written here.
            return None
        try:
            return cls(path, source, intact, seats, alerts)
        except Exception:  # noqa: BLE001  no process to be had (resources, a daemonic parent): written here
            return None

    def send(self, snapshot: tuple[tuple[int, str, int, int], bytes, bytes]) -> None:
        (seq, last_hash, turn, ids_from), raw, raw_ids = snapshot
        hashed = last_hash.encode("ascii")
        fields = (seq, turn, ids_from, len(hashed), len(raw), len(raw_ids))
        head = struct.pack(_FRAME, *fields, _frame_check(self.written, fields, hashed, raw, raw_ids))
        size = len(head) + len(hashed) + len(raw) + len(raw_ids)
        try:
            if size > _RING:
                self.conn.send(("inline", snapshot))
                return
            watch = _Watch(self)
            while self.written + size - struct.unpack_from("q", self.ring, 0)[0] > _RING:
                watch.check()
                time.sleep(0.001)  # the helper is a whole ring behind
            at = self.written
            for blob in (head, hashed, raw, raw_ids):
                _ring_copy(self.ring, at, blob)
                at += len(blob)
            self.written = at
            struct.pack_into("q", self.ring, 8, at)  # after the frame: the helper may read it now
        except OSError as err:  # the helper ended: its own error, if it sent one, says why
            raise self._failure(f"the index writer process ended ({err})") from None

    def finish(self, keep: int) -> None:
        """Tell the helper the replayable records end before ``keep``; wait until all is committed."""
        try:
            self.conn.send(("end", keep, self.written))
            watch = _Watch(self)
            while not self.conn.poll(0.5):
                watch.check()
            reply = self.conn.recv()
        except (OSError, EOFError):
            raise self._failure("the index writer process ended") from None
        if reply[0] != "ok":
            raise sqlite3.OperationalError(reply[1])
        self.process.join()

    def beat(self) -> int:
        """How often the helper has said it is getting on (it counts in the ring's head)."""
        return int(struct.unpack_from("q", self.ring, _BEAT_AT)[0])

    def _failure(self, fallback: str) -> sqlite3.OperationalError:
        try:
            if self.conn.poll(1.0):
                reply = self.conn.recv()
                if reply[0] == "error":
                    return sqlite3.OperationalError(reply[1])
        except (OSError, EOFError):
            pass
        return sqlite3.OperationalError(fallback)

    def close(self) -> None:
        """End the helper if it still runs (an error in the build), and release the pipe and ring."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.conn.close()
        self.ring.close()


#: Bytes of the ring the snapshots go through to the helper (about 400 snapshots of a national
#: log's end: the build waits only when the helper is that far behind), after its head: bytes
#: read by the helper, bytes written by the build (both ever growing) and the helper's heartbeat
#: (three int64).
_RING = 64 << 20
_RING_HEAD = 24
#: Where in the head the heartbeat is (after the two counters).
_BEAT_AT = 16
#: Seconds the build waits on a helper that neither ends nor beats (a chunk of rows, a snapshot,
#: each stage: the longest step is the tables' indexes, seconds per million records) before it
#: ends it: its error is the build's, and the build is tried again without a helper.
STALL_SECONDS = 120.0


def _threads() -> int:
    """Threads of this process: the kernel's count where it tells (threads started from C or
    with ``_thread`` too), else Python's."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


class _Watch:
    """The build waiting on its helper: :meth:`check` raises once the helper has ended, or has
    not beaten for :data:`STALL_SECONDS` (then it is ended; no more helpers this process)."""

    def __init__(self, helper: "_Helper") -> None:
        self.helper, self.beat, self.since = helper, helper.beat(), time.monotonic()

    def check(self) -> None:
        if not self.helper.process.is_alive():
            raise EOFError("it ended without a word")
        beat = self.helper.beat()
        if beat != self.beat:
            self.beat, self.since = beat, time.monotonic()
        elif time.monotonic() - self.since > STALL_SECONDS:
            global HELPER
            HELPER = False  # whatever held it would hold the next one
            self.helper.process.kill()
            raise OSError(f"it did nothing for {STALL_SECONDS:.0f} s")


def _heartbeat(ring: mmap.mmap) -> None:
    """The helper getting on (see :class:`_Watch`)."""
    struct.pack_into("q", ring, _BEAT_AT, struct.unpack_from("q", ring, _BEAT_AT)[0] + 1)
#: A frame's head: seq, turn, ids_from, the lengths of last_hash, data and ids, and the CRC-32 of
#: all of them and the frame's bytes (:func:`_frame_check`; the helper reads a frame again until it matches: on a CPU that may show the head's new
#: counter before the bytes written ahead of it, it waits for them).
_FRAME = "<qqqqqqq"


def _frame_check(at: int, fields: tuple[int, ...], hashed: bytes, raw: bytes, raw_ids: bytes) -> int:
    """The CRC-32 a frame's head carries: of its place in the stream ``at`` (a frame of an earlier
    lap round the ring never matches), its other fields (seq, turn, ids_from and the three
    lengths) and its last hash, data and ids."""
    return zlib.crc32(raw_ids, zlib.crc32(raw, zlib.crc32(hashed, zlib.crc32(struct.pack("<qqqqqqq", at, *fields)))))


def _ring_copy(ring: mmap.mmap, at: int, blob: bytes) -> None:
    """Write ``blob`` at stream position ``at`` (wrapping round the ring's end)."""
    cut = at % _RING
    first = min(len(blob), _RING - cut)
    view = memoryview(blob)
    ring[_RING_HEAD + cut:_RING_HEAD + cut + first] = view[:first]
    if first < len(blob):
        ring[_RING_HEAD:_RING_HEAD + len(blob) - first] = view[first:]


def _ring_take(ring: mmap.mmap, at: int, size: int) -> bytes:
    """The ``size`` bytes at stream position ``at`` (see :func:`_ring_copy`)."""
    cut = at % _RING
    first = min(size, _RING - cut)
    head = ring[_RING_HEAD + cut:_RING_HEAD + cut + first]
    return head if first == size else head + ring[_RING_HEAD:_RING_HEAD + size - first]


def _ring_frames(ring: mmap.mmap, upto: int | None = None) -> Iterator[tuple[Any, ...]]:
    """The snapshot rows framed in the ring since the helper last read (up to stream position
    ``upto``, else as far as written), each marked read once taken."""
    at, written = struct.unpack_from("qq", ring, 0)
    end = written if upto is None else upto
    size = struct.calcsize(_FRAME)
    while at < end:
        for _attempt in range(1000):
            *fields, check = struct.unpack(_FRAME, _ring_take(ring, at, size))
            seq, turn, ids_from, n_hash, n_raw, n_ids = fields
            if min(n_hash, n_raw, n_ids) >= 0 and size + n_hash + n_raw + n_ids <= end - at:
                hashed = _ring_take(ring, at + size, n_hash)
                raw = _ring_take(ring, at + size + n_hash, n_raw)
                raw_ids = _ring_take(ring, at + size + n_hash + n_raw, n_ids)
                if _frame_check(at, tuple(fields), hashed, raw, raw_ids) == check:
                    break
            time.sleep(0.001)
        else:
            raise RuntimeError("a snapshot in the ring does not match its check")
        last_hash = hashed.decode("ascii")
        at += size + n_hash + n_raw + n_ids
        struct.pack_into("q", ring, 0, at)  # room for the next ones
        yield (seq, last_hash, turn, ids_from), raw, raw_ids


#: Whether the index build may use a helper process (:class:`_Helper`); tests turn it off.
HELPER = True


def _helper_main(conn: Any, ring: mmap.mmap, path: str, source: LogSource, intact: int,
                 seats: dict[str, tuple[str | None, str]], alerts: frozenset[str], builders: Any = None) -> None:
    """The helper process (see :class:`_Helper`). ``builders``: the building process's end of the
    pipe, which the fork copied here: closed first, so that the pipe ends (EOF: the helper stops)
    when the building process dies, however it dies."""
    if builders is not None:
        builders.close()
    db = None
    try:
        db = out = sqlite3.connect(path)
        out.executescript(_PRAGMAS)
        end: Any = None

        def drain(upto: int | None = None) -> None:
            """Insert the snapshots handed over so far; take a message from the pipe if one waits."""
            nonlocal end
            _heartbeat(ring)
            for row, raw, raw_ids in _ring_frames(ring, upto):
                _insert_snapshot(out, _compressed(row, raw, raw_ids))
            while end is None and conn.poll():
                message = conn.recv()
                if message[0] == "inline":
                    _insert_snapshot(out, _compressed(*message[1]))
                else:
                    end = message

        def sink(rows: list[tuple], found: list[tuple[str, int]]) -> None:
            _flush(out, rows, found)
            drain()

        made, error = _rows(source, intact, seats, alerts, sink)
        _heartbeat(ring)
        out.executescript(INDEXES)
        _heartbeat(ring)
        while end is None:
            drain()
            if end is None:
                conn.poll(0.005)
        if end[0] != "end":
            raise RuntimeError("the building process ended")
        _, keep, total = end
        drain(total)
        if error is not None and made < keep:
            raise error
        out.execute("DELETE FROM records WHERE seq >= ?", (keep,))
        out.execute("DELETE FROM marks WHERE seq >= ?", (keep,))
        _heartbeat(ring)
        out.commit()
        db = None
        out.close()
        conn.send(("ok", ""))
    except BaseException as err:  # noqa: BLE001  reported to the building process, which decides
        try:
            conn.send(("error", f"{type(err).__name__}: {err}"))
        except (OSError, ValueError):
            pass
        if db is not None:
            db.close()
        raise SystemExit(1) from None


def _feed(sim: Any, source: LogSource, pos: int, batch: int, integrity: Integrity) -> tuple[int, Integrity] | None:
    """Re-simulate record ``pos``; on a divergence, where to stop (the batch it is in) and the
    integrity saying why, else None."""
    try:
        sim.feed(source.record(pos), source.line(pos))
    except BadLog as err:
        return batch, _diverged(integrity, err.seq if isinstance(err.seq, int) else pos, str(err))
    return None


def _diverged(integrity: Integrity, seq: int, message: str) -> Integrity:
    """Re-simulation disagrees with the log at ``seq``: keep the chain verdict if it is worse (earlier)."""
    if integrity.problem and integrity.bad_seq is not None and integrity.bad_seq <= seq:
        return integrity
    return Integrity(integrity.intact, integrity.lines, "diverged", seq, message)
