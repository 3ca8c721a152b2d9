"""The sidecar index beside a log (``LOG.replay-index``, SQLite): built once, trusted only while it matches.

It holds what makes seeking fast and the viewer's lists cheap on a million-record log:

- ``snapshots``: the whole session state (``Session.snapshot()``, orjson + zlib) after
  a command's batch, every ``every`` records or ``budget`` seconds of re-simulation,
  whichever comes first, so reaching any record re-simulates little;
- ``records``: per record its turn, type, kind, county and role, and the command
  whose batch it belongs to (filters and jumps query these, not the log);
- ``marks``: (inject | rejection | alert | rating, seq) jump targets;
- ``meta``: the log's size, SHA-256 and last hash, the chain check and re-simulation
  verdicts, and the line offsets; ``scores``: cached "score so far" results.

The index is used only when the log's digest and size equal those it was built from and
every snapshot's ``last_hash`` is the hash of the log record before it; otherwise it is
rebuilt (written to a temporary file, then renamed over the old one).
"""

from __future__ import annotations

import os
import sqlite3
import time
import zlib
from array import array
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import orjson

from tabletop import api
from tabletop.core import canonical
from tabletop.core.session import Session
from tabletop.replayview import marks as mk
from tabletop.replayview.source import Integrity, LogSource

FORMAT = 1
SUFFIX = ".replay-index"
EVERY = 2000
BUDGET = 0.1
_CHUNK = 50_000

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, last_hash TEXT NOT NULL, turn INTEGER NOT NULL, data BLOB NOT NULL);
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
    return log + SUFFIX


@dataclass
class BuildStats:
    seconds: float = 0.0
    snapshots: int = 0
    records: int = 0
    #: Parts without ``Plugin.restore``: no snapshots then, and seeking re-simulates from the start.
    unrestorable: tuple[str, ...] = ()


class Index:
    """An open, matching index (read side)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False)
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
        row = self.db.execute("SELECT seq, data FROM snapshots WHERE seq <= ? ORDER BY seq DESC LIMIT 1",
                              (seq + 1,)).fetchone()
        return None if row is None else (row[0], orjson.loads(zlib.decompress(row[1])))

    def snapshot_seq_before(self, seq: int) -> int | None:
        row = self.db.execute("SELECT max(seq) FROM snapshots WHERE seq <= ?", (seq + 1,)).fetchone()
        return row[0] if row else None

    def snapshot_seqs(self) -> list[int]:
        return [row[0] for row in self.db.execute("SELECT seq FROM snapshots ORDER BY seq")]

    def snapshot_hashes(self) -> Iterator[tuple[int, str]]:
        return iter(self.db.execute("SELECT seq, last_hash FROM snapshots ORDER BY seq").fetchall())

    # ----- records ------------------------------------------------------------------------
    def row(self, seq: int) -> tuple | None:
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
        self.db.executemany("INSERT OR IGNORE INTO marks VALUES (?, ?)", [(mark, s) for s in seqs])
        self.db.commit()

    def events(self, seq: int, limit: int, county: str = "", role: str = "", kind: str = "") -> list[int]:
        """Seqs of up to ``limit`` records at or before ``seq`` matching the filters, newest first."""
        where, params = ["seq <= ?", "type != 'header'"], [seq]
        for column, value in (("county", county), ("role", role), ("kind", kind)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"SELECT seq FROM records WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ?"
        return [r[0] for r in self.db.execute(sql, (*params, limit))]

    def distinct(self, column: str) -> list[str]:
        assert column in ("county", "role", "kind")
        return [r[0] for r in self.db.execute(f"SELECT DISTINCT {column} FROM records WHERE {column} != '' ORDER BY 1")]

    # ----- cached scores ------------------------------------------------------------------
    def score(self, seq: int) -> Any:
        row = self.db.execute("SELECT data FROM scores WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else orjson.loads(row[0])

    def put_score(self, seq: int, data: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO scores VALUES (?, ?)", (seq, orjson.dumps(data)))
        self.db.commit()


# ----- matching -----------------------------------------------------------------------------
def load_matching(source: LogSource, digest: str) -> tuple[Index | None, str]:
    """The index beside ``source`` if it matches the log, else (None, why not)."""
    path = index_path(source.path)
    if not os.path.exists(path):
        return None, "missing"
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
        return None, "unreadable"


def previous_extent(source: LogSource) -> tuple[int, str] | None:
    """(records, last hash) the old index saw, if it is readable (to notice a shortened log)."""
    path = index_path(source.path)
    if not os.path.exists(path):
        return None
    try:
        db = sqlite3.connect(path)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('intact', 'last_hash')").fetchall())
        finally:
            db.close()
        return int(meta["intact"]), str(meta["last_hash"])
    except (sqlite3.DatabaseError, KeyError, ValueError):
        return None


# ----- building -----------------------------------------------------------------------------
def build(source: LogSource, integrity: Integrity, digest: str, every: int = EVERY, budget: float = BUDGET,
          progress: Callable[[int], None] | None = None) -> tuple[Index, BuildStats]:
    """Re-simulate the intact prefix once, comparing every record, and write the index."""
    start = time.perf_counter()
    final = index_path(source.path)
    tmp = final + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    db = sqlite3.connect(tmp)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    stats = BuildStats()
    replayable, integrity = _replay_into(db, source, integrity, every, budget, progress, stats)
    db.executescript(INDEXES)
    last_hash = orjson.loads(source.line(integrity.intact - 1))["hash"] if integrity.intact else canonical.GENESIS
    meta = {"format": str(FORMAT), "size": str(source.size), "digest": digest, "torn": str(int(source.torn)),
            "intact": str(integrity.intact), "replayable": str(replayable), "last_hash": last_hash,
            "integrity": orjson.dumps(integrity.to_data()).decode(), "offsets": source.offsets.tobytes(),
            "every": str(every), "budget": str(budget), "unrestorable": ",".join(stats.unrestorable)}
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.commit()
    db.close()
    os.replace(tmp, final)
    stats.seconds = time.perf_counter() - start
    return Index(final), stats


def _replay_into(db: sqlite3.Connection, source: LogSource, integrity: Integrity, every: int, budget: float,
                 progress: Callable[[int], None] | None, stats: BuildStats) -> tuple[int, Integrity]:
    """Feed the logged commands to a session; store rows, marks and snapshots. Returns (replayable, integrity)."""
    intact = integrity.intact
    if intact == 0:
        return 0, integrity
    header = source.record(0)
    db.execute("INSERT INTO records VALUES (0, 0, 0, 'header', ?, '', '')", (header.get("kind", ""),))
    try:
        session = api.session_from_header(header)
    except api.BadLog as err:
        return 1, _diverged(integrity, 1, f"the header cannot be replayed: {err}")
    seats = mk.inject_seats(session.scenario)
    stats.unrestorable = unrestorable(session)
    alerts = mk.alert_injects(session.scenario)
    rows: list[tuple] = []
    found: list[tuple[str, int]] = []
    pos, since, clock = 1, 0, time.perf_counter()
    stop: tuple[int, Integrity] | None = None
    while pos < intact and stop is None:
        if progress is not None:
            progress(pos)
        command = source.record(pos)
        if command.get("type") != "command":
            stop = pos, _diverged(integrity, pos, f"record {pos} is a {command.get('type')} where re-simulation expects a command")
            break
        try:
            made = session.submit(api.command_from_record(command))
        except Exception as err:  # noqa: BLE001  a log the engine cannot replay is reported, not a crash
            stop = pos, _diverged(integrity, pos, f"record {pos} cannot be re-simulated: {type(err).__name__}: {err}")
            break
        batch: list[tuple] = []
        for offset, record in enumerate(made):
            seq = pos + offset
            if seq >= intact:
                break  # the intact prefix ends inside this batch: the re-simulated rest stands in
            line = source.line(seq)
            if orjson.dumps(record, option=orjson.OPT_SORT_KEYS) != line and canonical.dumps(record).encode("utf-8") != line:
                stop = pos, _diverged(integrity, seq, f"record {seq} differs from what re-simulating the logged commands produces")
                break
            county, role = mk.about(record, command, seats)
            batch.append((seq, record["turn"], pos, record["type"], record["kind"], county, role))
            found.extend((name, seq) for name in mk.mark_names(record, alerts))
        if stop is not None:
            found[:] = [item for item in found if item[1] < pos]
            break
        rows.extend(batch)
        pos += len(made)
        since += len(made)
        if len(rows) >= _CHUNK:
            _flush(db, rows, found)
        if not stats.unrestorable and pos < intact and (since >= every or time.perf_counter() - clock >= budget):
            _store_snapshot(db, session)
            stats.snapshots += 1
            since, clock = 0, time.perf_counter()
    _flush(db, rows, found)
    if progress is not None:
        progress(intact)
    stats.records = intact
    return stop if stop is not None else (intact, integrity)


def unrestorable(session: Session) -> tuple[str, ...]:
    """Parts holding state that cannot be rebuilt from a snapshot."""
    return tuple(p.name for p in session.plugins if p.name in session.domains and p.restore is None)


def _flush(db: sqlite3.Connection, rows: list[tuple], found: list[tuple[str, int]]) -> None:
    db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT OR IGNORE INTO marks VALUES (?, ?)", found)
    rows.clear()
    found.clear()


def _store_snapshot(db: sqlite3.Connection, session: Session) -> None:
    data = zlib.compress(orjson.dumps(session.snapshot()), 1)
    db.execute("INSERT INTO snapshots VALUES (?, ?, ?, ?)", (session.seq, session.last_hash, session.turn, data))


def _diverged(integrity: Integrity, seq: int, message: str) -> Integrity:
    """Re-simulation disagrees with the log at ``seq``: keep the chain verdict if it is worse (earlier)."""
    if integrity.problem and integrity.bad_seq is not None and integrity.bad_seq <= seq:
        return integrity
    return Integrity(integrity.intact, integrity.lines, "diverged", seq, message)
