"""Ratings and scores: metric values → HSEEP ratings, capability scores, the overall 0-100.

- A metric's **rating** compares its value with its thresholds: at or better than P → P,
  than S → S, than M → M, else U (a value exactly at a threshold earns it).
- A metric's **score** (0-100) interpolates linearly between anchors: worst → 0, M → 40,
  S → 60, P → 80, ideal → 100 (ideal 1 / worst 0 for "higher" ratios, the reverse for
  "lower" ones; for times ideal 0 and worst twice M), so score bands and ratings agree.
- A median time **not reached** (more than half the tasks never done) is U / 0 when the
  log observed at least the M threshold's time; otherwise the metric does not apply yet.
- A **capability** score is the weighted mean of its applicable metric scores; its rating is
  the band of that score (P ≥ 80, S ≥ 60, M ≥ 40, else U). No applicable metric: no rating.
- The **overall** score is the capability-weighted mean of the rated capabilities' scores.

See docs/scoring.md.
"""

from __future__ import annotations

import json
from typing import Any

from tabletop.scoring import config
from tabletop.scoring.distribution_facts import days_of_supply
from tabletop.scoring.view import LogView
from tabletop.scoring.metrics_injects import inject_facts
from tabletop.scoring.registry import Metric, Scope, Value
from tabletop.plugins import all_metrics
from tabletop.core import sums

SCORE_FORMAT = 1
BANDS = ((80.0, "P"), (60.0, "S"), (40.0, "M"))
ANCHORS = (("M", 40.0), ("S", 60.0), ("P", 80.0))
RATINGS = ("P", "S", "M", "U")


def band(score: float) -> str:
    for floor, rating in BANDS:
        if score >= floor - 1e-9:
            return rating
    return "U"


def rate(metric: Metric, value: float, thresholds: tuple[float, float, float]) -> str:
    sign = 1 if metric.better == "higher" else -1
    for rating, threshold in zip("PSM", thresholds, strict=True):
        if sign * value >= sign * threshold - 1e-12:
            return rating
    return "U"


def normalize(metric: Metric, value: float, thresholds: tuple[float, float, float]) -> float:
    """0-100 score of ``value``; see the module docstring."""
    sign = 1 if metric.better == "higher" else -1
    ideal, worst = metric.ideal_and_worst(thresholds)
    points = [(sign * worst, 0.0)] + [(sign * thresholds["PSM".index(r)], s) for r, s in ANCHORS] + [(sign * ideal, 100.0)]
    # Keep the anchors monotone even if a threshold lies beyond ideal or worst.
    xs = [points[0][0]]
    for x, _ in points[1:]:
        xs.append(max(xs[-1], x))
    g = sign * value
    if g >= xs[-1]:
        return 100.0
    if g <= xs[0]:
        return 0.0
    index = max(i for i, x in enumerate(xs) if x <= g)
    (x0, s0), x1, s1 = (xs[index], points[index][1]), xs[index + 1], points[index + 1][1]
    return s0 + (s1 - s0) * (g - x0) / (x1 - x0)


def evaluate(view: LogView, metric: Metric, use: config.Use, scope: Scope) -> dict[str, Any] | None:
    """One metric in one scope: value, rating, score, thresholds; None if it does not apply."""
    result: Value | None = metric.compute(view, scope)
    if result is None:
        return None
    out: dict[str, Any] = {"unit": metric.unit, "better": metric.better, "n": result.n, "weight": use.weight,
                           "thresholds": dict(zip("PSM", use.thresholds, strict=True)), "detail": result.detail}
    if result.value is None:
        if not result.not_reached or result.horizon is None or result.horizon < use.thresholds[2]:
            return None
        out.update(value=None, not_reached=True, horizon=result.horizon, rating="U", score=0.0)
        return out
    out.update(value=result.value, rating=rate(metric, result.value, use.thresholds),
               score=normalize(metric, result.value, use.thresholds))
    return out


def rate_scope(view: LogView, caps: list[config.Capability], metrics: dict[str, Metric], scope: Scope) -> dict[str, Any]:
    """Capabilities and overall for one scope (everything, a county, or a county's role)."""
    capabilities: dict[str, Any] = {}
    total = weights = 0.0
    for cap in caps:
        rows: dict[str, Any] = {}
        for use in cap.uses:
            metric = metrics[use.metric]
            cap_scope = Scope(scope.county, scope.role, cap.name if metric.by_capability else None)
            row = evaluate(view, metric, use, cap_scope)
            if row is not None:
                rows[use.metric] = row
        context = _context(view, cap.name, metrics, scope)
        weight = sums.total(r["weight"] for r in rows.values())
        if rows and weight > 0:
            score = sums.total(r["score"] * r["weight"] for r in rows.values()) / weight
            capabilities[cap.name] = {"rating": band(score), "score": score, "weight": cap.weight,
                                      "label": cap.label, "metrics": rows, "context": context}
            total += score * cap.weight
            weights += cap.weight
        else:
            capabilities[cap.name] = {"rating": None, "score": None, "weight": cap.weight, "label": cap.label,
                                      "metrics": {}, "context": context}
    overall = total / weights if weights > 0 else None
    return {"score": overall, "rating": band(overall) if overall is not None else None, "capabilities": capabilities}


def _context(view: LogView, capability: str, metrics: dict[str, Metric], scope: Scope) -> dict[str, Any]:
    """Context measures of a capability (config.CONTEXT_METRICS): value and detail, no rating, no score."""
    out: dict[str, Any] = {}
    for name in config.CONTEXT_METRICS.get(capability, ()):
        metric = metrics.get(name)
        if metric is None:
            continue
        result = metric.compute(view, scope)
        if result is not None and result.value is not None:
            out[name] = {"unit": metric.unit, "better": metric.better, "n": result.n, "value": result.value,
                         "detail": result.detail}
    return out


def score(view: LogView) -> dict[str, Any]:
    """The whole score document (what ``score --json`` prints and ``score.json`` holds)."""
    warmed = view.cache.pop(_WARMED, None)
    if warmed is not None:  # worked out by warm(): the same document, its integrity as it is now
        warmed["integrity"] = tidy(dict(view.integrity))
        return warmed
    metrics = all_metrics()
    caps = config.capabilities(view, metrics)
    everything = rate_scope(view, caps, metrics, Scope())
    counties = {}
    for county in view.counties():
        rated = rate_scope(view, caps, metrics, Scope(county=county))
        counties[county] = _summary(rated)
    roles = {}
    for county, role in view.county_roles():
        rated = rate_scope(view, caps, metrics, Scope(county=county, role=role))
        roles[f"{county}.{role}"] = _summary(rated)
    data = view.header.get("data") or {}
    doc = {
        "format": SCORE_FORMAT,
        # What was checked of the log (verified / chain_ok / broken): a tampered log's score says so.
        "integrity": dict(view.integrity),
        "log": {"scenario": view.scenario.scenario.id, "title": view.scenario.scenario.title.model_dump(),
                "sha256": (data.get("scenario") or {}).get("sha256"), "seed": data.get("seed"),
                "engine": data.get("engine"), "records": view.records, "last_turn": view.last_turn,
                "turns": view.total_turns, "minutes_per_turn": view.minutes_per_turn,
                "final_state": view.last_state, "complete": view.ended, "torn_tail": view.torn},
        "parts": parts_present(view, metrics),
        "overall": {"score": everything["score"], "rating": everything["rating"]},
        "capabilities": everything["capabilities"],
        "counties": counties,
        "roles": roles,
        "injects": {ident: fact.to_json(view) for ident, fact in inject_facts(view).items()},
    }
    from tabletop.scoring import evaluated

    doc["room"] = evaluated.room(view)
    doc["evaluation"] = evaluated.evaluation(view, doc)
    return tidy(doc)


#: view.cache key of the document :func:`warm` worked out, handed to the next :func:`score` once.
_WARMED = "engine.warmed"


def warm(view: LogView) -> None:
    """Work out what :func:`score` needs of the view ahead of time (every metric's facts, cached
    in ``view.cache``, and the document itself): the report does it while the log is re-simulated
    beside it, ``score`` while a long log's chain is checked. The next :func:`score`
    gives the same document (its ``integrity`` taken from the view then, which the check sets
    after ``warm``), only sooner; later ones work it out again from the cached facts.

    The document is also put in ``view.results`` for the cache beside a long log
    (scoring/viewcache.py, "results"); a view loaded from that cache with the document already
    there (the same records, seal and code) takes it instead of working it out again."""
    kept = view.results.get("score")
    if type(kept) is dict:
        view.cache[_WARMED] = json.loads(json.dumps(kept))  # score() hands this copy out
        return
    doc = view.cache[_WARMED] = score(view)
    try:  # as it is now: what score() then hands out is the caller's
        view.results["score"] = json.loads(json.dumps(doc))
    except (TypeError, ValueError):  # a value JSON cannot hold: nothing kept, score --json says why
        pass
    # The report's stock chart, cheap once the metrics walked the served lines: kept with the
    # score, a report after a score walks none of them again.
    days_of_supply(view)


def _summary(rated: dict[str, Any]) -> dict[str, Any]:
    return {"score": rated["score"], "rating": rated["rating"],
            "capabilities": {name: {"rating": c["rating"], "score": c["score"]}
                             for name, c in rated["capabilities"].items() if c["rating"] is not None}}


def parts_present(view: LogView, metrics: dict[str, Metric]) -> dict[str, bool]:
    """Which parts of the engine left data that some metric could use."""
    out: dict[str, bool] = {}
    for metric in metrics.values():
        if not out.get(metric.part):
            out[metric.part] = metric.compute(view, Scope()) is not None
    return dict(sorted(out.items()))


def tidy(value: Any) -> Any:
    """Round floats (4 decimals; scores 1 decimal) so the JSON is stable and readable."""
    if isinstance(value, float):
        return round(value, 4) + 0.0
    if isinstance(value, dict):
        return {str(k): (round(v, 1) + 0.0 if k == "score" and isinstance(v, float) else tidy(v))
                for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [tidy(v) for v in value]
    return value
