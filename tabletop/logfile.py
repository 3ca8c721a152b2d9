"""The log on disk: JSON Lines, one canonical record a line, hash-chained.

One writer (:class:`LogWriter`) and one streaming reader (:func:`iter_lines`,
:func:`iter_records`, :class:`ChainCheck`) that every part uses: verify, resume,
replay, scoring and the console. The reader has one parser (orjson), one set of
limits (:data:`MAX_LINE`, :data:`MAX_DEPTH`) and one error, :class:`BadLog`.

Durability (docs/log-format.md, "Writing and fsync policy"): the writer flushes
after every command's records, so a killed process loses nothing it accepted, and
fsyncs whenever it is asked (``sync=True``): the runner after every facilitator
command, the console and the session server after every command.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterable, Iterator

import orjson

from tabletop.core import canonical

Record = dict[str, Any]
FIELDS = ("seq", "turn", "time", "type", "kind", "actor", "data", "prev", "hash")
_FIELD_SET = frozenset(FIELDS)
#: Fields a record may have besides FIELDS: ``wall``, the wall-clock time the command that made
#: it was received (data no rule reads; see docs/log-format.md).
OPTIONAL_FIELDS = ("wall",)
_WITH_WALL = _FIELD_SET | frozenset(OPTIONAL_FIELDS)
#: A canonical line's top-level fields after its hash (keys sorted: ``data`` and ``hash`` come before).
_TAIL = frozenset(("kind", "prev", "seq", "time", "turn", "type"))
_TAIL_WALL = _TAIL | frozenset(OPTIONAL_FIELDS)
#: Longest line a reader accepts (a header holds the whole scenario text: 4 MiB max plus generated data).
MAX_LINE = 64 * 1024 * 1024
#: Deepest nesting a reader accepts (orjson's own limit is 1024; the engine writes far less).
MAX_DEPTH = 64
_READ = 1 << 20
_loads = orjson.loads
#: Where a canonical line's hash begins (its 64 hex digits follow, then ``",``).
_HASH_FIELD = b',"hash":"'


class BadLog(Exception):
    """A log that cannot be read: not JSON Lines, a line too long or too deep, no header,
    a broken chain where one is required, or a scenario that no longer validates.

    ``seq`` is the first record concerned (or the line index), when known.
    """

    def __init__(self, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.seq = seq


class LogWriteError(OSError):
    """The disk refused a write (full, read-only, gone): nothing after the last sync is certain."""


class LogWriter:
    """Appends records as their canonical lines (encoded once, by the session)."""

    def __init__(self, path: str, append: bool = False) -> None:
        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(folder, exist_ok=True)
            self._handle: BinaryIO = open(path, "ab" if append else "xb")
        except OSError as err:
            raise LogWriteError(err.errno or errno.EIO, f"{path}: cannot open the log for writing: {err.strerror}") from err
        self.count = 0

    def write(self, records: Iterable[Record], sync: bool = False) -> None:
        chunks = [line_of(r) for r in records]
        try:
            if chunks:
                self._handle.write(b"".join(chunks))
                self.count += len(chunks)
            self._handle.flush()
            if sync:
                os.fsync(self._handle.fileno())
        except OSError as err:
            raise LogWriteError(err.errno or errno.EIO, f"{self.path}: cannot write the log: {err.strerror}") from err

    def close(self) -> None:
        if self._handle.closed:
            return
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as err:
            raise LogWriteError(err.errno or errno.EIO, f"{self.path}: cannot write the log: {err.strerror}") from err
        finally:
            try:
                self._handle.close()
            except OSError:
                pass

    def __enter__(self) -> "LogWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def line_of(record: Record) -> bytes:
    """The record's line with its newline: the bytes the session encoded, or (for a record
    read back or built by hand) its canonical encoding."""
    line = getattr(record, "line", None)
    if line is None:
        line = canonical.encode({k: v for k, v in record.items()})
    return line + b"\n"


# ----- reading ---------------------------------------------------------------------------

@dataclass(slots=True)
class Line:
    """One complete line of a log: its index, its bytes (no newline) and where it starts."""

    index: int
    data: bytes
    offset: int


def iter_lines(handle: BinaryIO, max_line: int = MAX_LINE, *, at: int = 0, index: int = 0,
               stop: int | None = None) -> Iterator[Line]:
    """Every complete line, streaming. A torn last line (no newline) is not yielded; it
    raises :class:`TornTail` after the whole lines, so callers can cut it off.

    ``at``, ``index``: begin at that byte (a line's first) as line ``index``; ``stop``: end
    before that byte (a line's first), as if the file ended there."""
    offset, pending = at, b""
    left = None if stop is None else stop - at
    if at:
        handle.seek(at)
    while True:
        if left is None:
            chunk = handle.read(_READ)
        else:
            chunk = handle.read(min(_READ, left)) if left > 0 else b""
            left -= len(chunk)
        if not chunk:
            break
        # The chunk's lines split in C: the whole lines, and what is left of the last one.
        pieces = (pending + chunk if pending else chunk).split(b"\n")
        pending = pieces.pop()
        for data in pieces:
            if len(data) > max_line:
                raise BadLog(f"line {index + 1} is longer than {max_line} bytes", index)
            yield Line(index, data, offset)
            offset += len(data) + 1
            index += 1
        if len(pending) > max_line:
            raise BadLog(f"line {index + 1} is longer than {max_line} bytes", index)
    if pending:
        raise TornTail(index, offset, len(pending))


class TornTail(BadLog):
    """The file ends without a newline: the writer was interrupted mid-line."""

    def __init__(self, index: int, offset: int, length: int) -> None:
        super().__init__(f"the last line (line {index + 1}) is incomplete: the writer was interrupted", index)
        self.index, self.offset, self.length = index, offset, length


def parse(line: bytes, index: int) -> Record:
    """One line as a record: JSON (orjson, strict RFC 8259), an object, nested at most :data:`MAX_DEPTH`."""
    try:
        record = _loads(line)
    except orjson.JSONDecodeError as err:
        raise BadLog(f"line {index + 1} is not a JSON record: {err}", index) from None
    if type(record) is not dict:
        raise BadLog(f"line {index + 1} is not a JSON object", index)
    if line.count(b"{") + line.count(b"[") > MAX_DEPTH and _nesting_over(line, MAX_DEPTH) \
            and _depth_over(record, MAX_DEPTH):
        raise BadLog(f"line {index + 1} is nested deeper than {MAX_DEPTH} levels", index)
    return record


#: A JSON string (the line already parsed: every ``"`` outside one starts one).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
#: An innermost empty pair of brackets.
_PAIR = re.compile(rb"\{\}|\[\]")
#: Every byte but the brackets (bytes.translate deletes them).
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"{}[]")


def _nesting_over(line: bytes, limit: int) -> bool:
    """False when the bytes of a line that parsed nest at most ``limit`` containers below the top one:
    the strings cut out, the brackets left, each round drops the innermost pairs. A cheap bound
    (C loops, a few rounds for a shallow line with thousands of containers; about half the time
    of walking a served record's parsed containers): the parsed record
    nests no deeper than its bytes (a repeated key drops a value), so True is confirmed on the
    record by :func:`_depth_over`."""
    # Without a backslash no string holds a quote: every other piece between quotes is a string.
    bare = _STRING.sub(b"", line) if b"\\" in line else b"".join(line.split(b'"')[0::2])
    brackets = bare.translate(None, _NOT_BRACKETS)
    for _ in range(limit + 1):
        if not brackets:
            return False
        brackets = _PAIR.sub(b"", brackets)
    return bool(brackets)


def _depth_over(value: Any, limit: int) -> bool:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return False


class ChainCheck:
    """The hash chain, checked line by line as the lines stream past.

    :meth:`check` returns the parsed record or raises :class:`BadLog` naming the first
    record that breaks the chain: a missing field, a wrong ``seq``, a ``prev`` that is
    not the previous hash, or a hash that does not match the stored bytes (tampered, or
    not in canonical form). The hash is computed over the stored bytes with the hash
    cut out; nothing is re-encoded.
    """

    def __init__(self, prev: str = canonical.GENESIS) -> None:
        self.prev = prev
        self.count = 0

    def check(self, line: Line) -> Record:
        record = parse(line.data, line.index)
        index = line.index
        keys = record.keys()
        if keys != _FIELD_SET and not (keys == _WITH_WALL and isinstance(record["wall"], str)):
            missing = [name for name in FIELDS if name not in record]
            if missing:
                raise BadLog(f"record {index} lacks {', '.join(missing)}", index)
            raise BadLog(f"record {index} has fields a log record does not have", index)
        if record["seq"] != index:
            raise BadLog(f"record at position {index} has seq {record['seq']} (a record was removed or inserted)", index)
        if record["prev"] != self.prev:
            raise BadLog(f"record {index}: prev does not match the hash of record {index - 1}", index)
        stored = record["hash"]
        if not isinstance(stored, str) or len(stored) != 64:
            raise BadLog(f"record {index}: its hash is not a SHA-256", index)
        if canonical.line_hash(self.prev, line.data, stored) != stored:
            raise BadLog(f"record {index}: hash does not match its content (tampered, or not in canonical form)", index)
        self.prev = stored
        self.count += 1
        return record


def iter_records(path: str, chain: bool = True) -> Iterator[tuple[Record, Line]]:
    """Stream ``(record, line)`` from the log at ``path``, checking the chain as it goes
    (``chain=False`` only parses). Raises :class:`BadLog` at the first bad line and
    :class:`TornTail` after the last whole line when the file ends mid-line."""
    checker = ChainCheck()
    with open_log(path) as handle:
        for line in iter_lines(handle):
            yield (checker.check(line) if chain else parse(line.data, line.index)), line


def split_point(path: str) -> int | None:
    """Where a log can be checked in two parts: the first line starting at or after the middle
    of the file (None: no such line, or nothing before it but the file's start)."""
    with open_log(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        handle.seek(size // 2)
        rest = handle.readline(MAX_LINE + 1)
    middle = size // 2 + len(rest)
    return middle if rest.endswith(b"\n") and 0 < middle < size else None


def check_part(path: str, middle: int, first: bool, seal_only: bool = False) -> dict[str, Any]:
    """The chain of one part of a log split at ``middle`` (:func:`split_point`), checked by
    :class:`ChainCheck` as the whole log is: the first part from the header (its ``count`` and
    ``last`` hash), or the second from the record at ``middle`` on, taken as the record its
    ``seq`` says and linked to the ``prev`` it names (``first_seq``, ``first_prev``): the two
    parts are one intact chain only if the second's ``first_seq`` is the first's ``count`` and
    its ``first_prev`` the first's ``last``. Raises :class:`BadLog` as :func:`iter_records`.

    ``seal_only``: the lines hashed and only their fields after the hash parsed
    (:func:`seal_lines`); for matching against a seal that a whole check of the same log
    already established, nothing else."""
    with open_log(path) as handle:
        if first:
            if seal_only:
                count, last = seal_lines(iter_lines(handle, stop=middle), canonical.GENESIS)
                return {"count": count, "last": last}
            checker = ChainCheck()
            for line in iter_lines(handle, stop=middle):
                checker.check(line)
            return {"count": checker.count, "last": checker.prev}
        handle.seek(middle)
        head = parse(handle.readline(MAX_LINE + 1).rstrip(b"\n"), 0)
        seq, prev = head.get("seq"), head.get("prev")
        if type(seq) is not int or seq < 1 or not isinstance(prev, str):
            raise BadLog(f"the record at byte {middle} has no seq and prev to join at", None)
        if seal_only:
            count, last = seal_lines(iter_lines(handle, at=middle, index=seq), prev)
            return {"count": count, "last": last, "first_seq": seq, "first_prev": prev}
        checker = ChainCheck(prev)
        for line in iter_lines(handle, at=middle, index=seq):
            checker.check(line)
        return {"count": checker.count, "last": checker.prev, "first_seq": seq, "first_prev": prev}


def seal_lines(lines: Iterable[Line], prev: str) -> tuple[int, str]:
    """The hash chain of ``lines`` (from :func:`iter_lines`), the records' data not parsed: each
    line's stored hash must be SHA-256 over the hash before it and the line's bytes with the hash
    cut out (as :class:`ChainCheck` computes it), and what follows the hash must be the record's
    top-level fields after ``data`` and nothing else (``kind``, ``prev``, ``seq``, ``time``,
    ``turn``, ``type``, maybe ``wall``: parsed, with ``seq`` the line's index and ``prev`` the
    hash before). Returns the lines counted and the last hash; raises :class:`BadLog` at a line
    that does not hash (too long or torn: :func:`iter_lines`).

    The fields after the hash pin where the hash stands: the hash covers every byte of a line but
    not the place it was cut from, and that place is where the line's one top-level object of
    those fields begins. So a part whose last hash is the one a whole check of the same lines gave
    holds exactly the bytes that check read (SHA-256): that is the one use of this, matching a
    cached scoring view's seal. It checks bytes, not records."""
    prev_bytes = prev.encode("ascii", "replace")
    count = 0
    sha256, size_of = hashlib.sha256, len(_HASH_FIELD)
    for line in lines:
        data, seq = line.data, line.index
        cut = data.rfind(_HASH_FIELD)
        end = cut + size_of + 64
        stored = data[cut + size_of:end]
        if cut < 0 or data[end:end + 2] != b'",' \
                or sha256(b"".join((prev_bytes, data[:cut + 1], data[end + 2:]))).hexdigest().encode() != stored:
            raise BadLog(f"record {seq}: hash does not match its content (tampered, or not in canonical form)", seq)
        try:
            tail = _loads(b"{" + data[end + 2:])
        except orjson.JSONDecodeError:
            tail = None
        if type(tail) is not dict or not (tail.keys() == _TAIL or (tail.keys() == _TAIL_WALL and type(tail["wall"]) is str)) \
                or type(tail["seq"]) is not int or tail["seq"] != seq or tail["prev"] != prev:
            raise BadLog(f"record {seq}: its hash is not where a record's hash stands, or its seq or prev is wrong", seq)
        prev_bytes, prev = stored, stored.decode("ascii")
        count += 1
    return count, prev


def truncate(path: str, size: int) -> None:
    """Cut a log back to its first ``size`` bytes (a torn last line, before appending) and make
    the cut durable."""
    with open(path, "r+b") as handle:
        handle.truncate(size)
        handle.flush()
        os.fsync(handle.fileno())


def open_log(path: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as err:
        raise BadLog(f"{path}: cannot open: {err.strerror}") from err


def read_header(path: str) -> Record:
    """The header record (seq 0), chain-checked."""
    for record, _ in iter_records(path):
        if record.get("type") != "header":
            raise BadLog("the first record is not a session header", 0)
        return record
    raise BadLog("the log is empty", 0)


@dataclass
class Tail:
    """What a streaming pass over a whole log learned: records, last hash (the seal), a torn tail."""

    records: int = 0
    seal: str = canonical.GENESIS
    good_bytes: int = 0
    torn: TornTail | None = None


def read_records(path: str, chain: bool = True) -> list[Record]:
    """Every record of a (small) log, chain-checked; a torn last line is left out.
    Streaming callers use :func:`iter_records` instead; this one is for tests and tools."""
    out: list[Record] = []
    try:
        for record, _ in iter_records(path, chain=chain):
            out.append(record)
    except TornTail:
        pass
    return out
