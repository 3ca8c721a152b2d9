"""A snapshot encoded at once (the rollback checkpoint, the replay index) carries the stations
themselves (``DistState.live_data``): it holds what ``to_data`` holds and restores to a session
that plays on exactly as the original does."""

from dist_helpers import Driver, accepted, scenario

from tabletop.core import canonical
from tabletop.core.commands import Command
from tabletop.core.session import Session


def _played() -> Driver:
    d = Driver(scenario(distribution={"fleets": [{"county": "c1", "vehicles": 4, "capacity_kg": 20000}]}))
    d.do("central", "declare_shortage", goods=["rice", "lpg", "water"])
    assert accepted(d.do("supply", "set_ration", good="rice", per_person_per_day=0.25, purchases_per_month=3))
    assert accepted(d.do("supply", "set_ration", good="water", per_person_per_day=3.0, purchases_per_month=3))
    for sid, town in (("s1", "a"), ("s2", "b"), ("s3", "r")):
        assert accepted(d.do("civil_affairs", "open_station", id=sid, township=town, site=f"site_{sid}",
                             type="type_II", staff=20))
    d.next(23)
    assert accepted(d.do("supply", "dispatch", id="cv1", **{"from": "w1", "to": "s1", "goods": {"rice": 900, "water": 5000},
                                                            "vehicles": 2}))
    d.next(5)  # stock, queues and stock-outs (s2 and s3 hold nothing) in the stations
    return d


def test_live_station_data_is_to_data_and_its_id():
    d = _played()
    state = d.state
    frozen = canonical.thaw(canonical.freeze(d.session.snapshot(copied=False)))["domains"]["distribution"]
    assert frozen["stations"] == {sid: {"id": sid, **state.stations[sid].to_data()} for sid in state.station_ids()}
    assert any(s.queues for s in state.stations.values()) and any(s.out for s in state.stations.values())
    assert {k: v for k, v in frozen.items() if k != "stations"} == \
        {k: v for k, v in canonical.thaw(canonical.freeze(state.to_data())).items() if k != "stations"}


def test_a_session_restored_from_live_data_plays_on_the_same():
    d = _played()
    session = d.session
    restored = Session.from_snapshot(session.scenario, d.records[0], canonical.thaw(canonical.freeze(
        session.snapshot(copied=False))), session.parts, owned=True)
    assert canonical.digest(restored.snapshot()) == canonical.digest(session.snapshot())
    before = len(d.records)
    d.next(12)  # through a night and the next day's service
    out = []
    for _ in range(48):
        out += restored.submit(Command(None, None, "facilitator", "advance", {}))
    assert [r.line for r in out] == [r.line for r in d.records[before:]]
    assert any(r["kind"] == "distribution_served" for r in out)
