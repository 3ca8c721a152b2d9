"""A log opened for review: its integrity verdict, its index, and the session at any record.

Commands are atomic, so the state shown at record ``seq`` is the state after the whole
batch (a command and its events) that holds ``seq`` — what ``tabletop.replay.session_at``
gives, reached here from the nearest indexed snapshot instead of from the start.
"""

from __future__ import annotations

import gc
import os
from typing import Any, Callable

from tabletop import api
from tabletop.core import canonical
from tabletop.replay.resimulation import Resimulation
from tabletop.core.session import Session
from tabletop.replay import index as ix
from tabletop.replay.source import Integrity, LogSource
from tabletop import heap


class ReplayError(Exception):
    """The log cannot be reviewed at all (no file, no readable header)."""


class Replay:
    def __init__(self, path: str, progress: bool | None = None, rebuild: bool = False,
                 every: int = ix.EVERY, budget: float | None = ix.BUDGET) -> None:
        if not os.path.isfile(path):
            raise ReplayError(f"{path}: no such file")
        self.path = path
        self.source = LogSource(path)
        digest = self.source.digest()
        index, why = (None, "rebuild requested") if rebuild else ix.load_matching(self.source, digest)
        self.built = index is None
        self.why_built = why if index is None else ""
        self.build_stats: ix.BuildStats | None = None
        if index is None:
            index = self._build(digest, progress, every, budget)
        self.index = index
        self.integrity: Integrity = index.integrity()
        self.count = index.replayable
        if self.count == 0:
            raise ReplayError(f"{path}: no readable session header ({self.integrity.message})")
        self.header = self.source.record(0)
        try:
            self.scenario = api.scenario_from_header(self.header)
        except api.BadLog as err:
            raise ReplayError(f"{path}: {err}") from None
        self._session: Session | None = None
        self._batch = -1  # the batch the session in hand was last advanced through
        self.last_turn = index.last_turn()
        if self.count >= SETTLE_RECORDS:
            _settle()
        # Each cold seek makes a session and frees the one it leaves by its reference count, so
        # the collector's count stays level: with a driver's young threshold (heap.YOUNG) it
        # never walks the session being restored (with 700 it did, about 90 young, 8 middle and
        # one full pass a seek: 5 ms, 10-18 ms in the slowest seeks of a 2,000-station log).
        heap.keep_young()
        self._young = True

    def close(self) -> None:
        if self._young:
            self._young = False
            heap.let_young_go()
        self.index.close()
        self.source.close()

    def __enter__(self) -> "Replay":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- opening --------------------------------------------------------------------
    def _build(self, digest: str, progress: bool | None, every: int, budget: float | None) -> ix.Index:
        old = ix.previous_extent(self.source)
        self.source.scan()
        with _bar(self.source.lines, "checking hash chain", progress) as tick:
            integrity = self.source.check(tick)
        integrity = _shortened(integrity, old, self.source)
        if integrity.intact >= SETTLE_RECORDS:
            _settle()  # the re-simulation's full collections walk only its session (and the helper's fork copies less)
        with _bar(integrity.intact, "building replay index", progress) as tick:
            index, self.build_stats = ix.build(self.source, integrity, digest, every, budget, tick)
        return index

    # ----- positions ------------------------------------------------------------------
    def resolve(self, at: str) -> int:
        """``SEQ``, ``turn:N`` (the last record of turn N) or ``end`` -> a seq; ValueError if unknown."""
        text = str(at).strip().lower()
        if text in ("end", "last"):
            return self.count - 1
        if text.startswith("turn:"):
            turn = int(text[5:])
            seq = self.index.turn_end(turn)
            if seq is None:
                raise ValueError(f"turn {turn} is not in the replayable log (turns 0-{self.last_turn})")
            return seq
        seq = int(text)
        if seq < 0:
            raise ValueError("a seq is 0 or more")
        return seq

    def record(self, seq: int) -> dict[str, Any]:
        return self.source.record(seq)

    # ----- state ----------------------------------------------------------------------
    def session_at(self, seq: int) -> Session:
        """The session after the batch holding record ``seq`` (read it, never submit to it)."""
        if not 0 <= seq < self.count:
            raise IndexError(f"record {seq} is outside the replayable records 0-{self.count - 1}")
        row = self.index.row(seq)
        if row is None:
            raise RuntimeError(f"the index holds no row for record {seq}")
        batch = row[2]  # the command whose batch holds seq (0: the header)
        current = self._session
        if current is not None and self._batch == batch:
            return current
        snap = self.index.snapshot_seq_for(seq, batch)
        if current is not None and current.seq <= batch and (snap is None or current.seq >= snap):
            session = current  # going forward from the state in hand is cheapest
        elif snap is not None:
            # The session in hand is not the way there: let go of it first (freed now, by its
            # reference count, when the caller holds it no more: the viewer lets go first), then a young pass over what little is young: the restore starts
            # the collector's count from nothing and never sets off a pass walking the session
            # it builds (a 2,000-station state is nearly 100,000 containers: a 30 ms pass).
            self._session = current = None
            gc.collect(0)
            parts = self.index.snapshot_parts(snap)
            if parts is None:
                raise RuntimeError("the index promised a snapshot before this record")
            # parsed fresh from the index and handed over: restored without another copy; the
            # stored bytes are its rollback checkpoint (not encoded again at the first command)
            session = api.session_from_snapshot(self.scenario, self.header, ix.state_of(*parts))
            session.adopt_checkpoint(*parts)
        else:
            session = api.session_after_header(self.scenario, self.header)
        sim = Resimulation(self.header, session=session)  # the one re-simulation loop, from the state in hand
        pos = session.seq
        while (pos <= batch or sim.pending) and pos < self.count:  # a cut-short batch: the session has it whole
            data = self.source.line(pos)
            if sim.take(data) is None:  # a command (or a differing line): parsed, fed, compared
                sim.feed(self.source.record(pos), data)
            pos += 1
        self._session, self._batch = session, batch
        return session

    def forget(self) -> None:
        """Drop the session in hand (the next seek starts from a snapshot: benchmarks, tests)."""
        self._session, self._batch = None, -1

    def known(self, session: Session) -> dict[str, Any]:
        """Each EOC's known picture (empty where no communications part runs)."""
        if not session.has_part("comms"):
            return {}
        from tabletop.comms import picture

        return {county: picture.known_view(session, county) for county in sorted(session.counties)}

    def dump_state(self, seq: int) -> dict[str, Any]:
        """The state at ``seq`` as canonical-JSON-ready data: the truth and each EOC's known picture."""
        session = self.session_at(seq)
        record = self.record(seq)
        return {
            "at": {"seq": seq, "state_after_seq": session.seq - 1, "turn": session.turn, "time": session.time(),
                   "record_hash": record["hash"]},
            "log": {"file": os.path.basename(self.path), "records": self.source.lines, "replayable": self.count,
                    "problem": self.integrity.problem or None, "bad_seq": self.integrity.bad_seq},
            "truth": session.snapshot(),
            "known": self.known(session),
        }


#: Logs of at least this many replayable records settle the process's objects when opened (:func:`_settle`).
SETTLE_RECORDS = 100_000


def _settle() -> None:
    """Collect the garbage, then move every object the process holds (the modules, the scenario,
    the index) out of the cyclic garbage collector's walks (``gc.freeze``): each seek makes a
    session of tens of thousands of objects, which sets off collections; walking only the
    sessions then, a full one costs about 13 ms instead of 40 on the national 1,000,000-record
    log (its worst cold seek: 33 ms instead of 60). The session a seek leaves is freed by its
    reference count (nothing it holds refers back to it, tests/test_session_freed.py), so
    collections find nearly none to free (its lifecycle's machine, a few hundred objects). Objects freed by their reference count are still
    freed; what was alive when the log was opened and later dropped inside a reference cycle
    stays in memory (a few MB: the scenario)."""
    gc.collect()
    heap.hold()  # for the process's life


def dumps_state(state: dict[str, Any]) -> str:
    return canonical.dumps(state) + "\n"


def _shortened(integrity: Integrity, old: tuple[int, str] | None, source: LogSource) -> Integrity:
    """A log that now ends earlier than when it was last indexed (whole records cut off the end)."""
    if old is None or integrity.problem or old[0] <= integrity.intact:
        return integrity
    return Integrity(integrity.intact, integrity.lines, "shortened", integrity.intact,
                     f"the log ends at record {integrity.intact - 1}, but when it was last opened it held "
                     f"{old[0]} records: records were cut off its end")


class _bar:
    """A tqdm progress bar (on stderr, hidden when it is not a terminal unless ``progress`` is True)."""

    def __init__(self, total: int, desc: str, progress: bool | None) -> None:
        self.total, self.desc, self.progress = total, desc, progress
        self.bar: Any = None

    def __enter__(self) -> Callable[[int], None]:
        if self.progress is False:
            return lambda n: None
        from tabletop.progress import bar

        self.bar = bar(total=self.total, desc=self.desc, unit="rec", unit_scale=True, leave=False,
                        disable=None if self.progress is None else False, mininterval=0.25)

        def tick(n: int) -> None:
            if n - self.bar.n >= 4096 or n >= self.total:
                self.bar.update(n - self.bar.n)

        return tick

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
