"""The roles of an exercise: a county EOC's seats and the roles that belong to no county."""

from __future__ import annotations

#: Roles a county EOC can seat. ``central`` and ``facilitator`` belong to no county.
COUNTY_ROLES = (
    "commander", "mobilization", "supply", "civil_affairs", "social_affairs",
    "health", "comms", "police", "fire", "reserve_command",
)
#: Roles every county must seat.
REQUIRED_ROLES = COUNTY_ROLES[:7]
#: ``evaluator``: the exercise's evaluators (HSEEP EEG), who observe and rate; they play no county.
GLOBAL_ROLES = ("central", "facilitator", "evaluator")
