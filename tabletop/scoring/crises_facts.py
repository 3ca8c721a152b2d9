"""What the crises part's metrics and the after-action report read from a log: the facts behind its
measures (the measures themselves are the part's, in tabletop/crises/metrics.py).

Crises metrics (issue 6), from its contract events; they apply only when those events are present.

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
from tabletop.scoring.registry import Scope, Value


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


def _distribution_station_events(view: LogView) -> list[dict[str, Any]]:
    return view.events("station_state")  # care stations log care_station_state


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
