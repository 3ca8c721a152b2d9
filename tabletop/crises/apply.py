"""What each crisis effect does to the world."""

from __future__ import annotations

from typing import Any

from tabletop.crises import effects as fx


def _state(session: Any) -> Any:
    return session.domain("crises")


def air_raid_alert(session: Any, args: fx.AlertArgs, inject: str) -> None:
    """ADX art 9 emergency alert: people shelter, stations suspend, traffic stops until all clear."""
    state = _state(session)
    area = fx.towns(session, inject, args.area)
    until = session.turn + args.duration - 1
    for town in area:
        state["alerts"][town] = {"until": until, "inject": inject, "issued": session.turn}
        state["relayed"].pop(town, None)
    session.emit("alert_issued", {"county": fx.county_of(session, inject), "area": area, "until_turn": until})
    fx.call(session, "stations_suspended", inject, county=fx.county_of(session, inject), townships=area,
            reason="air_raid", turns=args.duration)
    _shelter(session, area)
    session.schedule(until + 1, "all_clear", {"area": area})


def _shelter(session: Any, area: list[str]) -> None:
    state = _state(session)
    population = {t.id: t.population for c in session.counties.values() for t in c.townships}
    for town in area:
        people = int(population[town] * state.section.shelter_share)
        capacity = state.capacity.get(town, 0)
        state["sheltered"][town] = people
        session.emit("shelter_occupancy", {"township": town, "people": people, "capacity": capacity,
                                           "over_capacity": max(0, people - capacity)})


def all_clear(session: Any, args: fx.AllClearArgs, inject: str) -> None:
    end_alert(session, {"area": fx.towns(session, inject, args.area)})


def end_alert(session: Any, data: dict[str, Any]) -> None:
    state = _state(session)
    ended = [t for t in data["area"] if t in state["alerts"]]
    for town in ended:
        state["alerts"].pop(town)
        state["sheltered"].pop(town, None)
    if ended:
        session.emit("all_clear", {"area": ended})


def strike(session: Any, args: fx.StrikeArgs, inject: str) -> None:
    county = fx.county_of(session, inject)
    area = fx.towns(session, inject, args.area) if args.area else []
    session.emit("strike", {"target": args.target, "id": args.id, "area": area, "severity": args.severity})
    if args.target == "warehouse" and args.id:
        fx.call(session, "goods_lost", inject, place=args.id, share=args.severity, cause="strike")
    elif args.target in ("road", "bridge") and args.id:
        fx.call(session, "road_closed", inject, road=args.id)
    elif args.target == "base_station":
        fx.call(session, "base_station_down", inject, area=area or [_first(session, county)],
                **({"duration": args.duration} if args.duration else {}))
    elif args.target == "power_substation":
        fx.call(session, "power_outage", inject, area=area or fx.towns(session, inject, []),
                **({"duration": args.duration} if args.duration else {}))
    elif args.target == "station" and args.id:
        _strike_station(session, args, inject)
    if args.casualties:
        town = area[0] if area else _station_town(session, args.id) or _first(session, county)
        _add(session, "casualties", town, args.casualties, "mass_casualty")


def _strike_station(session: Any, args: fx.StrikeArgs, inject: str) -> None:
    station = session.query("distribution.station", args.id)
    if station is not None:
        fx.call(session, "stations_suspended", inject, county=station["county"], townships=[station["township"]],
                reason="unsafe_site", turns=args.duration or 2)
        fx.call(session, "goods_lost", inject, place=args.id, share=args.severity, cause="strike")
        return
    if args.id is None:  # a strike on an area names no station
        return
    care = _state(session).models.get(args.id)
    if care is not None and care.state in ("open", "setting_up"):
        move(session, args.id, "suspend", "strike")


def _station_town(session: Any, ident: str | None) -> str | None:
    """The township of the struck warehouse, distribution station or care station."""
    town = session.query("distribution.place_township", ident) if ident else None
    if town is not None:
        return town
    station = session.query("distribution.station", ident) if ident else None
    if station is not None:
        return station["township"]
    care = _state(session)["stations"].get(ident or "")
    return care["township"] if care else None


def _first(session: Any, county: str) -> str:
    return session.counties[county].townships[0].id


def _add(session: Any, key: str, town: str, people: int, kind: str) -> None:
    state = _state(session)
    state[key][town] = state[key].get(town, 0) + people
    session.emit(kind, {"township": town, "people": people, "waiting": state[key][town]})


def mass_casualty(session: Any, args: fx.CasualtyArgs, inject: str) -> None:
    _add(session, "casualties", args.township, args.casualties, "mass_casualty")


def displacement(session: Any, args: fx.DisplacementArgs, inject: str) -> None:
    _add(session, "displaced", args.township, args.people, "displacement")


def panic_buying(session: Any, args: fx.PanicBuyingArgs, inject: str) -> None:
    fx.call(session, "panic", inject, county=fx.county_of(session, inject),
            townships=fx.towns(session, inject, args.townships), add=round(args.multiplier - 1, 6))


def disinformation(session: Any, args: fx.DisinformationArgs, inject: str) -> None:
    session.emit("rumour", {"rumour": args.rumour, "audience": fx.towns(session, inject, args.audience)})
    fx.call(session, "panic", inject, county=fx.county_of(session, inject),
            townships=fx.towns(session, inject, args.audience), add=round(args.multiplier - 1, 6))


def blockade(session: Any, args: fx.BlockadeArgs, inject: str) -> None:
    state = _state(session)
    for good in args.goods:
        state["blockade"][good] = args.import_cut
    session.emit("blockade", {"goods": list(args.goods), "import_cut": args.import_cut})


def typhoon(session: Any, args: fx.DisasterArgs, inject: str) -> None:
    area = fx.towns(session, inject, args.area)
    fx.call(session, "power_outage", inject, area=area, duration=args.duration)
    for road in args.roads:
        fx.call(session, "road_closed", inject, road=road)
    population = {t.id: t.population for c in session.counties.values() for t in c.townships}
    for town in area:
        people = int(population[town] * args.severity * 0.01)
        if people:
            _add(session, "displaced", town, people, "displacement")


def earthquake(session: Any, args: fx.DisasterArgs, inject: str) -> None:
    area = fx.towns(session, inject, args.area)
    fx.call(session, "power_outage", inject, area=area, duration=args.duration)
    fx.call(session, "base_station_down", inject, area=area, duration=args.duration)
    for road in args.roads:
        fx.call(session, "road_closed", inject, road=road)
    population = {t.id: t.population for c in session.counties.values() for t in c.townships}
    for town in area:
        hurt = int(population[town] * args.severity * 0.001)
        homeless = int(population[town] * args.severity * 0.02)
        if hurt:
            _add(session, "casualties", town, hurt, "mass_casualty")
        if homeless:
            _add(session, "displaced", town, homeless, "displacement")


def volunteer_no_show(session: Any, args: fx.NoShowArgs, inject: str) -> None:
    station = session.query("distribution.station", args.station)
    care = _state(session)["stations"].get(args.station)
    before = station["staff"] if station is not None else (care["staff"] if care else None)
    if before is None:
        session.emit("volunteers_missing", {"station": args.station, "before": None, "after": None})
        return
    after = int(before * (1 - args.share))
    if station is not None:
        session.query("distribution.set_staff", args.station, after)
    else:
        care["staff"] = after
    session.emit("volunteers_missing", {"station": args.station, "before": before, "after": after})


def vehicle_breakdown(session: Any, args: fx.BreakdownArgs, inject: str) -> None:
    """A (requisitioned) vehicle is damaged: mobilization must report it (art 33 path)."""
    _state(session)["breakdowns"][args.resource] = session.turn
    session.emit("vehicle_breakdown", {"resource": args.resource})


def move(session: Any, ident: str, trigger: str, reason: str | None) -> None:
    state = _state(session)
    model = state.models[ident]
    before = model.state
    state.machine.fire(model, trigger)
    session.emit("care_station_state", {"station": ident, "kind": model.data["kind"], "from": before,
                                        "to": model.state, "reason": reason})


def on_effect(session: Any, data: dict[str, Any]) -> None:
    """A power outage suspends distribution stations in its area that no generator covers.

    Requisitioned generators (the requisition part's ``generator_kw``) cover stations in id
    order, ``generator_kw_per_station`` each.
    """
    if data["type"] != "power_outage" or not session.has_query("distribution.active_in"):
        return
    area = set(data["args"].get("area") or [])
    duration = data["args"].get("duration") or 1
    by_county: dict[str, list[str]] = {}
    town_of: dict[str, str] = {}
    for found in session.query("distribution.active_in", area):
        by_county.setdefault(found["county"], []).append(found["station"])
        town_of[found["station"]] = found["township"]
    need = _state(session).section.generator_kw_per_station
    for county, ids in sorted(by_county.items()):
        kw = float(session.query("requisition.generator_kw", county, default=0.0))
        covered = ids[: int(kw // need)]
        dark = sorted({town_of[s] for s in ids if s not in covered})
        if covered:
            session.emit("stations_on_generator", {"county": county, "stations": covered, "kw": kw})
        if dark:
            fx.call(session, "stations_suspended", data["inject"], county=county, townships=dark,
                    reason="power_outage", turns=duration)
