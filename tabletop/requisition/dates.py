"""Deadlines on game dates, with stdlib calendar arithmetic (no dateutil).

Periods follow the Civil Code (arts 120-121): the first day is not counted, and a
period of months or years ends on the day that corresponds to the start day; when
the last month has no such day (31 August + 6 months, 29 February + 2 years) it
ends on that month's last day. So the *last* day on which a duty may be done is:

- ``add_days(d, 20)``  for "within 20 days" (purchase price, XP payment rule);
- ``add_months(d, 6)`` for "within 6 months" (damage or loss, art 33);
- ``add_years(d, 2)``  for "expires after 2 years" (art 36 claims, art 38).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` later, clamped to the end of a shorter month."""
    years, index = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, index + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    """The corresponding day ``years`` later; 29 February falls back to 28 February."""
    return add_months(start, 12 * years)


def days_between(first: date, last: date) -> int:
    """Whole days from ``first`` to ``last`` (negative when ``last`` is earlier)."""
    return (last - first).days


def held_days(delivered: date, released: date) -> int:
    """Days a requisitioned item was held: calendar days touched, at least one."""
    return max(1, days_between(delivered, released) + 1)
