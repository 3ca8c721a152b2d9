"""Reviewer notes: bookmarks and annotations at records, kept in ``LOG.notes.json`` beside the log.

The log itself is never written. The notes file names the log's header hash, so notes
are never shown against a different session's log by mistake. Writes go to a
temporary file renamed over the old one (:func:`tabletop.files.write_atomic`: fsync'd,
then renamed), so a crash or a full disk never leaves half a file.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import Any

from tabletop import files
from tabletop.core import canonical

SUFFIX = ".notes.json"
FORMAT = 1


def notes_path(log: str) -> str:
    return log + SUFFIX


@dataclass
class Note:
    seq: int
    #: "bookmark" (a place to come back to) or "annotation" (a finding, with text).
    kind: str = "bookmark"
    text: str = ""
    author: str = ""
    turn: int = 0
    time: str = ""


class Notes:
    def __init__(self, log: str, header_hash: str) -> None:
        self.path = notes_path(log)
        self.header_hash = header_hash
        self.items: list[Note] = []
        #: Set when the file exists but belongs to another log or cannot be read (it is then left alone).
        self.problem = ""
        if os.path.exists(self.path):
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(files.read_text(self.path))
            if data.get("log_header_hash") != self.header_hash:
                self.problem = f"{self.path} belongs to another log (header hash differs); not shown, not overwritten"
                return
            self.items = sorted((Note(**item) for item in data.get("notes", [])), key=lambda n: n.seq)
        except (OSError, ValueError, TypeError) as err:
            self.problem = f"{self.path} cannot be read: {err}"

    def save(self) -> None:
        """Write the notes file atomically (temp file, fsync, rename). Raises
        :class:`tabletop.files.FileProblem` when it cannot be written; the old file is kept."""
        if self.problem:
            raise OSError(self.problem)
        data = {"format": FORMAT, "log_header_hash": self.header_hash, "notes": [asdict(n) for n in self.items]}
        files.write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    def add(self, seq: int, text: str = "", author: str = "", record: dict[str, Any] | None = None) -> Note:
        """Add a note and save; if saving fails the note is not kept (memory matches the file)."""
        note = Note(seq, "annotation" if text else "bookmark", text, author,
                    (record or {}).get("turn", 0), (record or {}).get("time", ""))
        before = list(self.items)
        self.items.append(note)
        self.items.sort(key=lambda n: n.seq)
        try:
            self.save()
        except BaseException:
            self.items = before
            raise
        return note

    def remove_at(self, seq: int) -> int:
        before = list(self.items)
        self.items = [n for n in self.items if n.seq != seq]
        if len(self.items) != len(before):
            try:
                self.save()
            except BaseException:
                self.items = before
                raise
        return len(before) - len(self.items)

    def at(self, seq: int) -> list[Note]:
        return [n for n in self.items if n.seq == seq]

    def seqs(self) -> list[int]:
        return sorted({n.seq for n in self.items})

    def next_seq(self, seq: int, forward: bool = True) -> int | None:
        seqs = self.seqs()
        if forward:
            return next((s for s in seqs if s > seq), None)
        return next((s for s in reversed(seqs) if s < seq), None)


def header_hash_of(log: str) -> str:
    """The header record's hash (the one log reader, chain-checked)."""
    from tabletop.logfile import BadLog, read_header

    try:
        return str(read_header(log)["hash"])
    except BadLog:
        return canonical.GENESIS
