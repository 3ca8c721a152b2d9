"""The scoring view of a long log kept beside it (``LOG.scoring-view``), so the next ``score``
or ``report`` of the same log does not parse it again (docs/scoring.md, "Performance").

What it holds: the view's records as :mod:`logview` built them (slimmed, strings shared), in
:mod:`marshal` chunks (marshal keeps an object met twice in a chunk as one object), after a
header naming what they were built from: the log's inode, size, modification and change times,
its record count and last hash (the seal), the Python and marshal versions and a digest of the
package's code and its parsing libraries (:func:`_code_digest`). The chunks are authenticated
with a keyed BLAKE2b whose key is the user's own (``<user cache>/scoring-view.key``, created 0600): a file someone else wrote, or
edited, beside the log is never read as a view.

How far it is trusted: :func:`read` gives a view only when every field of the header matches the
log as it is now and the digest holds; :mod:`logview` then keeps it only once a chain check of
the log itself (in child processes: :func:`tabletop.logfile.seal_lines`, the lines hashed and
their hash's place pinned, the data not parsed again) found the same record count and the same
last hash, which every byte of the log depends on. Anything else (no file, another log, another
version of the code, a digest that fails, a chain that disagrees) is a miss, and the log is read
as if there were no cache: a cache can make a result sooner, never different.

A view is written only for a whole log whose chain held (never a broken or torn one), to a
temporary file first that is renamed into place only once the check confirmed it
(:class:`Pending`); a folder that cannot be written just gets no cache.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import hmac
import importlib.metadata
import json
import marshal
import os
import sys
from array import array
from typing import Any, Callable

import orjson

from tabletop import files
from tabletop.scoring.slim import Served
from tabletop.scoring.view import LogView

FORMAT = 1
SUFFIX = ".scoring-view"
MAGIC = b"tabletop scoring view\n"
#: Logs shorter than this get no cache (reading them costs less than a second).
MIN_BYTES = 64 * 1024 * 1024
#: Records per marshal chunk: writing and reading hold one chunk's bytes at a time, not the whole file's.
CHUNK = 50_000
_KEY_NAME = "scoring-view.key"
Stamp = tuple[int, int, int, int]


def path_of(log: str) -> str:
    return log + SUFFIX


def wanted(log: str) -> bool:
    try:
        return os.path.getsize(log) >= MIN_BYTES
    except OSError:
        return False


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """What a view and what is worked out of it depend on beside the log: a digest of every source
    and data file of the tabletop package (``.py``, ``.yaml``; not hidden files such as an
    editor's lock files: the reader and its checks in logfile.py and core/canonical.py, the view,
    every part's metrics, the scoring configuration) and of the versions of the libraries that
    parse the log and the scenario. Raises OSError if a file cannot be read (then there is no cache)."""
    digest = hashlib.sha256()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        found += [os.path.join(folder, name) for name in names
                  if name.endswith((".py", ".yaml")) and not name.startswith(".")]
    for path in sorted(found):
        data = files.read_bytes(path)
        digest.update(f"{os.path.relpath(path, root)}\0{len(data)}\0".encode())
        digest.update(data)
    for library in _LIBRARIES:
        try:
            version = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            version = "?"
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()


#: The libraries whose versions are part of the code digest (they parse the log and the scenario).
_LIBRARIES = ("orjson", "pydantic", "PyYAML")


def _secret(create: bool) -> bytes | None:
    """The user's key (32 random bytes), created on first use when ``create``; None if it cannot be had."""
    path = os.path.join(files.user_cache_dir(), _KEY_NAME)
    try:
        key = files.read_bytes(path)
        return key if len(key) == 32 else None
    except FileNotFoundError:
        if not create:
            return None
    except OSError:
        return None
    with contextlib.suppress(Exception):  # made by another process meanwhile (read theirs), or no cache folder
        files.write_atomic(path, os.urandom(32), exclusive=True, mode=0o600)
    return _secret(False)


def _key(stamp: Stamp, records: int, seal: str) -> dict[str, Any]:
    return {"format": FORMAT, "python": list(sys.version_info[:3]), "marshal": marshal.version,
            "code": _code_digest(), "stamp": list(stamp), "records": records, "seal": seal}


def _chunks(view: LogView) -> list[Any]:
    """The view as marshal-able pieces: first the small state (commands, rejections and their
    events, which share records), then every other kind's records, :data:`CHUNK` at a time."""
    rejected = view.by_kind.get("command_rejected", [])
    out: list[Any] = [(view.header, view.records, view.commands, view.rejected, view.accepted, view.last_turn,
                       view.last_state, view.turn_walls, view.torn, view._last_command, rejected,
                       list(view.by_kind))]
    for kind, rows in view.by_kind.items():
        if kind == "command_rejected":
            continue
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            if kind == "distribution_served":
                part = [_flat_served(record) for record in part]
            out.append((kind, part))
    return out


def _flat_served(record: dict[str, Any]) -> dict[str, Any]:
    served = record.get("served")
    if not isinstance(served, Served):
        return record
    return dict(record, served=(served.keys, served.figures.tobytes()))


class Pending:
    """A view's cache written to a temporary file beside the log: :meth:`publish` renames it into
    place (the check confirmed the view), :meth:`discard` removes it. Nothing at all if the
    folder cannot be written or the view holds what marshal cannot write.

    The file: :data:`MAGIC`, the header (one JSON line, :func:`_key`), the chunks each after its
    length (8 bytes, little-endian), a zero length, then the keyed BLAKE2b of all that (32 bytes)."""

    def __init__(self, view: LogView, log: str, stamp: Stamp) -> None:
        self.tmp: str | None = None
        self.path = path_of(log)
        secret = _secret(True)
        seal = view.integrity.get("seal")
        if secret is None or view.torn is not None or not isinstance(seal, str):
            return
        mac = hashlib.blake2b(key=secret, digest_size=32)
        files.sweep_temps(self.path)  # a writer killed mid-write left its temporary file
        tmp = files.temp_path(self.path)
        try:
            files.create_new(tmp)
            files.copy_mode(log, tmp)  # the log's readers and no one else read its view
            with files.open_append(tmp) as handle:
                def put(data: bytes) -> None:
                    mac.update(data)
                    handle.write(data)

                put(MAGIC + orjson.dumps(_key(stamp, view.records, seal)) + b"\n")
                for chunk in _chunks(view):  # one chunk's bytes at a time
                    blob = marshal.dumps(chunk, 4)
                    put(len(blob).to_bytes(8, "little"))
                    put(blob)
                    del blob
                put(bytes(8))
                handle.write(mac.digest())
            self.tmp = tmp
        except (OSError, ValueError, TypeError):  # marshal: an object it cannot write
            files.discard(tmp)

    def publish(self) -> None:
        if self.tmp is not None:
            try:
                os.replace(self.tmp, self.path)
            except OSError:
                files.discard(self.tmp)
            self.tmp = None

    def discard(self) -> None:
        if self.tmp is not None:
            files.discard(self.tmp)
            self.tmp = None


def _head(handle: Any, stamp: Stamp) -> tuple[dict[str, Any], bytes] | None:
    """The header of an open cache file and its line, if it names the log as it is now."""
    if handle.read(len(MAGIC)) != MAGIC:
        return None
    line = handle.readline(1 << 20)
    head = orjson.loads(line)
    if type(head) is not dict or type(head.get("records")) is not int or type(head.get("seal")) is not str \
            or head != _key(stamp, head["records"], head["seal"]):
        return None
    return head, line


def matches(log: str, stamp: Stamp) -> bool:
    """True when a cache of ``log`` names the log as it is now (its header alone: :func:`read`
    still checks the digest): cheap, to choose how to check the chain before the view is loaded."""
    try:
        with files.open_read(path_of(log)) as handle:
            return _head(handle, stamp) is not None and _secret(False) is not None
    except Exception:  # noqa: BLE001  a miss
        return False


def read(log: str, stamp: Stamp, start: Callable[[dict[str, Any], str], LogView],
         freeze: Callable[[LogView], None]) -> tuple[LogView, str] | None:
    """The cached view of ``log`` and the seal it was built to (its integrity not set: the
    caller's chain check decides), or None (a miss, see the module doc). The whole file's
    digest is checked before any of it is unmarshalled. ``start``: the view of a header (the
    reader's, which parses its scenario); ``freeze``: what the reader does with a view once it
    is built (out of the cyclic collector)."""
    path = path_of(log)
    try:
        handle = files.open_read(path)
    except OSError:
        return None
    with handle:
        try:
            found = _head(handle, stamp)
            secret = _secret(False)
            if found is None or secret is None:
                return None
            head, line = found
            body = len(MAGIC) + len(line)
            size = os.fstat(handle.fileno()).st_size - 32
            mac = hashlib.blake2b(MAGIC + line, key=secret, digest_size=32)
            left = size - body
            while left > 0:
                data = handle.read(min(left, 1 << 24))
                if not data:
                    return None
                mac.update(data)
                left -= len(data)
            if left < 0 or not hmac.compare_digest(handle.read(32), mac.digest()):
                return None
            handle.seek(body)
            collecting = gc.isenabled()
            gc.disable()  # millions of objects that hold no cycles, as in logview._pass
            try:
                view = _view(handle, log, start)
                if collecting and view is not None:
                    freeze(view)  # as a view read from the log
            finally:
                if collecting:
                    gc.enable()
        except Exception:  # noqa: BLE001  whatever is wrong with it, a cache is only ever a miss
            return None
    if view is None or view.records != head["records"]:
        return None
    return view, head["seal"]


def _blobs(handle: Any) -> Any:
    while True:
        size = int.from_bytes(handle.read(8), "little")
        if not size:
            return
        yield handle.read(size)


def _view(handle: Any, log: str, start: Callable[[dict[str, Any], str], LogView]) -> LogView | None:
    blobs = _blobs(handle)
    (header, records, commands, rejected, accepted, last_turn, last_state, turn_walls, torn, last_command,
     rejections, kinds) = marshal.loads(next(blobs))  # noqa: S302  authenticated with the user's key first
    view = start(header, log)
    view.records, view.commands, view.rejected, view.accepted = records, commands, rejected, accepted
    view.last_turn, view.last_state, view.turn_walls, view.torn = last_turn, last_state, turn_walls, torn
    view._last_command = last_command
    by_kind: dict[str, list[Any]] = {kind: [] for kind in kinds}
    if "command_rejected" in by_kind:
        by_kind["command_rejected"] = rejections
    for blob in blobs:
        kind, part = marshal.loads(blob)  # noqa: S302  (as above)
        if kind == "distribution_served":
            for record in part:
                served = record.get("served")
                if type(served) is tuple:
                    figures = array("d")
                    figures.frombytes(served[1])
                    record["served"] = Served(served[0], figures)
        by_kind[kind].extend(part)
    view.by_kind = by_kind
    return view


# ----- results ----------------------------------------------------------------------------
#: Beside the view: what was worked out of it (``LogView.results``: the score document), for the
#: next reader of the same log with the same code (``score`` then ``report``).
RESULTS_SUFFIX = ".scoring-results"
RESULTS_MAGIC = b"tabletop scoring results\n"
#: The largest results file read back (a national score document is a few MB).
RESULTS_MAX = 256 * 1024 * 1024


def results_path_of(log: str) -> str:
    return log + RESULTS_SUFFIX


def _results_key(stamp: Stamp, records: int, seal: str) -> dict[str, Any]:
    return _key(stamp, records, seal) | {"results": 1}


def dumps_results(value: Any) -> bytes:
    """Results as JSON text: Python's json, which writes a NaN or an infinity as itself (orjson
    writes null), so a value read back is the value worked out."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_results(log: str, stamp: Stamp, records: int, seal: str, results: dict[str, Any]) -> None:
    """Keep ``results`` (JSON values by name) beside ``log``, for the view of the same records and
    seal, read by the same code (:func:`_results_key`: the view's key, whose code digest covers
    the whole package), authenticated with the user's key as the view is. Written only once the
    log's chain check confirmed the view they were worked out of; nothing at all if the folder
    cannot be written, a file of the package cannot be read, or a value is not JSON."""
    secret = _secret(True)
    if secret is None or not results:
        return
    tmp = None
    try:  # whatever goes wrong (a file of the package unreadable, a value JSON cannot hold), no file
        body = RESULTS_MAGIC + orjson.dumps(_results_key(stamp, records, seal)) + b"\n" + dumps_results(results)
        path = results_path_of(log)
        files.sweep_temps(path)
        tmp = files.temp_path(path)
        files.create_new(tmp)
        files.copy_mode(log, tmp)
        with files.open_append(tmp) as handle:
            handle.write(body)
            handle.write(hashlib.blake2b(body, key=secret, digest_size=32).digest())
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001  a cache is only ever a help
        files.discard(tmp)


def read_results(log: str, stamp: Stamp, records: int, seal: str) -> dict[str, Any]:
    """The results kept beside ``log`` for exactly this view (records, seal) and this code, or
    nothing (a miss: another log, another version, a digest that fails)."""
    try:
        with files.open_read(results_path_of(log)) as handle:
            data = handle.read(RESULTS_MAX + 1)
        secret = _secret(False)
        if secret is None or len(data) > RESULTS_MAX or not data.startswith(RESULTS_MAGIC):
            return {}
        body, mac = data[:-32], data[-32:]
        if not hmac.compare_digest(mac, hashlib.blake2b(body, key=secret, digest_size=32).digest()):
            return {}
        line, _, rest = body[len(RESULTS_MAGIC):].partition(b"\n")
        if orjson.loads(line) != _results_key(stamp, records, seal):
            return {}
        found = json.loads(rest)
    except Exception:  # noqa: BLE001  whatever is wrong with it, a miss
        return {}
    return found if type(found) is dict else {}
