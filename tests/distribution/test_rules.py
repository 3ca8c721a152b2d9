"""Illegal or impossible commands are rejected with a precise rule, before anything changes."""

from dist_helpers import Driver, accepted, rejected
from tabletop import i18n


def _shortage(d):
    assert accepted(d.do("central", "declare_shortage", goods=["rice", "lpg", "water"]))


def test_rationing_needs_a_declared_shortage():
    d = Driver()
    before = d.session.snapshot()["domains"]["distribution"]
    out = d.do("supply", "set_ration", good="rice", per_person_per_day=0.25, purchases_per_month=3)
    assert rejected(out)["rule"] == "shortage_not_declared"
    assert d.session.snapshot()["domains"]["distribution"] == before
    _shortage(d)
    out = d.do("supply", "set_ration", good="rice", per_person_per_day=0.25, purchases_per_month=3)
    assert accepted(out)
    assert d.events("ration_set")[0]["per_purchase"] == 2.5  # 0.25 kg a day x 10 days


def test_purchases_per_month_caps_and_lpg_once():
    d = Driver()
    _shortage(d)
    assert rejected(d.do("supply", "set_ration", good="rice", per_person_per_day=0.25, purchases_per_month=4))["rule"] == "R.purchases_per_month"
    assert rejected(d.do("supply", "set_ration", good="lpg", per_person_per_day=0.01, purchases_per_month=2))["rule"] == "R.purchases_per_month"
    assert rejected(d.do("supply", "set_ration", good="rice", per_person_per_day=0, purchases_per_month=1))["rule"] == "R.quota"
    assert accepted(d.do("supply", "set_ration", good="lpg", per_person_per_day=0.01, purchases_per_month=1))


def test_siting_rules_of_art_9():
    d = Driver()
    out = d.do("civil_affairs", "open_station", id="s1", township="a", site="school_a", type="type_II", staff=34)
    assert rejected(out)["rule"] == "R.siting"
    out = d.do("civil_affairs", "open_station", id="s1", township="b", site="clinic_b", type="type_II", staff=34)
    assert rejected(out)["rule"] == "R.siting"
    assert "s1" not in d.session.ids
    assert accepted(d.do("civil_affairs", "open_station", id="s1", township="a", site="gym_a", type="type_II", staff=34))
    out = d.do("civil_affairs", "open_station", id="s2", township="a", site="gym_a", type="type_III", staff=19)
    assert rejected(out)["rule"] == "site_in_use"
    out = d.do("civil_affairs", "open_station", id="s3", township="nowhere", site="x", type="type_III", staff=19)
    assert rejected(out)["rule"] == "unknown_township"
    out = d.do("civil_affairs", "open_station", id="s4", township="a", site="y", type="type_IX", staff=19)
    assert rejected(out)["rule"] == "unknown_station_type"
    out = d.do("supply", "open_station", id="s5", township="a", site="z", type="type_III", staff=19)
    assert rejected(out)["rule"] == "role"


def test_dispatch_limits():
    d = Driver()
    d.do("civil_affairs", "open_station", id="s1", township="a", site="gym_a", type="type_II", staff=34)
    go = lambda ident, **kw: d.do("supply", "dispatch", id=ident, **{"from": "w1", "to": "s1", "vehicles": 1} | kw)  # noqa: E731
    assert rejected(go("c1", goods={"rice": 60000}, vehicles=4))["rule"] == "stock"
    assert rejected(go("c1", goods={"rice": 3001}))["rule"] == "vehicle_capacity"
    assert rejected(go("c1", goods={"rice": 100}, vehicles=5))["rule"] == "vehicles"
    assert rejected(go("c1", goods={"lpg": 10}))["rule"] == "R.lpg_not_at_station"
    assert rejected(go("c1", goods={"rice": 10}, to="w9"))["rule"] == "unknown_place"
    assert rejected(go("c1", goods={"rice": 10}, to="w1"))["rule"] == "same_place"
    assert accepted(go("c1", goods={"rice": 3000}))
    assert d.state.fleet["c1"]["available"] == 3
    assert d.state.warehouses["w1"]["rice"] == 47000


def test_station_lifecycle_commands_follow_the_machine():
    d = Driver()
    d.do("civil_affairs", "open_station", id="s1", township="a", site="gym_a", type="type_III", staff=0)
    assert d.state.stations["s1"].state == "planned"
    assert rejected(d.do("civil_affairs", "suspend_station", station="s1", reason="air_raid"))["rule"] == "station_state"
    assert accepted(d.do("civil_affairs", "staff_station", station="s1", staff=19))
    assert d.state.stations["s1"].state == "planned"  # set-up starts when the order reaches the township office (adjudication)
    d.next(11)
    assert d.state.stations["s1"].state == "setting_up"  # ready in turn 12's adjudication (720 min)
    d.next()
    assert d.state.stations["s1"].state == "open"
    assert accepted(d.do("civil_affairs", "suspend_station", station="s1", reason="power_outage"))
    assert d.state.stations["s1"].state == "open"  # an order to the township office: done when received
    d.next()
    assert d.state.stations["s1"].state == "suspended"
    assert rejected(d.do("civil_affairs", "suspend_station", station="s1", reason="power_outage"))["rule"] == "station_state"
    assert rejected(d.do("civil_affairs", "suspend_station", station="s1", reason="bored"))["rule"] == "schema"
    assert accepted(d.do("civil_affairs", "resume_station", station="s1"))
    d.next()
    assert accepted(d.do("civil_affairs", "close_station", station="s1"))
    d.next(2)
    assert d.state.stations["s1"].state == "closed"
    path = [(e["from"], e["to"]) for e in d.events("station_state")]
    assert path == [(None, "planned"), ("planned", "setting_up"), ("setting_up", "open"), ("open", "suspended"),
                    ("suspended", "open"), ("open", "closing"), ("closing", "closed")]


def test_understaffed_station_takes_longer_to_set_up():
    d = Driver()
    d.do("civil_affairs", "open_station", id="full", township="a", site="g1", type="type_III", staff=19)
    d.do("civil_affairs", "open_station", id="half", township="a", site="g2", type="type_III", staff=10)
    d._control("advance")  # adjudication: the orders reach the township office, set-up starts
    assert d.state.stations["full"].ready_turn == 12       # 720 minutes of 60-minute turns, from turn 1
    assert d.state.stations["half"].ready_turn == 23       # 720 x 19/10 = 1368 minutes


def test_rejection_reasons_are_bilingual():
    d = Driver()
    reason = rejected(d.do("civil_affairs", "open_station", id="s1", township="a", site="school_a", type="type_II", staff=34)); reason = i18n.reason_both(reason)
    assert "避難處所" in reason["zh_TW"] and "shelter" in reason["en"]
