"""The evaluation part's slice: response reports (every version), observations, ratings,
participant feedback, the improvement plan and the phase clock, kept as plain data."""

from __future__ import annotations

from typing import Any

from tabletop.core.parts import DataSlice


class EvaluationState(DataSlice):
    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data = data if data is not None else {
            #: "<county>.<role>" -> phase -> [version, ...] (each the report's fields and its turn).
            "reports": {},
            "observations": [],
            "ratings": [],
            "feedback": [],
            #: improvement-plan item id -> [version, ...]
            "ip": {},
            #: The phase clock: segment, budget minutes, its runs as [start wall, stop wall].
            "clock": idle_clock(0),
        }


def idle_clock(turn: int) -> dict[str, Any]:
    return {"segment": None, "turn": turn, "minutes": 0, "runs": [], "state": "idle"}


def init_state(session: Any) -> EvaluationState:
    return EvaluationState()


def restore(session: Any, data: Any) -> EvaluationState:
    return EvaluationState(data)
