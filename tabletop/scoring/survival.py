"""Times to an event when some tasks never finish: Kaplan-Meier, not zeros.

A task that was never done by the end of the log is *censored*: we know only that
it took longer than the time observed. Counting it as 0 would reward idleness, and
dropping it would hide it; the Kaplan-Meier estimator uses it for exactly what it
tells. The median is the first time at which the estimated share still undone
falls to one half or below; if it never does, the median is beyond the
observation window and is reported as not reached.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Observation:
    time: float
    done: bool  # False: censored at ``time``


@dataclass(frozen=True)
class Median:
    #: The median time, or None when it was not reached within the observation window.
    value: float | None
    done: int
    censored: int
    #: The longest time observed (the window the "not reached" verdict refers to).
    horizon: float


def km_median(observations: list[Observation]) -> Median | None:
    """Kaplan-Meier median of ``observations``; None when there are none."""
    if not observations:
        return None
    ordered = sorted(observations, key=lambda o: (o.time, not o.done))
    at_risk = len(ordered)
    survival = 1.0
    index = 0
    median = None
    while index < len(ordered):
        time = ordered[index].time
        events = censored = 0
        while index < len(ordered) and ordered[index].time == time:
            if ordered[index].done:
                events += 1
            else:
                censored += 1
            index += 1
        if events:
            survival *= 1 - events / at_risk
            if median is None and survival <= 0.5 + 1e-12:
                median = time
        at_risk -= events + censored
    done = sum(1 for o in ordered if o.done)
    return Median(median, done, len(ordered) - done, max(o.time for o in ordered))
