"""The registry of named metrics: small functions that read a :class:`LogView` and a scope.

A metric returns a :class:`Value`, or ``None`` when it does not apply (its part's
events are absent from the log, or the scope holds nothing it can measure). Each
part of the engine registers its metrics from its own module with :func:`metric`;
:func:`tabletop.scoring.metrics.all_metrics` imports them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from tabletop.scoring.view import LogView

@dataclass(frozen=True)
class Scope:
    """What a metric is computed over: everything, one county, one county's role, one capability."""

    county: str | None = None
    role: str | None = None
    capability: str | None = None


@dataclass
class Value:
    value: float | None
    #: How many observations the value rests on (injects, townships, commands...).
    n: int
    detail: dict[str, Any] = field(default_factory=dict)
    #: A median time not reached within ``horizon`` (more than half the tasks never done).
    not_reached: bool = False
    horizon: float | None = None


@dataclass(frozen=True)
class Metric:
    name: str
    part: str
    unit: Literal["ratio", "minutes"]
    better: Literal["higher", "lower"]
    compute: Callable[[LogView, Scope], Value | None]
    #: Default thresholds (P, S, M); for minutes, in turns of the scenario clock.
    defaults: tuple[float, float, float]
    #: Roles answerable for the metric (used for role ratings and the improvement plan);
    #: empty for inject metrics, which follow each inject's own role.
    owners: tuple[str, ...] = ()
    #: True if the metric filters by the capability tag of expected actions.
    by_capability: bool = False
    doc: str = ""
    #: Defaults in real minutes taken from the scenario: fn(scenario) -> (P, S, M) (room metrics).
    scenario_defaults: Callable[[Any], tuple[float, float, float]] | None = None

    def thresholds_for(self, view: LogView) -> tuple[float, float, float]:
        """The default thresholds of this metric for the log's scenario."""
        if self.scenario_defaults is not None:
            return self.scenario_defaults(view.scenario)
        return self.default_thresholds(view.minutes_per_turn)

    def default_thresholds(self, minutes_per_turn: int) -> tuple[float, float, float]:
        if self.scenario_defaults is not None:
            return tuple(float(x) for x in self.defaults)  # type: ignore[return-value]
        if self.unit == "minutes":
            return tuple(float(x * minutes_per_turn) for x in self.defaults)  # type: ignore[return-value]
        return tuple(float(x) for x in self.defaults)  # type: ignore[return-value]

    def ideal_and_worst(self, thresholds: tuple[float, float, float]) -> tuple[float, float]:
        """The values scored 100 and 0: 1 and 0 for ratios; 0 and twice M for times."""
        if self.unit == "ratio":
            return (1.0, 0.0) if self.better == "higher" else (0.0, 1.0)
        return 0.0, max(2 * thresholds[2], thresholds[2] + 1)


_REGISTRY: dict[str, Metric] = {}


def metric(name: str, part: str, unit: Literal["ratio", "minutes"], better: Literal["higher", "lower"],
           defaults: tuple[float, float, float], owners: tuple[str, ...] = (), by_capability: bool = False,
           scenario_defaults: Callable[[Any], tuple[float, float, float]] | None = None):
    """Register the decorated ``fn(view, scope) -> Value | None`` as metric ``name``."""
    def register(fn: Callable[[LogView, Scope], Value | None]) -> Callable[[LogView, Scope], Value | None]:
        if name in _REGISTRY:
            raise RuntimeError(f"metric {name!r} registered twice")
        _REGISTRY[name] = Metric(name, part, unit, better, fn, defaults, owners, by_capability,
                                 (fn.__doc__ or "").strip(), scenario_defaults)
        return fn
    return register


def registered() -> dict[str, Metric]:
    """The metrics registered so far, by name (:func:`tabletop.scoring.metrics.all_metrics`
    imports every metric module first)."""
    return dict(sorted(_REGISTRY.items()))


def in_scope_role(scope: Scope, owners: tuple[str, ...]) -> bool:
    """A part's metric applies to a role scope only if that role answers for it."""
    return scope.role is None or scope.role in owners
