"""Convoys take road time, hold their goods in transit, and are blocked or rerouted by closures."""

from dist_helpers import Driver, accepted, rejected, scenario

from tabletop.distribution.effects import set_road


def _station(d, sid="s3", town="r"):
    assert accepted(d.do("civil_affairs", "open_station", id=sid, township=town, site="hall", type="type_III", staff=19))


def test_travel_time_and_goods_in_transit():
    d = Driver()
    _station(d)
    # w2 (b) -> r: 90 minutes by road br, plus 60 minutes loading = 150 minutes: arrives in turn 1 + 3 - 1 = 3.
    out = d.do("supply", "dispatch", id="cv", **{"from": "w2", "to": "s3", "goods": {"rice": 1000}, "vehicles": 1})
    sent = [r["data"] for r in out if r["kind"] == "convoy_dispatched"][0]
    assert sent["minutes"] == 150 and sent["eta_turn"] == 3 and sent["route"] == ["br"]
    assert d.state.warehouses["w2"]["rice"] == 9000
    d.next()
    assert d.state.stations["s3"].stock.get("rice", 0) == 0
    assert d.state.in_transit("rice") == 1000
    d.next()
    assert d.events("convoy_arrived") == []
    d.next()
    arrived = d.events("convoy_arrived")
    assert len(arrived) == 1 and arrived[0]["minutes"] == 150
    assert d.state.stations["s3"].stock["rice"] == 1000 and d.state.in_transit("rice") == 0


def test_closed_road_reroutes_a_convoy():
    d = Driver()
    _station(d)
    d.do("supply", "dispatch", id="cv", **{"from": "w2", "to": "s3", "goods": {"rice": 1000}, "vehicles": 1})
    d.next()  # 60 minutes of loading done, now at b
    set_road(d.session, "br", True, "test")
    d.next()
    blocked = d.events("convoy_blocked")
    # b -> a (30) -> r (200): rerouted, arrives later.
    assert blocked and blocked[0]["rerouted"] and blocked[0]["route"] == ["ab", "ar"]
    d.next(4)
    assert d.events("convoy_arrived") and d.state.stations["s3"].stock["rice"] == 1000


def test_no_route_blocks_then_resumes_when_the_road_reopens():
    d = Driver()
    _station(d)
    set_road(d.session, "br", True, "test")
    set_road(d.session, "ar", True, "test")
    out = d.do("supply", "dispatch", id="cv0", **{"from": "w2", "to": "s3", "goods": {"rice": 1000}, "vehicles": 1})
    assert rejected(out)["rule"] == "no_route"
    set_road(d.session, "br", False, "test")
    assert accepted(d.do("supply", "dispatch", id="cv", **{"from": "w2", "to": "s3", "goods": {"rice": 1000}, "vehicles": 1}))
    d.next()
    set_road(d.session, "br", True, "test")
    d.next(3)
    blocked = d.events("convoy_blocked")
    assert len(blocked) == 1 and not blocked[0]["rerouted"]
    assert d.state.convoys["cv"].state == "blocked" and d.state.in_transit("rice") == 1000
    set_road(d.session, "br", False, "test")
    d.next(2)
    assert d.state.convoys["cv"].state == "arrived"


def test_vehicles_return_after_the_trip():
    d = Driver(scenario(distribution={"fleets": [{"county": "c1", "vehicles": 1, "capacity_kg": 3000}]}))
    _station(d, "s1", "a")
    assert accepted(d.do("supply", "dispatch", id="c1", **{"from": "w1", "to": "s1", "goods": {"rice": 100}, "vehicles": 1}))
    assert rejected(d.do("supply", "dispatch", id="c2", **{"from": "w1", "to": "s1", "goods": {"rice": 100}, "vehicles": 1}))["rule"] == "vehicles"
    d.next(3)
    assert accepted(d.do("supply", "dispatch", id="c2", **{"from": "w1", "to": "s1", "goods": {"rice": 100}, "vehicles": 1}))
