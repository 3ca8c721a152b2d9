"""The crises part's metrics (``Plugin.metrics``), over the facts in ``tabletop.scoring.crises_facts``."""

from __future__ import annotations

from typing import Any

from tabletop.scoring.crises_facts import (
    ALERT_OWNERS, STATION_OWNERS, MEDICAL_OWNERS, CARE_OWNERS, _town_in_scope, _windows,
    _distribution_station_events, _reach_share,
)
from tabletop.scoring.distribution_facts import station_townships
from tabletop.scoring.registry import Scope, Value, in_scope_role, metric, registered
from tabletop.scoring.survival import Observation, km_median
from tabletop.scoring.view import LogView


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


#: The metrics this part declares (registered above, by name).
METRICS: tuple[str, ...] = tuple(name for name, m in registered().items() if m.compute.__module__ == __name__)
