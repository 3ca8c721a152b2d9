"""A read-only, indexed view of one log: what every metric reads, and nothing else.

The view is built in one streaming pass through the one log reader
(:func:`tabletop.logfile.iter_records`, with a progress bar on long logs), which checks the
hash chain as the records stream past. The view keeps the header, the scenario parsed from
the header, the records grouped by kind, the seqs of rejected commands and the accepted
commands by (county, kind), so each metric touches only the records it needs. ``prev`` and
``hash`` are dropped from the records once the chain is checked.

:attr:`LogView.integrity` records what was checked (docs/scoring.md, "Integrity"):

- ``verified``: chain, header and re-simulation agree (:func:`tabletop.replay.verify`);
  ``seal`` is the log's last hash.
- ``chain_ok``: the chain holds to the last record; not re-simulated (``not_resimulated``:
  ``chain_only`` when only the chain was asked for, ``format`` for another engine's format).
- ``broken``: the chain breaks, the file ends mid-record, a record was removed or inserted,
  or re-simulation disagrees, at ``bad_seq``; the view holds only the intact records before it.
- ``unchecked``: a view built from records in memory (tests, the replay viewer).

:func:`load` raises :class:`Broken` for a broken log unless ``allow_broken`` is given.
"""

from __future__ import annotations

import gc
import json
import os
import weakref
from typing import Any, Callable, Iterable, Iterator

import orjson

from tabletop.logfile import BadLog, Line, TornTail, iter_lines, iter_records, open_log, parse
from tabletop.scoring import viewcache
from tabletop.scoring.children import Child, SplitChain
from tabletop.scoring.slim import slim_data, slim_served
from tabletop.scoring.view import Broken, LogView, Record, Township, integrity
from tabletop import heap

__all__ = ["BadLog", "Broken", "LogView", "Township", "from_records", "integrity", "load"]

#: Files larger than this get a progress bar while they are read (when stderr is a terminal).
PROGRESS_BYTES = 8 * 1024 * 1024
#: Bytes read between two updates of the progress bar.
_BAR_STEP = 1 << 20

class _Unreadable(BadLog):
    """A record whose chain holds but whose fields are not what a log record holds (a re-hashed forgery)."""


def load(path: str, progress: bool | None = None, *, verify: bool = False, allow_broken: bool = False,
         meanwhile: Callable[[LogView], object] | None = None) -> LogView:
    """Read the log at ``path`` into a :class:`LogView`, checking the hash chain as it streams.

    ``verify``: also re-simulate (:func:`tabletop.replay.verify`) when the chain holds; on a long
    log with a second CPU the re-simulation runs in a child process while this one reads the view
    and calls ``meanwhile(view)`` (a report works out its scores: see :func:`_read_verified`).
    Without ``verify``, ``meanwhile`` runs on a long log's view while its chain is checked
    (:func:`_read`). ``meanwhile`` only works ahead: what it worked out of a view that is then
    not kept is dropped with it.
    A log that is not intact raises :class:`Broken` (naming the seq) unless ``allow_broken``,
    which gives the view of the intact records before it, marked ``broken``. A file that is
    no tabletop log at all (missing, no readable header) raises :class:`BadLog`.
    ``progress`` None: a bar on long logs at a terminal."""
    if not os.path.isfile(path):
        raise BadLog(f"{path}: no such file")
    if verify and _parallel(path):
        view = _read_verified(path, progress, meanwhile)
    else:
        view = _read(path, progress, meanwhile=meanwhile)
        if verify and view.integrity["status"] == "chain_ok":
            view = _resimulate(view, path, progress)
    if view.tampered and not allow_broken:
        raise Broken(view.integrity)
    return view


def _read(path: str, progress: bool | None, upto: int | None = None,
          meanwhile: Callable[[LogView], object] | None = None) -> LogView:
    """The view of every intact record (up to seq ``upto``), its integrity set.

    A long log (:data:`PARALLEL_BYTES` or more, with a second CPU) has its hash chain checked by
    :class:`tabletop.logfile.ChainCheck` in a child process while this one reads the records into
    the view: the chain check is then off the view's critical path. The view is kept only if the child found the whole
    chain intact over the same number of records; anything else is read again in the one
    serial pass, which says exactly what is wrong and where.

    ``meanwhile(view)`` runs on the view before the child's verdict is waited for; what it
    worked out is dropped with the view when the view is not kept.

    A very long log (:data:`viewcache.MIN_BYTES`) whose view was cached beside it by an earlier
    read (:mod:`tabletop.scoring.viewcache`) has it loaded instead of parsing the log; the view
    is kept only if the child found the count and last hash the cache was built to (else the log
    is read serially). This process then has little to do, so the chain is checked in two
    children, half of the log each, joined at the middle (:class:`SplitChain`). A view read
    from the log is written to its cache meanwhile, published for the next reader once the
    child confirmed the view."""
    if upto is None and _parallel(path):
        before = _stamp(path)
        hit = viewcache.wanted(path) and viewcache.matches(path, before)
        # A view loaded from its cache leaves this process little to do: the chain is then
        # checked in two children, half of the log each, joined at the middle. Only such a view
        # has a seal to match (the one a whole check established before the cache was written),
        # so those children hash the lines without parsing them. A cache that then fails to load
        # leaves the log to be parsed here and the whole check to run again: a full child
        # replaces the hashing ones.
        chain: Child | SplitChain = SplitChain(path, seal_only=True) if hit else Child("chain", path)
        view: LogView | None = None
        cached: tuple[LogView, str] | None = None
        pending: viewcache.Pending | None = None

        def missed() -> None:
            nonlocal chain
            chain.close()
            chain = Child("chain", path)

        try:
            view, cached, pending, read_whole = _view_of(path, before, progress, hit, missed)
            if meanwhile is not None and read_whole:
                meanwhile(view)
            verdict = chain.result()
        except Exception:  # noqa: BLE001  unchecked records that are not records: the serial pass says why
            verdict = None
        finally:
            chain.close()
        # Both read the same bytes only if the file did not change meanwhile (a log still being
        # written, or replaced): otherwise the one serial pass decides.
        confirmed = view is not None and verdict is not None and verdict.get("count") == view.records \
            and _stamp(path) == before \
            and (verdict.get("last") == cached[1] if cached is not None else view.integrity["status"] == "chain_ok")
        if confirmed and view is not None and verdict is not None:
            seal = view.integrity.get("seal")
            view.integrity = integrity("chain_ok", seal=str(verdict.get("last")), not_resimulated="chain_only",
                                       message=f"the hash chain holds from seq 0 to seq {view.records - 1}; "
                                               "not re-simulated")
            if pending is not None and verdict.get("last") == seal:
                pending.publish()
            else:
                _discard(pending)
            _keep_results(path, before, view)
            return view
        _discard(pending)
        view = None
    return _pass(path, progress, upto, chain=True)


def _view_of(path: str, before: tuple[int, int, int, int], progress: bool | None, hit: bool,
             missed: Callable[[], None] | None = None
             ) -> tuple[LogView, tuple[LogView, str] | None, viewcache.Pending | None, bool]:
    """The view a child's check will confirm: loaded from its cache (``hit``: one may be there),
    else parsed unchecked; the cache to write for a view read whole (published once the child
    confirms it); and whether the view was read whole (no record that is not a record).
    ``missed`` is called before the log is parsed when a cache that should be there did not load."""
    cached = viewcache.read(path, before, _start, _freeze_while_alive) if hit else None
    if hit and cached is None and missed is not None:
        missed()
    if cached is not None:
        cached[0].results = viewcache.read_results(path, before, cached[0].records, cached[1])
        cached[0].cache[_RESULTS_READ] = bool(cached[0].results)
    view = cached[0] if cached is not None else _pass(path, progress, None, chain=False)
    read_whole = cached is not None or view.integrity["status"] == "chain_ok"
    pending = viewcache.Pending(view, path, before) if cached is None and read_whole and viewcache.wanted(path) else None
    return view, cached, pending, read_whole


#: view.cache key: the view's results were read from the cache beside the log (not to be written again).
_RESULTS_READ = "logview.results_read"


def _keep_results(path: str, before: tuple[int, int, int, int], view: LogView) -> None:
    """What was worked out of a confirmed view of a long log (``view.results``, its score), kept
    beside the log for the next reader (viewcache.write_results), unless it came from there."""
    seal = view.integrity.get("seal")
    if view.results and not view.cache.get(_RESULTS_READ) and isinstance(seal, str) and view.torn is None \
            and viewcache.wanted(path) and os.path.exists(viewcache.path_of(path)):  # read only with a cached view
        viewcache.write_results(path, before, view.records, seal, view.results)


def _discard(pending: viewcache.Pending | None) -> None:
    """A cache written for a view that is not kept, removed."""
    if pending is not None:
        pending.discard()


def _read_verified(path: str, progress: bool | None, meanwhile: Callable[[LogView], object] | None) -> LogView:
    """The view of a long log, re-simulated: :func:`tabletop.replay.verify` runs in a child process
    (it checks the chain too) while this one reads the records and runs ``meanwhile`` on the view,
    so the wall time is about the longer of the two instead of their sum. The view is kept, marked
    ``verified``, only if the child re-simulated the whole log over the same number of records
    and the file did not change meanwhile; otherwise the view is read again with its chain checked
    and the child's verdict (or, if it gave none, a serial re-simulation) decides, as without a
    second CPU."""
    from tabletop import replay

    before = _stamp(path)
    child = Child("verify", path)
    view: LogView | None = None
    found: dict[str, Any] | None = None
    cached: tuple[LogView, str] | None = None
    pending: viewcache.Pending | None = None
    try:
        view, cached, pending, read_whole = _view_of(path, before, progress, viewcache.wanted(path))
        if meanwhile is not None and read_whole:
            meanwhile(view)
        found = child.result()
    except Exception:  # noqa: BLE001  records that are not records, a failing step: the serial path says why
        found = None
    finally:
        child.close()
    verdict = None
    if found is not None and _stamp(path) == before:
        try:
            verdict = replay.Verdict(**found)
        except TypeError:
            verdict = None
    if verdict is not None and verdict.ok and view is not None and verdict.records == view.records \
            and (verdict.seal == cached[1] if cached is not None else view.integrity["status"] == "chain_ok"):
        if pending is not None and verdict.seal == view.integrity["seal"]:
            pending.publish()
        view.integrity = _verified(verdict)
        _keep_results(path, before, view)
        return view
    if pending is not None:
        pending.discard()
    view = _read(path, progress)
    if view.integrity["status"] == "chain_ok":
        view = _resimulate(view, path, progress, verdict if verdict is not None and not verdict.ok else None)
    return view


#: Logs at least this long get their chain checked in a child process (see :func:`_read`).
PARALLEL_BYTES = 8 * 1024 * 1024


def _stamp(path: str) -> tuple[int, int, int, int]:
    """What changes when a file's bytes do: its inode, size and modification time."""
    info = os.stat(path)
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _parallel(path: str) -> bool:
    if os.path.getsize(path) < PARALLEL_BYTES:
        return False
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cpus >= 2  # one CPU: a second process gains nothing


def _pass(path: str, progress: bool | None, upto: int | None = None, chain: bool = True) -> LogView:
    """One streaming pass: the view of every intact record (up to seq ``upto``), its integrity set
    (``chain`` False: the records only parsed; :func:`_read` checks the chain beside it)."""
    size = os.path.getsize(path)
    bar = None
    if progress or (progress is None and size >= PROGRESS_BYTES):
        from tabletop import progress as bars

        bar = bars.bar(total=size, unit="B", unit_scale=True, desc="reading log", disable=None if progress is None else False,
                   leave=False)
    view: LogView | None = None
    last: str | None = None
    pending = 0
    # The view only grows while it is read (nothing to collect): the cyclic collector would
    # rescan every record kept so far again and again on a long log.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for record, line in (iter_records(path) if chain else _unchecked(path)):
            if bar is not None:
                pending += len(line.data) + 1
                if pending >= _BAR_STEP:
                    bar.update(pending)
                    pending = 0
            if view is None:
                view = _start(record, path)
                last = record["hash"]
                continue
            if upto is not None and record["seq"] > upto:
                break
            last = record["hash"]  # before _add drops it
            try:
                _add(view, record)
            except (AttributeError, KeyError, TypeError) as err:  # chain-valid, but not shaped like a record
                raise _Unreadable(f"record {record['seq']} cannot be read ({type(err).__name__}: {err})",
                                  record["seq"]) from None
    except TornTail as torn:
        if view is None:
            raise BadLog(f"{path}: the log holds no complete header") from None
        view.torn = str(torn)
        view.integrity = integrity("broken", bad_seq=torn.index, message=str(torn), problem="torn")
        return view
    except BadLog as err:
        if view is None:
            view = _header_unchecked(path, err)
        view.integrity = integrity("broken", bad_seq=err.seq if err.seq is not None else view.records,
                                   message=str(err), problem="record" if isinstance(err, _Unreadable) else "chain")
        return view
    finally:
        if collecting:
            if view is not None:
                _freeze_while_alive(view)
            gc.enable()
        if bar is not None:
            bar.update(pending)
            bar.close()
    if view is None:
        raise BadLog(f"{path}: empty log (no header)")
    view.integrity = integrity("chain_ok", seal=last, not_resimulated="chain_only",
                               message=f"the hash chain holds from seq 0 to seq {view.records - 1}; not re-simulated")
    return view


def _unchecked(path: str) -> Iterator[tuple[Any, Line]]:
    """``(record, line)`` of every complete line, only parsed (orjson, as the one reader does): for
    the pass that runs while a child checks the same bytes with the one reader (chain, fields,
    nesting depth; :func:`_read`, :func:`_read_verified`). Nothing read here is kept unless that
    check passed; a line that is no JSON raises, and the serial pass then reports it."""
    with open_log(path) as handle:
        for line in iter_lines(handle):
            yield orjson.loads(line.data), line


def _freeze_while_alive(view: LogView) -> None:
    """Leave every object that exists now (the view's millions of records among them) out of the
    cyclic collector until the view is gone (:func:`tabletop.heap.hold`, let go of when it is
    collected: the heap is unfrozen once no other holder, a room's keeper, holds it). The records
    hold no cycles; without this, every full collection while the metrics run walks all of them
    again (about 2 s a collection on 200,000 national records).
    Only the collector's work changes, never what is kept or freed by reference counting."""
    heap.hold()
    weakref.finalize(view, heap.let_go)


def _header_unchecked(path: str, err: BadLog) -> LogView:
    """The header read without its chain, when the chain fails at the header itself: a log whose
    header was altered is a broken log; a file with no header at all is no log (:class:`BadLog`)."""
    try:
        with open_log(path) as handle:
            for line in iter_lines(handle):
                return _start(parse(line.data, line.index), path)
    except BadLog:
        pass
    message = str(err)
    raise BadLog(message if message.startswith(path) else f"{path}: {message}", err.seq) from None


def _verified(verdict: Any) -> dict[str, Any]:
    return integrity("verified", seal=verdict.seal,
                     message=f"chain, header and re-simulation agree ({verdict.records} records)")


def _resimulate(view: LogView, path: str, progress: bool | None, verdict: Any = None) -> LogView:
    """Re-simulate the log (chain, every header field, every record; ``verdict``: the one a child
    already gave): ``verified``, ``chain_ok`` (another format: not re-simulated), or ``broken``
    with the view cut before the bad seq."""
    from tabletop import replay

    if verdict is None:
        verdict = replay.verify(path)
    if verdict.ok:
        view.integrity = _verified(verdict)
        return view
    if verdict.not_resimulated:
        view.integrity = integrity("chain_ok", seal=verdict.seal, message=verdict.message,
                                   not_resimulated=verdict.not_resimulated, engine=verdict.engine or None)
        return view
    bad = verdict.bad_seq if verdict.bad_seq is not None else view.records
    problem = "missing" if bad >= view.records else "header" if bad == 0 else "resimulation"
    if bad < view.records:
        view = _read(path, progress, upto=max(bad - 1, 0))
    view.integrity = integrity("broken", bad_seq=bad, message=verdict.message, problem=problem)
    return view


def from_records(records: Iterable[Record]) -> LogView:
    """A view of records already in memory (tests, benchmarks); nothing is checked (``unchecked``)."""
    view: LogView | None = None
    for record in records:
        record = json.loads(json.dumps(record, ensure_ascii=False))  # a copy, as a log line would read back
        if view is None:
            view = _start(record, "<records>")
        else:
            _add(view, record)
    if view is None:
        raise BadLog("<records>: empty log (no header)")
    return view


def _start(record: Record, path: str) -> LogView:
    from tabletop import api

    if not isinstance(record, dict) or record.get("type") != "header":
        raise BadLog(f"{path}: the first record is not a session header", 0)
    try:
        scenario = api.scenario_from_header(record)
    except BadLog as err:
        raise BadLog(f"{path}: {err}", 0) from None
    return LogView(header=record, scenario=scenario, records=1)


#: Record fields whose values repeat (shared, see :func:`_add`), and the longest data value shared.
_SHARED = ("time", "actor", "type", "kind", "wall")
_SHARED_LEN = 64


_SLIM = frozenset(("message_sent", "report_received"))

_LOGGED = frozenset(("actor", "data", "hash", "kind", "prev", "seq", "time", "turn", "type"))
_LOGGED_WALL = _LOGGED | {"wall"}


def _add(view: LogView, record: Record) -> None:
    view.records += 1
    # One string object for each repeated value (a national log repeats a few hundred of them a
    # million times), and a record kept as a new dict without prev and hash (a dict never
    # shrinks): the view of a 1,000,000-record log stays within memory.
    shared = view._strings
    keys = record.keys()
    if keys == _LOGGED or keys == _LOGGED_WALL:
        actor, kind_, time_, type_ = record["actor"], record["kind"], record["time"], record["type"]
        kept = {"actor": shared.setdefault(actor, actor) if type(actor) is str else actor, "data": record["data"],
                "kind": shared.setdefault(kind_, kind_) if type(kind_) is str else kind_, "seq": record["seq"],
                "time": shared.setdefault(time_, time_) if type(time_) is str else time_, "turn": record["turn"],
                "type": shared.setdefault(type_, type_) if type(type_) is str else type_}
        if "wall" in record:
            wall = record["wall"]
            kept["wall"] = shared.setdefault(wall, wall) if type(wall) is str else wall
        record = kept
    else:
        record = {key: value for key, value in record.items() if key != "prev" and key != "hash"}
        for key in _SHARED:
            value = record.get(key)
            if type(value) is str:
                record[key] = shared.setdefault(value, value)
    data = record.get("data")
    kind = record.get("kind", "")
    if type(data) is dict:
        # The bulky kinds keep only what their readers read (slim.py); the others are kept whole.
        slimmed: Any = None
        if kind in _SLIM and record.get("type") == "event":
            slimmed = slim_data(kind, data, shared)
        elif kind == "distribution_served" and record.get("type") == "event":
            slimmed = slim_served(data, shared)
            if slimmed is not None:
                slimmed, record["served"] = slimmed
        if slimmed is not None:
            record["data"] = slimmed
        else:
            for key, value in data.items():
                if type(value) is str and len(value) <= _SHARED_LEN and key != "id":
                    data[key] = shared.setdefault(value, value)
    turn = record.get("turn") or 0
    if turn > view.last_turn:
        view.last_turn = turn
    wall = record.get("wall")
    if wall is not None:
        view.turn_walls[turn] = wall
    if record.get("type") == "command":
        view.commands[record["seq"]] = record
        view._last_command = record["seq"]
        data = record.get("data") or {}
        county = data.get("county")
        if county is not None:
            # Appended now; a later command_rejected removes it (rejections follow their command).
            view.accepted.setdefault((county, kind), []).append(
                (record["seq"], turn, data.get("role", ""), data.get("args") or {}))
        return
    record["_command"] = view._last_command
    view.by_kind.setdefault(kind, []).append(record)
    if kind == "command_rejected":
        seq = (record.get("data") or {}).get("command")
        if isinstance(seq, int):  # the rejected command's seq (readers look rejections up by seq)
            view.rejected[seq] = record
            command = view.commands.get(seq)
            if command is not None:
                county = (command.get("data") or {}).get("county")
                rows = view.accepted.get((county, command["kind"])) if county is not None else None
                if rows and rows[-1][0] == seq:
                    rows.pop()
    elif kind == "exercise_state":
        view.last_state = (record.get("data") or {}).get("to", view.last_state)
