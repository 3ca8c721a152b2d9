"""Every EOC order to a township's station is a message to the township office: it takes
effect when received, waits while the links are down, and is shown as sent, not done."""

from dist_helpers import Driver, accepted, scenario
from tabletop import plugins

CUT = [{"id": "X01", "at_turn": 3, "county": "c1", "role": "comms", "title": {"zh_TW": "斷訊", "en": "Cut off"},
        "text": {"zh_TW": "甲鄉通信中斷。", "en": "Every link to A is down."},
        "effects": [{"type": "comms_failure", "area": ["a"], "duration": 3}]}]


def _open(d: Driver) -> None:
    assert accepted(d.do("civil_affairs", "open_station", id="s1", township="a", site="hall", type="type_III", staff=19))
    d.next(1)


def _panel(d: Driver) -> list[str]:
    return [r.text["zh_TW"] for r in plugins.picture_registry()["distribution.stations"](d.session, "c1")]


def test_orders_take_effect_when_the_township_office_receives_them():
    d = Driver()
    _open(d)
    for kind, args in (("staff_station", {"staff": 10}), ("close_station", {})):
        assert accepted(d.do("civil_affairs", kind, station="s1", **args))
    assert d.state.stations["s1"].staff == 19  # sent, not done
    assert any("已發出「配置配售站人力」命令" in line for line in _panel(d)), _panel(d)
    d.next(1)
    received = [e["order"] for e in d.events("station_order_received") if e["order"] != "open_station"]
    assert received == ["staff_station", "close_station"] and d.state.stations["s1"].staff == 10
    assert d.state.stations["s1"].state == "closing"
    assert not d.state.sent


def test_an_order_waits_while_every_link_to_the_township_is_down():
    d = Driver(scenario(injects=CUT))
    _open(d)
    d.next(2)  # turn 4: township a is cut off from turn 3 for 3 turns
    assert accepted(d.do("civil_affairs", "close_station", station="s1"))
    assert accepted(d.do("supply", "dispatch", id="cv1", **{"from": "w1"}, to="s1", goods={"rice": 100}, vehicles=1))
    d.next(1)
    assert d.state.stations["s1"].state != "closing"
    assert d.state.convoys["cv1"].state == "ordered"
    assert "s1" not in [c.value for c in plugins.choice_registry()["close_station.station"](d.session, "c1", "civil_affairs")]
    d.next(4)
    received = [e for e in d.events("station_order_received") if e["order"] in ("close_station", "dispatch")]
    assert [e["order"] for e in received] == ["close_station", "dispatch"]
    assert all(e["delay_turns"] >= 2 for e in received)
    assert d.state.stations["s1"].state in ("closing", "closed")


def test_an_order_the_situation_overtook_is_logged_as_failed_not_applied():
    d = Driver(scenario(injects=CUT, distribution={"params": {"setup_minutes": 60}}))
    _open(d)
    d.next(2)  # turn 4: open, and township a is cut off
    assert d.state.stations["s1"].state == "open"
    assert accepted(d.do("civil_affairs", "close_station", station="s1"))
    assert accepted(d.do("civil_affairs", "suspend_station", station="s1", reason="other"))  # still open as far as anyone knows
    d.next(4)
    failed = d.events("station_order_failed")
    assert [(f["order"], f["rule"]) for f in failed] == [("suspend_station", "station_state")]
    assert d.state.stations["s1"].state in ("closing", "closed")
    assert not [e for e in d.events("station_state") if e["to"] == "suspended"]



def _closed_with_sparse_reports(wait: int) -> tuple[Driver, int]:
    d = Driver(scenario(comms={"report_every_turns": 2}))
    _open(d)
    while d.state.stations["s1"].state != "open":
        d.next(1)
    d.next(wait)
    assert accepted(d.do("civil_affairs", "close_station", station="s1"))
    while d.state.stations["s1"].state != "closed":
        d.next(1)
    closed = d.state.stations["s1"].closed_turn
    d.next(3)  # a report turn comes and its report reaches the EOC
    return d, closed


def test_a_closing_between_two_sparse_reports_still_reaches_the_eoc():
    """With field reports every other turn, a station that finishes closing on a turn with no
    report is reported closed by the next report (it was lost before: only a station closed in
    the report's own turn was in it)."""
    played = [_closed_with_sparse_reports(wait) for wait in (0, 1)]
    assert {closed % 2 for _, closed in played} == {0, 1}  # one of them closed between two reports
    for d, closed in played:
        assert d.state.eoc["c1"]["a"]["stations"]["s1"]["state"] == "closed", closed
        sent = [e["payload"]["sections"]["distribution"]["turn"] for e in d.events("message_sent")
                if e["kind"] == "report" and "distribution" in (e["payload"].get("sections") or {})]
        assert sent and all(b - a == 2 for a, b in zip(sent, sent[1:])), sent  # every other turn
