"""The distribution part's event feed lines (``Plugin.feed``; see :mod:`tabletop.feed`): each of its
event kinds -> the parameters of its ``ui.ev.<kind>`` line (strings in ``strings.yaml``)."""

from __future__ import annotations

from typing import Any

from tabletop.feed import command_name, Names, Params, station_state


def _supply_status(n: Names, d: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    days = d.get("days_of_supply") or {}
    stations = d.get("stations") or {}
    if not days:
        return "ui.ev.supply_status.none", {"county": n.county(d.get("county")), "open": stations.get("open", 0)}
    good = min(sorted(days), key=lambda g: days[g])
    return "ui.ev.supply_status", {"county": n.county(d.get("county")), "good": n.good(good),
                                   "days": n.num(round(float(days[good]), 1)), "open": stations.get("open", 0)}


def _aid_items(n: Names, d: dict[str, Any]) -> str:
    """What an aid event moves: goods with quantities, then trucks, medical teams, shelter places."""
    parts = [n.goods(d["goods"])] if d.get("goods") else []
    for name in ("trucks", "medical_teams", "shelter_places"):
        if d.get(name):
            parts.append(n.t(f"ui.aid.{name}", n=n.num(d[name])))
    return n.sep.join(parts) or "-"


def served(n: Any, d: dict[str, Any]) -> dict[str, Any]:
    """One line per county and turn: people served per good, over how many stations."""
    people: dict[str, int] = {}
    unmet = queue = 0
    stations = d.get("stations") or {}
    for goods in stations.values():
        for good, line in goods.items():
            people[good] = people.get(good, 0) + int(line.get("people", 0))
            unmet += int(line.get("unmet", 0))
            queue += int(line.get("queue", 0))
    goods_text = n.sep.join(n.t("ui.ev.distribution_served.good", good=n.good(g), people=n.num(k))
                            for g, k in sorted(people.items()))
    return {"county": n.county(d.get("county")), "stations": n.num(len(stations)), "goods": goods_text or "-",
            "unmet": n.num(unmet), "queue": n.num(queue)}


FEED: dict[str, Params] = {
    "station_state": station_state,
    "stockout": lambda n, d: {"place": n.place(d.get("station") or d.get("warehouse")), "good": n.good(d["good"])},
    "distribution_served": served,
    "road_state": lambda n, d: (
        ("ui.ev.road_state", {"road": n.road(d["road"]), "cause": n.paren(n.label("cause", d.get("cause")) if d.get("cause") else "")})
        if d.get("closed") else ("ui.ev.road_state.open", {"road": n.road(d["road"])})),
    "shortage_declared": lambda n, d: {"goods": n.goods(d.get("goods")), "by": n.paren(n.actor(d.get("by")))},
    "ration_set": lambda n, d: {"county": n.county(d.get("county")), "good": n.good(d["good"]),
                                "per": n.num(d.get("per_person_per_day")), "n": d.get("purchases_per_month"),
                                "unit": n.label("unit", next((g.unit for g in n.session.scenario.goods if g.id == d["good"]), ""))},
    "station_order_received": lambda n, d: {"station": n.place(d["station"]), "delay": d.get("delay_turns", 0),
                                            "order": command_name(d.get("order") or "open_station", n.lang)},
    "station_order_failed": lambda n, d: {"station": n.place(d["station"]), "order": command_name(d.get("order") or "", n.lang),
                                          "reason": n.reason({"rule": d.get("rule"), "key": d.get("key"),
                                                              "params": d.get("params") or {}})},
    "batch_collected": lambda n, d: {"batch": d["batch"], "at": n.place(d.get("warehouse")), "goods": n.goods(d.get("goods") or {}),
                                     "amount": n.num(d.get("amount"))},
    "batch_paid": lambda n, d: {"batch": d["batch"], "amount": n.num(d.get("amount"))},
    "station_staffed": lambda n, d: {"station": n.place(d["station"]), "staff": d.get("staff"),
                                     "required": d.get("staff_required")},
    "convoy_dispatched": lambda n, d: {"convoy": d["convoy"], "src": n.place(d.get("from")), "dst": n.place(d.get("to")),
                                       "vehicles": d.get("vehicles"), "goods": n.goods(d.get("goods") or {}),
                                       "eta": d.get("eta_turn")},
    "convoy_held": lambda n, d: {"convoy": d["convoy"], "at": n.place(d.get("at")),
                                 "reason": n.label("reason", d.get("reason"))},
    "convoy_blocked": lambda n, d: (
        ("ui.ev.convoy_blocked", {"convoy": d["convoy"], "road": n.road(d.get("link")), "minutes": n.num(d.get("minutes_left"))})
        if d.get("rerouted") else
        ("ui.ev.convoy_blocked.stuck", {"convoy": d["convoy"], "road": n.road(d.get("link")), "at": n.place(d.get("at"))})),
    "convoy_arrived": lambda n, d: {"convoy": d["convoy"], "at": n.place(d.get("at")), "goods": n.goods(d.get("goods") or {})},
    "panic_changed": lambda n, d: {"cause": n.label("cause", d.get("cause")),
                                   "panic": n.sep.join(f"{n.place(t)} ×{n.num(round(float(v), 2))}"
                                                       for t, v in (d.get("panic") or {}).items())},
    "purchase_window": lambda n, d: {"county": n.county(d.get("county")), "good": n.good(d["good"]),
                                     "lapsed": n.num(d.get("lapsed"))},
    "supply_status": _supply_status,
    "goods_inflow": lambda n, d: {"place": n.place(d.get("place")), "goods": n.goods(d.get("goods") or {}),
                                  "source": n.paren(n.label("cause", d.get("source")) if d.get("source") else "")},
    "goods_lost": lambda n, d: {"place": n.place(d.get("place")), "goods": n.goods(d.get("goods") or {}),
                                "cause": n.paren(n.label("cause", d.get("cause")) if d.get("cause") else "")},
    "aid_requested": lambda n, d: {"county": n.county(d.get("county")), "request": d["request"], "what": _aid_items(n, d)},
    "aid_request_received": lambda n, d: {"county": n.county(d.get("county")), "request": d["request"],
                                          "delay": d.get("delay_turns", 0)},
    "aid_allocated": lambda n, d: {"lender": n.county(d.get("lender")), "county": n.county(d.get("county")),
                                   "request": d["request"], "what": _aid_items(n, d), "eta": d.get("eta_turn") or "-"},
    "aid_delivered": lambda n, d: {"county": n.county(d.get("county")), "lender": n.county(d.get("lender")),
                                   "what": _aid_items(n, d), "turns": d.get("turns")},
    "aid_filled": lambda n, d: {"county": n.county(d.get("county")), "request": d["request"], "turns": d.get("turns")},
}
