"""The distribution part in the trainee seats: what a county EOC knows about its stations
and supply (role pictures), and the ids its distribution commands can name (form choices).

Station panels read only the last station report each township sent the EOC
(``state.eoc``, see :mod:`reports`), never the stations themselves: a report held up by
a communications failure leaves the panel showing the older one, with its turn. The
supply panel shows the county's own books: rations it set, convoys it sent (its own
trucks report by radio), and days of supply counted from its warehouses, the stock its
stations last reported and the goods on the road.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from tabletop import feed, i18n
from tabletop import pictures as pic
from tabletop.distribution import aid, lifecycle, supply
from tabletop.distribution.lifecycle import SUSPEND_REASONS
from tabletop.core.parts import Choice, PictureRow

STATIONS = "distribution.stations"
SUPPLY = "distribution.supply"


def _state(session: Any) -> Any:
    return session.domain("distribution") if session.has_part("distribution") else None


def _mine(state: Any, county: str) -> bool:
    return state is not None and county in state.county_townships


# ----- names --------------------------------------------------------------------------------
def station_label(session: Any, state: Any, sid: str) -> dict[str, str]:
    """A station by its name (站名), never its id (``tabletop.feed.station_names``)."""
    return feed.station_names(session, sid)


def _station_list(session: Any, sids: list[str]) -> dict[str, str]:
    return pic.joined([feed.station_names(session, sid) for sid in sids])


def place_label(session: Any, state: Any, place: str) -> dict[str, str]:
    """A warehouse by its name, a station by township, site and id."""
    if place in state.warehouse_place:
        for county in session.counties.values():
            for house in county.warehouses:
                if house.id == place:
                    return i18n.both("dist.pic.warehouse_name", name=pic.text(house.name), id=place)
    if place in state.stations:
        return station_label(session, state, place)
    return pic.text(place)


def _good_name(session: Any, good: str) -> dict[str, str]:
    for item in session.scenario.goods:
        if item.id == good:
            return pic.text(item.name)
    return pic.text(good)


# ----- the stations panel -------------------------------------------------------------------
def stations_picture(session: Any, county: str) -> list[PictureRow]:
    """Per township, the stations its last report named, with queue and unmet need; then
    stations the EOC ordered that no report mentions yet; then townships never heard from."""
    state = _state(session)
    if not _mine(state, county):
        return []
    view = state.eoc.get(county, {})
    rows: list[PictureRow] = []
    reported: set[str] = set()
    silent: list[dict[str, str]] = []
    for town in pic.townships(session, county):
        report = view.get(town.id)
        if report is None:
            silent.append(pic.text(town.name))
            continue
        reported.update(report["stations"])
        rows.append(_township_row(session, town, report))
    unheard = [sid for sid in sorted(state.stations)
               if state.stations[sid].county == county and sid not in reported and state.stations[sid].closed_turn is None]
    for sid in unheard:
        rows.append(pic.row("dist.pic.ordered", "warn", station=station_label(session, state, sid),
                            turn=state.stations[sid].opened_turn))
    for _ident, order in sorted(state.sent.items()):
        if order["county"] != county or order["order"] == "dispatch":
            continue
        rows.append(pic.row("dist.pic.sent", "warn", station=station_label(session, state, order["station"]),
                            order=i18n.both("command." + order["order"]), turn=order["turn"]))
    rows = pic.urgent_first(rows)
    if silent:
        rows.append(pic.row("dist.pic.silent", "dim", count=len(silent), towns=pic.joined(silent)))
    return pic.capped(rows)


def _township_row(session: Any, town: Any, report: dict[str, Any]) -> PictureRow:
    stations = report["stations"]
    states = [stations[sid]["state"] for sid in sorted(stations)]
    listed = pic.joined([i18n.both("dist.pic.station_state", id=feed.station_names(session, sid),
                                   state=i18n.label("station", stations[sid]["state"]))
                         for sid in sorted(stations)], limit=4)
    queue = sum(q for sid in sorted(stations) for _, q in sorted(stations[sid]["queue"].items()))
    unmet = sum(n for _, n in sorted(report["unmet"].items()))
    parts = [i18n.both("dist.pic.town", town=pic.text(town.name), stations=listed),
             i18n.both("dist.pic.queue", people=pic.number(queue))]
    if unmet:
        parts.append(i18n.both("dist.pic.unmet", people=pic.number(unmet)))
    if report["stockouts"]:
        parts.append(i18n.both("dist.pic.stockouts", stations=_station_list(session, report["stockouts"])))
    empty = [sid for sid in sorted(stations) if stations[sid]["state"] in ("setting_up", "open", "suspended")
             and sid not in report["stockouts"] and not any(q > 0 for _, q in sorted(stations[sid]["stock"].items()))]
    if empty:
        parts.append(i18n.both("dist.pic.empty", stations=_station_list(session, empty)))
    parts.append(pic.reported(report["turn"]))
    if unmet or report["stockouts"]:
        tone = "bad"
    elif empty or pic.stale(session, report["turn"]) or any(s in ("suspended", "closing") for s in states):
        tone = "warn"
    elif states and all(s == "open" for s in states):
        tone = "ok"
    else:
        tone = "text"
    return PictureRow(pic.concat(parts), tone)


# ----- the supply panel ---------------------------------------------------------------------
def supply_picture(session: Any, county: str) -> list[PictureRow]:
    """Days of supply on the county's books and the ration of each good; convoys on the road; trucks."""
    state = _state(session)
    if not _mine(state, county):
        return []
    rows: list[PictureRow] = []
    days = books_days_of_supply(state, county)
    rations = state.rations.get(county, {})
    for good in state.goods:
        parts = [i18n.both("dist.pic.days", good=_good_name(session, good),
                           days="—" if days[good] is None else f"{days[good]:.1f}")]
        ration = rations.get(good)
        if ration is not None:
            parts.append(i18n.both("dist.pic.ration", quota=pic.number(ration["quota"]),
                                   unit=state.goods[good].unit, purchases=ration["purchases_per_month"]))
        elif good in state.shortage:
            parts.append(i18n.both("dist.pic.shortage_no_ration"))
        value = days[good]
        tone = "text" if value is None else "bad" if value < 1 else "warn" if value < 3 else "ok"
        rows.append(PictureRow(pic.concat(parts), tone))
    for cid in sorted(state.convoys):
        convoy = state.convoys[cid]
        if convoy.county != county or convoy.state == "arrived":
            continue
        route = {"origin": place_label(session, state, convoy.origin), "dest": place_label(session, state, convoy.dest)}
        if convoy.state == "ordered":
            rows.append(pic.row("dist.pic.convoy_ordered", "warn", id=cid, vehicles=convoy.vehicles,
                                turn=convoy.depart_turn, eta=convoy_eta(session, convoy), **route))
        elif convoy.state == "blocked":
            rows.append(pic.row("dist.pic.convoy_blocked", "bad", id=cid, vehicles=convoy.vehicles,
                                at=pic.town_name(session, convoy.node), **route))
        else:
            rows.append(pic.row("dist.pic.convoy", "text", id=cid, vehicles=convoy.vehicles,
                                eta=convoy_eta(session, convoy), **route))
    for ident, batch in sorted(state.batches.items()):
        if batch["county"] == county and not batch["paid"]:
            rows.append(pic.row("dist.pic.owed", "warn", batch=ident, turn=batch["turn"], amount=pic.number(batch["amount"])))
    fleet = state.fleet.get(county, {})
    total = state.params.fleet(county).vehicles if state.params.fleet(county) else 0
    rows.append(pic.row("dist.pic.fleet", "warn" if not fleet.get("available") else "text",
                        available=fleet.get("available", 0), total=total))
    return pic.capped(pic.urgent_first(rows))


def convoy_eta(session: Any, convoy: Any) -> int:
    """The turn a moving convoy arrives at its pace: it moves in each adjudication."""
    remaining = sum(leg[2] for leg in convoy.legs) - convoy.progress
    turns = max(1, math.ceil(remaining / session.clock.minutes_per_turn))
    moved = session.phase in ("adjudication", "turnend") or session.state == "hotwash"
    return session.turn + turns - (0 if moved else 1)


def books_days_of_supply(state: Any, county: str) -> dict[str, float | None]:
    """Days of supply the EOC can count: its warehouses, the stock each station last reported,
    goods on the road (population × need per person per day, the way safety stocks are stated)."""
    held: dict[str, float] = {}

    def add(stock: dict[str, float]) -> None:
        for good, qty in sorted(stock.items()):
            held[good] = held.get(good, 0.0) + qty

    for wid in sorted(state.warehouses):
        if state.warehouse_place[wid][0] == county:
            add(state.warehouses[wid])
    for _town, report in sorted(state.eoc.get(county, {}).items()):
        for sid in sorted(report["stations"]):
            add(report["stations"][sid]["stock"])
    for cid in sorted(state.convoys):
        convoy = state.convoys[cid]
        if convoy.county == county and convoy.state != "arrived":
            add(convoy.goods)
    population = sum(state.townships[t].population for t in state.county_townships[county])
    out: dict[str, float | None] = {}
    for good in state.goods:
        need = state.goods[good].per_person_per_day * population
        out[good] = round(held.get(good, 0.0) / need, 2) if need > 0 else None
    return out


# ----- form choices ---------------------------------------------------------------------------
TRIGGER_ORDER = {"suspend": "suspend_station", "resume": "resume_station", "close": "close_station"}


def _stations(session: Any, county: str, trigger: str | None = None, live: bool = False) -> list[Choice]:
    state = _state(session)
    if not _mine(state, county):
        return []
    out = []
    sent = {(o["station"], o["order"]) for _, o in sorted(state.sent.items())}
    for sid in sorted(state.stations):
        station = state.stations[sid]
        if station.county != county:
            continue
        if trigger is not None and not lifecycle.can(station, trigger):
            continue
        if live and station.state in ("closing", "closed"):
            continue
        if (sid, "close_station") in sent or (trigger is not None and (sid, TRIGGER_ORDER[trigger]) in sent):
            continue  # the order is on its way to the township office already
        out.append(Choice(sid, station_label(session, state, sid)))
    return out


def _townships(session: Any, county: str, role: str) -> list[Choice]:
    if not _mine(_state(session), county):
        return []
    return [pic.choice(t.id, "dist.choice.township", town=pic.text(t.name), id=t.id) for t in pic.townships(session, county)]


def _types(session: Any, county: str, role: str) -> list[Choice]:
    state = _state(session)
    if state is None:
        return []
    return [pic.choice(t.id, "dist.choice.type", name=pic.text(t.name) if t.name else pic.text(t.id), id=t.id,
                       staff=t.staff, people=f"{t.people_per_day:,}") for t in state.params.station_types]


def _warehouses(session: Any, state: Any, county: str) -> list[Choice]:
    return [Choice(wid, place_label(session, state, wid)) for wid in sorted(state.warehouses)
            if state.warehouse_place[wid][0] == county]


def _dispatch_from(session: Any, county: str, role: str) -> list[Choice]:
    """Warehouses, and stations that still exist or still hold stock."""
    state = _state(session)
    if not _mine(state, county):
        return []
    out = _warehouses(session, state, county)
    for sid in sorted(state.stations):
        station = state.stations[sid]
        if station.county == county and (station.state != "closed" or any(q > 0 for q in station.stock.values())):
            out.append(Choice(sid, station_label(session, state, sid)))
    return out


def _dispatch_to(session: Any, county: str, role: str) -> list[Choice]:
    """Warehouses, and stations not closing or closed (they take no more goods)."""
    state = _state(session)
    if not _mine(state, county):
        return []
    return _warehouses(session, state, county) + _stations(session, county, live=True)


def _ration_goods(session: Any, county: str, role: str) -> list[Choice]:
    """Goods under a declared shortage (rationing starts only then)."""
    state = _state(session)
    if state is None:
        return []
    return [pic.choice(g, "dist.choice.good", name=_good_name(session, g), id=g) for g in state.goods if g in state.shortage]


def _shortage_goods(session: Any, county: str, role: str) -> list[Choice]:
    """Goods central may declare short (those not declared yet)."""
    state = _state(session)
    if state is None:
        return []
    return [pic.choice(g, "dist.choice.good", name=_good_name(session, g), id=g) for g in state.goods
            if g not in state.shortage]


def _reasons(session: Any, county: str, role: str) -> list[Choice]:
    return [pic.choice(r, f"dist.reason.{r}") for r in SUSPEND_REASONS]


def _unpaid_batches(session: Any, county: str, role: str) -> list[Choice]:
    state = _state(session)
    if not _mine(state, county):
        return []
    return [pic.choice(b["id"], "dist.choice.batch", id=b["id"], amount=pic.number(b["amount"]))
            for _, b in sorted(state.batches.items()) if b["county"] == county and not b["paid"]]


PICTURES: dict[str, Callable[[Any, str], list[PictureRow]]] = {STATIONS: stations_picture, SUPPLY: supply_picture}

#: Which roles see each panel, and where in the role's tabs (0 first; tabletop.pictures.panel_names).
PANELS: dict[str, dict[str, int]] = {
    STATIONS: {"commander": 1, "supply": 1, "civil_affairs": 0, "police": 2},
    SUPPLY: {"supply": 0, "central": 1},
}

CHOICES: dict[str, Callable[[Any, str, str], list[Choice]]] = {
    "open_station.township": _townships,
    "open_station.type": _types,
    "open_stations.type": _types,
    "staff_station.station": lambda s, c, r: _stations(s, c, live=True),
    "suspend_station.station": lambda s, c, r: _stations(s, c, "suspend"),
    "suspend_station.reason": _reasons,
    "resume_station.station": lambda s, c, r: _stations(s, c, "resume"),
    "close_station.station": lambda s, c, r: _stations(s, c, "close"),
    "dispatch.from_": _dispatch_from,
    "dispatch.to": _dispatch_to,
    "set_ration.good": _ration_goods,
    "declare_shortage.goods": _shortage_goods,
    "collect_batch.warehouse": lambda s, c, r: _warehouses(s, _state(s), c),
    "pay_batch.batch": _unpaid_batches,
}


# ----- mutual aid (docs/rules/mutual-aid.md) ----------------------------------------------------
AID = "distribution.aid"


def _aid_items(session: Any, state: Any, what: dict[str, Any]) -> dict[str, str]:
    """Goods with quantities, then trucks, medical teams and shelter places, both languages."""
    parts = [i18n.both("dist.pic.aid_good", good=_good_name(session, g), qty=pic.number(q), unit=state.goods[g].unit)
             for g, q in sorted((what.get("goods") or {}).items()) if g in state.goods]
    for name in ("trucks", "medical_teams", "shelter_places"):
        if what.get(name):
            parts.append(i18n.both(f"ui.aid.{name}", n=pic.number(what[name])))
    return pic.concat(parts, "、", ", ")


def aid_picture(session: Any, county: str) -> list[PictureRow]:
    """The county's aid requests (asked, allocated, delivered), aid convoys coming to it and what it lent."""
    state = _state(session)
    if not _mine(state, county):
        return []
    rows: list[PictureRow] = []
    for ident, request in sorted(state.aid_requests.items()):
        if request["county"] != county:
            continue
        filled = request["state"] == "filled"
        key = {"filled": "dist.pic.aid_request_filled", "sent": "dist.pic.aid_request_sent"}.get(request["state"],
                                                                                                "dist.pic.aid_request")
        rows.append(pic.row(key, "ok" if filled else "warn", id=ident, what=_aid_items(session, state, request["asked"]),
                            turn=request["turn"], share=f"{aid.share_filled(request) * 100:.0f}%"))
    for cid in sorted(state.convoys):
        convoy = state.convoys[cid]
        if convoy.aid is None or convoy.state == "arrived" or county not in (convoy.aid_to, convoy.county):
            continue
        incoming = convoy.aid_to == county
        other = session.counties[convoy.county if incoming else convoy.aid_to or ""].name
        key = ("dist.pic.aid_in" if incoming else "dist.pic.aid_out") + ("_blocked" if convoy.state == "blocked" else "")
        rows.append(pic.row(key, "bad" if convoy.state == "blocked" else "text", id=cid, county=pic.text(other),
                            what=_aid_items(session, state, {"goods": convoy.goods, "trucks": convoy.lent,
                                                             "medical_teams": convoy.teams}),
                            eta=convoy_eta(session, convoy), at=pic.town_name(session, convoy.node)))
    lent = state.aid_lent.get(county)
    if lent and any(lent.values()):
        pool = state.params.aid.pool(county)
        rows.append(pic.row("dist.pic.aid_pool", "text", teams=lent.get("medical_teams", 0), teams_all=pool.medical_teams,
                            places=lent.get("shelter_places", 0), places_all=pool.shelter_places))
    return pic.capped(pic.urgent_first(rows)) or [pic.row("dist.pic.aid_none", "dim")]


def _aid_lenders(session: Any, county: str, role: str) -> list[Choice]:
    """Every county with its own days of supply, lowest first in the label: what lending costs it."""
    state = _state(session)
    if state is None:
        return []
    every = supply.days_of_supply_all(state)
    out = []
    for spec in session.scenario.counties:
        days = sorted(((d, g) for g, d in every.get(spec.id, {}).items() if d is not None))[:3]
        shown = pic.concat([i18n.both("dist.choice.aid_days", good=_good_name(session, g), days=f"{d:.1f}") for d, g in days],
                           "、", ", ")
        out.append(pic.choice(spec.id, "dist.choice.aid_lender", county=pic.text(spec.name), days=shown))
    return out


def _aid_requests_open(session: Any, county: str, role: str) -> list[Choice]:
    state = _state(session)
    if state is None:
        return []
    return [pic.choice(ident, "dist.choice.aid_request", id=ident, county=pic.text(session.counties[r["county"]].name),
                       what=_aid_items(session, state, r["asked"]))
            for ident, r in sorted(state.aid_requests.items()) if r["state"] == "open"]


def _aid_from(session: Any, county: str, role: str) -> list[Choice]:
    """Every county's warehouses, named with their county (central picks the lender's)."""
    state = _state(session)
    if state is None:
        return []
    return [pic.choice(w, "dist.choice.aid_warehouse", county=pic.text(session.counties[state.warehouse_place[w][0]].name),
                       place=place_label(session, state, w)) for w in sorted(state.warehouses)]


def _aid_to(session: Any, county: str, role: str) -> list[Choice]:
    state = _state(session)
    return _warehouses(session, state, county) if _mine(state, county) else []


PICTURES[AID] = aid_picture
PANELS[AID] = {"commander": 5, "central": 3}
CHOICES |= {"request_aid.to": _aid_to, "allocate_aid.request": _aid_requests_open, "allocate_aid.lender": _aid_lenders,
            "allocate_aid.from_": _aid_from}
