"""Each metric on a small hand-made log whose right answer is known by construction."""

from __future__ import annotations

import pytest
from sc_logkit import Log, exp

from tabletop.comms.metrics import link_outage_minutes, message_loss_rate, picture_age_min
from tabletop.distribution.metrics import (
    population_coverage, remote_coverage_gap, served_gini, served_share, stockout_minutes,
    time_to_first_station_min,
)
from tabletop.requisition.metrics import (
    overdue_liability_share, paper_trail_completeness, requisition_lead_time_min, requisition_rejected_share,
)
from tabletop.scoring.distribution_facts import gini
from tabletop.scoring.metrics_injects import ack_rate, expected_on_time_rate, time_to_ack_min, time_to_first_action_min
from tabletop.scoring.registry import Scope
from tabletop.plugins import all_metrics
from tabletop.scoring.survival import Observation, km_median

ALL = Scope()


# ----- survival --------------------------------------------------------------------------------
def test_km_median_without_censoring_is_the_plain_median():
    assert km_median([Observation(t, True) for t in (1, 2, 3)]).value == 2


def test_km_median_uses_censored_tasks_instead_of_zeroing_or_dropping_them():
    # S(1) = 3/4; the task censored at 2 leaves 2 at risk; S(3) = 3/4 * 1/2 = 3/8 <= 1/2.
    median = km_median([Observation(1, True), Observation(2, False), Observation(3, True), Observation(4, True)])
    assert median.value == 3 and median.censored == 1
    # Dropping the censored task would give 3 as well but treating it as 0 would give 1.5: not what we do.


def test_km_median_not_reached_when_most_tasks_never_finish():
    median = km_median([Observation(1, True), Observation(5, False), Observation(5, False)])
    assert median.value is None and median.horizon == 5
    assert km_median([]) is None


# ----- injects ----------------------------------------------------------------------------------
def inject_log(close: bool = True) -> Log:
    log = Log()
    log.event(1, "turn_started", turn=1, time="", day=1)
    log.deliver(1, "I1", expected=[exp("announce", "cap_a", 2), exp("send_message", "cap_b", 2)])
    log.command(1, "announce", "supply", rejected="role", audience="x", message="y")  # rejected: not an action
    log.command(2, "acknowledge", "commander", inject="I1")
    log.event(2, "inject_acknowledged", inject="I1", by="testc.commander", turns_after_delivery=1)
    seq = log.command(2, "announce", "commander", audience="all", message="calm")
    log.event(2, "expected_action_met", inject="I1", index=0, command=seq, capability="cap_a", turns_after_delivery=1)
    log.event(2, "expected_action_missed", inject="I1", index=1, capability="cap_b", deadline_turn=2)
    log.event(2, "inject_state", inject="I1", **{"from": "acknowledged", "to": "expired"})
    log.deliver(3, "I2", role="supply", expected=[exp("send_message", "cap_a", 3)])
    log.event(5, "turn_started", turn=5, time="", day=1)
    if close:
        log.close(5)
    return log


def test_expected_on_time_rate_counts_met_over_met_plus_missed():
    view = inject_log(close=False).view()
    value = expected_on_time_rate(view, ALL)
    # I1: one met, one missed; I2's action: deadline turn 3 passed but no missed event -> censored.
    assert value.value == 0.5 and value.detail == {"met": 1, "missed": 1, "censored": 1}
    assert expected_on_time_rate(view, Scope(capability="cap_a")).value == 1.0
    assert expected_on_time_rate(view, Scope(capability="cap_b")).value == 0.0
    assert expected_on_time_rate(view, Scope(county="elsewhere")) is None


def test_ack_rate_censors_open_injects_until_play_ends():
    assert ack_rate(inject_log(close=False).view(), ALL).value == 1.0  # I2 still open: censored
    closed = ack_rate(inject_log(close=True).view(), ALL)
    assert closed.value == 0.5 and closed.detail["not_acknowledged"] == 1


def test_time_to_ack_is_a_km_median_in_game_minutes():
    view = inject_log().view()
    # I1 acknowledged 60 min after delivery; I2 censored at (5 - 3) * 60 = 120. S(60) = 1/2 -> median 60.
    value = time_to_ack_min(view, ALL)
    assert value.value == 60 and value.detail == {"done": 1, "censored": 1}
    supply = time_to_ack_min(view, Scope(role="supply"))
    assert supply.value is None and supply.not_reached and supply.horizon == 120


def test_first_action_ignores_rejected_commands_and_needs_an_expected_kind():
    view = inject_log().view()
    value = time_to_first_action_min(view, Scope(capability="cap_b"))
    # The rejected announce in turn 1 does not count; the accepted one in turn 2 does (60 min).
    assert value.value == 60
    assert time_to_first_action_min(view, Scope(role="supply")).not_reached


# ----- distribution -----------------------------------------------------------------------------
def distribution_log(**extra) -> Log:
    log = Log()
    log.event(1, "shortage_declared", county="testc")
    log.command(2, "open_station", "civil_affairs", id="s1", township="a", site="x", type="III", staff=19)
    log.event(2, "station_state", station="s1", **{"from": "setting_up", "to": "open", "reason": None})
    log.command(3, "open_station", "civil_affairs", id="s2", township="b", site="y", type="II", staff=34)
    log.event(3, "station_state", station="s2", **{"from": "setting_up", "to": "open", "reason": None})
    log.command(3, "open_station", "civil_affairs", id="s9", township="r", site="z", type="III", staff=19,
                rejected="siting")
    log.event(3, "distribution_served", county="testc", turn=3,
              stations={"s1": {"rice": {"people": 100, "quantity": 50.0, "unmet": 25, "queue": 0}}})
    log.event(3, "stockout", station="s1", good="rice")
    log.event(4, "convoy_arrived", convoy="c1", to="s1", goods={"rice": 100})
    log.event(5, "turn_started", turn=5, time="", day=1)
    return log


def test_time_to_first_station_censors_townships_never_served():
    value = time_to_first_station_min(distribution_log().view(), ALL)
    # a: 60 min, b: 120 min, r (remote, station rejected): censored at 240. S(60)=2/3, S(120)=1/3 -> 120.
    assert value.value == 120
    assert value.detail["townships"] == {"a": 60, "b": 120, "r": None}


def test_population_coverage_follows_one_station_per_village():
    value = population_coverage(distribution_log().view(), ALL)
    # turn 1: 0; turn 2: a half covered (1 of 2 villages) = 500/5000; turns 3-5: (500 + 3000)/5000.
    assert value.value == pytest.approx((0 + 0.1 + 0.7 * 3) / 5)
    assert value.detail["final"] == pytest.approx(0.7)


def test_remote_gap_compares_remote_and_other_townships():
    value = remote_coverage_gap(distribution_log().view(), ALL)
    assert value.value == pytest.approx((0 + 500 / 4000 + 3 * 3500 / 4000) / 5)
    assert value.detail["remote"] == 0


def test_served_share_and_gini():
    view = distribution_log().view()
    assert served_share(view, ALL).value == pytest.approx(100 / 125)
    # Person-days per person: a = 50 / 0.5 / 1000 = 0.1, b = 0, r = 0.
    assert served_gini(view, ALL).value == pytest.approx(gini([0, 0, 0.1]))
    assert gini([0, 0, 0.1]) == pytest.approx(2 / 3)
    assert gini([1, 1, 1]) == pytest.approx(0)


def test_stockout_minutes_end_at_the_refill():
    value = stockout_minutes(distribution_log().view(), ALL)
    # One stock-out at s1 from turn 3 to the convoy in turn 4 = 60 min, over 2 stations that opened.
    assert value.value == 30 and value.detail["spells"] == 1


def test_distribution_metrics_do_not_apply_without_their_events():
    view = inject_log().view()
    for fn in (time_to_first_station_min, population_coverage, remote_coverage_gap, served_share, served_gini,
               stockout_minutes):
        assert fn(view, ALL) is None
    # Nor to roles that do not answer for distribution.
    assert population_coverage(distribution_log().view(), Scope(county="testc", role="health")) is None


# ----- requisition ------------------------------------------------------------------------------
def requisition_log(receipt: bool = True, paid: bool = False) -> Log:
    log = Log()
    log.command(1, "submit_requisition_plan", "mobilization", id="P1", items=["t1"], purpose="x")
    log.command(2, "requisition", "mobilization", id="R1", plan="P1", resource="t1", mode="use", days=3)
    log.command(2, "requisition", "mobilization", id="R2", plan="P1", resource="t9", mode="use", days=3,
                rejected="art.29")
    log.command(3, "record_delivery", "mobilization", requisition="R1")
    log.event(3, "requisition_state", requisition="R1", **{"from": "order_issued", "to": "delivered"})
    if receipt:
        log.event(3, "requisition_receipt", requisition="R1", item="truck", quantity=1, condition="good",
                  assessed_price=None, term_days=3)
    log.event(4, "requisition_valued", requisition="R1", price=1000)
    log.event(5, "requisition_released", requisition="R1", return_to="depot")
    log.event(5, "compensation_liability", id="R1-L1", county="testc", payee="o1", amount=500,
              due_by="2026-07-14", basis="art.28", about="R1")
    if paid:
        log.event(6, "compensation_paid", liability="R1-L1")
    log.event(30, "turn_started", turn=30, time="", day=2)  # the log ends on 2026-07-15
    return log


def test_requisition_rejected_share_by_article():
    value = requisition_rejected_share(requisition_log().view(), ALL)
    assert value.value == pytest.approx(1 / 4) and value.detail["by_rule"] == {"art.29": 1}


def test_requisition_lead_time_from_plan_to_delivery():
    assert requisition_lead_time_min(requisition_log().view(), ALL).value == 120


def test_paper_trail_completeness_finds_the_missing_receipt():
    assert paper_trail_completeness(requisition_log().view(), ALL).value == 1.0
    value = paper_trail_completeness(requisition_log(receipt=False).view(), ALL)
    assert value.value == 0.75 and value.detail["missing"] == {"R1": ["receipt"]}


def test_overdue_liabilities_at_the_end_of_the_log():
    assert overdue_liability_share(requisition_log().view(), ALL).value == 1.0
    assert overdue_liability_share(requisition_log(paid=True).view(), ALL).value == 0.0
    assert overdue_liability_share(inject_log().view(), ALL) is None


# ----- communications ---------------------------------------------------------------------------
def test_comms_metrics_from_their_contract_events():
    log = Log()
    log.event(1, "channel_state", link="testc-a", channel="phone", **{"from": "up", "to": "down", "cause": "strike"})
    log.event(1, "channel_state", link="testc-a", channel="radio", **{"from": "up", "to": "down", "cause": "jam"})
    for channel in ("landline", "mobile", "runner"):  # the link's other field channels: all down too
        log.event(1, "channel_state", link="testc-a", channel=channel, **{"from": "up", "to": "down", "cause": "strike"})
    log.event(3, "channel_state", link="testc-a", channel="radio", **{"from": "down", "to": "up", "cause": "repair"})
    for ident in ("m1", "m2", "m3", "m4"):
        log.event(1, "message_sent", id=ident, **{"from": "testc.comms"}, to="a", body="x", channel="radio")
    log.event(1, "message_delivered", id="m1", channel="radio", latency=0)
    log.event(2, "message_delivered", id="m2", channel="radio", latency=60)
    log.event(2, "message_lost", id="m3")
    log.event(2, "message_queued", id="m4")
    log.event(4, "report_received", county="testc", **{"from": "a"}, facts={}, as_of="2026-07-14T08:00:00+08:00")
    view = log.view()
    assert link_outage_minutes(view, ALL).value == 120  # turns 1 and 2 without a working channel
    loss = message_loss_rate(view, ALL)
    assert loss.value == pytest.approx(1 / 3) and loss.detail["queued_at_end"] == 1
    assert picture_age_min(view, ALL).value == 180


def test_comms_message_metrics_by_county_scope():
    """Loss counts a county's own senders; lateness every message on a link that touches it."""
    from tabletop.comms.metrics import late_message_share

    log = Log()
    log.event(1, "channel_state", link="eoc:testc|township:a", channel="radio", **{"from": "up", "to": "degraded", "cause": "jam"})
    for ident in ("m1", "m2", "m3"):
        log.event(1, "message_sent", id=ident, **{"from": "eoc:testc"}, to="township:a", kind="order", channel="radio",
                  payload={})
    log.event(1, "message_sent", id="c1", **{"from": "central"}, to="eoc:testc", kind="order", channel="radio", payload={})
    log.event(1, "message_sent", id="c2", **{"from": "central"}, to="central", kind="order", channel="radio", payload={})
    log.event(1, "message_delivered", id="m1", channel="radio", latency=0)
    log.event(2, "message_delivered", id="m2", channel="radio", latency=1)
    log.event(2, "message_lost", id="m3", link="eoc:testc|township:a", channel="radio")
    log.event(1, "message_queued", id="c1", link="central|eoc:testc", channel="radio")
    log.event(3, "message_delivered", id="c1", channel="radio", latency=2)
    log.event(2, "message_lost", id="c2", link="central|central", channel="radio")
    view = log.view()
    testc, elsewhere = Scope(county="testc"), Scope(county="elsewhere")
    assert message_loss_rate(view, ALL).value == pytest.approx(2 / 5)      # m3, c2 lost of 5
    assert message_loss_rate(view, testc).value == pytest.approx(1 / 3)    # its own: m1, m2 delivered, m3 lost
    assert message_loss_rate(view, elsewhere) is None
    late = late_message_share(view, testc)                                  # m1 on time; m2 slow; c1 queued
    assert late.value == pytest.approx(2 / 3) and late.detail == {"delivered": 3, "delivered_late": 2, "queued": 1,
                                                                  "queued_at_end": 0}
    assert late_message_share(view, ALL).value == pytest.approx(2 / 3)
    assert late_message_share(view, elsewhere) is None


def test_a_link_with_radio_or_runner_still_working_is_not_down():
    log = Log()
    for channel in ("landline", "mobile"):
        log.event(1, "channel_state", link="testc-a", channel=channel, **{"from": "up", "to": "down", "cause": "strike"})
    log.event(2, "channel_state", link="testc-a", channel="radio", **{"from": "up", "to": "down", "cause": "jam"})
    assert link_outage_minutes(log.view(), ALL).value == 0  # the runner (never announced down) still carries
    assert message_loss_rate(inject_log().view(), ALL) is None


def test_every_metric_is_registered_with_a_doc():
    metrics = all_metrics()
    assert len(metrics) >= 16
    for metric in metrics.values():
        assert metric.doc, metric.name
