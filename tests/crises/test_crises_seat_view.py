"""Crises in the trainee seats: alerts and their relay, shelters, relief and first aid as the
EOC knows them, and the form choices of the crisis commands."""

from seat_helpers import check_deterministic, COUNTY, CUT_JIAN, loaded, names_nothing, panel as _panel, part_choice_keys, Played, rows, submit_each, tried_choices, values
from tabletop import plugins
from tabletop.scenario.actions import load_actions

from conftest import ACTIONS

def test_alert_rows_follow_the_relay():
    without = [a for a in load_actions(ACTIONS)[0] if a.do != "relay_alert"]
    panel = _panel(Played(5, actions=without).session, "crises.alerts")
    assert [line.split("：")[0] for line, _ in panel] == ["花蓮市", "新城鄉", "吉安鄉"]
    assert all(tone == "bad" and line.endswith("尚未轉達公所") and "第 5 回合發布，持續至第 5 回合" in line
               for line, tone in panel)
    played = Played(5)  # the commander relayed in the orders phase: the messages wait for the adjudication
    assert all(line.endswith("轉達訊息傳送中") and tone == "warn" for line, tone in _panel(played.session, "crises.alerts"))
    played.advance_to(5, "turnend")
    assert all(line.endswith("第 5 回合已轉達公所") for line, _ in _panel(played.session, "crises.alerts"))
    assert _panel(Played(6).session, "crises.alerts") == [("目前無生效中的警報", "ok")]


def test_shelters_capacity_and_occupancy_in_an_alert():
    panel = _panel(Played(5).session, "crises.shelters")
    city = panel[0]
    assert city == ("花蓮市：避難處所 2 處，可容納 26,666 人（人口 28%）；警報中估計 28,689 人避難（規劃估算，尚無鄉鎮回報）；超出 2,023 人", "bad")
    assert [line.split("：")[0] for line, _ in panel] == ["花蓮市", "新城鄉", "吉安鄉"]
    panel = _panel(Played(6).session, "crises.shelters")
    assert all(tone == "text" and "警報中" not in line for line, tone in panel)
    assert rows(Played(6).session, "crises.shelters", lang="en")[0] == "Hualien City: 2 shelters for 26,666 people (28% of population)"


def test_care_panel_is_what_the_townships_reported():
    """Fog of war: with Ji'an cut off from turn 8, the EOC still counts the 40 casualties of its
    turn-6 report and the first-aid station as setting up, though all were treated."""
    played = Played(9, scenario=loaded([CUT_JIAN]))
    panel = _panel(played.session, "crises.care")
    assert ("吉安鄉：待救護傷患 40 人；第 6 回合回報", "warn") in panel
    assert ("吉安鄉第1急救站（吉安鄉衛生所）：開設中；第 6 回合回報", "warn") not in panel
    assert any(line == "吉安鄉第1急救站（吉安鄉衛生所）：開設中；第 6 回合回報" for line, _ in panel)
    truth = played.session.domain("crises")
    assert truth["casualties"].get("jian", 0) == 0 and truth["stations"]["fa-jian-1"]["state"] == "open"
    panel = _panel(Played(9).session, "crises.care")  # the same turn, links up
    assert not any(line.startswith("吉安鄉：") for line, _ in panel)
    assert ("吉安鄉第1急救站（吉安鄉衛生所）：營運中；第 8 回合回報", "ok") in panel
    assert ("花蓮市：待收容災民 800 人；第 8 回合回報", "warn") in panel


def test_casualties_without_a_station_are_urgent():
    without = [a for a in load_actions(ACTIONS)[0] if a.do != "open_first_aid_station"]
    panel = _panel(Played(8, actions=without).session, "crises.care")
    assert panel[0] == ("吉安鄉：待救護傷患 40 人，當地未開設急救站；第 7 回合回報", "bad")


def test_care_choices():
    played = Played(9)
    assert values(played.session, "close_care_station.station", role="social_affairs") == ["rl-hc-1"]
    assert values(played.session, "close_care_station.station", role="health") == ["fa-jian-1"]
    assert values(played.session, "close_care_station.station", role="commander") == ["fa-jian-1", "rl-hc-1"]
    towns = {c.value: c.label["zh_TW"] for c in
             plugins.choice_registry()["open_relief_station.township"](played.session, COUNTY, "social_affairs")}
    assert towns["hualien_city"] == "花蓮市：已知待收容 800 人" and towns["jian"] == "吉安鄉"  # names, the id is the value
    assert len(towns) == 13
    assert values(played.session, "open_first_aid_station.type") == ["standard"]


def _args(key):
    def make(session, value):
        if key.endswith(".township"):
            return {"id": "care-new", "township": value, "site": "新場址", "type": "standard", "staff": 20}
        if key.endswith(".type"):
            return {"id": "care-new", "township": "fenglin", "site": "新場址", "type": value, "staff": 20}
        if key == "relay_alert.area":
            return {"area": [value]}
        return {"station": value}
    return make


def test_every_choice_is_accepted():
    seen = tried_choices("crises", [Played(turn) for turn in (5, 6, 9, 12)], _args)
    assert seen == part_choice_keys("crises")


def test_deterministic_and_read_only():
    check_deterministic("crises")
