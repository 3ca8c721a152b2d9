"""The log on disk: JSON Lines, one canonical record a line, hash-chained.

The writer flushes after every command's records (so a killed process loses
nothing it accepted) and fsyncs at each turn end and on every facilitator
command (so a power cut loses at most the current turn).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from tabletop.core import canonical

Record = dict[str, Any]
FIELDS = ("seq", "turn", "time", "type", "kind", "actor", "data", "prev", "hash")


class LogWriter:
    def __init__(self, path: str, append: bool = False) -> None:
        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        self._handle = open(path, "ab" if append else "wb")
        self.count = 0

    def write(self, records: Iterable[Record], sync: bool = False) -> None:
        lines = [canonical.dumps(r) + "\n" for r in records]
        if lines:
            self._handle.write("".join(lines).encode("utf-8"))
            self.count += len(lines)
        self._handle.flush()
        if sync:
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()

    def __enter__(self) -> "LogWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class ReadResult:
    records: list[Record] = field(default_factory=list)
    #: Each record's line exactly as stored (without the newline), for byte-exact checks.
    lines: list[bytes] = field(default_factory=list)
    #: Byte length of the intact prefix (whole lines that parsed).
    good_bytes: int = 0
    #: Problem with the first unreadable line, if any: (line number, message).
    error: tuple[int, str] | None = None
    torn_tail: bool = False


def read_log(path: str) -> ReadResult:
    """Read every whole, parseable line; stop at the first bad one and say where."""
    with open(path, "rb") as handle:
        return parse_log(handle.read())


def parse_log(data: bytes) -> ReadResult:
    """Parse log bytes (see :func:`read_log`)."""
    out = ReadResult()
    offset = 0
    number = 0
    while offset < len(data):
        end = data.find(b"\n", offset)
        number += 1
        if end < 0:
            out.torn_tail = True
            out.error = (number, "the last line is incomplete (the writer was interrupted)")
            break
        line = data[offset:end]
        try:
            record = json.loads(line.decode("utf-8"))
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
        except (ValueError, UnicodeDecodeError) as err:
            out.error = (number, f"line {number} is not a JSON record: {err}")
            break
        out.records.append(record)
        out.lines.append(line)
        offset = end + 1
        out.good_bytes = offset
    return out


def check_chain(records: list[Record]) -> tuple[int, str] | None:
    """None if the hash chain holds; else (seq or line index, what is wrong) for the first bad record."""
    prev = canonical.GENESIS
    for index, record in enumerate(records):
        seq = record.get("seq", index)
        missing = [name for name in FIELDS if name not in record]
        if missing:
            return seq, f"record {seq} lacks {', '.join(missing)}"
        if record["seq"] != index:
            return index, f"record at position {index} has seq {record['seq']}"
        if record["prev"] != prev:
            return seq, f"record {seq}: prev does not match the hash of record {seq - 1}"
        body = {k: v for k, v in record.items() if k != "hash"}
        if canonical.chain_hash(prev, body) != record["hash"]:
            return seq, f"record {seq}: hash does not match its content (tampered)"
        prev = record["hash"]
    return None
