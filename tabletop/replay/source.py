"""Open a log read-only: where each record starts, and how far its hash chain holds.

The chain check works on the stored bytes: a record written by the engine is its
canonical JSON, so its hash is SHA-256 over the previous hash and the line with the
``"hash"`` member cut out. That is the one chain check, :class:`tabletop.logfile.ChainCheck`,
which never re-encodes a record.
"""

from __future__ import annotations

import hashlib
import mmap
import os
from array import array
from dataclasses import dataclass
from typing import Any, Callable

import orjson

from tabletop import files
from tabletop.core import canonical
from tabletop.logfile import BadLog, ChainCheck, Line

Record = dict[str, Any]
#: Problems, worst first, as shown to the reviewer (keys of ``replay.problem.*``).
PROBLEMS = ("tampered", "unreadable", "diverged", "truncated", "shortened")


@dataclass
class Integrity:
    """How much of a log can be trusted: the intact prefix and what is wrong after it."""

    #: Records in the intact prefix (the header included); replay never goes past it.
    intact: int
    #: Complete lines in the file (intact or not).
    lines: int
    #: "" when the whole log holds, else one of :data:`PROBLEMS`.
    problem: str = ""
    #: The first record not trusted (None when the whole log holds).
    bad_seq: int | None = None
    #: What is wrong, in English (the viewer shows a translated summary beside it).
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    def to_data(self) -> dict[str, Any]:
        return {"intact": self.intact, "lines": self.lines, "problem": self.problem, "bad_seq": self.bad_seq,
                "message": self.message}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Integrity":
        return cls(data["intact"], data["lines"], data["problem"], data["bad_seq"], data["message"])


class LogSource:
    """A log file mapped read-only: its lines by record number, its digest, its chain check."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.size = os.path.getsize(path)
        self._handle = files.open_read(path)
        self.data: Any = mmap.mmap(self._handle.fileno(), 0, access=mmap.ACCESS_READ) if self.size else b""
        #: offsets[i] is where line i starts; offsets[-1] is the end of the last complete line.
        self.offsets = array("q", [0])
        #: True when the file ends without a newline (the writer was interrupted).
        self.torn = False

    def close(self) -> None:
        if isinstance(self.data, mmap.mmap):
            self.data.close()
        self._handle.close()

    # ----- layout ---------------------------------------------------------------------
    def scan(self) -> None:
        """Find where every complete line starts (one pass over the bytes)."""
        data, offsets, find = self.data, array("q", [0]), self.data.find
        pos, size = 0, self.size
        while pos < size:
            end = find(b"\n", pos)
            if end < 0:
                self.torn = True
                break
            pos = end + 1
            offsets.append(pos)
        self.offsets = offsets
        del data

    def use_offsets(self, offsets: array, torn: bool) -> None:
        """Offsets from a matching index (same file digest): no scan needed."""
        self.offsets, self.torn = offsets, torn

    @property
    def lines(self) -> int:
        return len(self.offsets) - 1

    def line(self, index: int) -> bytes:
        return bytes(self.data[self.offsets[index]:self.offsets[index + 1] - 1])

    def record(self, index: int) -> Record:
        return orjson.loads(self.data[self.offsets[index]:self.offsets[index + 1] - 1])

    def records(self, start: int, stop: int) -> list[Record]:
        return [self.record(i) for i in range(start, stop)]

    def digest(self, upto: int | None = None) -> str:
        """SHA-256 of the file's bytes (of the first ``upto`` bytes when given)."""
        view = memoryview(self.data)[: self.size if upto is None else upto] if self.size else b""
        try:
            return hashlib.sha256(view).hexdigest()
        finally:
            if isinstance(view, memoryview):
                view.release()

    # ----- integrity ------------------------------------------------------------------
    def check(self, progress: Callable[[int], None] | None = None) -> Integrity:
        """Check every complete line: JSON, fields, seq, canonical encoding, prev and hash."""
        prev = canonical.GENESIS
        lines = self.lines
        for index in range(lines):
            if progress is not None and index % 4096 == 0:
                progress(index)
            result = check_line(self.line(index), index, prev)
            if isinstance(result, tuple):
                problem, message = result
                return Integrity(index, lines, problem, index, message)
            prev = result
        if progress is not None:
            progress(lines)
        if not lines:
            return Integrity(0, 0, "unreadable", 0, "the log holds no complete record")
        if self.torn:
            return Integrity(lines, lines, "truncated", lines,
                             f"the last line (record {lines}) is incomplete: the writer was interrupted")
        return Integrity(lines, lines)


def check_line(line: bytes, index: int, prev: str) -> str | tuple[str, str]:
    """The record's hash if line ``index`` continues the chain after ``prev``; else (problem, message).

    The one chain check (:class:`tabletop.logfile.ChainCheck`) on one line."""
    checker = ChainCheck()
    checker.prev = prev
    try:
        record = checker.check(Line(index, line, 0))
    except BadLog as err:
        text = str(err)
        return ("unreadable" if "not a JSON" in text or "nested deeper" in text else "tampered"), text
    return str(record["hash"])
