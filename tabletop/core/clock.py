"""Game time. A scenario sets the start and the minutes per turn (a phase may set its own:
``phases[].minutes_per_turn``, so a stage runs 2-hour turns and the next 48-hour ones);
nothing here reads the wall clock."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Clock:
    start: datetime
    #: The length of the turn this clock was taken for (:meth:`for_turn`); the scenario's
    #: default for a clock built from the scenario.
    minutes_per_turn: int
    turns: int
    #: Each turn's length (index 0 is turn 1); empty when every turn has ``minutes_per_turn``.
    lengths: tuple[int, ...] = ()

    @classmethod
    def from_iso(cls, start: str, minutes_per_turn: int, turns: int,
                 lengths: tuple[int, ...] = ()) -> "Clock":
        return cls(datetime.fromisoformat(start), minutes_per_turn, turns, tuple(lengths))

    @classmethod
    def of(cls, scenario: Any, turns: int | None = None) -> "Clock":
        """The clock of a scenario: its start, default turn length and each phase's own length."""
        spec = scenario.clock
        total = spec.turns if turns is None else turns
        lengths = [spec.minutes_per_turn] * max(total, 0)
        varied = False
        for phase in getattr(scenario, "phases", ()) or ():
            minutes = getattr(phase, "minutes_per_turn", None)
            if minutes is None:
                continue
            for turn in range(phase.first_turn, min(phase.last_turn, total) + 1):
                lengths[turn - 1] = minutes
                varied = varied or minutes != spec.minutes_per_turn
        return cls.from_iso(spec.start, spec.minutes_per_turn, total, tuple(lengths) if varied else ())

    def length(self, turn: int) -> int:
        """Minutes of ``turn`` (turn 0 and turns past the end: the nearest turn's)."""
        if not self.lengths:
            return self.minutes_per_turn
        return self.lengths[min(max(turn, 1), len(self.lengths)) - 1]

    def for_turn(self, turn: int) -> "Clock":
        """This clock with ``minutes_per_turn`` the length of ``turn`` (what rules of that turn use)."""
        length = self.length(turn)
        return self if length == self.minutes_per_turn else replace(self, minutes_per_turn=length)

    def minutes(self, turn: int) -> int:
        """Game minutes since the scenario start at the start of ``turn``."""
        if not self.lengths:
            return self.minutes_per_turn * max(turn - 1, 0)
        before = max(turn - 1, 0)
        inside = min(before, len(self.lengths))
        return sum(self.lengths[:inside]) + (before - inside) * self.lengths[-1]

    def turn_start(self, turn: int) -> datetime:
        """Start of ``turn`` (turn 1 starts at the scenario start; turn 0 is before play)."""
        return self.start + timedelta(minutes=self.minutes(turn))

    def iso(self, turn: int) -> str:
        return self.turn_start(turn).isoformat()

    def day(self, turn: int) -> int:
        """Exercise day (1-based) of ``turn``, counted in calendar days from the start date."""
        return (self.turn_start(turn).date() - self.start.date()).days + 1

    def turn_at(self, when: datetime) -> int:
        """The first turn that starts at or after ``when``."""
        delta = (when - self.start).total_seconds() / 60
        if delta <= 0:
            return 1
        if not self.lengths:
            whole, rest = divmod(int(delta), self.minutes_per_turn)
            return whole + 1 + (1 if rest or delta != int(delta) else 0)
        turn = 1
        while self.minutes(turn) < delta and turn <= len(self.lengths) + 1:
            turn += 1
        if self.minutes(turn) < delta:  # past the last turn: count on in the last turn's length
            turn += math.ceil((delta - self.minutes(turn)) / self.lengths[-1])
        return turn
