"""The evaluation part's events (their data models; see :mod:`tabletop.core.events`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from tabletop.core.events import Event


class ReportSubmitted(Event):
    """`submit_report` accepted: version `version` of the department's response report for `phase`
    (earlier versions are kept); `fields` holds `situation`, `decisions`, `resources`, `requests`,
    `next_steps` and `text` as the department wrote them."""

    county: str
    role: str
    phase: str
    version: int
    fields: dict[str, str]


class ObservationRecorded(Event):
    """`observe`: an evaluator's timed observation of `county` (and department `role`) for a
    capability (and task) of the evaluation guide, about `inject` where named."""

    county: str
    role: str | None
    capability: str
    task: str | None
    inject: str | None
    text: str
    phase: str | None
    by: str


class RatingRecorded(Event):
    """`rate`: an evaluator's P / S / M / U rating with its rationale; during play it meets (P, S)
    or misses (M, U) the open expectations `judged_by: evaluator` of that capability (and task)."""

    county: str
    role: str | None
    capability: str
    task: str | None
    rating: str
    rationale: str
    phase: str | None
    by: str


class FeedbackSubmitted(Event):
    """`feedback` at hotwash: a seat's participant feedback (`strengths`, `improvements` per
    capability, `text`)."""

    by: str
    county: str | None
    role: str
    fields: dict[str, Any]


class IpItemSaved(Event):
    """`ip_item`: version `version` of improvement-plan item `item` (issue, corrective action,
    capability, owner, due date, county) as the facilitator or an evaluator saved it."""

    item: str
    version: int
    by: str
    fields: dict[str, Any]


class ClockStarted(Event):
    """`clock_start`: the phase clock times `segment` (`discussion` or `brief`) for `minutes`;
    `resumed` when it continues a paused segment. Its stamp (`wall`) is when it started."""

    segment: str
    minutes: int
    resumed: bool
    phase: str | None


class ClockPaused(Event):
    """`clock_pause`: the segment's clock stops (its stamp is when)."""

    segment: str


class ClockExtended(Event):
    """`clock_extend`: `by_minutes` more; `minutes` is the segment's budget now."""

    segment: str
    by_minutes: int
    minutes: int


class ClockSkipped(Event):
    """`clock_skip`: the segment ends now; the clock is idle."""

    segment: str


EVENTS: dict[str, type[BaseModel]] = {
    "report_submitted": ReportSubmitted,
    "observation_recorded": ObservationRecorded,
    "rating_recorded": RatingRecorded,
    "feedback_submitted": FeedbackSubmitted,
    "ip_item_saved": IpItemSaved,
    "clock_started": ClockStarted,
    "clock_paused": ClockPaused,
    "clock_extended": ClockExtended,
    "clock_skipped": ClockSkipped,
}
