"""Sums of floats that come out the same on every Python: added left to right.

Python 3.12's ``sum`` compensates the rounding of floats (Neumaier summation), so from 3.12 on a
total of floats can differ in its last bits from the one 3.11 adds up (``sum([0.1] * 10)`` is
0.9999999999999999 on 3.11 and 1.0 on 3.12), and a log played on one Python would not
re-simulate on the other. Every total of floats that reaches the state or the log is
:func:`total`: left to right, from an int 0, exactly what 3.11's ``sum`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import add
from typing import TypeVar

N = TypeVar("N", int, float)


def total(values: Iterable[N]) -> N | int:
    """``values`` added one after another, left to right (0 when there are none)."""
    return reduce(add, values, 0)
