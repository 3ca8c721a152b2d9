"""Demand: panic, purchase windows and the people who set out to buy each turn.

Under rationing a person may buy ``quota × window days`` of a good once per
purchase window (a month has ``purchases_per_month`` windows). Each turn a share
``1 / window turns × panic`` of the eligible people set out (panic makes them
come sooner, never buy more); people not yet at a station wait at home as
``pending``, and at the end of the window whatever was not bought lapses (R:
missed purchases are not made up).
"""

from __future__ import annotations

import math
from typing import Any

from tabletop.distribution import announcements


def window_turns(days_per_month: int, purchases: int, minutes_per_turn: int) -> int:
    return max(1, round(days_per_month / purchases * 1440 / minutes_per_turn))


def purchase_size(quota: float, turns: int, minutes_per_turn: int) -> float:
    """Quantity one person buys in one purchase: the quota times the window's days."""
    return quota * turns * minutes_per_turn / 1440


def eligible(state: Any, township: str, specific: bool) -> int:
    people = state.townships[township].population
    if specific:
        people += round(people * state.params.params.specific_persons_share)
    return people


def set_panic(state: Any, township: str, value: float) -> None:
    if value - 1.0 < 1e-9:
        state.panic.pop(township, None)
    else:
        state.panic[township] = value


def raise_panic(session: Any, state: Any, townships: list[str], add: float, cause: str) -> None:
    cap = state.params.params.panic_max
    for town in townships:
        set_panic(state, town, min(cap, state.panic_of(town) + add))
    session.emit("panic_changed", {"cause": cause, "panic": {t: round(state.panic_of(t), 6) for t in townships}})


def calm(session: Any, state: Any) -> None:
    """Decay panic towards 1, then apply this turn's official announcements."""
    decay = state.params.params.panic_decay
    for town in sorted(state.panic):
        set_panic(state, town, 1.0 + (state.panic[town] - 1.0) * (1.0 - decay))
    relief = state.params.params.announce_relief
    heard, state.heard = state.heard, []
    for item in heard:
        towns = announcements.audience_townships(state, item["county"], item["audience"])
        for town in towns:
            set_panic(state, town, 1.0 + (state.panic_of(town) - 1.0) * (1.0 - relief))
        session.emit("panic_changed", {"cause": "announcement", "county": item["county"],
                                       "panic": {t: round(state.panic_of(t), 6) for t in towns}})


def arrivals(session: Any, state: Any) -> dict[tuple[str, str], int]:
    """Advance purchase windows and add this turn's arrivals to ``pending``; returns lapsed people."""
    lapsed: dict[tuple[str, str], int] = {}
    for county in sorted(state.rations):
        for good, ration in sorted(state.rations[county].items()):
            window = (session.turn - ration["start_turn"]) // ration["window_turns"]
            lost = 0
            for town in state.county_townships[county]:
                line = state.line(town, good)
                if line.window != window:
                    lost += line.pending
                    line.pending = 0
                    line.visited = 0
                    line.window = window
                people = eligible(state, town, ration["specific_persons"])
                expected = people / ration["window_turns"] * state.panic_of(town) + line.carry
                come = math.floor(expected)
                line.carry = expected - come
                come = min(come, people - line.visited)
                line.visited += come
                line.pending += come
            if lost:
                lapsed[(county, good)] = lost
                session.emit("purchase_window", {"county": county, "good": good, "window": window, "lapsed": lost})
    return lapsed
