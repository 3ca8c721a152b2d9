"""ADX art 9: while an air-raid alert is in force in a township, no station there opens,
resumes or serves; the all-clear lets them open and serve again."""

from dist_helpers import Driver, accepted, rejected, scenario
from tabletop import i18n


def _alert(at: int, turns: int, area=("a",)) -> list[dict]:
    return [{"id": "ALERT", "at_turn": at, "county": "c1", "role": "commander",
             "title": {"zh_TW": "空襲", "en": "Air raid"}, "text": {"zh_TW": "空襲", "en": "Air raid"},
             "effects": [{"type": "air_raid_alert", "area": list(area), "duration": turns}]}]


def _rationed(d: Driver) -> None:
    assert accepted(d.do("central", "declare_shortage", goods=["rice"]))
    assert accepted(d.do("supply", "set_ration", good="rice", per_person_per_day=0.25, purchases_per_month=3))


def _served(d: Driver, station: str, since: int = 0) -> int:
    return sum(e["people"] for e in d.served(since) if e["station"] == station)


def test_setup_that_ends_during_an_alert_waits_for_the_all_clear():
    # Set-up takes 720 minutes = 12 one-hour turns (ready in turn 12); the alert covers turns 5..24.
    d = Driver(scenario(injects=_alert(5, 20)))
    _rationed(d)
    assert accepted(d.do("civil_affairs", "open_station", id="s1", township="a", site="hall", type="type_III", staff=19))
    assert accepted(d.do("supply", "dispatch", id="cv1", **{"from": "w1"}, to="s1", goods={"rice": 2000}, vehicles=1))
    d.next(14)
    assert d.state.stations["s1"].state == "setting_up"  # set-up done in turn 12, but the alert is in force
    assert _served(d, "s1") == 0
    d.next(11)  # turn 26: the all-clear came at the start of turn 25
    assert d.state.stations["s1"].state == "open"
    opened = [e for e in d.events("station_state") if e["station"] == "s1" and e["to"] == "open"]
    assert len(opened) == 1
    assert _served(d, "s1") > 0


def test_resume_during_an_alert_is_refused_citing_adx_art_9():
    # Set-up takes two turns (open in turn 2); the alert covers turns 4..6, all-clear in turn 7.
    d = Driver(scenario(injects=_alert(4, 3), distribution={"params": {"setup_minutes": 120}}))
    _rationed(d)
    assert accepted(d.do("civil_affairs", "open_station", id="s1", township="a", site="hall", type="type_III", staff=19))
    assert accepted(d.do("supply", "dispatch", id="cv1", **{"from": "w1"}, to="s1", goods={"rice": 2000}, vehicles=1))
    d.next(3)  # turn 4: the alert suspends it
    assert d.state.stations["s1"].state == "suspended"
    before = d.session.snapshot()["domains"]["distribution"]
    out = d.do("civil_affairs", "resume_station", station="s1")
    bad = rejected(out)
    assert bad["rule"] == "ADX.art.9"
    assert "第 9 條" in i18n.reason(bad, "zh_TW") and "art 9" in i18n.reason(bad, "en")
    assert d.session.snapshot()["domains"]["distribution"] == before
    mark = len(d.records)
    d.next(3)  # turns 4..6 adjudicated under the alert
    assert _served(d, "s1", mark) == 0
    d.next(1)  # turn 7: all-clear, the station resumes and serves
    assert d.state.stations["s1"].state == "open" and _served(d, "s1", mark) > 0
    assert accepted(d.do("civil_affairs", "suspend_station", station="s1", reason="other"))
    d.next(1)  # the township office has the order
    assert d.state.stations["s1"].state == "suspended"
    assert accepted(d.do("civil_affairs", "resume_station", station="s1"))  # no alert: allowed
