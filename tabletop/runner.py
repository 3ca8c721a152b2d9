"""Headless runs: a facilitator script (start, advance through phases, close) with the
scripted player commands of an actions file issued in each turn's orders phase."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from tabletop import api
from tabletop.core import canonical, wallclock
from tabletop.core.commands import Command
from tabletop.core.session import Record, Session
from tabletop.heap import HeapKeeper
from tabletop.logfile import BadLog, LogWriter, read_header
from tabletop.replay import reopen
from tabletop.scenario.actions import Action
from tabletop.scenario.validate import Loaded

FACILITATOR = "facilitator"


def control(kind: str, args: dict | None = None, wall: str | None = None) -> Command:
    return Command(turn=None, county=None, role=FACILITATOR, kind=kind, args=args or {}, wall=wall)


def plan(actions: list[Action], turns: int, total_turns: int, scenario: Any = None) -> Iterator[Command]:
    """The commands of a scripted run, in order. A longer run's plan extends a shorter one's.

    Given the ``scenario``, each command carries a ``wall`` stamp derived from game time
    (:func:`tabletop.core.wallclock.scripted`): a turn's deliveries at its minute 0, the
    actions at their ``minute`` (default: two minutes apart), adjudication when the phase's
    discussion ends, turn end after its brief; hotwash lines after the last turn's brief."""
    by_turn: dict[int, list[Action]] = {}
    hotwash: list[Action] = []
    for action in actions:
        if action.when == "hotwash":
            hotwash.append(action)
        else:
            by_turn.setdefault(action.turn, []).append(action)

    def wall(turn: int, minute: float) -> str | None:
        return wallclock.scripted(scenario, turn, minute) if scenario is not None else None

    yield control("start", wall=wall(0, 0))
    yield control("advance", wall=wall(1, 0))  # briefing -> turn 1, injects delivered
    for turn in range(1, turns + 1):
        discussion, brief = wallclock.segments(scenario, turn) if scenario is not None else (0, 0)
        if turn > 1:
            yield control("advance", wall=wall(turn, 0))  # turn end -> next turn
        yield control("advance", wall=wall(turn, 0))  # -> orders
        for index, action in enumerate(by_turn.get(turn, [])):
            minute = action.minute if action.minute is not None else min(2 * (index + 1), max(discussion - 1, 0))
            yield action.command(wall(turn, minute))
        yield control("advance", wall=wall(turn, discussion))  # -> adjudication
        yield control("advance", wall=wall(turn, discussion + brief))  # -> turn end
    if turns >= total_turns:
        end = wall(turns + 1, 0)
        yield control("advance", wall=end)  # -> hotwash
        for index, action in enumerate(hotwash):
            minute = action.minute if action.minute is not None else 2 * (index + 1)
            yield action.command(wall(turns + 1, minute))
        yield control("close", wall=wall(turns + 1, 2 * (len(hotwash) + 1)))


@dataclass
class TurnTally:
    turn: int = 0
    time: str = ""
    injects: int = 0
    commands: int = 0
    rejected: int = 0
    events: int = 0


@dataclass
class RunResult:
    session: Session
    records: int
    tallies: list[TurnTally] = field(default_factory=list)


class ResumeError(Exception):
    """A log that cannot be resumed: a message key and its parameters (:meth:`text` in a language)."""

    def __init__(self, key: str, **params: object) -> None:
        from tabletop import i18n

        super().__init__(i18n.t(key, "en", **params))
        self.key = key
        self.params = params

    def text(self, lang: str) -> str:
        from tabletop import i18n

        return i18n.t(self.key, lang, **self.params)


def run(loaded: Loaded, seed: int | None, actions: list[Action], log_path: str, turns: int | None = None,
        resume: bool = False, on_turn: Callable[[TurnTally], None] | None = None) -> RunResult:
    total = api.scenario_of(loaded).clock.turns
    turns = min(turns or total, total)
    commands = plan(actions, turns, total, loaded.scenario)
    if resume:
        session, writer, logged = _reopen(loaded, seed, log_path)
        for record in logged:
            planned = next(commands, None)
            if planned is None or planned != api.command_from_record(record):
                writer.close()
                raise ResumeError("resume.other_commands", log=log_path, seq=record["seq"])
    else:
        session, header = api.new_session(loaded, seed if seed is not None else 1)
        writer = LogWriter(log_path)
        writer.write([header], sync=True)
    tallies: list[TurnTally] = []
    tally = TurnTally(turn=session.turn, time=session.time())
    # The long-lived heap is frozen every 5,000 records (tabletop/heap.py), the re-simulated
    # ones of a resumed log counted; released when the run ends (the caller may go on).
    with writer, HeapKeeper(made=session.seq) as heap:
        for command in commands:
            records = session.submit(command)
            sync = command.role == FACILITATOR
            writer.write(records, sync=sync)
            heap.after(len(records))
            _count(tally, records)
            if session.state == "running_turnend" and command.kind == "advance":
                tallies.append(tally)
                if on_turn:
                    on_turn(tally)
                tally = TurnTally(turn=session.turn + 1)
    return RunResult(session, writer.count, tallies)


def _count(tally: TurnTally, records: list[Record]) -> None:
    for record in records:
        if record["kind"] == "turn_started":
            tally.turn, tally.time = record["turn"], record["time"]
        if record["type"] == "command":
            if record["actor"] != FACILITATOR:
                tally.commands += 1
        elif record["kind"] == "command_rejected":
            tally.rejected += 1
            tally.events += 1
        else:
            tally.events += 1
            if record["kind"] == "inject_delivered":
                tally.injects += 1


def _reopen(loaded: Loaded, seed: int | None, log_path: str) -> tuple[Session, LogWriter, list[dict[str, Any]]]:
    """Rebuild the session from an existing log and reopen it for appending (the one
    re-simulation loop, :func:`tabletop.replay.reopen`), after checking that the log was made
    from this scenario text and seed. Returns the session, the writer and the logged commands."""
    if not os.path.exists(log_path):
        raise ResumeError("cli.no_log_to_resume", path=log_path)
    try:
        header = read_header(log_path)
    except BadLog as err:
        raise ResumeError("resume.bad_log", log=log_path, detail=str(err)) from None
    data = header.get("data") or {}
    if (data.get("scenario") or {}).get("sha256") != canonical.sha256_text(loaded.text):
        raise ResumeError("resume.other_scenario", log=log_path)
    if seed is not None and seed != data.get("seed"):
        raise ResumeError("resume.other_seed", log=log_path, logged=data.get("seed"), seed=seed)
    try:
        opened = reopen(log_path)
    except BadLog as err:
        raise ResumeError("resume.bad_log", log=log_path, detail=str(err)) from None
    return opened.session, opened.writer, opened.commands
