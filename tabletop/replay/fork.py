"""Branching what-if: a new session that starts where the reviewed one stood at a record, and plays on.

The fork is an ordinary, self-contained log: its header is a new session header of the same
scenario text and seed whose ``parent`` names the parent log, the record and its hash; then
come the parent's commands up to that point, re-simulated (so the fork's records equal the
parent's but for the hash chain). ``verify``, ``score`` and the console's ``--resume`` work on
it unchanged, and the facilitator plays on from there in the console.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable

from tabletop import api, files
from tabletop.core import canonical
from tabletop.logfile import LogWriter
from tabletop.api import load_scenario_text


class ForkError(Exception):
    """The fork cannot be made. ``problem`` is set when a file could not be written (or
    exists already): then :meth:`text` renders it in the reviewer's language."""

    def __init__(self, message: str = "", problem: files.FileProblem | None = None) -> None:
        super().__init__(message or (problem.text() if problem is not None else ""))
        self.problem = problem

    @classmethod
    def of(cls, problem: files.FileProblem) -> "ForkError":
        return cls("", problem)

    def text(self, lang: str | None = None) -> str:
        return self.problem.text(lang) if self.problem is not None else str(self)


@dataclass
class Forked:
    path: str
    records: int
    parent: dict[str, Any]


def default_path(log: str, seq: int) -> str:
    """``LOG-fork<seq>.jsonl`` beside the log, numbered so no earlier fork is overwritten."""
    stem = log[:-6] if log.endswith(".jsonl") else log
    path, n = f"{stem}-fork{seq}.jsonl", 1
    while os.path.exists(path):
        n += 1
        path = f"{stem}-fork{seq}-{n}.jsonl"
    return path


def fork(replay: Any, seq: int, out: str, progress: Callable[[int], None] | None = None) -> Forked:
    """Write the fork of ``replay`` at record ``seq`` to ``out`` (a new file) and check its state.

    The fork is written to a temporary file beside ``out``, fsync'd, checked, and only then
    given its name (never replacing a file that appeared meanwhile): a full disk, a
    read-only folder or a failed check leaves no partial ``out``.
    """
    if os.path.lexists(out):
        raise ForkError.of(files.FileProblem("files.fork_exists", out, "files.reason.exists"))
    if not 0 <= seq < replay.count:
        raise ForkError(f"record {seq} is outside the replayable records 0-{replay.count - 1}")
    data = replay.header["data"]
    info = data["scenario"]
    loaded = load_scenario_text(info["content"], info.get("file") or "scenario.yaml")
    if not loaded.ok:
        raise ForkError("the scenario in the parent's header no longer validates")
    target = replay.session_at(seq)
    end = target.seq  # records before this are the whole batches up to seq
    parent = {"log": os.path.basename(replay.path), "seq": seq, "hash": replay.record(seq)["hash"],
              "header_hash": replay.header["hash"], "state_after_seq": end - 1}
    session, header = api.new_session(loaded, data["seed"], parent=parent)
    for key in ("generated", "participants"):
        if canonical.dumps(header["data"].get(key)) != canonical.dumps(data.get(key)):
            raise ForkError(f"this engine makes different {key} than the parent's; a fork would not replay it faithfully")
    written = 1
    try:
        files.make_folder(os.path.dirname(os.path.abspath(out)), out)
    except files.FileProblem as err:
        raise ForkError.of(err) from None
    tmp = files.temp_path(out)
    try:
        with LogWriter(tmp) as writer:
            writer.write([header], sync=True)
            pos = 1
            while pos < end:
                if progress is not None:
                    progress(pos)
                made = session.submit(api.command_from_record(replay.record(pos)))
                writer.write(made)
                written += len(made)
                pos += len(made)
        files.fsync_file(tmp)  # durable before it gets its name, whatever the writer does
    except OSError as err:
        files.discard(tmp)
        raise ForkError.of(files.problem(err, out)) from err
    except BaseException:
        files.discard(tmp)
        raise
    mine, theirs = session.snapshot(), target.snapshot()
    mine.pop("last_hash")
    theirs.pop("last_hash")
    try:
        if canonical.dumps(mine) != canonical.dumps(theirs):
            files.publish(tmp, out + ".bad")
            raise ForkError(f"the fork's state differs from the parent's at record {seq} (kept as {out}.bad)")
        files.publish(tmp, out, exclusive=True)
    except files.FileProblem as err:
        raise ForkError.of(err) from None
    return Forked(out, written, parent)
