"""Ratings at the threshold edges, score anchors, capability aggregation and the scoring: section."""

from __future__ import annotations

import pytest
from sc_logkit import SMALL, Log, exp

from tabletop.scoring import config, engine
from tabletop.scoring.config import Use
from tabletop.scoring.registry import Scope, Value
from tabletop.plugins import all_metrics
from tabletop.api import load_scenario_text

METRICS = all_metrics()
HIGH = METRICS["expected_on_time_rate"]  # higher is better, defaults 0.9 / 0.75 / 0.5
LOW = METRICS["time_to_ack_min"]  # lower is better, minutes


@pytest.mark.parametrize("value, rating", [
    (1.0, "P"), (0.9, "P"), (0.8999, "S"), (0.75, "S"), (0.7499, "M"), (0.5, "M"), (0.4999, "U"), (0.0, "U")])
def test_higher_is_better_edges(value, rating):
    assert engine.rate(HIGH, value, (0.9, 0.75, 0.5)) == rating


@pytest.mark.parametrize("value, rating", [
    (0, "P"), (0.5, "S"), (360, "S"), (360.5, "M"), (720, "M"), (720.5, "U")])
def test_lower_is_better_edges(value, rating):
    assert engine.rate(LOW, value, (0, 360, 720)) == rating


def test_scores_hit_the_anchors_so_bands_and_ratings_agree():
    t = (0.9, 0.75, 0.5)
    assert [engine.normalize(HIGH, v, t) for v in (1.0, 0.9, 0.75, 0.5, 0.0)] == [100, 80, 60, 40, 0]
    assert engine.normalize(HIGH, 0.825, t) == pytest.approx(70)
    # Lower is better, P at the ideal (0): 0 scores 100, S 60, M 40, twice M or worse 0.
    t = (0, 360, 720)
    assert [engine.normalize(LOW, v, t) for v in (0, 360, 720, 1440, 5000)] == [100, 60, 40, 0, 0]
    for value in (0.0, 0.3, 0.5, 0.76, 0.9, 0.95):
        assert engine.band(engine.normalize(HIGH, value, (0.9, 0.75, 0.5))) == engine.rate(HIGH, value, (0.9, 0.75, 0.5))


@pytest.mark.parametrize("score, rating", [(100, "P"), (80, "P"), (79.99, "S"), (60, "S"), (59.9, "M"), (40, "M"),
                                           (39.9, "U"), (0, "U")])
def test_score_bands(score, rating):
    assert engine.band(score) == rating


def test_median_not_reached_is_U_only_when_the_log_saw_long_enough():
    def fake(view, scope):
        return Value(None, 2, not_reached=True, horizon=300)
    metric = LOW.__class__(**{**LOW.__dict__, "compute": fake})
    assert engine.evaluate(None, metric, Use("x", 1, (0, 60, 120)), Scope())["rating"] == "U"
    assert engine.evaluate(None, metric, Use("x", 1, (0, 360, 720)), Scope()) is None


def test_default_section_and_custom_thresholds_from_the_scenario():
    assert config.ScoringSection() == config.ScoringSection()
    text = SMALL + """
scoring:
  thresholds:
    expected_on_time_rate: {P: 0.5, S: 0.4, M: 0.3}
  capabilities:
    cap_b:
      weight: 3
      metrics:
        - {metric: ack_rate, thresholds: {P: 0.2, S: 0.1, M: 0.05}}
"""
    log = Log(text)
    log.deliver(1, "I1", expected=[exp("announce", "cap_a", 1), exp("send_message", "cap_b", 2)])
    log.event(1, "inject_acknowledged", inject="I1", by="testc.commander", turns_after_delivery=0)
    log.event(1, "expected_action_met", inject="I1", index=0, command=1, capability="cap_a", turns_after_delivery=0)
    log.event(2, "expected_action_missed", inject="I1", index=1, capability="cap_b", deadline_turn=2)
    log.close(3)
    doc = engine.score(log.view())
    cap_a = doc["capabilities"]["cap_a"]["metrics"]["expected_on_time_rate"]
    assert cap_a["thresholds"] == {"P": 0.5, "S": 0.4, "M": 0.3} and cap_a["rating"] == "P"
    assert list(doc["capabilities"]["cap_b"]["metrics"]) == ["ack_rate"]
    assert doc["capabilities"]["cap_b"]["weight"] == 3
    # Overall = capability-weighted mean of capability scores.
    a, b = doc["capabilities"]["cap_a"]["score"], doc["capabilities"]["cap_b"]["score"]
    assert doc["overall"]["score"] == pytest.approx((a + 3 * b) / 4, abs=0.06)


def test_scenario_check_rejects_unknown_metrics_and_misordered_thresholds():
    text = SMALL + """
scoring:
  thresholds:
    nonsense_metric: {P: 1, S: 0.5, M: 0.1}
    time_to_ack_min: {P: 720, S: 360, M: 0}
"""
    loaded = load_scenario_text(text, "small.yaml")
    messages = " ".join(str(p) for p in loaded.problems)
    assert "unknown metric 'nonsense_metric'" in messages
    assert "P <= S <= M" in messages
    assert not load_scenario_text(SMALL + "scoring: {colour: red}\n", "s.yaml").ok  # extra fields forbidden
