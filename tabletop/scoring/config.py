"""The optional ``scoring:`` scenario section and the documented defaults it overrides.

A scenario may map capabilities to metrics, with weights and P / S / M thresholds::

    scoring:
      thresholds:                 # override a metric's defaults everywhere
        expected_on_time_rate: {P: 0.95, S: 0.8, M: 0.6}
      capabilities:
        supply_chain:
          weight: 2
          metrics:                # omit to keep the default metrics of the capability
            - {metric: served_share, weight: 2}
            - {metric: stockout_minutes, thresholds: {P: 0, S: 360, M: 720}}

Thresholds are in the metric's unit (ratios 0-1, game minutes); for "higher is better"
metrics P >= S >= M, for "lower is better" P <= S <= M. A value exactly at a threshold
earns that rating. Everything here is optional: ``ScoringSection()`` is the default.
"""

from __future__ import annotations

from tabletop.core.messages import message
from tabletop.scenario.locate import near_param

from dataclasses import dataclass
from typing import Any

from pydantic import Field, StrictBool

from tabletop.scenario.model import Amount, Id, Strict, Text

#: The metrics every capability tagged on an expected action gets, with their weights.
INJECT_METRICS = (("expected_on_time_rate", 2.0), ("ack_rate", 1.0), ("time_to_ack_min", 1.0),
                  ("time_to_first_action_min", 1.0))
#: Metrics of the engine's parts, by the HSEEP-style capability they inform.
PART_METRICS: dict[str, tuple[tuple[str, float], ...]] = {
    "supply_chain": (("served_share", 2.0), ("stockout_minutes", 1.0), ("aid_fill_share", 1.0),
                     ("aid_time_to_fill_min", 1.0)),
    "mass_care": (("time_to_first_station_min", 1.0), ("population_coverage", 2.0), ("remote_coverage_gap", 1.0),
                  ("served_gini", 1.0), ("displaced_registered_share", 2.0)),
    "resource_mobilization": (("requisition_rejected_share", 1.0), ("requisition_lead_time_min", 1.0),
                              ("paper_trail_completeness", 2.0), ("overdue_liability_share", 1.0)),
    "communications": (("link_outage_minutes", 2.0), ("message_loss_rate", 1.0), ("picture_age_min", 1.0),
                       ("backup_switch_time_min", 1.0), ("late_message_share", 1.0)),
    "alert_warning": (("alert_relay_time_min", 2.0),),
    "health_medical": (("casualties_first_aid_share", 2.0),),
}
#: Measures reported as context, never rated: they reward no play. Shelter over-capacity depends
#: only on scenario data (shelter areas, the shelter share); stations suspended in an alert are
#: suspended by the engine itself (ADX art 9), not by a player.
CONTEXT_METRICS: dict[str, tuple[str, ...]] = {
    "mass_care": ("shelter_overcapacity_share",),
    "supply_chain": ("aid_lender_short_share",),
    "alert_warning": ("alert_stations_suspended_share",),
}


class Thresholds(Strict):
    P: float
    S: float
    M: float


class MetricUse(Strict):
    metric: Id
    weight: Amount = 1.0
    thresholds: Thresholds | None = None


class CapabilitySpec(Strict):
    name: Text | None = None
    weight: Amount = 1.0
    #: None keeps the capability's default metrics.
    metrics: list[MetricUse] | None = None


class ScoringSection(Strict):
    """``scoring:``: capabilities, their metrics, weights and thresholds (all optional)."""

    capabilities: dict[Id, CapabilitySpec] = {}
    thresholds: dict[Id, Thresholds] = {}
    only_listed: StrictBool = Field(default=False, description="Rate only the capabilities listed here.")


@dataclass(frozen=True)
class Use:
    metric: str
    weight: float
    thresholds: tuple[float, float, float]


@dataclass(frozen=True)
class Capability:
    name: str
    label: dict[str, str] | None
    weight: float
    uses: tuple[Use, ...]


def capabilities(view: Any, metrics: dict[str, Any]) -> list[Capability]:
    """The capabilities to rate for this log, sorted by name, with resolved thresholds."""
    section = view.scoring_section() or ScoringSection()
    tagged = sorted({e.capability for inj in view.scenario.injects for e in inj.expected})
    names = set(section.capabilities)
    if not section.only_listed:
        names |= set(tagged) | set(PART_METRICS)
    out = []
    for name in sorted(names):
        spec = section.capabilities.get(name) or CapabilitySpec()
        if spec.metrics is not None:
            wanted = [(m.metric, m.weight, m.thresholds) for m in spec.metrics]
        else:
            defaults = (INJECT_METRICS if name in tagged else ()) + PART_METRICS.get(name, ())
            wanted = [(metric, weight, None) for metric, weight in defaults]
        uses = []
        for metric, weight, given in wanted:
            if metric not in metrics:
                continue
            chosen = given or section.thresholds.get(metric)
            triple = ((chosen.P, chosen.S, chosen.M) if chosen is not None
                      else metrics[metric].thresholds_for(view))
            uses.append(Use(metric, float(weight), triple))
        out.append(Capability(name, spec.name.model_dump() if spec.name else None, float(spec.weight), tuple(uses)))
    return out


def check(scenario: Any) -> list[tuple[tuple, Any]]:
    """Scenario check: known metric names and thresholds ordered the metric's way."""
    from tabletop.scoring.metrics import all_metrics

    section = getattr(scenario, "scoring", None)
    if section is None:
        return []
    metrics = all_metrics()
    problems: list[tuple[tuple, Any]] = []

    def check_triple(path: tuple, metric: str, t: Thresholds | None) -> None:
        if metric not in metrics:
            problems.append((path, message("scoring.check.unknown_metric", metric=metric, near=near_param(metric, list(metrics)),
                                           known=", ".join(metrics))))
            return
        if t is None:
            return
        higher = metrics[metric].better == "higher"
        if (higher and not t.P >= t.S >= t.M) or (not higher and not t.P <= t.S <= t.M):
            order = "P >= S >= M" if higher else "P <= S <= M"
            problems.append((path + ("thresholds",) if path[-1] != metric else path,
                             message("scoring.check.threshold_order", metric=metric, order=order)))

    for metric, t in sorted(section.thresholds.items()):
        check_triple(("scoring", "thresholds", metric), metric, t)
    for name, spec in sorted(section.capabilities.items()):
        for index, use in enumerate(spec.metrics or []):
            check_triple(("scoring", "capabilities", name, "metrics", index), use.metric, use.thresholds)
    return problems
