"""A small county for distribution tests, and a driver that plays it turn by turn."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from tabletop import api
from tabletop.core.commands import Command
from tabletop.api import load_scenario_text

BASE: dict[str, Any] = {
    "scenario": {"id": "dist-test", "title": {"zh_TW": "配售測試", "en": "Distribution test"}},
    "clock": {"start": "2026-07-14T08:00:00+08:00", "minutes_per_turn": 60, "turns": 200},
    "goods": [
        {"id": "rice", "name": {"zh_TW": "米", "en": "rice"}, "unit": "kg", "per_person_per_day": 0.25},
        {"id": "lpg", "name": {"zh_TW": "瓦斯", "en": "LPG"}, "unit": "cylinder", "per_person_per_day": 0.01},
        {"id": "water", "name": {"zh_TW": "水", "en": "water"}, "unit": "L", "per_person_per_day": 3.0},
    ],
    "counties": [{
        "id": "c1", "name": {"zh_TW": "甲縣", "en": "County A"},
        "townships": [
            {"id": "a", "name": {"zh_TW": "甲鄉", "en": "A"}, "population": 10000, "villages": 5, "shelters": ["school_a"]},
            {"id": "b", "name": {"zh_TW": "乙鄉", "en": "B"}, "population": 5000, "villages": 3},
            {"id": "r", "name": {"zh_TW": "山鄉", "en": "R"}, "population": 2000, "villages": 2, "remote": True},
        ],
        "warehouses": [
            {"id": "w1", "name": {"zh_TW": "倉一", "en": "W1"}, "township": "a",
             "stock": {"rice": 50000, "lpg": 300, "water": 100000}},
            {"id": "w2", "name": {"zh_TW": "倉二", "en": "W2"}, "township": "b", "stock": {"rice": 10000, "water": 20000}},
        ],
    }],
    "distribution": {
        "roads": [
            {"id": "ab", "a": "a", "b": "b", "minutes": 30},
            {"id": "br", "a": "b", "b": "r", "minutes": 90},
            {"id": "ar", "a": "a", "b": "r", "minutes": 200},
        ],
        "fleets": [{"county": "c1", "vehicles": 4, "capacity_kg": 3000}],
        "reserved_sites": [{"township": "b", "site": "clinic_b", "use": "first_aid_station"}],
    },
}


def scenario(**changes: Any) -> Any:
    """The test scenario with top-level sections replaced or merged (``distribution`` merges)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key == "distribution":
            data["distribution"].update(value)
        else:
            data[key] = value
    loaded = load_scenario_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "test.yaml")
    assert loaded.ok, loaded.problems
    return loaded


class Driver:
    """Plays a session: ``do`` issues a command in the current orders phase, ``next`` ends the turn."""

    def __init__(self, loaded: Any = None, seed: int = 1) -> None:
        self.session, header = api.new_session(loaded or scenario(), seed)
        self.records: list[dict] = [header]
        self._control("start")
        self._control("advance")
        self._control("advance")

    @property
    def state(self) -> Any:
        return self.session.domain("distribution")

    def _control(self, kind: str) -> list[dict]:
        out = self.session.submit(Command(None, None, "facilitator", kind, {}))
        self.records += out
        return out

    def do(self, role: str, kind: str, county: str | None = "c1", **args: Any) -> list[dict]:
        out = self.session.submit(Command(None, county if role != "central" else None, role, kind, args))
        self.records += out
        return out

    def next(self, turns: int = 1) -> list[dict]:
        """Adjudicate and end the turn, then open the next turn's orders phase."""
        out: list[dict] = []
        for _ in range(turns):
            out += self._control("advance") + self._control("advance")
            out += self._control("advance") + self._control("advance")
        return out

    def events(self, kind: str, since: int = 0) -> list[dict]:
        return [r["data"] for r in self.records[since:] if r["kind"] == kind]

    def served(self, since: int = 0) -> list[dict]:
        """Each station's line of each turn ({station, good, turn, people, quantity, unmet, queue}),
        from the per-county ``distribution_served`` records."""
        return [{"station": station, "good": good, "turn": data["turn"], **line}
                for data in self.events("distribution_served", since)
                for station, goods in sorted(data["stations"].items()) for good, line in sorted(goods.items())]


def rejected(out: list[dict]) -> dict | None:
    for record in out:
        if record["kind"] == "command_rejected":
            return record["data"]
    return None


def accepted(out: list[dict]) -> bool:
    return rejected(out) is None
