"""One shelter concept: every shelter a scenario lists (disaster shelters under townships,
air-raid shelters under crises) blocks station siting and appears in the shelter panel, whose
occupancy comes from the townships' reports."""

from test_crises import F, P, build, until
from tabletop import plugins

SHELTERS = """crises:
  shelters:
    - {id: bunker_t2, township: t2, area_m2: 300}
"""


def _panel(session):
    return [(r.text["zh_TW"], r.tone) for r in plugins.picture_registry()["crises.shelters"](session, "c1")]


def test_an_air_raid_shelter_blocks_every_kind_of_station():
    session, records = build("[{type: displacement, township: t2, people: 10}]", SHELTERS)
    records = until(session, records, 2)
    for role, kind, rule in (("civil_affairs", "open_station", "R.siting"),
                             ("social_affairs", "open_relief_station", "care.siting"),
                             ("health", "open_first_aid_station", "care.siting")):
        args = {"id": f"x-{kind}", "township": "t2", "site": "bunker_t2", "staff": 19}
        if kind == "open_station":
            args["type"] = "type_III"
        out = session.submit(P(role, kind, **args))
        assert out[-1]["kind"] == "command_rejected" and out[-1]["data"]["rule"] == rule, (kind, out[-1])
    # A site that is no shelter is fine.
    out = session.submit(P("civil_affairs", "open_station", id="d1", township="t2", site="hall", type="type_III", staff=19))
    assert out[-1]["kind"] != "command_rejected"


def test_both_kinds_of_shelter_are_in_the_panel_and_occupancy_is_reported():
    session, records = build("[{type: air_raid_alert, area: [t1, t2], duration: 3}]", SHELTERS, turn=2)
    records = until(session, records, 1)
    panel = _panel(session)
    assert ("甲鄉：避難處所 0 處，可容納 0 人（人口 0%）；另有災害避難處所 1 處（s1）", "text") in panel
    assert ("乙鄉：避難處所 1 處，可容納 400 人（人口 10%）", "text") in panel
    records = until(session, records, 2)
    assert any("估計 1,200 人避難（規劃估算" in line for line, _ in _panel(session))  # no report since the alert
    records = until(session, records, 3)
    town = next(line for line, _ in _panel(session) if line.startswith("乙鄉"))
    assert "鄉鎮回報 1,200 人避難" in town and "第 2 回合回報" in town and "超出 800 人" in town
