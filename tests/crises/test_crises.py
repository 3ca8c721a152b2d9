"""Crisis effects: what each changes and when it ends; alerts and relay; shelters; care stations."""

import os

from conftest import FIXTURES
from tabletop import api
from tabletop.core.commands import Command
from tabletop.api import load_scenario_text

BASE = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read().replace("turns: 3", "turns: 8").replace("minutes_per_turn: 60", "minutes_per_turn: 360")
BASE = BASE.replace("      - {id: t1, name: {zh_TW: 甲鄉, en: A}, population: 1000}",
                    "      - {id: t1, name: {zh_TW: 甲鄉, en: A}, population: 1000, shelters: [s1]}\n"
                    "      - {id: t2, name: {zh_TW: 乙鄉, en: B}, population: 4000}")


def F(kind, **args):
    return Command(None, None, "facilitator", kind, args)


def P(role, kind, **args):
    return Command(None, "c1", role, kind, args)


def build(effects, extra="", turn=2):
    text = BASE + f"""  - id: X1
    at_turn: {turn}
    county: c1
    role: commander
    title: {{zh_TW: 狀況, en: Crisis}}
    text: {{zh_TW: 狀況, en: Crisis}}
    effects: {effects}
""" + extra
    loaded = load_scenario_text(text, "crisis.yaml")
    assert loaded.ok, loaded.problems
    session = api.new_session(loaded, 1)[0]
    records = []
    records += session.submit(F("start"))
    records += session.submit(F("advance"))
    return session, records


def until(session, records, turn, phase="orders"):
    while not (session.turn == turn and session.state == f"running_{phase}"):
        records += session.submit(F("advance"))
    return records


def kinds(records, kind):
    return [r for r in records if r["kind"] == kind]


SHELTERS = """crises:
  shelters:
    - {id: s1, township: t1, area_m2: 150}
"""


def test_air_raid_alert_suspends_shelters_and_ends_with_all_clear():
    session, records = build("[{type: air_raid_alert, area: [t1], duration: 2}]", SHELTERS, turn=5)
    records = until(session, records, 1)
    records += session.submit(P("civil_affairs", "open_station", id="d1", township="t1", site="market", type="type_III", staff=19))
    records = until(session, records, 5)
    alert = kinds(records, "alert_issued")[0]["data"]
    assert alert["area"] == ["t1"] and alert["until_turn"] == 6
    occupancy = kinds(records, "shelter_occupancy")[0]["data"]
    assert occupancy == {"township": "t1", "people": 300, "capacity": 200, "over_capacity": 100}
    suspended = [r for r in kinds(records, "station_state") if r["data"]["to"] == "suspended"]
    assert suspended and suspended[0]["data"]["reason"] == "air_raid" and suspended[0]["turn"] == 5
    assert session.domain("crises")["alerts"]
    records = until(session, records, 6)
    assert not kinds(records, "all_clear")
    records = until(session, records, 7, "injects")
    assert kinds(records, "all_clear")[0]["data"]["area"] == ["t1"]
    assert not session.domain("crises")["alerts"]


def test_relay_reaches_township_offices_over_comms():
    session, records = build("[{type: air_raid_alert, area: [t1, t2]}]")
    records = until(session, records, 2)
    records += session.submit(P("commander", "relay_alert"))
    records = until(session, records, 2, "adjudication")
    relayed = {r["data"]["township"]: r["data"]["delay_turns"] for r in kinds(records, "alert_relayed")}
    assert relayed == {"t1": 0, "t2": 0}
    session2, records2 = build("[]")
    records2 = until(session2, records2, 2)
    out = session2.submit(P("commander", "relay_alert"))
    assert out[-1]["data"]["rule"] == "no_alert"


def test_first_aid_and_relief_stations_serve_and_respect_sites():
    session, records = build("[{type: mass_casualty, township: t2, casualties: 100}, {type: displacement, township: t2, people: 500}]")
    records = until(session, records, 2)
    records += session.submit(P("health", "open_first_aid_station", id="fa1", township="t2", site="clinic", staff=15))
    records += session.submit(P("civil_affairs", "open_station", id="d1", township="t2", site="hall", type="type_III", staff=19))
    bad = session.submit(P("social_affairs", "open_relief_station", id="rl1", township="t2", site="hall", staff=20))
    assert bad[-1]["data"]["rule"] == "care.siting"
    bad = session.submit(P("social_affairs", "open_relief_station", id="rl2", township="t1", site="s1", staff=20))
    assert bad[-1]["data"]["rule"] == "care.siting"
    records += session.submit(P("social_affairs", "open_relief_station", id="rl3", township="t2", site="school", staff=10))
    bad = session.submit(P("civil_affairs", "open_station", id="d2", township="t2", site="clinic", type="type_III", staff=19))
    assert bad[-1]["data"]["rule"] == "R.siting"  # distribution also refuses a care station's site
    records = until(session, records, 4)
    treated = sum(r["data"]["people"] for r in kinds(records, "casualties_treated"))
    registered = sum(r["data"]["people"] for r in kinds(records, "displaced_registered"))
    assert treated == 60  # one standard first-aid station, fully staffed, one open turn (turn 3)
    assert registered == 200  # half-staffed relief station: 10/20 of 400 a turn
    assert kinds(records, "casualties_died")  # those who waited


def test_strike_on_a_warehouse_destroys_stock_and_causes_casualties():
    session, records = build("[{type: strike, target: warehouse, id: w1, severity: 0.4, casualties: 5}]")
    before = session.domain("distribution").warehouses["w1"]["rice"]
    records = until(session, records, 2)
    after = session.domain("distribution").warehouses["w1"]["rice"]
    assert after == before * 0.6
    assert session.domain("crises")["casualties"] == {"t1": 5}


def test_earthquake_is_built_from_the_other_effects():
    session, records = build("[{type: earthquake, area: [t2], severity: 1.0, duration: 2}]")
    records = until(session, records, 2)
    compound = sorted(r["data"]["type"] for r in kinds(records, "effect_applied") if r["data"].get("via") == "compound")
    assert compound == ["base_station_down", "power_outage"]
    state = session.domain("crises")
    assert state["casualties"] == {"t2": 4} and state["displaced"] == {"t2": 80}
    assert "t2" in session.domain("comms")["power_off"]


def test_panic_buying_and_disinformation_raise_demand():
    session, records = build("[{type: disinformation, rumour: 米已賣完, audience: [t2], multiplier: 2.0}]")
    records = until(session, records, 2)
    assert kinds(records, "rumour")[0]["data"]["audience"] == ["t2"]
    assert session.domain("distribution").panic.get("t2", 1.0) > 1.0
    assert session.domain("distribution").panic.get("t1", 1.0) == 1.0


def test_power_outage_suspends_stations_without_a_generator():
    session, records = build("[{type: power_outage, area: [t1, t2], duration: 2}]", turn=5)
    records = until(session, records, 1)
    for ident, town in (("d1", "t1"), ("d2", "t2")):
        records += session.submit(P("civil_affairs", "open_station", id=ident, township=town, site="hall", type="type_III", staff=19))
    records = until(session, records, 5)
    suspended = sorted(r["data"]["station"] for r in kinds(records, "station_state")
                       if r["data"]["to"] == "suspended" and r["data"]["reason"] == "power_outage")
    assert suspended == ["d1", "d2"]


def test_blockade_cuts_imports_but_not_central_allocations():
    extra = """  - id: X2
    at_turn: 3
    county: c1
    role: supply
    title: {zh_TW: 進口, en: Imports}
    text: {zh_TW: 進口, en: Imports}
    effects:
      - {type: goods_inflow, place: w1, goods: {rice: 100}, source: import}
      - {type: goods_inflow, place: w1, goods: {rice: 50}}
"""
    session, records = build("[{type: blockade, goods: [rice], import_cut: 0.75}]", extra)
    before = session.domain("distribution").warehouses["w1"]["rice"]
    records = until(session, records, 3)
    assert session.domain("distribution").warehouses["w1"]["rice"] == before + 25 + 50
    assert kinds(records, "blockade")[0]["data"] == {"goods": ["rice"], "import_cut": 0.75}


def test_typhoon_all_clear_no_show_breakdown_and_panic_buying():
    session, records = build("[{type: typhoon, area: [t2], severity: 0.5, duration: 1}, "
                             "{type: panic_buying, townships: [t1], multiplier: 2.0}, "
                             "{type: vehicle_breakdown, resource: truck-9}, "
                             "{type: air_raid_alert, area: [t1], duration: 5}]", turn=3)
    records = until(session, records, 1)
    records += session.submit(P("civil_affairs", "open_station", id="d1", township="t2", site="hall", type="type_III", staff=19))
    records = until(session, records, 3)
    crises = session.domain("crises")
    assert crises["displaced"] == {"t2": 20}  # 4,000 x 0.5 x 1 %
    assert "t2" in session.domain("comms")["power_off"]
    assert session.domain("distribution").panic["t1"] > 1.0
    assert crises["breakdowns"] == {"truck-9": 3}
    assert crises["alerts"]["t1"]["until"] == 7
    extra = """  - id: X3
    at_turn: 4
    county: c1
    role: commander
    title: {zh_TW: 解除, en: All clear}
    text: {zh_TW: 解除, en: All clear}
    effects:
      - {type: all_clear, area: [t1]}
      - {type: volunteer_no_show, station: d1, share: 0.5}
"""
    session, records = build("[{type: air_raid_alert, area: [t1], duration: 5}]", extra, turn=3)
    records = until(session, records, 1)
    records += session.submit(P("civil_affairs", "open_station", id="d1", township="t2", site="hall", type="type_III", staff=19))
    records = until(session, records, 4)
    assert not session.domain("crises")["alerts"] and kinds(records, "all_clear")[0]["turn"] == 4
    assert kinds(records, "volunteers_missing")[0]["data"] == {"station": "d1", "before": 19, "after": 9}
    assert session.domain("distribution").stations["d1"].staff == 9


def test_convoys_stop_during_an_alert():
    roads = """distribution:
  roads:
    - {id: r12, a: t1, b: t2, minutes: 600}
"""
    session, records = build("[{type: air_raid_alert, area: [t1], duration: 2}]", roads, turn=3)
    records = until(session, records, 1)
    records += session.submit(P("civil_affairs", "open_station", id="d1", township="t2", site="hall", type="type_III", staff=19))
    records = until(session, records, 2)
    out = session.submit(P("supply", "dispatch", id="cv1", **{"from": "w1"}, to="d1", goods={"rice": 10}, vehicles=1))
    assert not [r for r in out if r["kind"] == "command_rejected"], out
    records = until(session, records, 3, "turnend")
    held = kinds(records, "convoy_held")
    assert held and held[0]["data"]["at"] == "t1"
