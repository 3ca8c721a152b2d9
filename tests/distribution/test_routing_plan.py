"""Where people can go (service.Plan) is kept between turns only while nothing it depends on
changed: a session that keeps it logs the same bytes as one that works it out every turn."""

import copy

from dist_helpers import BASE, Driver, accepted, scenario

from tabletop.distribution import service
from tabletop.distribution.effects import set_road


def _scenario():
    counties = copy.deepcopy(BASE["counties"])
    for town in counties[0]["townships"]:
        town["population"] *= 20  # queues that outlast a turn: every turn routes people
    return scenario(counties=counties, distribution={"fleets": [{"county": "c1", "vehicles": 6, "capacity_kg": 20000}]})


def _play(keep: bool, monkeypatch) -> tuple[Driver, list[int]]:
    """A session with stations in every township, their staff changed, one suspended and resumed,
    and a road cut and reopened while they serve; ``keep`` False forgets the plan before every
    adjudication. Returns the
    driver and, per adjudication, the id of the plan it routed with."""
    used: list[int] = []
    made = service.plan

    def plan(state, open_stations, caps):
        if not keep:
            state._plan = None
        found = made(state, open_stations, caps)
        used.append(id(found))
        return found

    monkeypatch.setattr(service, "plan", plan)
    d = Driver(_scenario())
    d.do("central", "declare_shortage", goods=["rice", "lpg", "water"])
    for good, quota, per_month in (("rice", 0.25, 3), ("water", 3.0, 3), ("lpg", 0.011, 1)):
        assert accepted(d.do("supply", "set_ration", good=good, per_person_per_day=quota, purchases_per_month=per_month))
    for sid, town, kind, staff in (("s1", "a", "type_II", 34), ("s2", "a", "type_I", 12), ("s3", "b", "type_II", 34),
                                   ("s4", "r", "type_I", 12)):
        assert accepted(d.do("civil_affairs", "open_station", id=sid, township=town, site=f"site_{sid}", type=kind,
                             staff=staff))
    d.next(23)
    for n, sid in enumerate(("s1", "s2", "s3", "s4")):
        assert accepted(d.do("supply", "dispatch", id=f"cv{n}", **{"from": "w1", "to": sid,
                                                                     "goods": {"rice": 2000, "water": 8000}, "vehicles": 1}))
    d.next(6)
    assert accepted(d.do("civil_affairs", "staff_station", station="s1", staff=17))  # half the capacity
    d.next(4)
    assert accepted(d.do("civil_affairs", "suspend_station", station="s3", reason="power_outage"))
    d.next(6)
    assert accepted(d.do("civil_affairs", "resume_station", station="s3"))
    d.next(12)  # 11:00 of day 3, the same stations serving since the morning
    set_road(d.session, "ab", True, "test")  # a's people can no longer reach b: nothing else changes
    d.next(3)
    set_road(d.session, "ab", False, "test")
    d.next(20)
    return d, used


def test_a_kept_plan_routes_as_one_worked_out_every_turn(monkeypatch):
    kept, used = _play(True, monkeypatch)
    fresh, _ = _play(False, monkeypatch)
    assert [r["hash"] for r in kept.records] == [r["hash"] for r in fresh.records]
    assert kept.served() and any(line["queue"] for line in kept.served())  # people were routed and queued
    # Kept for whole days at a time, but made again after each change (staff, suspension, road, resumption).
    distinct = len(set(used))
    assert 5 <= distinct < len(used) // 4


def test_night_routes_nobody_and_keeps_the_day_plan(monkeypatch):
    d, _ = _play(True, monkeypatch)
    state = d.state
    day = state._plan
    assert day is not None and day.serving
    stations = [state.stations[sid] for sid in state.station_ids()]
    assert service.plan(state, stations, {s.id: 0 for s in stations}).serving == []
    assert state._plan is day
