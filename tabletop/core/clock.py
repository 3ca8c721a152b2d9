"""Game time. A scenario sets the start and the minutes per turn; nothing reads the wall clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Clock:
    start: datetime
    minutes_per_turn: int
    turns: int

    @classmethod
    def from_iso(cls, start: str, minutes_per_turn: int, turns: int) -> "Clock":
        return cls(datetime.fromisoformat(start), minutes_per_turn, turns)

    def turn_start(self, turn: int) -> datetime:
        """Start of ``turn`` (turn 1 starts at the scenario start; turn 0 is before play)."""
        return self.start + timedelta(minutes=self.minutes_per_turn * max(turn - 1, 0))

    def iso(self, turn: int) -> str:
        return self.turn_start(turn).isoformat()

    def minutes(self, turn: int) -> int:
        """Game minutes since the scenario start at the start of ``turn``."""
        return self.minutes_per_turn * max(turn - 1, 0)

    def day(self, turn: int) -> int:
        """Exercise day (1-based) of ``turn``, counted in calendar days from the start date."""
        return (self.turn_start(turn).date() - self.start.date()).days + 1

    def turn_at(self, when: datetime) -> int:
        """The first turn that starts at or after ``when``."""
        delta = (when - self.start).total_seconds() / 60
        if delta <= 0:
            return 1
        whole, rest = divmod(int(delta), self.minutes_per_turn)
        return whole + 1 + (1 if rest or delta != int(delta) else 0)
