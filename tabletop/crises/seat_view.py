"""The crises part in the trainee seats: alerts, shelters and care as a county EOC knows them
(role pictures), and the ids its crisis commands can name (form choices).

What the EOC knows:

- **alerts** are public (sirens, and the inject that tells the EOC), so an alert in force is
  shown; whether the EOC's relay reached each township office is its own business: relayed
  (the message went through), under way (still in its outbox or with a runner), or not yet;
- **shelters**: capacity from the scenario's shelter areas, and during an alert the planning
  estimate of people sheltering (population × ``shelter_share``), which the EOC can work out;
- **care**: casualties and displaced people waiting as the townships last reported them,
  and the state of each relief or first-aid station as the station last reported it, through
  the communications part (``comms.known``); without that part messages are immediate, so the
  EOC knows what is true now.
"""

from __future__ import annotations

from typing import Any, Callable

from tabletop import feed, i18n
from tabletop import pictures as pic
from tabletop.core.parts import Choice, PictureRow

ALERTS = "crises.alerts"
SHELTERS = "crises.shelters"
CARE = "crises.care"

KIND_OF_ROLE = {"social_affairs": "relief", "health": "first_aid"}


def _state(session: Any) -> Any:
    return session.domain("crises") if session.has_part("crises") else None


def _mine(session: Any, county: str) -> bool:
    return _state(session) is not None and county in session.counties


def known_township(session: Any, county: str, town: str) -> tuple[dict[str, Any], int | None]:
    """(facts, as_of) the EOC has about a township: its last report, or the truth without comms."""
    if not session.has_query("comms.known"):
        state = _state(session)
        return {"alert": town in state["alerts"], "casualties_waiting": state["casualties"].get(town, 0),
                "displaced_waiting": state["displaced"].get(town, 0), "sheltered": state["sheltered"].get(town)}, session.turn
    seen = session.query("comms.known", county, f"township:{town}")
    return (seen["facts"], seen["as_of"]) if seen else ({}, None)


def known_station_state(session: Any, county: str, ident: str) -> tuple[str | None, int | None]:
    """(state, as_of) of a care station as it last reported itself (the truth without comms)."""
    data = _state(session)["stations"][ident]
    if not session.has_query("comms.known") or data["state"] in ("closing", "closed"):  # closing is the EOC's own order
        return data["state"], session.turn
    seen = session.query("comms.known", county, f"station:{ident}")
    if not seen or "station_state" not in seen["facts"]:
        return None, None
    return seen["facts"]["station_state"], seen["as_of"]


def _relay_under_way(session: Any, county: str, town: str) -> bool:
    """An alert relay from this EOC to the township office is waiting to go out or on its way."""
    return bool(session.query("comms.waiting", "alert_relay", f"eoc:{county}", f"township:{town}", default=False))


# ----- alerts -------------------------------------------------------------------------------
def alerts_picture(session: Any, county: str) -> list[PictureRow]:
    if not _mine(session, county):
        return []
    state = _state(session)
    rows = []
    for town in pic.townships(session, county):
        alert = state["alerts"].get(town.id)
        if alert is None:
            continue
        name = pic.text(town.name)
        relayed = state["relayed"].get(town.id)
        params = {"town": name, "issued": alert["issued"], "until": alert["until"]}
        if relayed is not None:
            rows.append(pic.row("crises.pic.alert_relayed", "warn", turn=relayed, **params))
        elif _relay_under_way(session, county, town.id):
            rows.append(pic.row("crises.pic.alert_relaying", "warn", **params))
        else:
            rows.append(pic.row("crises.pic.alert_not_relayed", "bad", **params))
    if not rows:
        return [pic.row("crises.pic.no_alert", "ok")]
    return pic.capped(pic.urgent_first(rows))


# ----- shelters -----------------------------------------------------------------------------
def shelters_picture(session: Any, county: str) -> list[PictureRow]:
    if not _mine(session, county):
        return []
    state = _state(session)
    count: dict[str, int] = {}
    for shelter in state.section.shelters:  # air-raid shelters (with floor area)
        count[shelter.township] = count.get(shelter.township, 0) + 1
    rows = []
    for town in pic.townships(session, county):
        capacity = state.capacity.get(town.id, 0)
        disaster = len(town.shelters)  # the township's disaster shelters (sites only)
        facts, as_of = known_township(session, county, town.id)
        alert = town.id in state["alerts"]  # public: the sirens sound for everyone
        reported = facts.get("sheltered") if alert else None
        estimate = state["sheltered"].get(town.id) if alert else None
        inside = reported if reported is not None else estimate
        if not count.get(town.id) and not disaster and inside is None:
            continue
        parts = [i18n.both("crises.pic.shelters", town=pic.text(town.name), count=count.get(town.id, 0),
                           capacity=pic.number(capacity), share=round(100 * capacity / town.population))]
        if disaster:
            parts.append(i18n.both("crises.pic.disaster_shelters", count=disaster, sites="、".join(town.shelters)))
        tone = "text"
        if inside is not None:
            if reported is not None:
                parts.append(i18n.both("crises.pic.sheltering_reported", people=pic.number(inside)))
                parts.append(pic.reported(as_of))
            else:
                parts.append(i18n.both("crises.pic.sheltering", people=pic.number(inside)))
            if inside > capacity:
                parts.append(i18n.both("crises.pic.over", people=pic.number(inside - capacity)))
                tone = "bad"
            else:
                tone = "warn" if inside >= 0.8 * capacity else "ok"
        rows.append(PictureRow(pic.concat(parts), tone))
    if not rows:
        return [pic.row("crises.pic.no_shelters", "dim")]
    return pic.capped(pic.urgent_first(rows))


# ----- relief and first aid -----------------------------------------------------------------
def _care_stations(session: Any, county: str) -> list[str]:
    stations = _state(session)["stations"]
    return [ident for ident in sorted(stations) if stations[ident]["county"] == county]


def station_label(session: Any, ident: str) -> dict[str, str]:
    """A care station by its name (吉安鄉第1救濟站) and site, never its id."""
    data = _state(session)["stations"][ident]
    return i18n.both("crises.pic.care_name", name=feed.station_names(session, ident), site=data["site"])


def care_picture(session: Any, county: str) -> list[PictureRow]:
    if not _mine(session, county):
        return []
    stations = _state(session)["stations"]
    mine = _care_stations(session, county)
    rows = []
    for town in pic.townships(session, county):
        facts, as_of = known_township(session, county, town.id)
        for fact, kind, key in (("casualties_waiting", "first_aid", "crises.pic.casualties"),
                                ("displaced_waiting", "relief", "crises.pic.displaced")):
            waiting = facts.get(fact) or 0
            if not waiting:
                continue
            served = any(stations[i]["kind"] == kind and stations[i]["township"] == town.id
                         and stations[i]["state"] not in ("closing", "closed") for i in mine)
            key_suffix = "" if served else "_none"
            rows.append(PictureRow(pic.concat([i18n.both(key + key_suffix, town=pic.text(town.name), people=pic.number(waiting)),
                                               pic.reported(as_of)]), "warn" if served else "bad"))
    for ident in mine:
        now, as_of = known_station_state(session, county, ident)
        if now == "closed":
            continue
        label = i18n.label("station", now) if now else i18n.both("picture.no_report")
        parts = [i18n.both("crises.pic.station", station=station_label(session, ident), state=label)]
        if now is not None and now != "closing":
            parts.append(pic.reported(as_of))
        tone = {"open": "ok", "suspended": "warn", None: "warn"}.get(now, "text")
        rows.append(PictureRow(pic.concat(parts), tone))
    if not rows:
        return [pic.row("crises.pic.no_care", "ok")]
    return pic.capped(pic.urgent_first(rows))


# ----- form choices ---------------------------------------------------------------------------
def _townships(fact: str, key: str):
    def choices(session: Any, county: str, role: str) -> list[Choice]:
        if not _mine(session, county):
            return []
        out = []
        for town in pic.townships(session, county):
            waiting = known_township(session, county, town.id)[0].get(fact) or 0
            if waiting:
                out.append(pic.choice(town.id, key, town=pic.text(town.name), id=town.id, people=pic.number(waiting)))
            else:
                out.append(pic.choice(town.id, "crises.choice.township", town=pic.text(town.name), id=town.id))
        return out
    return choices


def _types(attribute: str):
    def choices(session: Any, county: str, role: str) -> list[Choice]:
        state = _state(session)
        if state is None:
            return []
        return [pic.choice(t.id, "crises.choice.type", id=t.id, staff=t.staff, per_turn=t.per_turn, setup=t.setup_turns)
                for t in getattr(state.section, attribute)]
    return choices


def _closable(session: Any, county: str, role: str) -> list[Choice]:
    """Care stations of this county not closing or closed; a department sees its own kind."""
    if not _mine(session, county):
        return []
    stations = _state(session)["stations"]
    kind = KIND_OF_ROLE.get(role)
    return [Choice(ident, station_label(session, ident)) for ident in _care_stations(session, county)
            if stations[ident]["state"] not in ("closing", "closed") and kind in (None, stations[ident]["kind"])]


def _alert_areas(session: Any, county: str, role: str) -> list[Choice]:
    """Townships an alert can be relayed to: those under an alert in force."""
    if not _mine(session, county):
        return []
    alerts = _state(session)["alerts"]
    return [pic.choice(t.id, "crises.choice.township", town=pic.text(t.name), id=t.id)
            for t in pic.townships(session, county) if t.id in alerts]


PICTURES: dict[str, Callable[[Any, str], list[PictureRow]]] = {ALERTS: alerts_picture, SHELTERS: shelters_picture, CARE: care_picture}

#: Which roles see each panel, and where in the role's tabs (0 first; tabletop.pictures.panel_names).
PANELS: dict[str, dict[str, int]] = {
    ALERTS: {"commander": 0, "civil_affairs": 1, "social_affairs": 2, "health": 1, "police": 0, "fire": 0, "reserve_command": 1, "central": 2},
    CARE: {"commander": 4, "social_affairs": 0, "health": 0, "fire": 1},
    SHELTERS: {"civil_affairs": 2, "social_affairs": 1, "police": 1},
}

CHOICES: dict[str, Callable[[Any, str, str], list[Choice]]] = {
    "open_relief_station.township": _townships("displaced_waiting", "crises.choice.township_displaced"),
    "open_first_aid_station.township": _townships("casualties_waiting", "crises.choice.township_casualties"),
    "open_relief_station.type": _types("relief_types"),
    "open_first_aid_station.type": _types("first_aid_types"),
    "close_care_station.station": _closable,
    "relay_alert.area": _alert_areas,
}
