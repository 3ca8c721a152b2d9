"""Crises metrics and the late communications metrics on hand-made logs (answers known by
construction), and on a real run of the default scenario."""

from __future__ import annotations

import pytest
from sc_logkit import Log

from tabletop.comms.metrics import (
    backup_switch_time_min, late_message_share, link_outage_minutes, message_loss_rate, picture_age_min,
)
from tabletop.crises.metrics import (
    alert_relay_time_min, alert_stations_suspended_share, casualties_first_aid_share, displaced_registered_share,
    shelter_overcapacity_share,
)
from tabletop.scoring import config, engine, logview
from tabletop.scoring.registry import Scope
from tabletop.plugins import all_metrics

ALL = Scope()
CRISES = ("alert_relay_time_min", "alert_stations_suspended_share", "shelter_overcapacity_share",
          "casualties_first_aid_share", "displaced_registered_share")
COMMS = ("backup_switch_time_min", "late_message_share")


def turns(log: Log, last: int) -> None:
    for turn in range(1, last + 1):
        log.event(turn, "turn_started", turn=turn, time="", day=1)


def station(log: Log, turn: int, ident: str, town: str, to: str = "open", **extra) -> None:
    log.event(turn, "station_state", station=ident, township=town, **{"from": None, "to": to, "reason": "opened"},
              **extra)


# ----- alerts -----------------------------------------------------------------------------------
def alert_log(relay_b: bool = True) -> Log:
    log = Log()
    turns(log, 2)
    log.event(2, "alert_issued", county="testc", area=["a", "b", "r"], until_turn=3)
    log.event(2, "alert_relayed", township="a", delay_turns=0, channel="landline")
    if relay_b:
        log.event(4, "alert_relayed", township="b", delay_turns=2, channel="radio")
    log.event(4, "all_clear", area=["a", "b", "r"])
    turns_to = 6
    log.event(turns_to, "turn_started", turn=turns_to, time="", day=1)
    return log


def test_alert_relay_time_censors_townships_never_relayed():
    value = alert_relay_time_min(alert_log().view(), ALL)
    # a: 0 min, b: 120 min, r: never (censored at (6 - 2) * 60 = 240). S(0) = 2/3, S(120) = 1/3 -> 120.
    assert value.value == 120 and value.n == 3
    assert value.detail["townships"] == {"a": 0, "b": 120, "r": None}
    assert value.detail["censored"] == 1 and value.detail["channels"] == {"landline": 1, "radio": 1}


def test_alert_relay_time_not_reached_when_most_townships_are_never_warned():
    value = alert_relay_time_min(alert_log(relay_b=False).view(), ALL)
    assert value.value is None and value.not_reached and value.horizon == 240


def test_alert_relay_time_scopes_and_absence():
    view = alert_log().view()
    assert alert_relay_time_min(view, Scope(county="elsewhere")) is None
    assert alert_relay_time_min(view, Scope(county="testc", role="commander")).value == 120
    assert alert_relay_time_min(view, Scope(county="testc", role="supply")) is None
    assert alert_relay_time_min(Log().view(), ALL) is None


def test_stations_suspended_during_alerts():
    log = Log()
    station(log, 1, "s1", "a")
    station(log, 1, "s2", "b")
    station(log, 1, "s3", "a", to="planned")  # not open when the alert sounds: not at risk
    station(log, 1, "s4", "r")  # outside the alerted area
    log.event(1, "station_state", station="fa1", kind="first_aid", **{"from": "setting_up", "to": "open"},
              reason="ready")  # a care station, not a distribution station
    log.event(2, "alert_issued", county="testc", area=["a", "b"], until_turn=2)
    log.event(2, "station_state", station="s1", **{"from": "open", "to": "suspended"}, reason="air_raid")
    log.event(3, "all_clear", area=["a", "b"])
    log.event(3, "station_state", station="s1", **{"from": "suspended", "to": "open"}, reason="inject_over")
    log.event(4, "station_state", station="s2", **{"from": "open", "to": "suspended"}, reason="air_raid")  # too late
    value = alert_stations_suspended_share(log.view(), ALL)
    assert value.value == 0.5 and value.n == 2
    assert value.detail == {"suspended": 1, "not_suspended": ["s2@2"], "by_reason": {"air_raid": 1}}
    assert alert_stations_suspended_share(log.view(), Scope(role="civil_affairs")).value == 0.5
    assert alert_stations_suspended_share(log.view(), Scope(role="health")) is None
    assert alert_stations_suspended_share(alert_log().view(), ALL) is None  # no station at risk


# ----- shelters, casualties, displaced -----------------------------------------------------------
def test_shelter_overcapacity_share():
    log = Log()
    log.event(2, "shelter_occupancy", township="a", people=100, capacity=80, over_capacity=20)
    log.event(2, "shelter_occupancy", township="b", people=300, capacity=400, over_capacity=0)
    value = shelter_overcapacity_share(log.view(), ALL)
    assert value.value == pytest.approx(20 / 400)
    assert value.detail["worst_share_by_township"] == {"a": 0.2, "b": 0.0}
    assert shelter_overcapacity_share(log.view(), Scope(county="elsewhere")) is None
    assert shelter_overcapacity_share(Log().view(), ALL) is None


def casualty_log(close: bool) -> Log:
    log = Log()
    turns(log, 2)
    log.event(2, "mass_casualty", township="a", people=10, waiting=10)
    log.event(3, "casualties_treated", township="a", people=6, waiting=4)
    log.event(3, "casualties_died", township="a", people=2, waiting=2)
    log.event(5, "mass_casualty", township="b", people=5, waiting=5)  # in the last turn
    if close:
        log.close(5)
    return log


def test_casualties_reaching_first_aid():
    # Play ended: 6 treated of 15 (2 died, 2 + 5 still waiting).
    closed = casualties_first_aid_share(casualty_log(close=True).view(), ALL)
    assert closed.value == pytest.approx(6 / 15) and closed.detail["died"] == 2
    assert closed.detail["waiting_at_end"] == 7 and closed.detail["mean_wait_min"] == 60
    # Unfinished log: the 5 hurt in the last turn have had no chance yet (censored, left out).
    open_ = casualties_first_aid_share(casualty_log(close=False).view(), ALL)
    assert open_.value == pytest.approx(6 / 10) and open_.detail["censored"] == 5
    assert casualties_first_aid_share(casualty_log(True).view(), Scope(role="health")).value == pytest.approx(0.4)
    assert casualties_first_aid_share(casualty_log(True).view(), Scope(role="supply")) is None
    assert casualties_first_aid_share(alert_log().view(), ALL) is None


def test_displaced_registered_first_come_first_served():
    log = Log()
    log.event(1, "displacement", township="b", people=100, waiting=100)
    log.event(2, "displaced_registered", township="b", people=50, waiting=50)
    log.event(3, "displacement", township="b", people=20, waiting=70)
    log.event(4, "displaced_registered", township="b", people=50, waiting=20)
    log.close(6)
    value = displaced_registered_share(log.view(), ALL)
    assert value.value == pytest.approx(100 / 120) and value.detail["waiting_at_end"] == 20
    # 50 waited 60 min, the next 50 waited 180 min (the first batch is served first).
    assert value.detail["mean_wait_min"] == 120
    assert "died" not in value.detail
    assert displaced_registered_share(casualty_log(True).view(), ALL) is None


# ----- communications: backup channel and late messages -----------------------------------------
EOC = "eoc:testc"


def sent(log: Log, turn: int, ident: str, to: str, kind: str = "text", **payload) -> None:
    log.event(turn, "message_sent", id=ident, **{"from": EOC}, to=to, kind=kind, channel=None, payload=payload)


def down(log: Log, turn: int, link: str, channel: str, to: str = "down") -> None:
    log.event(turn, "channel_state", link=link, channel=channel, **{"from": "up" if to == "down" else "down", "to": to},
              cause="strike" if to == "down" else "restored")


def comms_log() -> Log:
    log = Log()
    a, b, r = f"{EOC}|township:a", f"{EOC}|township:b", f"{EOC}|township:r"
    turns(log, 1)
    for ident, to in (("m1", "township:a"), ("m3", "township:b"), ("m5", "township:r")):
        sent(log, 1, ident, to)
        log.event(1, "message_delivered", id=ident, channel="landline", latency=0)
    # a: landline (in use) fails at 2; a message crosses by radio at 3 -> 60 min.
    down(log, 2, a, "landline")
    sent(log, 2, "m2", "township:a")
    log.event(2, "message_queued", id="m2", link=a, channel=None)
    log.event(3, "message_delivered", id="m2", channel="radio", latency=1)
    # b: landline (in use) fails at 2; m4 waits and never gets through; landline back at 4 -> censored at 120.
    down(log, 2, b, "landline")
    sent(log, 2, "m4", "township:b")
    log.event(2, "message_queued", id="m4", link=b, channel=None)
    down(log, 4, b, "landline", to="up")
    # r: mobile fails, but landline carries the link: no switch needed.
    down(log, 2, r, "mobile")
    sent(log, 3, "m6", "township:r")
    log.event(3, "message_delivered", id="m6", channel="landline", latency=0)
    # A scheduled report (sent at a turn's end, crosses next turn), an internal note, a lost message.
    log.event(3, "message_sent", id="rep", **{"from": "township:r"}, to=EOC, kind="report", channel=None,
              payload={"reason": "schedule", "as_of": 3})
    log.event(4, "message_delivered", id="rep", channel="landline", latency=1)
    log.event(4, "report_received", county="testc", **{"from": "township:r"}, facts={}, as_of=3)
    log.event(4, "message_sent", id="self", **{"from": EOC}, to=EOC, kind="text", channel=None, payload={})
    log.event(4, "message_delivered", id="self", channel="internal", latency=0)
    sent(log, 4, "m7", "township:r")
    log.event(4, "message_lost", id="m7", link=r, channel="landline")
    log.event(5, "turn_started", turn=5, time="", day=1)
    return log


def test_backup_switch_time_is_a_km_median_over_in_use_failures():
    value = backup_switch_time_min(comms_log().view(), ALL)
    # a: 60 min (done); b: censored at 120 (restored before any switch); r: mobile not in use.
    assert value.value == 60 and value.n == 2 and value.detail["censored"] == 1
    assert [(f["link"].split(":")[-1], f["to"], f["after_min"]) for f in value.detail["failures"]] == [
        ("a", "radio", 60), ("b", None, None)]
    assert backup_switch_time_min(comms_log().view(), Scope(county="testc")).value == 60
    assert backup_switch_time_min(comms_log().view(), Scope(county="elsewhere")) is None
    assert backup_switch_time_min(comms_log().view(), Scope(role="supply")) is None
    assert backup_switch_time_min(alert_log().view(), ALL) is None


def test_backup_switch_ignores_failures_without_traffic():
    log = Log()
    link = f"{EOC}|township:a"
    sent(log, 1, "m1", "township:a")
    log.event(1, "message_delivered", id="m1", channel="landline", latency=0)
    down(log, 2, link, "landline")
    down(log, 4, link, "landline", to="up")
    assert backup_switch_time_min(log.view(), ALL) is None


def test_late_message_share_counts_slow_and_queued_messages():
    value = late_message_share(comms_log().view(), ALL)
    # Counted: m1, m3, m5, m2, m6, rep delivered over a channel + m4 still queued = 7 (self: internal; m7: lost).
    # Late: m2 (queued, latency 1) and m4 (queued, never delivered); rep's latency 1 is on time for a report.
    assert value.value == pytest.approx(2 / 7)
    assert value.detail == {"delivered": 6, "delivered_late": 1, "queued": 2, "queued_at_end": 1}
    assert late_message_share(comms_log().view(), Scope(county="testc")).value == pytest.approx(2 / 7)
    assert late_message_share(comms_log().view(), Scope(county="elsewhere")) is None


def test_comms_metrics_read_the_comms_part_node_names():
    view = comms_log().view()
    # report_received.as_of is a turn in the comms part's events: (4 - 3) * 60.
    assert picture_age_min(view, ALL).value == 60
    # Senders are nodes (eoc:testc), not seats: the county scope still finds them.
    loss = message_loss_rate(view, Scope(county="testc"))
    assert loss.value == pytest.approx(1 / 8)
    assert link_outage_minutes(view, Scope(county="testc")) is not None


# ----- registration ------------------------------------------------------------------------------
def test_new_metrics_are_registered_and_mapped_to_capabilities():
    metrics = all_metrics()
    for name in CRISES:
        assert metrics[name].part == "crises" and metrics[name].doc
    for name in COMMS:
        assert metrics[name].part == "communications" and metrics[name].doc
    mapped = {metric for uses in config.PART_METRICS.values() for metric, _ in uses}
    context = {metric for names in config.CONTEXT_METRICS.values() for metric in names}
    assert set(CRISES + COMMS) <= mapped | context
    # What the engine does by itself (stations suspended in an alert) and what depends only on
    # scenario data (shelter over-capacity) are context, never rated.
    # A lender's shortfall after mutual aid is central's choice, not the county's play: context too.
    assert context == {"alert_stations_suspended_share", "shelter_overcapacity_share", "aid_lender_short_share"}
    assert not context & mapped
    assert {m for m, _ in config.PART_METRICS["alert_warning"]} == {"alert_relay_time_min"}
    assert "casualties_first_aid_share" in dict(config.PART_METRICS["health_medical"])


# ----- a real run -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(tmp_path_factory, default_scenario, default_actions):
    from tabletop.runner import run

    path = str(tmp_path_factory.mktemp("crises") / "hualien.jsonl")
    run(default_scenario, 1, default_actions, path)
    view = logview.load(path)
    return view, engine.score(view)


def test_default_run_has_crises_distribution_and_requisition_metrics(real):
    view, doc = real
    assert doc["parts"]["crises"] and doc["parts"]["distribution"] and doc["parts"]["requisition"]
    metrics = all_metrics()
    for name in CRISES + ("served_share", "population_coverage", "served_gini", "stockout_minutes",
                          "requisition_rejected_share", "requisition_lead_time_min", "paper_trail_completeness",
                          "overdue_liability_share", "late_message_share", "backup_switch_time_min"):
        value = metrics[name].compute(view, Scope())
        assert value is not None and value.n > 0, name
        if metrics[name].unit == "ratio":
            assert value.value is not None and 0 <= value.value <= 1, (name, value.value)
        elif value.value is not None:
            assert 0 <= value.value <= view.minutes(0, view.last_turn), (name, value.value)


def test_default_run_crises_values_are_sane(real):
    view, doc = real
    rows = {name: row for cap in doc["capabilities"].values() for name, row in cap["metrics"].items()}
    context = {name: row for cap in doc["capabilities"].values() for name, row in cap["context"].items()}
    for name in CRISES:
        if name in context:
            assert name not in rows and "rating" not in context[name] and "score" not in context[name], name
            rows[name] = context[name]
        else:
            assert name in rows and rows[name]["rating"] in "PSMU", name
    # The scripted play relays the alert to every alerted township and treats the casualties.
    relay = rows["alert_relay_time_min"]
    assert relay["detail"]["censored"] == 0 and set(relay["detail"]["townships"]) == set(
        sum((r["data"]["area"] for r in view.events("alert_issued")), []))
    assert rows["alert_stations_suspended_share"]["detail"]["by_reason"].get("air_raid", 0) >= 1
    treated = sum(r["data"]["people"] for r in view.events("casualties_treated"))
    assert rows["casualties_first_aid_share"]["detail"]["reached"] == treated > 0
    occupancy = view.events("shelter_occupancy")
    assert rows["shelter_overcapacity_share"]["value"] == pytest.approx(
        sum(r["data"]["over_capacity"] for r in occupancy) / sum(r["data"]["people"] for r in occupancy), abs=1e-4)
    for cap in ("alert_warning", "health_medical", "mass_care"):
        assert doc["capabilities"][cap]["rating"] is not None, cap
