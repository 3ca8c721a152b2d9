"""Helpers shared by the replay tests (not a conftest.py: that name would shadow tests/conftest.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from tabletop import api, runner
from tabletop.comms import picture
from tabletop.core import canonical
from tabletop.core.commands import Command
from tabletop.logfile import LogWriter

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")
ACTIONS = os.path.join(ROOT, "scenarios", "hualien", "actions.yaml")


@dataclass
class Live:
    """A session played live, its log, and the state it had after each sampled batch."""

    log: str
    records: int = 0
    #: batch start seq -> (first seq, last seq, canonical truth, canonical known pictures)
    states: dict[int, tuple[int, int, str, str]] = field(default_factory=dict)


def known_of(session) -> dict:
    return {c: picture.known_view(session, c) for c in sorted(session.counties)} if "comms" in session.domains else {}


def play_live(loaded, actions, seed: int, log: str, turns: int | None = None, every: int = 1,
              extra: list[Command] | None = None) -> Live:
    """Play like the runner does, writing the log, and keep the live state after every ``every``-th batch."""
    total = loaded.scenario.clock.turns
    commands = list(runner.plan(actions, turns or total, total))
    if extra:
        commands[3:3] = extra  # e.g. rejected commands early in the run
    session, header = api.new_session(loaded, seed)
    live = Live(log)
    with LogWriter(log) as writer:
        writer.write([header])
        live.states[0] = (0, 0, canonical.dumps(session.snapshot()), canonical.dumps(known_of(session)))
        for number, command in enumerate(commands):
            made = session.submit(command)
            writer.write(made)
            if number % every == 0 or number == len(commands) - 1:
                first, last = made[0]["seq"], made[-1]["seq"]
                live.states[first] = (first, last, canonical.dumps(session.snapshot()), canonical.dumps(known_of(session)))
    live.records = session.seq
    return live


def lines_of(path: str) -> list[bytes]:
    with open(path, "rb") as handle:
        return handle.read().splitlines(keepends=True)


def write_lines(path: str, lines: list[bytes]) -> None:
    with open(path, "wb") as handle:
        handle.write(b"".join(lines))
