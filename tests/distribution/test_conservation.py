import pytest
"""Goods are conserved over a long random run; the run is deterministic; effects act on the world."""

import random

from dist_helpers import Driver, scenario

from tabletop.core import canonical
from tabletop.distribution import supply


def _inject(ident, turn, role, effects):
    return {"id": ident, "at_turn": turn, "county": "c1", "role": role,
            "title": {"zh_TW": ident, "en": ident}, "text": {"zh_TW": ident, "en": ident}, "effects": effects}


INJECTS = [
    _inject("shortage", 2, "commander", [{"type": "shortage_declared", "goods": ["rice", "water", "lpg"]}]),
    _inject("rumour", 3, "comms", [{"type": "panic", "county": "c1", "add": 1.0}]),
    _inject("strike", 15, "supply", [{"type": "goods_lost", "place": "w1", "share": 0.3}]),
    _inject("aid", 30, "supply", [{"type": "goods_inflow", "place": "w2", "goods": {"rice": 5000, "lpg": 50}}]),
    _inject("bridge", 40, "civil_affairs", [{"type": "road_closed", "road": "ab"}]),
    _inject("repair", 60, "civil_affairs", [{"type": "road_opened", "road": "ab"}]),
    _inject("raid", 70, "commander", [{"type": "stations_suspended", "county": "c1", "reason": "air_raid", "turns": 2}]),
]


def _random_run(seed, turns=160):
    d = Driver(scenario(injects=INJECTS, distribution={"fleets": [{"county": "c1", "vehicles": 6, "capacity_kg": 8000}]}))
    rnd = random.Random(seed)
    towns, goods, places = ["a", "b", "r"], ["rice", "water", "lpg"], ["w1", "w2"]
    n = 0
    for _ in range(turns):
        for _ in range(rnd.randint(0, 4)):
            n += 1
            stations = sorted(d.state.stations)
            choice = rnd.random()
            if choice < 0.2:
                d.do("civil_affairs", "open_station", id=f"s{n}", township=rnd.choice(towns), site=f"site{n}",
                     type=rnd.choice(["type_I", "type_II", "type_III"]), staff=rnd.randint(0, 80))
            elif choice < 0.5 and stations:
                src = rnd.choice(places * 3 + stations)  # mostly warehouse to station, sometimes back
                dst = rnd.choice(places + stations * 3)
                d.do("supply", "dispatch", id=f"c{n}", **{"from": src, "to": dst, "vehicles": rnd.randint(1, 3),
                     "goods": {rnd.choice(goods): rnd.choice([10, 100, 1000, 3000])}})
            elif choice < 0.6:
                d.do("supply", "set_ration", good=rnd.choice(goods), per_person_per_day=rnd.choice([0.01, 0.25, 1.0]),
                     purchases_per_month=rnd.randint(1, 3))
            elif choice < 0.7 and stations:
                d.do("civil_affairs", rnd.choice(["suspend_station", "resume_station", "close_station"]),
                     station=rnd.choice(stations), **({"reason": "other"} if rnd.random() < 0.5 else {}))
            elif choice < 0.8 and stations:
                d.do("civil_affairs", "staff_station", station=rnd.choice(stations), staff=rnd.randint(0, 80))
            elif choice < 0.85:
                d.do("commander", "announce", audience=rnd.choice(["全體", "甲鄉"]), message="m")
        d.next()
        yield d


@pytest.mark.slow
def test_goods_are_conserved_over_a_long_random_run():
    sold_any = False
    for d in _random_run(3):
        for good in ("rice", "water", "lpg"):
            have, want = supply.balance(d.state, good)
            assert abs(have - want) <= 1e-6 * max(1.0, want), (d.session.turn, good, have, want)
            assert all(q >= -1e-9 for s in d.state.warehouses.values() for q in s.values())
            assert all(q >= -1e-9 for s in d.state.stations.values() for q in s.stock.values())
        sold_any = sold_any or d.state.ledger["rice"]["sold"] > 0
    kinds = {r["kind"] for r in d.records}
    assert sold_any
    assert {"goods_lost", "goods_inflow", "road_state", "convoy_arrived", "distribution_served", "stockout"} <= kinds
    assert d.state.ledger["rice"]["loss"] > 0 and d.state.ledger["rice"]["inflow"] == 5000
    assert not [r for r in d.records if r["kind"] == "command_rejected" and r["data"]["rule"] == "internal"]


def test_same_seed_and_commands_give_identical_records_and_state():
    def play():
        *_, d = _random_run(9, turns=80)
        return canonical.dumps(d.records).encode(), canonical.dumps(d.session.snapshot())
    assert play() == play()


def test_suspension_by_inject_resumes_by_itself():
    for d in _random_run(5, turns=75):
        pass
    states = [e for e in d.events("station_state") if e["reason"] in ("air_raid", "inject_over")]
    if any(e["reason"] == "air_raid" for e in states):
        assert any(e["reason"] == "inject_over" and e["to"] == "open" for e in states)
