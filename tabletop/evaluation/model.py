"""The ``evaluation:`` scenario section: the capabilities and tasks evaluators rate (an EEG-style
list, per phase) and the thresholds of the minute-based responsiveness measures."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt

from tabletop.scenario.model import Id, Strict, Text


class Task(Strict):
    id: Id
    name: Text


class CapabilityGuide(Strict):
    """One capability of the Exercise Evaluation Guide and the tasks evaluators judge."""

    id: Id
    name: Text
    #: Phases whose EEG lists it (empty: every phase).
    phases: list[Id] = []
    tasks: list[Task] = []


class MinuteThresholds(Strict):
    """Real minutes for P, S and M (lower is better; above M rates U)."""

    P: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    S: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    M: Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Responsiveness(Strict):
    """Thresholds of the wall-clock responsiveness measures (real minutes in the room)."""

    acknowledge: MinuteThresholds = MinuteThresholds(P=5, S=10, M=20)
    first_action: MinuteThresholds = MinuteThresholds(P=15, S=30, M=45)


class EvaluationSection(Strict):
    capabilities: list[CapabilityGuide] = []
    responsiveness: Responsiveness = Responsiveness()
    #: Most versions of one department's report in one phase.
    max_report_versions: Annotated[StrictInt, Field(ge=1, le=100)] = 20
