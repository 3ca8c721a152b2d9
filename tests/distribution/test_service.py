"""Throughput, staffing, suspension, quotas, remote coverage, panic and announcements."""

import copy
import math

from dist_helpers import BASE, Driver, accepted, scenario


BIG_FLEET = {"fleets": [{"county": "c1", "vehicles": 4, "capacity_kg": 20000}]}


def _driver(**dist):
    return Driver(scenario(distribution=BIG_FLEET | dist))


def _ready(d, stations, rice=40000):
    """Declare, ration rice (0.25 kg/day, 3 purchases), open stations and stock them; play to 08:00 of day 2."""
    d.do("central", "declare_shortage", goods=["rice", "lpg", "water"])
    assert accepted(d.do("supply", "set_ration", good="rice", per_person_per_day=0.25, purchases_per_month=3))
    for sid, town, kind, staff in stations:
        assert accepted(d.do("civil_affairs", "open_station", id=sid, township=town, site=f"site_{sid}", type=kind, staff=staff))
    d.next(23)  # now turn 24 (07:00 of day 2): stations are open
    for n, (sid, *_rest) in enumerate(stations):
        assert accepted(d.do("supply", "dispatch", id=f"cv{n}", **{"from": "w1", "to": sid, "goods": {"rice": rice / len(stations)}, "vehicles": 4}))
        d.next(3)  # vehicles come back


def _served(d, station, turn=None):
    return [e for e in d.served() if e["station"] == station and (turn is None or e["turn"] == turn)]


def test_throughput_per_open_hour_and_staffing_cap():
    # Big townships so queues never run dry (R's limit of 3 purchases a month is law: a 10-day
    # window, so many people); a small quota (0.025 kg a day: 0.25 kg a purchase) so stock lasts.
    counties = copy.deepcopy(BASE["counties"])
    for town in counties[0]["townships"]:
        town["population"] = 400000
    d = Driver(scenario(counties=counties))
    d.do("central", "declare_shortage", goods=["rice"])
    d.do("supply", "set_ration", good="rice", per_person_per_day=0.025, purchases_per_month=3)  # 10-day window
    d.do("civil_affairs", "open_station", id="full", township="a", site="g1", type="type_III", staff=19)
    d.do("civil_affairs", "open_station", id="half", township="b", site="g2", type="type_III", staff=9)
    d.do("supply", "dispatch", id="c1", **{"from": "w1", "to": "full", "goods": {"rice": 3000}, "vehicles": 1})
    d.do("supply", "dispatch", id="c2", **{"from": "w2", "to": "half", "goods": {"rice": 3000}, "vehicles": 1})
    d.next(26)  # day 2, 09:00
    per_hour = 5000 / 12
    full = _served(d, "full", 26)[0]
    half = _served(d, "half", 26)[0]
    assert full["people"] == math.floor(per_hour)
    assert half["people"] == math.floor(per_hour * 9 / 19)
    assert full["quantity"] == full["people"] * 0.25


def test_no_service_at_night_or_when_suspended():
    d = _driver()
    _ready(d, [("s1", "a", "type_II", 34)])
    served_before = len(_served(d, "s1"))
    assert served_before > 0
    assert accepted(d.do("civil_affairs", "suspend_station", station="s1", reason="air_raid"))
    turn = d.session.turn + 1  # the order reaches the township office in this turn's adjudication
    d.next(3)
    assert [e for e in _served(d, "s1") if e["turn"] >= turn and e["people"]] == []
    assert accepted(d.do("civil_affairs", "resume_station", station="s1"))
    d.next(2)  # received in this turn's adjudication, serving from the next
    assert _served(d, "s1", d.session.turn - 1)[0]["people"] > 0
    night = [e for e in _served(d, "s1") if (e["turn"] - 1) % 24 >= 12 and e["people"]]
    assert night == []  # open 08:00-20:00 only


def test_quota_caps_purchases_per_person_per_window():
    d = _driver()
    _ready(d, [("s1", "a", "type_I", 78), ("s2", "b", "type_I", 78)], rice=50000)
    # Panic makes everyone come at once; still nobody buys more than the quota for the window.
    d.session.domain("distribution").panic.update({"a": 3.0, "b": 3.0})
    d.next(100)
    window = d.state.rations["c1"]["rice"]["window_turns"]
    served = [e for e in d.served() if e["good"] == "rice" and e["turn"] < 1 + window]
    people = sum(e["people"] for e in served)
    quantity = sum(e["quantity"] for e in served)
    eligible = 10000 + 5000 + 2000
    assert people <= eligible
    assert quantity <= eligible * 0.25 * 10 + 1e-6
    assert abs(quantity - people * 2.5) < 1e-6


def test_people_leave_long_queues_as_unmet_need():
    d = _driver(params={"queue_patience_minutes": 60})
    _ready(d, [("s1", "a", "type_III", 19)], rice=100)  # 40 purchases of stock for 10,000 people
    d.session.domain("distribution").panic["a"] = 3.0
    d.next(10)
    assert sum(e["unmet"] for e in _served(d, "s1")) > 0
    assert {"station": "s1", "good": "rice"} in d.events("stockout")


def test_remote_township_needs_its_own_station():
    d = _driver()
    _ready(d, [("s1", "a", "type_I", 78), ("s2", "b", "type_I", 78)])
    d.next(24)
    # r is remote and 90 minutes from b: nobody from r was served; a and b were.
    lines = d.state.lines
    assert lines["r"]["rice"].pending > 0
    assert lines["a"]["rice"].pending == 0
    d.do("civil_affairs", "open_station", id="s3", township="r", site="hall_r", type="type_III", staff=19)
    d.do("supply", "dispatch", id="cvr", **{"from": "w2", "to": "s3", "goods": {"rice": 3000}, "vehicles": 1})
    d.next(30)
    assert sum(e["people"] for e in _served(d, "s3")) > 0
    assert d.state.lines["r"]["rice"].pending < 100


def test_neighbours_travel_to_a_station_but_fewer_come():
    d = _driver()
    _ready(d, [("s1", "a", "type_I", 78)])
    d.next(24)
    # b is 30 minutes from a (max 60): half of b's waiting people set out each turn.
    assert d.state.lines["b"]["rice"].visited > 0
    assert d.state.lines["b"]["rice"].pending <= d.state.lines["b"]["rice"].visited


def test_panic_raises_demand_and_announcements_lower_it():
    d = Driver()
    d.do("central", "declare_shortage", goods=["rice"])
    d.do("supply", "set_ration", good="rice", per_person_per_day=0.25, purchases_per_month=3)
    state = d.state
    state.panic["a"] = 3.0
    d.next()
    calm = state.lines["b"]["rice"].visited
    busy = state.lines["a"]["rice"].visited
    assert busy > 2 * calm * 10000 / 5000 * 0.9  # a has twice b's people and ~2.7x the panic
    before = state.panic_of("a")
    assert accepted(d.do("commander", "announce", audience="甲鄉", message="存糧充足，請勿搶購。"))
    d.next()
    after = state.panic_of("a")
    decayed = 1 + (before - 1) * 0.9
    assert abs(after - (1 + (decayed - 1) * 0.5)) < 1e-9
    changed = [e for e in d.events("panic_changed") if e["cause"] == "announcement"]
    assert changed and list(changed[0]["panic"]) == ["a"]


def test_lpg_is_sold_from_the_depot_never_stored_at_the_station():
    d = Driver()
    d.do("central", "declare_shortage", goods=["lpg"])
    assert accepted(d.do("supply", "set_ration", good="lpg", per_person_per_day=0.01, purchases_per_month=1))
    d.do("civil_affairs", "open_station", id="s1", township="a", site="g1", type="type_I", staff=78)
    d.next(30)
    sold = sum(e["quantity"] for e in _served(d, "s1") if e["good"] == "lpg")
    assert sold > 0
    assert d.state.stations["s1"].stock.get("lpg", 0) == 0
    assert abs(d.state.warehouses["w1"]["lpg"] - (300 - sold)) < 1e-6


def test_specific_persons_can_be_included():
    d = Driver()
    d.do("central", "declare_shortage", goods=["rice"])
    d.do("supply", "set_ration", good="rice", per_person_per_day=0.25, purchases_per_month=1, specific_persons=True)
    d.session.domain("distribution").panic["a"] = 1e6  # set directly: everyone sets out at once
    d.next()
    assert d.state.lines["a"]["rice"].visited == 10300  # population + 3%
