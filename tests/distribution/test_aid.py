"""Mutual aid between counties: request_aid / allocate_aid, convoys on inter-county roads, scoring."""

import copy

import yaml
from dist_helpers import BASE, Driver, accepted, rejected

from tabletop.api import load_scenario_text
from tabletop.distribution import aid, supply
from tabletop.distribution.effects import set_road


def _two_counties(**aid_section):
    data = copy.deepcopy(BASE)
    data["counties"].append({
        "id": "c2", "name": {"zh_TW": "乙縣", "en": "County B"},
        "townships": [{"id": "x", "name": {"zh_TW": "丙鄉", "en": "X"}, "population": 4000, "villages": 2},
                      {"id": "y", "name": {"zh_TW": "丁鄉", "en": "Y"}, "population": 4000, "villages": 2}],
        "warehouses": [{"id": "w9", "name": {"zh_TW": "倉九", "en": "W9"}, "township": "x", "stock": {"rice": 500}}]})
    dist = data["distribution"]
    # Two inter-county links: a (c1) - x (c2), 120 minutes, and b (c1) - y - x, a longer detour.
    dist["roads"] += [{"id": "ax", "a": "a", "b": "x", "minutes": 120}, {"id": "by", "a": "b", "b": "y", "minutes": 200},
                      {"id": "xy", "a": "x", "b": "y", "minutes": 30}]
    dist["fleets"] = [{"county": "c1", "vehicles": 4, "capacity_kg": 3000}, {"county": "c2", "vehicles": 1, "capacity_kg": 3000}]
    dist["aid"] = {"pools": [{"county": "c1", "medical_teams": 2, "shelter_places": 300}], **aid_section}
    loaded = load_scenario_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "aid.yaml")
    assert loaded.ok, loaded.problems
    return loaded


def _ask(d, **kw):
    """The request, then the turn's end: the message from the county's EOC reaches central."""
    args = {"id": "rq1", "to": "w9", "goods": {"rice": 2000}, "trucks": 1, "medical_teams": 1, "shelter_places": 100} | kw
    out = d.do("commander", "request_aid", county="c2", **args)
    d.next()
    return out


def _give(d, **kw):
    args = {"id": "al1", "request": "rq1", "lender": "c1", "from": "w1", "goods": {"rice": 2000}, "vehicles": 1,
            "trucks": 1, "medical_teams": 1, "shelter_places": 100} | kw
    return d.do("central", "allocate_aid", county=None, **args)


def test_a_request_is_filled_by_a_convoy_over_the_inter_county_road():
    d = Driver(_two_counties())
    asked = accepted(_ask(d))
    assert asked and d.events("aid_requested")[0]["county"] == "c2"
    before = supply.days_of_supply(d.state, "c1")["rice"]
    out = _give(d)
    allocated = [r["data"] for r in out if r["kind"] == "aid_allocated"][0]
    # The lender's own days of supply before and after are in the record: central sees what lending costs.
    assert allocated["lender_days_before"]["rice"] == before
    assert allocated["lender_days_after"]["rice"] < before
    assert allocated["route"] == ["ax"] and allocated["convoy"] == "al1"
    # Shelter places are granted at once; the goods count as the borrower's from now on.
    assert [r["data"]["shelter_places"] for r in out if r["kind"] == "aid_delivered"] == [100]
    assert supply.days_of_supply(d.state, "c1")["rice"] == allocated["lender_days_after"]["rice"]
    assert d.state.fleet["c1"]["available"] == 2
    # 60 min loading + 120 min road = 3 one-hour turns: arrives in the adjudication of turn 3.
    d.next(3)
    filled = d.events("aid_filled")
    assert filled and filled[0]["request"] == "rq1" and filled[0]["turns"] == 3  # asked turn 1, sent turn 2, in turn 4
    assert d.state.warehouses["w9"]["rice"] == 2500
    assert d.state.fleet["c2"]["available"] == 2 and d.state.fleet["c2"]["borrowed"] == 1  # the lent truck stays
    assert d.state.aid_requests["rq1"]["state"] == "filled"
    d.next(4)
    assert d.state.fleet["c1"]["available"] == 3  # the carrying truck came home, the lent one did not
    for good in ("rice",):
        have, should = supply.balance(d.state, good)
        assert abs(have - should) < 1e-6


def test_a_cut_inter_county_road_reroutes_or_blocks_the_aid_convoy():
    d = Driver(_two_counties())
    _ask(d)
    _give(d)
    d.next()  # loaded, at a
    set_road(d.session, "ax", True, "strike")
    d.next()
    blocked = d.events("convoy_blocked")
    assert blocked and blocked[0]["convoy"] == "al1" and blocked[0]["rerouted"] and blocked[0]["route"] == ["ab", "by", "xy"]
    set_road(d.session, "by", True, "strike")
    d.next(6)
    assert d.state.convoys["al1"].state == "blocked" and not d.events("aid_filled")
    assert aid.share_filled(d.state.aid_requests["rq1"]) < 1.0
    set_road(d.session, "ax", False, "repair")
    d.next(4)
    assert d.events("aid_filled")


def test_no_route_at_allocation_is_refused_and_nothing_changes():
    d = Driver(_two_counties())
    _ask(d)
    set_road(d.session, "ax", True, "strike")
    set_road(d.session, "by", True, "strike")
    stock = dict(d.state.warehouses["w1"])
    why = rejected(_give(d))
    assert why["rule"] == "no_route"
    assert d.state.warehouses["w1"] == stock and d.state.aid_requests["rq1"]["allocated"]["goods"] == {}
    assert d.state.aid_lent == {}


def test_rejections_say_why():
    d = Driver(_two_counties(lender_floor_days=3.0))
    assert rejected(d.do("commander", "request_aid", county="c2", id="rq0"))["rule"] == "aid_empty"
    assert rejected(d.do("commander", "request_aid", county="c2", id="rq0", goods={"rice": 1}))["rule"] == "aid_destination"
    assert rejected(d.do("commander", "request_aid", county="c2", id="rq0", to="w1", goods={"rice": 1}))["rule"] == "unknown_place"
    assert rejected(d.do("supply", "request_aid", county="c2", id="rq0", shelter_places=5))["rule"] == "role"
    _ask(d)
    assert rejected(_give(d, request="nope"))["rule"] == "unknown_aid_request"
    assert rejected(_give(d, lender="c2", **{"from": "w9"}))["rule"] == "aid_self"
    assert rejected(_give(d, goods={"rice": 2001}))["rule"] == "aid_too_much"
    assert rejected(_give(d, medical_teams=0, shelter_places=0, trucks=0, goods={}, vehicles=0))["rule"] == "aid_empty"
    assert rejected(_give(d, **{"from": "w9"}))["rule"] == "unknown_place"
    assert rejected(_give(d, vehicles=4))["rule"] == "vehicles"
    assert rejected(_give(d, trucks=0, vehicles=0, medical_teams=1, goods={"rice": 10}))["rule"] == "vehicles"
    # c1 has 60,000 kg of rice for 17,000 people eating 0.25 kg a day: 14.1 days; 3 days is the floor.
    d2 = Driver(_two_counties())
    d2.do("commander", "request_aid", county="c2", id="big", to="w9", goods={"rice": 55000})
    d2.next()
    why = rejected(d2.do("central", "allocate_aid", county=None, id="a", request="big", lender="c1",
                         **{"from": "w1", "goods": {"rice": 48000}, "vehicles": 4}))
    assert why["rule"] == "aid_lender_floor"
    # The pool: c1 lends at most 2 medical teams and 300 places.
    d3 = Driver(_two_counties())
    d3.do("commander", "request_aid", county="c2", id="m", to="w9", medical_teams=5)
    d3.next()
    assert rejected(d3.do("central", "allocate_aid", county=None, id="a", request="m", lender="c1",
                          **{"from": "w1", "medical_teams": 3, "vehicles": 1}))["rule"] == "aid_pool"


def test_rejections_are_bilingual():
    from tabletop import i18n

    for key in ("aid_empty", "aid_destination", "unknown_aid_request", "aid_request_filled", "aid_unknown_county",
                "aid_self", "aid_too_much", "aid_pool", "aid_origin", "aid_lender_floor"):
        entry = i18n.TABLE[f"dist.reject.{key}"]
        assert entry["zh_TW"] and entry["en"]


def test_a_partial_allocation_leaves_the_request_open_and_a_filled_one_refuses_more():
    d = Driver(_two_counties())
    _ask(d, goods={"rice": 1000}, trucks=0, medical_teams=0, shelter_places=50)
    _give(d, goods={"rice": 400}, trucks=0, medical_teams=0, shelter_places=50)
    d.next(4)
    assert not d.events("aid_filled") and d.state.aid_requests["rq1"]["state"] == "open"
    assert accepted(_give(d, id="al2", goods={"rice": 600}, trucks=0, medical_teams=0, shelter_places=0))
    d.next(4)
    assert d.events("aid_filled")
    assert rejected(_give(d, id="al3", goods={"rice": 1}, trucks=0, medical_teams=0, shelter_places=0))["rule"] == "aid_request_filled"


def test_snapshot_restores_aid_state():
    from tabletop.core.session import Session

    d = Driver(_two_counties())
    _ask(d)
    _give(d)
    d.next()
    again = Session.from_snapshot(d.session.scenario, d.records[0], d.session.snapshot(), d.session.parts)
    assert "aid" in d.state.to_data()
    assert again.domain("distribution").to_data() == d.state.to_data()
    # Both go on the same way: the restored convoy arrives and fills the request.
    for session in (d.session, again):
        from tabletop.core.commands import Command

        out = []
        for _ in range(3):
            for kind in ("advance", "advance", "advance", "advance"):
                out += session.submit(Command(None, None, "facilitator", kind, {}))
        assert [r["data"] for r in out if r["kind"] == "aid_filled"]


def test_an_aid_pool_of_an_unknown_county_is_a_located_problem():
    data = copy.deepcopy(BASE)
    data["distribution"]["aid"] = {"pools": [{"county": "nowhere", "medical_teams": 1}]}
    loaded = load_scenario_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "aid.yaml")
    assert not loaded.ok
    assert any("nowhere" in str(p) for p in loaded.problems)


def test_aid_is_scored_from_the_log():
    from tabletop.scoring.logview import from_records
    from tabletop.distribution.metrics import aid_fill_share, aid_lender_short_share, aid_time_to_fill_min
    from tabletop.scoring.registry import Scope

    d = Driver(_two_counties())
    d.do("commander", "request_aid", county="c2", id="rq2", to="w9", goods={"rice": 1000, "water": 500})
    _ask(d)                                         # rq1: filled in 3 turns
    _give(d)
    # rq2 gets half its rice and no water: half of one item, none of the other.
    d.do("central", "allocate_aid", county=None, id="al2", request="rq2", lender="c1",
         **{"from": "w1", "goods": {"rice": 500}, "vehicles": 1})
    d.next(6)
    view = from_records(d.records)
    fill = aid_fill_share(view, Scope())
    assert fill.n == 2 and abs(fill.value - (1.0 + 0.25) / 2) < 1e-9
    assert aid_fill_share(view, Scope("c1")) is None            # c1 asked for nothing
    timed = aid_time_to_fill_min(view, Scope("c2"))
    assert timed.detail["requests"]["rq1"] == 3 * 60 and timed.detail["requests"]["rq2"] is None
    short = aid_lender_short_share(view, Scope("c1"))
    # c1 keeps ~13 days of rice: not short; its lowest is what the allocations recorded.
    assert short.n == 2 and short.value == 0.0 and 12 < short.detail["lowest_days"] < 14
    assert aid_lender_short_share(view, Scope("c2")) is None


def test_aid_events_have_feed_lines_in_both_languages():
    from tabletop.ui.describe import describe

    d = Driver(_two_counties())
    _ask(d)
    _give(d)
    d.next(3)
    for kind in ("aid_requested", "aid_allocated", "aid_delivered", "aid_filled"):
        record = next(r for r in d.records if r.get("kind") == kind)
        zh, en = describe(d.session, record, "zh_TW"), describe(d.session, record, "en")
        assert "乙縣" in zh and "County B" in en, (kind, zh, en)
    line = describe(d.session, next(r for r in d.records if r.get("kind") == "aid_allocated"), "zh_TW")
    assert "甲縣" in line and "醫療隊 1 隊" in line and "卡車 1 輛" in line


def test_the_aid_panel_and_form_choices():
    from tabletop.distribution import seat_view

    d = Driver(_two_counties())
    _ask(d)
    before = d.state.to_data()
    lenders = {c.value: c.label for c in seat_view.CHOICES["allocate_aid.lender"](d.session, None, "central")}
    assert set(lenders) == {"c1", "c2"} and "自身存量" in lenders["c1"]["zh_TW"] and "own supply" in lenders["c1"]["en"]
    assert [c.value for c in seat_view.CHOICES["allocate_aid.request"](d.session, None, "central")] == ["rq1"]
    assert [c.value for c in seat_view.CHOICES["request_aid.to"](d.session, "c2", "commander")] == ["w9"]
    assert {c.value for c in seat_view.CHOICES["allocate_aid.from_"](d.session, None, "central")} == {"w1", "w2", "w9"}
    _give(d)
    rows = seat_view.aid_picture(d.session, "c2")
    texts = [r.text["zh_TW"] for r in rows]
    assert any("支援請求 rq1" in t for t in texts) and any("甲縣支援車隊 al1" in t for t in texts)
    lender = [r.text["en"] for r in seat_view.aid_picture(d.session, "c1")]
    assert any("Our aid convoy al1" in t for t in lender) and any("1/2 medical teams" in t for t in lender)
    d.next(3)
    assert [r.tone for r in seat_view.aid_picture(d.session, "c2")] == ["ok"]
    assert [r.tone for r in seat_view.aid_picture(Driver(_two_counties()).session, "c2")] == ["dim"]
    assert before != d.state.to_data()


def test_central_allocates_only_a_request_it_has_received():
    d = Driver(_two_counties())
    d.do("commander", "request_aid", county="c2", id="rq1", to="w9", goods={"rice": 100})
    assert d.state.aid_requests["rq1"]["state"] == "sent"
    assert rejected(_give(d, goods={"rice": 100}, trucks=0, medical_teams=0, shelter_places=0))["rule"] == \
        "aid_request_not_received"
    assert [c.value for c in seat_choices(d, "allocate_aid.request")] == []  # central does not list it yet
    d.next()
    received = d.events("aid_request_received")
    assert received and received[0]["request"] == "rq1" and received[0]["delay_turns"] >= 0
    assert [c.value for c in seat_choices(d, "allocate_aid.request")] == ["rq1"]
    assert accepted(_give(d, goods={"rice": 100}, trucks=0, medical_teams=0, shelter_places=0))


def seat_choices(d, key):
    from tabletop.distribution import seat_view

    return seat_view.CHOICES[key](d.session, None, "central")


def test_policy_bots_read_a_scenario_whose_default_fleet_is_null():
    # The full national scenario gives every county its fleet and no default one (default_fleet: null).
    from tabletop.bots.doctrine import read_book

    data = copy.deepcopy(BASE)
    data["distribution"]["default_fleet"] = None
    loaded = load_scenario_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "nofleet.yaml")
    assert loaded.ok
    assert read_book(loaded.scenario).capacity_kg == 3000
