"""The phase clock as a seat or the console shows it: the segment, its budget and what is left
at a given moment (the caller passes ``now``; nothing here reads the clock)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tabletop.core import wallclock


def remaining_seconds(clock: dict[str, Any], now: datetime | None) -> float | None:
    """Seconds left of the segment at ``now`` (negative when over time), None when idle or when
    a run has no stamp (a session driven without wall-clock stamps)."""
    if clock.get("state") not in ("running", "paused"):
        return None
    used = 0.0
    for start, stop in clock.get("runs") or []:
        begin = wallclock.parse(start)
        end = wallclock.parse(stop) if stop is not None else now
        if begin is None or end is None:
            return None
        used += max((end - begin).total_seconds(), 0.0)
    return clock["minutes"] * 60 - used


def view(clock: dict[str, Any], now: datetime | None) -> dict[str, Any]:
    """``{segment, state, minutes, remaining, running_since}``: what the countdown needs. A
    browser counts down from ``remaining`` itself while ``state`` is running."""
    left = remaining_seconds(clock, now)
    return {"segment": clock.get("segment"), "state": clock.get("state", "idle"), "minutes": clock.get("minutes", 0),
            "remaining": None if left is None else round(left, 1)}


def mmss(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds) + 0.5)
    return f"{sign}{whole // 60:02d}:{whole % 60:02d}"
