import pytest
"""Distribution in the trainee seats: the stations and supply panels (what the EOC knows from
station reports) and the form choices of the distribution commands."""

from seat_helpers import check_deterministic, COUNTY, CUT_JIAN, loaded, names_nothing, part_choice_keys, Played, rows, submit_each, tried_choices, values
from tabletop import plugins

def _row(lines, start):
    found = [line for line in lines if line.startswith(start)]
    assert len(found) == 1, (start, lines)
    return found[0]


def test_panels_and_choices_are_registered():
    assert {"distribution.stations", "distribution.supply"} <= set(plugins.picture_registry())
    assert {"close_station.station", "dispatch.from_", "dispatch.to", "set_ration.good",
            "suspend_station.reason"} <= set(plugins.choice_registry())


def test_stations_ordered_show_before_any_report_then_by_township():
    played = Played(2)  # turn 2's orders: four stations just ordered open, no report yet
    lines = rows(played.session, "distribution.stations")
    for name in ("花蓮市第1配售站", "花蓮市第2配售站", "吉安鄉第1配售站", "玉里鎮第1配售站"):  # by name, never st_city
        assert any(line.startswith(name) and "第 2 回合下令開設，尚無回報" in line for line in lines), lines
    assert not any("st_" in line for line in lines)
    assert lines[-1].startswith("尚無配售站回報（13 處）")
    played = Played(4)
    lines = rows(played.session, "distribution.stations")
    city = _row(lines, "花蓮市：")
    assert "花蓮市第1配售站" in city and "花蓮市第2配售站" in city and "第 3 回合回報" in city
    assert any(line.startswith("卓溪鄉：卓溪鄉第1配售站") for line in lines)
    assert lines[-1].startswith("尚無配售站回報（9 處）：鳳林鎮、新城鄉")
    english = rows(played.session, "distribution.stations", lang="en")
    assert any(line.startswith("Hualien City: Hualien City station 1") and "reported turn 3" in line for line in english)


def test_a_late_report_leaves_the_older_picture():
    """Fog of war: with every link to Ji'an down from turn 8, the EOC keeps Ji'an's turn-6 report
    (its stations ride in the township's field report, sent at turn end: turn 7's was still queued
    when the cut came) while the truth moves on; the report that finally gets through replaces it."""
    scenario = loaded([CUT_JIAN])
    played = Played(10, scenario=scenario)
    lines = rows(played.session, "distribution.stations")
    jian = _row(lines, "吉安鄉：")
    assert "第 6 回合回報" in jian and "排隊 0 人" in jian
    assert "第 9 回合回報" in _row(lines, "花蓮市：")
    station = played.session.domain("distribution").stations["st_jian"]
    assert station.stock["water"] == 0 and sum(c[1] for c in station.queues["water"]) > 0  # the truth
    tone = {r.text["zh_TW"]: r.tone for r in plugins.picture_registry()["distribution.stations"](played.session, COUNTY)}
    assert tone[jian] == "warn"  # stale
    # Without the failure the EOC heard from Ji'an in turn 9.
    assert "第 9 回合回報" in _row(rows(Played(10).session, "distribution.stations"), "吉安鄉：")
    played.advance_to(11)
    jian = _row(rows(played.session, "distribution.stations"), "吉安鄉：")
    assert "第 10 回合回報" in jian and "缺貨：吉安鄉第1配售站" in jian


def test_supply_panel_shows_rations_convoys_and_days():
    played = Played(3)
    lines = rows(played.session, "distribution.supply")
    for sent in played.events("convoy_dispatched"):
        line = _row(lines, f"車隊 {sent['convoy']}：")
        assert f"預計第 {sent['eta_turn']} 回合抵達" in line
    assert "花蓮港區儲運中心" in _row(lines, "車隊 cv-001：")
    assert _row(lines, "本縣可用車輛") == "本縣可用車輛 4 / 12 輛"
    panel = plugins.picture_registry()["distribution.supply"](Played(7).session, COUNTY)
    assert panel[0].tone == "bad" and panel[0].text["zh_TW"].startswith("飲用水：帳面存量 0.9 日")
    lines = rows(Played(9).session, "distribution.supply")
    assert _row(lines, "米（糙米）：") .endswith("配售每人每日 0.25 kg，每月 3 次")
    assert _row(lines, "液化石油氣：").endswith("配售每人每日 0.011 cylinder，每月 1 次")
    assert _row(lines, "食鹽：").endswith("已宣布短缺，尚未訂定配售量")
    assert not any(line.startswith("車隊") for line in lines)  # every convoy arrived


def test_station_choices_are_exactly_the_stations_in_a_fitting_state():
    for turn in (2, 3, 9, 11, 12, 13):
        played = Played(turn)
        stations = played.session.domain("distribution").stations
        mine = [sid for sid in sorted(stations) if stations[sid].county == COUNTY]
        assert values(played.session, "close_station.station") == [s for s in mine if stations[s].state not in ("closing", "closed")]
        sent = {(o["station"], o["order"]) for o in played.session.domain("distribution").sent.values()}
        assert values(played.session, "suspend_station.station") == [s for s in mine if stations[s].state == "open"
                                                                      and (s, "suspend_station") not in sent]
        assert values(played.session, "resume_station.station") == [s for s in mine if stations[s].state == "suspended"]
    played = Played(12)
    assert values(played.session, "resume_station.station") == ["st_jian"]  # ordered in turn 11, received in its adjudication
    session = played.session
    labels = {c.value: c.label for c in plugins.choice_registry()["close_station.station"](session, COUNTY, "civil_affairs")}
    assert labels["st_city"] == {"zh_TW": "花蓮市第1配售站", "en": "Hualien City station 1"}
    from tabletop.core.commands import Command

    session.submit(Command(None, COUNTY, "civil_affairs", "close_station", {"station": "st_city"}))
    assert "st_city" not in values(session, "close_station.station")


def test_other_choices():
    played = Played(8)
    assert values(played.session, "set_ration.good") == []  # no shortage declared yet
    assert values(played.session, "open_station.township")[:3] == ["hualien_city", "fenglin", "yuli"]
    assert values(played.session, "open_station.type") == ["type_I", "type_II", "type_III"]
    assert values(played.session, "suspend_station.reason") == ["air_raid", "power_outage", "stockout", "unsafe_site", "other"]
    assert values(played.session, "dispatch.from_")[:4] == ["wh_fenglin", "wh_jian", "wh_port", "wh_yuli"]
    played = Played(9)
    assert values(played.session, "set_ration.good") == ["rice", "edible_oil", "salt", "lpg", "water", "infant_formula"]
    assert plugins.choice_registry()["close_station.station"](played.session, "no_such_county", "civil_affairs") == []


def _args(key):
    def make(session, value):
        places = values(session, "dispatch.to")
        if key == "open_station.township":
            return {"id": "st_new", "township": value, "site": "new_site", "type": "type_III", "staff": 19}
        if key == "open_station.type":
            return {"id": "st_new", "township": "fenglin", "site": "new_site", "type": value, "staff": 19}
        if key == "open_stations.type":
            return {"prefix": "new", "per": "township", "townships": ["fenglin"], "type": value, "staff": 19}
        if key == "staff_station.station":
            return {"station": value, "staff": 20}
        if key == "suspend_station.station":
            return {"station": value, "reason": "other"}
        if key == "suspend_station.reason":
            open_ = values(session, "suspend_station.station")
            return {"station": open_[0], "reason": value} if open_ else None
        if key == "declare_shortage.goods":
            return {"goods": [value]}
        if key in ("resume_station.station", "close_station.station"):
            return {"station": value}
        if key == "dispatch.from_":
            return {"id": "cv-new", "from": value, "to": next(p for p in places if p != value), "goods": {"rice": 1}, "vehicles": 1}
        if key == "dispatch.to":
            return {"id": "cv-new", "from": "wh_yuli" if value != "wh_yuli" else "wh_fenglin", "to": value,
                    "goods": {"rice": 1}, "vehicles": 1}
        if key == "collect_batch.warehouse":
            return {"id": "b-new", "warehouse": value, "goods": {"rice": 1}}
        if key == "pay_batch.batch":
            return {"batch": value}
        if key == "set_ration.good":
            return {"good": value, "per_person_per_day": 0.01, "purchases_per_month": 1}
        if key == "request_aid.to":
            return {"id": "aid-new", "to": value, "goods": {"rice": 1}}
        if key.startswith("allocate_aid."):
            # One county: a request of its own, which no county of its own may fill (aid_self).
            from tabletop.core.commands import Command

            session.submit(Command(None, "hualien", "commander", "request_aid", {"id": "aid-new", "to": "wh_yuli",
                                                                                 "goods": {"rice": 1}}))
            args = {"id": "al-new", "request": "aid-new", "lender": "hualien", "from": "wh_yuli", "goods": {"rice": 1},
                    "vehicles": 1}
            return args | {{"allocate_aid.from_": "from"}.get(key, key.split(".", 1)[1]): value}
        raise AssertionError(key)
    return make


ACCEPTED = ("open_station.township", "open_station.type", "staff_station.station", "suspend_station.station",
            "suspend_station.reason", "resume_station.station", "close_station.station", "set_ration.good", "pay_batch.batch")


def test_every_choice_names_something_the_command_knows():
    seen = tried_choices("distribution", [Played(turn) for turn in (3, 9, 12)], _args, lambda key: key in ACCEPTED)
    # The default run asks no county for aid: allocate_aid.request has nothing to offer there
    # (tests/distribution/test_aid.py submits its choices).
    assert seen == part_choice_keys("distribution") - {"allocate_aid.request"}


@pytest.mark.slow
def test_deterministic_and_read_only():
    check_deterministic("distribution")
