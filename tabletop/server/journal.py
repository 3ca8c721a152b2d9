"""The client-id journal (``LOG.clients.jsonl``): what makes a resent command apply once.

Every command a seat sends carries a ``client_id``. The log never holds it (the record is
the exercise, not its plumbing), so the server keeps a journal beside the log: one line per
accepted-or-rejected command, ``{"seat", "client_id", "seq", "hash"}``, naming the command
record it became. The server appends and fsyncs the journal lines of a batch *before* it
writes and fsyncs the batch's log records, and answers only after both:

- killed after the journal but before the log: the journal names a seq the log lacks (or
  holds with another hash); resume drops the line and the resend is applied, once;
- killed after both: resume finds the command in the log and the resend gets the first
  answer again, rebuilt from the log (its seq, and its ``command_rejected`` if any).

Append-only keeps each batch's cost constant (a JSON file rewritten per command would grow
with the exercise). A torn last line is ignored.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable

from tabletop import files


def journal_path(log_path: str) -> str:
    return log_path + ".clients.jsonl"


Entry = tuple[str, str, int, str]  # seat, client id, seq, hash


class Journal:
    def __init__(self, path: str) -> None:
        self.path = path
        self._handle = files.open_append(path)

    def append(self, entries: Iterable[Entry]) -> None:
        lines = [json.dumps({"seat": s, "client_id": c, "seq": q, "hash": h}, ensure_ascii=False,
                            sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n" for s, c, q, h in entries]
        if not lines:
            return
        self._handle.write(b"".join(lines))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.close()


def read_journal(path: str, records: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """(seat, client id) -> command seq, for the journal lines the log bears out."""
    out: dict[tuple[str, str], int] = {}
    if not os.path.exists(path):
        return out
    data = files.read_bytes(path)
    for line in data.split(b"\n")[:-1]:  # the part after the last newline is torn (or empty)
        try:
            item = json.loads(line)
            seat, client, seq, digest = item["seat"], item["client_id"], item["seq"], item["hash"]
        except (ValueError, KeyError, TypeError):
            continue
        if not (isinstance(seq, int) and 0 < seq < len(records)):
            continue
        record = records[seq]
        if record.get("hash") == digest and record.get("type") == "command" and record.get("actor") == seat:
            out.setdefault((seat, client), seq)
    return out
