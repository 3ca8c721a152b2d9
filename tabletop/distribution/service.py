"""Stations serving people: throughput, staffing, travel, queues and unmet need.

Hot path (every adjudication, every open station): plain dict and list work in
sorted order, no state-machine calls. A station's people capacity this turn is
``people_per_day × open minutes in the turn / (open hours × 60) × min(1, staff /
required staff)``; one visit buys every rationed good, so the capacity applies
to each good's line.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tabletop.distribution import roads
from tabletop.core import sums

SERVING = "open"


def open_minutes(session: Any, opens_at: str, hours: int) -> int:
    """Minutes of this turn that fall in the daily opening window."""
    start = session.clock.turn_start(session.turn)
    begin = start.hour * 60 + start.minute
    end = begin + session.clock.minutes_per_turn
    hh, mm = (int(x) for x in opens_at.split(":"))
    opening = hh * 60 + mm
    total = 0
    for day in range(-1, end // 1440 + 2):
        lo, hi = opening + 1440 * day, opening + 1440 * day + hours * 60
        total += max(0, min(end, hi) - max(begin, lo))
    return total


def capacities(session: Any, state: Any, stations: list[Any]) -> dict[str, int]:
    """People each open station can serve this turn."""
    params = state.params
    minutes: dict[str, int] = {}
    by_kind: dict[tuple[str, int], int] = {}  # (type, staff) -> people: the same for every such station
    out: dict[str, int] = {}
    for station in stations:
        key = (station.type, station.staff)
        cap = by_kind.get(key)
        if cap is None:
            kind = params.station_type(station.type)
            if kind.id not in minutes:
                minutes[kind.id] = open_minutes(session, params.params.opens_at, kind.open_hours)
            staffing = min(1.0, station.staff / kind.staff)
            cap = by_kind[key] = math.floor(kind.people_per_day * minutes[kind.id] / (kind.open_hours * 60) * staffing)
        out[station.id] = cap
    return out


class Reach(NamedTuple):
    """The open stations a township's people can reach this turn: their shares (capacity ×
    access), the shares' total, the largest access weight and the stations' places in the turn's
    list of serving stations (:func:`enqueue`).

    The stations are in id order (the order largest remainders are broken in); ``total`` is
    summed in the order they were found (own township first, then nearest)."""

    shares: list[float]
    total: float
    weight: float
    slots: list[int]


@dataclass
class Plan:
    """Where people can go: the stations serving this turn (capacity above 0) in id order, their
    places in that list (``slots``: arrivals are summed by place, :func:`enqueue`) and by
    township; each township's :class:`Reach` and its splits by head count, worked out when first
    asked (:meth:`reach`, :func:`assign`).

    Kept between turns (:func:`plan`) while the same stations serve with the same capacities and
    the road graph is the same: all a reach and a split depend on (townships, their counties and
    remoteness, travel limits and access weights are the scenario's). A state restored from a
    snapshot starts with none (derived, never saved)."""

    key: tuple[Any, ...]
    serving: list[Any]
    slots: dict[str, int]
    by_town: dict[str, list[Any]]
    caps: dict[str, int]
    reaches: dict[str, "Reach | None"] = field(default_factory=dict)
    #: township -> head count -> people per reached station (:func:`split`).
    splits: dict[str, dict[int, list[int]]] = field(default_factory=dict)

    def reach(self, state: Any, township: str) -> "Reach | None":
        try:
            return self.reaches[township]
        except KeyError:
            found = self.reaches[township] = reach(state, township, state.townships[township].remote,
                                                   self.by_town, self.caps, self.slots)
            return found

    def memo(self, township: str) -> dict[int, list[int]]:
        """The township's splits by head count (a few per township: cleared past 64)."""
        memo = self.splits.get(township)
        if memo is None or len(memo) > 64:
            memo = self.splits[township] = {}
        return memo


#: A plan with no station serving (night): routing has nothing to do; the day's plan is kept.
_NOBODY = Plan((), [], {}, {}, {})


def plan(state: Any, open_stations: list[Any], caps: dict[str, int]) -> Plan:
    """This turn's :class:`Plan` for ``open_stations`` (id order) with their capacities ``caps``:
    the last one if the same stations serve with the same capacities on the same road graph."""
    key = (state.graph_version, *[(s, cap) for s in open_stations if (cap := caps[s.id]) > 0])  # stations by identity
    if len(key) == 1:
        return _NOBODY
    kept = state._plan
    if kept is not None and kept.key == key:
        return kept
    serving = [s for s in open_stations if caps[s.id] > 0]
    by_town: dict[str, list[Any]] = {}
    for station in serving:
        by_town.setdefault(station.township, []).append(station)
    made = state._plan = Plan(key, serving, {s.id: i for i, s in enumerate(serving)}, by_town,
                              {s.id: caps[s.id] for s in serving})
    return made


def reach(state: Any, township: str, remote: bool, by_town: dict[str, list[Any]],
          caps: dict[str, int], slots: dict[str, int]) -> Reach | None:
    """Where the township's people can go (its own open stations, then its county's within the
    travel limit), or None if nowhere. The same for every good: worked out once a turn.
    ``slots``: station id -> its place in the turn's list of serving stations."""
    found: list[tuple[str, float, int]] = []  # (station id, share, slot)
    shares: list[float] = []  # in the order found: the total is summed in this order
    weight = 0.0
    for other, access in ((township, 1.0), *_neighbours(state, township, remote)):
        here = by_town.get(other)
        if here:
            for s in here:
                cap = caps[s.id]
                if cap > 0:
                    share = cap * access
                    found.append((s.id, share, slots[s.id]))
                    shares.append(share)
                    if access > weight:
                        weight = access
    if not found:
        return None
    summed = sums.total(shares)
    found.sort()  # by id (ids are unique)
    return Reach([share for _, share, _ in found], summed, weight, [slot for _, _, slot in found])


def _neighbours(state: Any, township: str, remote: bool) -> list[tuple[str, float]]:
    """The county's other townships within the travel limit with their access weight (nearest
    first), kept until the road graph changes."""
    cache = state._neighbours
    key = (township, remote, state.graph_version)
    found = cache.get(key)
    if found is None:
        params = state.params.params
        limit = params.max_travel_minutes
        county = state.county_of[township]
        found = []
        for minutes, other in roads.nearby(state).get(township, ()):
            if state.county_of.get(other) != county:
                continue  # rations and stations are a county's own
            weight = params.remote_access if remote else 1.0
            weight *= max(0.0, 1.0 - minutes / limit) if limit else 0.0
            if weight > 0:
                found.append((other, weight))
        if len(cache) > 4 * max(1, len(state.townships)):
            cache.clear()  # entries of older road graphs
        cache[key] = found
    return found


def split(going: int, reached: Reach) -> list[int]:
    """``going`` people over the reached stations by share: floors, then the largest remainders
    (ties: station id) get one more each."""
    total = reached.total
    exact = [going * share / total for share in reached.shares]
    counts = list(map(math.floor, exact))
    left = going - sum(counts)
    if left:  # stable sort of the stations (id order) by remainder, largest first
        behind = list(map(operator.sub, counts, exact))
        for i in sorted(range(len(counts)), key=behind.__getitem__)[:left]:
            counts[i] += 1
    return counts


def assign(line: Any, reached: Reach | None, memo: dict[int, list[int]], incoming: list[int]) -> None:
    """Send the township's pending people on ``line`` to the open stations they can reach
    (:func:`reach`), by capacity × access: added to ``incoming`` (the good's arrivals this turn
    by station slot, queued by :func:`enqueue` once every township has gone). ``memo``: the
    township's splits by head count, kept with the :class:`Plan` (every good, and every turn of
    the plan, with as many people going splits the same way)."""
    if line.pending <= 0 or reached is None:
        return
    going = math.floor(line.pending * reached.weight)
    if going <= 0:
        return
    counts = memo.get(going)
    if counts is None:
        counts = memo[going] = split(going, reached)
    for slot, count in zip(reached.slots, counts, strict=True):
        incoming[slot] += count
    line.pending -= going


def enqueue(stations: list[Any], good: str, incoming: list[int], turn: int) -> None:
    """This turn's arrivals of ``good`` (:func:`assign`'s sums, by slot in ``stations``) join each
    station's queue as one cohort ``[turn, people]``."""
    for station, count in zip(stations, incoming, strict=True):
        if count:
            queues = station.queues
            cohorts = queues.get(good)
            if cohorts is None:
                queues[good] = [[turn, count]]
            elif cohorts and (last := cohorts[-1])[0] == turn:
                last[1] += count
            else:
                cohorts.append([turn, count])


@dataclass
class Turn:
    """What one adjudication's service shares across stations: the county depot stock of goods
    sold from the depot (LPG), each county's warehouses in id order, whether each good is
    stored at stations, and the queue patience in turns."""

    turn: int
    patience: int
    stored: dict[str, bool]
    houses: dict[str, list[str]]
    depots: dict[tuple[str, str], float] = field(default_factory=dict)

    @classmethod
    def of(cls, session: Any, state: Any, goods: set[str]) -> "Turn":
        houses: dict[str, list[str]] = {}
        for wid in sorted(state.warehouses):
            houses.setdefault(state.warehouse_place[wid][0], []).append(wid)
        patience = max(1, math.ceil(state.params.params.queue_patience_minutes / session.clock.minutes_per_turn))
        return cls(session.turn, patience, {g: state.params.good_rules(g).stored_at_station for g in sorted(goods)},
                   houses)


def serve(session: Any, state: Any, station: Any, cap: int, goods: dict[str, float],
          tallies: dict[str, dict[str, Any]], lines: dict[str, dict[str, Any]], now: Turn) -> None:
    """Serve a station's queues of the goods rationed in its county (``goods``: good -> purchase
    size), in good order; people who waited too long leave (unmet).

    ``lines`` collects the county's ``distribution_served`` (station -> good -> line), logged once
    per county and turn by the adjudication; ``tallies`` the township's served, unmet and stock-outs.
    """
    queues = station.queues
    serving = station.state == SERVING and cap > 0
    mine: dict[str, Any] | None = None
    tally: dict[str, Any] | None = None
    served_count: dict[str, int] = {}
    unmet_count: dict[str, int] = {}
    limit = now.turn + 1 - now.patience  # cohorts that arrived at or before this turn leave unserved
    stock = station.stock
    out = station.out
    ledger = state.ledger
    for good in (sorted(queues) if len(queues) > 1 else list(queues)):
        size = goods.get(good)
        if size is None:
            continue
        if tally is None:
            tally = tallies.get(station.township)
            if tally is None:
                tally = tallies[station.township] = {"served": {}, "unmet": {}, "stockouts": []}
            served_count, unmet_count = tally["served"], tally["unmet"]
        cohorts = queues[good]
        if not cohorts:
            continue
        queued = cohorts[0][1] if len(cohorts) == 1 else sum([c[1] for c in cohorts])
        served = 0
        if serving:
            stored = now.stored[good]
            if stored:
                available = stock.get(good, 0.0)
            else:
                key = (station.county, good)
                available = now.depots.get(key)  # type: ignore[assignment]
                if available is None:
                    available = now.depots[key] = depot_stock(state, now.houses.get(station.county, ()), good)
            by_stock = math.floor(available / size + 1e-9) if size > 0 else 0
            wanted = cap if cap < queued else queued
            served = wanted if wanted < by_stock else by_stock
            if served < wanted:
                if not out.get(good):
                    out[good] = True
                    session.emit("stockout", {"station": station.id, "good": good})
                    tally["stockouts"].append(station.id)
            elif out and out.get(good):
                out.pop(good)
        quantity = served * size
        if served:
            if stored:
                left = stock.get(good, 0.0) - quantity
                stock[good] = left if left > 0.0 else 0.0
            else:
                take_from_depots(state, now.houses.get(station.county, ()), good, quantity)
                now.depots[key] -= quantity
            ledger[good]["sold"] += quantity
            people = served  # the first cohorts first
            while people and cohorts:
                head = cohorts[0]
                if head[1] <= people:
                    people -= head[1]
                    del cohorts[0]
                else:
                    head[1] -= people
                    people = 0
        unmet = 0
        while cohorts and cohorts[0][0] <= limit:
            unmet += cohorts.pop(0)[1]
        if not cohorts:
            del queues[good]
        if served or unmet:
            if mine is None:
                mine = lines.setdefault(station.id, {})
            mine[good] = {"people": served,
                          # a multiple of 1/64 has at most 6 decimals: it is its own rounding (and
                          # round is slow: 6,000 lines a national turn)
                          "quantity": quantity if type(quantity) is float and (quantity * 64.0).is_integer()
                          else round(quantity, 6),
                          "unmet": unmet,
                          "queue": queued - served - unmet}
        served_count[good] = served_count.get(good, 0) + served
        unmet_count[good] = unmet_count.get(good, 0) + unmet


def depot_stock(state: Any, houses: Any, good: str) -> float:
    """Stock of a good in the county's warehouses ``houses`` (ids in order; LPG is sold from the
    depot, never stored at stations)."""
    return sums.total(state.warehouses[wid].get(good, 0.0) for wid in houses)


def take_from_depots(state: Any, houses: Any, good: str, quantity: float) -> None:
    """Take ``quantity`` of ``good`` from the county's warehouses ``houses``, in id order."""
    for wid in houses:
        if quantity <= 0:
            break
        stock = state.warehouses[wid]
        take = min(quantity, stock.get(good, 0.0))
        if take > 0:
            stock[good] = stock[good] - take
            quantity -= take
    if quantity > 1e-6:
        raise AssertionError("depot stock was checked before selling")


def on_state_change(session: Any, station: Any, source: str) -> None:
    """A station that stops existing sends its queue home (back to pending)."""
    if station.state in ("closing", "closed"):
        for good in sorted(station.queues):
            people = sum(c[1] for c in station.queues[good])
            if people:
                state = session.domain("distribution")
                state.line(station.township, good).pending += people
        station.queues.clear()
