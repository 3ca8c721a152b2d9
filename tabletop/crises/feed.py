"""The crises part's event feed lines (``Plugin.feed``; see :mod:`tabletop.feed`): each of its
event kinds -> the parameters of its ``ui.ev.<kind>`` line (strings in ``strings.yaml``)."""

from __future__ import annotations

from typing import Any

from tabletop.feed import Names, Params, station_state


def _strike(n: Names, d: dict[str, Any]) -> dict[str, Any]:
    target = d.get("target")
    if d.get("id"):
        where = n.road(d["id"]) if target in ("road", "bridge") else n.place(d["id"])
    else:
        where = n.places(d.get("area"))
    return {"target": n.label("target", target), "where": where, "severity": n.share(d.get("severity"))}


def _people(n: Names, d: dict[str, Any]) -> dict[str, Any]:
    return {"township": n.place(d["township"]), "people": n.num(d["people"]), "waiting": n.num(d.get("waiting"))}


FEED: dict[str, Params] = {
    "alert_issued": lambda n, d: {"county": n.county(d.get("county")), "area": n.places(d.get("area")),
                                  "until": d.get("until_turn")},
    "alert_relayed": lambda n, d: {"township": n.place(d["township"]), "channel": n.channel(d.get("channel")),
                                   "delay": d.get("delay_turns", 0)},
    "all_clear": lambda n, d: {"area": n.places(d.get("area"))},
    "shelter_occupancy": lambda n, d: {"township": n.place(d["township"]), "people": n.num(d["people"]),
                                       "capacity": n.num(d.get("capacity")), "over": n.num(d.get("over_capacity", 0))},
    "strike": _strike,
    "mass_casualty": _people,
    "displacement": _people,
    "casualties_treated": _people,
    "displaced_registered": _people,
    "casualties_died": _people,
    "rumour": lambda n, d: {"rumour": d.get("rumour", ""), "audience": n.places(d.get("audience"))},
    "blockade": lambda n, d: {"goods": n.goods(d.get("goods")), "cut": n.share(d.get("import_cut"))},
    "volunteers_missing": lambda n, d: (
        ("ui.ev.volunteers_missing", {"station": n.place(d["station"]), "before": n.num(d["before"]), "after": n.num(d["after"])})
        if d.get("before") is not None else ("ui.ev.volunteers_missing.unknown", {"station": n.place(d["station"])})),
    "vehicle_breakdown": lambda n, d: {"resource": n.registered(d["resource"])},
    "care_station_state": station_state,
    "stations_on_generator": lambda n, d: {"count": len(d.get("stations") or ()), "kw": n.num(d.get("kw")),
                                           "stations": n.places(d.get("stations"))},
    "care_station_opened": lambda n, d: {"what": n.label("station_kind", d.get("kind")), "station": n.place(d["station"]),
                                         "township": n.place(d.get("township")), "site": d.get("site", ""),
                                         "staff": d.get("staff"), "ready": d.get("ready_turn")},
}
