"""Wall-clock stamps (``wall``): when a command was received, as data that no rule reads.

The server stamps each command with the time it received it; the record of the command and
of every event it causes carry the stamp, and re-simulation reproduces it from the logged
command. A scripted or headless run has no room to time, so its stamps are derived from game
time (:func:`scripted`): the drill day starts at the scenario's start, and each turn takes its
phase's ``discussion_minutes`` and ``brief_minutes``. Nothing here reads the clock: the drivers
that stamp real time (server, console) take ``datetime.now`` themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

#: The 2025 county format: 50 minutes of discussion and report writing, a 10-minute brief.
DISCUSSION_MINUTES = 50
BRIEF_MINUTES = 10
_MAX_LEN = 40


def is_stamp(value: Any) -> bool:
    """An ISO 8601 date-time with a zone, at most 40 characters."""
    if type(value) is not str or len(value) > _MAX_LEN:
        return False
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return False
    return when.tzinfo is not None


def parse(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if is_stamp(value) else None


def minutes_between(start: Any, end: Any) -> float | None:
    """Minutes from stamp ``start`` to stamp ``end`` (None when either is missing)."""
    a, b = parse(start), parse(end)
    if a is None or b is None:
        return None
    return (b - a).total_seconds() / 60


def segments(scenario: Any, turn: int) -> tuple[int, int]:
    """Discussion and brief minutes of ``turn`` (its phase's, else the 2025 defaults)."""
    for phase in getattr(scenario, "phases", ()) or ():
        if phase.first_turn <= turn <= phase.last_turn:
            return phase.discussion_minutes, phase.brief_minutes
    return DISCUSSION_MINUTES, BRIEF_MINUTES


def turn_base(scenario: Any, turn: int) -> datetime:
    """The derived wall time a scripted run's ``turn`` starts at (turn 0: the drill start)."""
    start = datetime.fromisoformat(scenario.clock.start)
    minutes = 0
    for earlier in range(1, max(turn, 1)):
        discussion, brief = segments(scenario, earlier)
        minutes += discussion + brief
    return start + timedelta(minutes=minutes)


def scripted(scenario: Any, turn: int, minute: float) -> str:
    """The stamp of a scripted command ``minute`` minutes into ``turn`` (seconds resolution)."""
    when = turn_base(scenario, turn) + timedelta(seconds=round(minute * 60))
    return when.isoformat()
