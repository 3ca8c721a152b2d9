"""Crises metrics (issue 6), from its contract events; they apply only when those events are present.

Reads ``alert_issued`` {county, area, until_turn}, ``alert_relayed`` {township, delay_turns,
channel}, ``all_clear`` {area}, distribution's ``station_state`` {station, from, to, reason},
``shelter_occupancy`` {township, people, capacity, over_capacity}, ``mass_casualty`` /
``casualties_treated`` / ``casualties_died`` {township, people, waiting} and ``displacement`` /
``displaced_registered`` {township, people, waiting}.

*Alert window* of a township: from its ``alert_issued`` record to the first later ``all_clear``
naming it (or the end of the log).

*Reaching care*: casualties and displaced people queue per township in arrival order; each
``casualties_treated`` / ``displaced_registered`` takes people from the head of the queue, each
``casualties_died`` removes people from it. People still waiting count as not reached, except
those who arrived in the last turn of a log whose play has not ended (censored: left out).
"""

from __future__ import annotations

from typing import Any

from tabletop.scoring.view import LogView
from tabletop.scoring.metrics_distribution import station_townships
from tabletop.scoring.registry import Scope, Value, in_scope_role, metric
from tabletop.scoring.survival import Observation, km_median

#: Who answers for each metric (the roles whose commands move it).
ALERT_OWNERS = ("commander", "civil_affairs")
STATION_OWNERS = ("civil_affairs",)
MEDICAL_OWNERS = ("health",)
CARE_OWNERS = ("social_affairs",)


def _county_of_town(view: LogView, town: str) -> str | None:
    found = view.townships().get(town)
    return found.county if found is not None else None


def _town_in_scope(view: LogView, town: str, scope: Scope, fallback: str | None = None) -> bool:
    return scope.county is None or (_county_of_town(view, town) or fallback) == scope.county


def alert_windows(view: LogView) -> list[dict[str, Any]]:
    """One row per alerted township: {township, county, issued_seq, issued_turn, until_turn,
    end_seq, end_turn (None while the alert lasts at the end of the log), relay_seq, relay_turn,
    channel, next_issue_turn}."""
    if "alert_windows" in view.cache:
        return view.cache["alert_windows"]
    issued = view.events("alert_issued")
    clears = view.events("all_clear")
    relays = view.events("alert_relayed")
    rows = []
    for index, record in enumerate(issued):
        data = record["data"]
        for town in sorted({str(t) for t in (data.get("area") or [])}):
            later = next((r for r in issued[index + 1:] if town in (r["data"].get("area") or [])), None)
            bound = later["seq"] if later is not None else None
            clear = next((r for r in clears if r["seq"] > record["seq"] and town in (r["data"].get("area") or [])
                          and (bound is None or r["seq"] < bound)), None)
            relay = next((r for r in relays if r["seq"] > record["seq"] and r["data"].get("township") == town
                          and (bound is None or r["seq"] < bound)), None)
            rows.append({
                "township": town, "county": _county_of_town(view, town) or data.get("county"),
                "issued_seq": record["seq"], "issued_turn": record["turn"], "until_turn": data.get("until_turn"),
                "end_seq": clear["seq"] if clear else bound, "end_turn": clear["turn"] if clear else
                (later["turn"] if later else None),
                "relay_turn": relay["turn"] if relay else None, "channel": relay["data"].get("channel") if relay else None,
                "next_issue_turn": later["turn"] if later else None,
            })
    view.cache["alert_windows"] = rows
    return rows


def _windows(view: LogView, scope: Scope) -> list[dict[str, Any]]:
    return [w for w in alert_windows(view) if scope.county is None or w["county"] == scope.county]


@metric("alert_relay_time_min", "crises", "minutes", "lower", (0, 1, 2), owners=ALERT_OWNERS)
def alert_relay_time_min(view: LogView, scope: Scope) -> Value | None:
    """Kaplan-Meier median, over alerted townships, of game minutes from ``alert_issued`` to the
    township's ``alert_relayed``. A township never relayed is censored at the end of the log
    (or at the next alert for it), not counted as 0."""
    if not in_scope_role(scope, ALERT_OWNERS) or not view.has("alert_issued"):
        return None
    observations = []
    townships: dict[str, Any] = {}
    channels: dict[str, int] = {}
    for row in _windows(view, scope):
        key = row["township"] if row["township"] not in townships else f"{row['township']}@{row['issued_turn']}"
        if row["relay_turn"] is not None:
            minutes = view.minutes(row["issued_turn"], row["relay_turn"])
            observations.append(Observation(minutes, True))
            townships[key] = minutes
            channel = str(row["channel"])
            channels[channel] = channels.get(channel, 0) + 1
        else:
            end = row["next_issue_turn"] if row["next_issue_turn"] is not None else view.last_turn
            observations.append(Observation(view.minutes(row["issued_turn"], end), False))
            townships[key] = None
    median = km_median(observations)
    if median is None:
        return None
    return Value(median.value, len(observations),
                 {"townships": townships, "censored": median.censored, "channels": dict(sorted(channels.items()))},
                 not_reached=median.value is None, horizon=median.horizon)


def _distribution_station_events(view: LogView) -> list[dict[str, Any]]:
    return view.events("station_state")  # care stations log care_station_state


@metric("alert_stations_suspended_share", "crises", "ratio", "higher", (1.0, 0.9, 0.75), owners=STATION_OWNERS)
def alert_stations_suspended_share(view: LogView, scope: Scope) -> Value | None:
    """Share of distribution stations open in an alerted township when the alert was issued that
    were suspended (``station_state`` → ``suspended``, normally ``reason: air_raid``) before the
    township's ``all_clear``: people must take shelter, not queue (ADX art 9). Each alert counts
    each such station once."""
    if not in_scope_role(scope, STATION_OWNERS) or not view.has("alert_issued"):
        return None
    where = station_townships(view)
    events = _distribution_station_events(view)
    suspended = 0
    missed: list[str] = []
    by_reason: dict[str, int] = {}
    total = 0
    for row in _windows(view, scope):
        state: dict[str, str] = {}
        for record in events:
            if record["seq"] > row["issued_seq"]:
                break
            state[str(record["data"].get("station"))] = str(record["data"].get("to"))
        at_risk = sorted(s for s, current in state.items() if current == "open" and where.get(s) == row["township"])
        for station in at_risk:
            total += 1
            hit = next((r for r in events if r["seq"] > row["issued_seq"]
                        and (row["end_seq"] is None or r["seq"] < row["end_seq"])
                        and r["data"].get("station") == station and r["data"].get("to") == "suspended"), None)
            if hit is None:
                missed.append(f"{station}@{row['issued_turn']}")
            else:
                suspended += 1
                reason = str(hit["data"].get("reason"))
                by_reason[reason] = by_reason.get(reason, 0) + 1
    if total == 0:
        return None
    return Value(suspended / total, total, {"suspended": suspended, "not_suspended": missed,
                                            "by_reason": dict(sorted(by_reason.items()))})


@metric("shelter_overcapacity_share", "crises", "ratio", "lower", (0.0, 0.1, 0.25), owners=CARE_OWNERS)
def shelter_overcapacity_share(view: LogView, scope: Scope) -> Value | None:
    """People sheltering beyond shelter capacity / people sheltering, summed over
    ``shelter_occupancy`` events (each alert's sheltering once per township)."""
    if not in_scope_role(scope, CARE_OWNERS) or not view.has("shelter_occupancy"):
        return None
    people = over = 0.0
    worst: dict[str, float] = {}
    for record in view.events("shelter_occupancy"):
        data = record["data"]
        town = str(data.get("township"))
        if not _town_in_scope(view, town, scope):
            continue
        sheltering = float(data.get("people") or 0)
        excess = data.get("over_capacity")
        excess = float(excess) if excess is not None else max(0.0, sheltering - float(data.get("capacity") or 0))
        people += sheltering
        over += excess
        if sheltering > 0:
            worst[town] = max(worst.get(town, 0.0), excess / sheltering)
    if people <= 0:
        return None
    return Value(over / people, int(people), {"people": people, "over_capacity": over,
                                              "worst_share_by_township": dict(sorted(worst.items()))})


def queue_outcomes(view: LogView, arrive: str, reached: str, lost: str | None = None) -> dict[str, dict[str, Any]]:
    """Township -> {arrived, reached, lost, waiting, censored, wait_minutes} for people queueing
    for care (first-come, first-served; see the module docstring)."""
    key = f"queue:{arrive}"
    if key in view.cache:
        return view.cache[key]
    towns: dict[str, dict[str, Any]] = {}
    for record in view.events(*[k for k in (arrive, reached, lost) if k]):
        data = record["data"]
        town = str(data.get("township"))
        people = int(data.get("people") or 0)
        cell = towns.setdefault(town, {"queue": [], "arrived": 0, "reached": 0, "lost": 0, "wait_minutes": 0})
        if record["kind"] == arrive:
            cell["queue"].append([record["turn"], people])
            cell["arrived"] += people
            continue
        queue = cell["queue"]
        while people > 0 and queue:
            take = min(people, queue[0][1])
            if record["kind"] == reached:
                cell["reached"] += take
                cell["wait_minutes"] += take * view.minutes(queue[0][0], record["turn"])
            else:
                cell["lost"] += take
            queue[0][1] -= take
            people -= take
            if queue[0][1] == 0:
                queue.pop(0)
    out = {}
    for town, cell in sorted(towns.items()):
        censored = 0 if view.ended else sum(n for turn, n in cell["queue"] if turn >= view.last_turn)
        waiting = sum(n for _, n in cell["queue"]) - censored
        out[town] = {"arrived": cell["arrived"], "reached": cell["reached"], "lost": cell["lost"],
                     "waiting": waiting, "censored": censored, "wait_minutes": cell["wait_minutes"]}
    view.cache[key] = out
    return out


def _reach_share(view: LogView, scope: Scope, arrive: str, reached: str, lost: str | None) -> Value | None:
    cells = {t: c for t, c in queue_outcomes(view, arrive, reached, lost).items() if _town_in_scope(view, t, scope)}
    got = sum(c["reached"] for c in cells.values())
    lost_n = sum(c["lost"] for c in cells.values())
    waiting = sum(c["waiting"] for c in cells.values())
    counted = got + lost_n + waiting
    if counted <= 0:
        return None
    wait = sum(c["wait_minutes"] for c in cells.values())
    detail = {"reached": got, "waiting_at_end": waiting, "censored": sum(c["censored"] for c in cells.values()),
              "mean_wait_min": wait / got if got else None,
              "by_township": {t: {"arrived": c["arrived"], "reached": c["reached"]} for t, c in cells.items()}}
    if lost is not None:
        detail["died"] = lost_n
    return Value(got / counted, counted, detail)


@metric("casualties_first_aid_share", "crises", "ratio", "higher", (0.95, 0.85, 0.7), owners=MEDICAL_OWNERS)
def casualties_first_aid_share(view: LogView, scope: Scope) -> Value | None:
    """Casualties reaching first aid: people in ``casualties_treated`` / people in
    ``mass_casualty``. Those who died untreated (``casualties_died``) or still wait at the end
    count as not reached; those hurt in the last turn of an unfinished log are left out."""
    if not in_scope_role(scope, MEDICAL_OWNERS) or not view.has("mass_casualty"):
        return None
    return _reach_share(view, scope, "mass_casualty", "casualties_treated", "casualties_died")


@metric("displaced_registered_share", "crises", "ratio", "higher", (0.95, 0.85, 0.7), owners=CARE_OWNERS)
def displaced_registered_share(view: LogView, scope: Scope) -> Value | None:
    """Displaced people registered at relief stations: people in ``displaced_registered`` / people
    in ``displacement``; those still waiting at the end count as not registered (except those
    displaced in the last turn of an unfinished log, left out)."""
    if not in_scope_role(scope, CARE_OWNERS) or not view.has("displacement"):
        return None
    return _reach_share(view, scope, "displacement", "displaced_registered", None)
