"""The distribution slice of session state: warehouses, stations, convoys, demand lines.

Everything here is plain data (``to_data`` gives canonical-JSON-ready dicts, keys
sorted); the caches at the bottom of :class:`DistState` are derived from it and
rebuilt when what they depend on changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tabletop.distribution import lifecycle
from tabletop.distribution.params import DistributionSection, Road, section
from tabletop.scenario.roads import derived_roads
from tabletop.core import sums


@dataclass(eq=False, slots=True)  # identity equality: a station is one thing on the ground, whatever its fields
class Station:
    id: str
    county: str
    township: str
    site: str
    type: str
    staff: int
    opened_turn: int
    ready_turn: int | None = None
    closed_turn: int | None = None
    reason: str | None = None
    #: Set when an inject suspended the station for a while: resume at this turn.
    resume_turn: int | None = None
    #: Turn the township office received the opening order (set-up starts only then).
    order_turn: int | None = None
    stock: dict[str, float] = field(default_factory=dict)
    #: good -> FIFO cohorts [arrival turn, people].
    queues: dict[str, list[list[int]]] = field(default_factory=dict)
    out: dict[str, bool] = field(default_factory=dict)
    state: str = "planned"
    #: The station's number in its township (1 for the first opened there), for its derived name.
    number: int = 0
    #: The name the opening command gave it (``open_station.name``), if any.
    name: str | None = None

    def to_data(self) -> dict[str, Any]:
        stock, queues, out = self.stock, self.queues, self.out  # every checkpoint: 2,000 a national snapshot
        return {"county": self.county, "township": self.township, "site": self.site, "type": self.type,
                "number": self.number, "name": self.name,
                "staff": self.staff, "state": self.state, "opened_turn": self.opened_turn,
                "ready_turn": self.ready_turn, "closed_turn": self.closed_turn, "reason": self.reason,
                "resume_turn": self.resume_turn, "order_turn": self.order_turn,
                "stock": {g: stock[g] for g in sorted(stock)} if len(stock) > 1 else dict(stock),
                "queues": {g: [list(c) for c in queues[g]] for g in sorted(queues)} if queues else {},
                "out": {g: out[g] for g in sorted(out)} if len(out) > 1 else dict(out)}


@dataclass(slots=True)
class Convoy:
    id: str
    county: str
    origin: str
    dest: str
    goods: dict[str, float]
    vehicles: int
    depart_turn: int
    #: Township the convoy is at (start of its current leg).
    node: str
    #: Remaining legs: [link id or "", to township, minutes]; the first leg may be part done.
    legs: list[list[Any]]
    progress: int = 0
    minutes: int = 0
    state: str = "moving"  # ordered | moving | blocked | arrived
    #: How many of ``vehicles`` are requisitioned (Mobilization Act art 28), not the county's own.
    requisitioned: int = 0
    #: Mutual aid (docs/rules/mutual-aid.md): the request it fills, the county it carries for (its goods
    #: count in that county's days of supply from allocation on), trucks lent (they stay there) and
    #: medical teams aboard. None / 0 for a county's own convoy.
    aid: str | None = None
    aid_to: str | None = None
    lent: int = 0
    teams: int = 0

    @property
    def holder(self) -> str:
        """The county whose stock the goods aboard are."""
        return self.aid_to or self.county

    def to_data(self) -> dict[str, Any]:
        data = {"county": self.county, "origin": self.origin, "dest": self.dest, "goods": _sorted(self.goods),
                "vehicles": self.vehicles, "depart_turn": self.depart_turn, "node": self.node,
                "legs": [list(leg) for leg in self.legs], "progress": self.progress, "minutes": self.minutes,
                "state": self.state, "requisitioned": self.requisitioned}
        if self.aid is not None:  # only aid convoys carry these keys: a county's own convoy's data is unchanged
            data |= {"aid": self.aid, "aid_to": self.aid_to, "lent": self.lent, "teams": self.teams}
        return data


@dataclass(slots=True)
class Line:
    """Demand of one good in one township within the current purchase window."""

    visited: int = 0    # people who came (or are queuing) this window
    pending: int = 0    # people who want to buy but have no station to go to yet
    carry: float = 0.0  # fraction of a person carried to the next turn's arrivals
    window: int = 0

    def to_data(self) -> list:
        return [self.visited, self.pending, self.carry, self.window]


class DistState:
    def __init__(self, scenario: Any) -> None:
        self.params: DistributionSection = section(scenario)
        self.townships: dict[str, Any] = {}
        self.county_of: dict[str, str] = {}
        self.county_townships: dict[str, list[str]] = {}
        self.warehouses: dict[str, dict[str, float]] = {}
        self.warehouse_place: dict[str, tuple[str, str]] = {}  # id -> (county, township)
        self.ledger: dict[str, dict[str, float]] = {}
        for county in scenario.counties:
            self.county_townships[county.id] = sorted(t.id for t in county.townships)
            for town in county.townships:
                self.townships[town.id] = town
                self.county_of[town.id] = county.id
            for house in county.warehouses:
                self.warehouses[house.id] = {g: float(q) for g, q in sorted(house.stock.items())}
                self.warehouse_place[house.id] = (county.id, house.township)
                for good, qty in house.stock.items():
                    self.ledger.setdefault(good, {"initial": 0.0, "inflow": 0.0, "loss": 0.0, "sold": 0.0})
                    self.ledger[good]["initial"] += float(qty)
        self.goods = {g.id: g for g in scenario.goods}
        for good in sorted(self.goods):
            self.ledger.setdefault(good, {"initial": 0.0, "inflow": 0.0, "loss": 0.0, "sold": 0.0})
        self.shortage: dict[str, int] = {}  # good -> turn declared
        self.rations: dict[str, dict[str, dict[str, Any]]] = {}
        self.stations: dict[str, Station] = {}
        self.convoys: dict[str, Convoy] = {}
        self.fleet: dict[str, dict[str, Any]] = {}
        for county in sorted(self.county_townships):
            fleet = self.params.fleet(county)
            self.fleet[county] = {"available": fleet.vehicles if fleet else 0,
                                  "capacity_kg": fleet.capacity_kg if fleet else 0.0}
        self.returning: list[dict[str, Any]] = []
        #: The road links: the scenario's, or derived from the townships' coordinates when it gives none.
        self.roads: list[Any] = list(self.params.roads) or derived_links(scenario)
        self.closed_roads: dict[str, bool] = {r.id: True for r in sorted(self.roads, key=lambda r: r.id) if r.closed}
        self.panic: dict[str, float] = {}
        self.lines: dict[str, dict[str, Line]] = {}
        self.reserved: dict[str, dict[str, str]] = {}
        for item in self.params.reserved_sites:
            self.reserved.setdefault(item.township, {})[item.site] = item.use
        self.heard: list[dict[str, Any]] = []  # announcements of this turn, not yet applied
        self.eoc: dict[str, Any] = {}
        #: Served, unmet and stock-outs by township since its last report, and the closed
        #: stations a report already carried (:mod:`reports`).
        self.tallies: dict[str, dict[str, Any]] = {}
        self.closed_reported: set[str] = set()
        #: EOC orders to township offices not yet received: message id -> {station, order, params, turn, county}.
        self.sent: dict[str, dict[str, Any]] = {}
        #: Batches collected from the regional supply station: id -> invoice (R: payment settled).
        self.batches: dict[str, dict[str, Any]] = {}
        #: The last turn whose adjudication moved the convoys.
        self.adjudicated_turn = 0
        #: Mutual aid: requests by id, allocations by id, what each lender's pool has given
        #: (county -> {"medical_teams", "shelter_places"}); see :mod:`aid`.
        self.aid_requests: dict[str, dict[str, Any]] = {}
        self.aid_allocations: dict[str, dict[str, Any]] = {}
        self.aid_lent: dict[str, dict[str, int]] = {}
        # ----- derived (not part of to_data) -----
        self.machine = lifecycle.new_machine()
        self.graph_version = 0
        self._distances: dict[str, dict[str, int]] | None = None
        #: (township, remote, graph version) -> [(other township, access weight)] (service.reach).
        self._neighbours: dict[tuple[str, bool, int], list[tuple[str, float]]] = {}
        #: Where people can go, kept between turns while nothing it depends on changed (service.plan).
        self._plan: Any = None
        self._by_township: dict[str, list[str]] = {}
        self._ids: list[str] | None = None
        self._town_ids: dict[str, list[str]] = {}
        #: township -> its names case-folded (announcements.audience_townships).
        self.town_names: dict[str, frozenset[str]] = {}
        #: From the scenario alone: county -> [(good, need per day)] (supply._needs) and its planning
        #: reference (reports._references).
        self._needs: dict[str, list[tuple[str, float]]] | None = None
        self._references: dict[str, int] | None = None

    # ----- stations ------------------------------------------------------------------
    def add_station(self, station: Station) -> None:
        self.stations[station.id] = station
        self._by_township.setdefault(station.township, []).append(station.id)

    def station_ids(self) -> list[str]:
        """Every station's id, in id order (kept until a station is added)."""
        ids = self._ids
        if ids is None or len(ids) != len(self.stations):
            ids = self._ids = sorted(self.stations)
        return ids

    def town_station_ids(self, township: str) -> list[str]:
        """The township's station ids in id order (kept until a station is added there)."""
        ids = self._by_township.get(township)
        if not ids:
            return []
        ordered = self._town_ids.get(township)
        if ordered is None or len(ordered) != len(ids):
            ordered = self._town_ids[township] = sorted(ids)
        return ordered

    def stations_in(self, township: str) -> list[Station]:
        return [self.stations[sid] for sid in self._by_township.get(township, ())]

    # ----- stock --------------------------------------------------------------------
    def in_transit(self, good: str) -> float:
        return sums.total(c.goods.get(good, 0.0) for _, c in sorted(self.convoys.items()) if c.state != "arrived")

    def total(self, good: str) -> float:
        """Goods that exist in the world: warehouses + stations + convoys on the road."""
        held = sums.total(stock.get(good, 0.0) for _, stock in sorted(self.warehouses.items()))
        held += sums.total(s.stock.get(good, 0.0) for _, s in sorted(self.stations.items()))
        return held + self.in_transit(good)

    def place_stock(self, place: str) -> dict[str, float] | None:
        if place in self.warehouses:
            return self.warehouses[place]
        station = self.stations.get(place)
        return station.stock if station is not None else None

    def place_county(self, place: str) -> str | None:
        if place in self.warehouse_place:
            return self.warehouse_place[place][0]
        station = self.stations.get(place)
        return station.county if station is not None else None

    def place_township(self, place: str) -> str | None:
        if place in self.warehouse_place:
            return self.warehouse_place[place][1]
        station = self.stations.get(place)
        return station.township if station is not None else None

    def panic_of(self, township: str) -> float:
        return self.panic.get(township, 1.0)

    def line(self, township: str, good: str) -> Line:
        goods = self.lines.setdefault(township, {})
        line = goods.get(good)
        if line is None:
            line = goods[good] = Line()
        return line

    def roads_changed(self) -> None:
        self.graph_version += 1
        self._distances = None

    def to_data(self) -> dict[str, Any]:
        return self._data(False)

    def live_data(self) -> dict[str, Any]:
        """:meth:`to_data` with the stations themselves for their data, for a snapshot encoded at
        once (the rollback checkpoint, the replay index): orjson writes a dataclass as its fields,
        which are :meth:`Station.to_data`'s keys and ``id`` (restore reads them by key), in a
        third of the time."""
        return self._data(True)

    def _data(self, live: bool) -> dict[str, Any]:
        return {
            "shortage": _sorted(self.shortage),
            "rations": {c: {g: dict(sorted(r.items())) for g, r in sorted(v.items())} for c, v in sorted(self.rations.items())},
            "warehouses": {w: {"county": self.warehouse_place[w][0], "township": self.warehouse_place[w][1],
                               "stock": _sorted(s)} for w, s in sorted(self.warehouses.items())},
            "stations": ({s: self.stations[s] for s in self.station_ids()} if live
                         else {s: self.stations[s].to_data() for s in self.station_ids()}),
            "convoys": {c: self.convoys[c].to_data() for c in sorted(self.convoys)},
            "fleet": {c: dict(sorted(f.items())) for c, f in sorted(self.fleet.items())},
            "returning": [dict(sorted(r.items())) for r in self.returning],
            "closed_roads": sorted(self.closed_roads),
            "panic": _sorted(self.panic),
            "lines": {t: {g: self.lines[t][g].to_data() for g in sorted(self.lines[t])} for t in sorted(self.lines)},
            "reserved": {t: _sorted(s) for t, s in sorted(self.reserved.items())},
            "ledger": {g: dict(sorted(v.items())) for g, v in sorted(self.ledger.items())},
            "heard": [dict(h) for h in self.heard],
            "eoc": {c: dict(sorted(v.items())) for c, v in sorted(self.eoc.items())},
            "adjudicated_turn": self.adjudicated_turn,
            "batches": {b: dict(sorted(v.items())) for b, v in sorted(self.batches.items())},
            "sent": {m: dict(sorted(v.items())) for m, v in sorted(self.sent.items())},
            "tallies": {t: _deep(v) for t, v in sorted(self.tallies.items())},
            "closed_reported": sorted(self.closed_reported),
        } | self._aid_data()

    def _aid_data(self) -> dict[str, Any]:
        """Mutual aid, only once there is some (a session without aid keeps its snapshot data)."""
        if not self.aid_requests:
            return {}
        return {"aid": {"requests": {r: _deep(v) for r, v in sorted(self.aid_requests.items())},
                        "allocations": {a: _deep(v) for a, v in sorted(self.aid_allocations.items())},
                        "lent": {c: _sorted(v) for c, v in sorted(self.aid_lent.items())}}}


def _sorted(mapping: dict) -> dict:
    return dict(sorted(mapping.items()))


def _deep(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_deep(v) for v in value]
    return value


def init_state(session: Any) -> DistState:
    return DistState(session.scenario)


def derived_links(scenario: Any) -> list[Any]:
    """Road links derived from coordinates (:mod:`tabletop.scenario.roads`) as the section's ``Road``."""
    return [Road(id=r.id, a=r.a, b=r.b, minutes=r.minutes)
            for _, links in sorted(derived_roads(scenario).items()) for r in links]
