"""The comms part's metrics (``Plugin.metrics``), over the facts in ``tabletop.scoring.comms_facts``."""

from __future__ import annotations

from datetime import datetime

from tabletop.scoring.comms_facts import (
    OWNERS, PART_EVENTS, link_status, _link_in_county, _loss_sets, failure_episodes, _late_sets,
)
from tabletop.scoring.registry import Scope, Value, in_scope_role, metric, registered
from tabletop.scoring.survival import Observation, km_median
from tabletop.scoring.view import LogView
from tabletop.core import sums


@metric("link_outage_minutes", "communications", "minutes", "lower", (0, 1, 2), owners=OWNERS)
def link_outage_minutes(view: LogView, scope: Scope) -> Value | None:
    """Mean, over links named in ``channel_state`` events, of the game minutes the link had no
    working channel (counted in whole turns, at each turn's end)."""
    if not in_scope_role(scope, OWNERS) or not view.has("channel_state"):
        return None
    status = {link: rows for link, rows in link_status(view).items() if _link_in_county(link, scope.county, view)}
    if not status:
        return None
    outage = {link: sum(view.minutes_per_turn for _, ok in rows if not ok) for link, rows in sorted(status.items())}
    return Value(sum(outage.values()) / len(outage), len(outage), {"links": outage})


@metric("message_loss_rate", "communications", "ratio", "lower", (0.02, 0.05, 0.15), owners=OWNERS)
def message_loss_rate(view: LogView, scope: Scope) -> Value | None:
    """Messages lost / (delivered + lost); messages still queued at the end are censored. In a
    county's scope, the messages its seats and nodes sent."""
    if not in_scope_role(scope, OWNERS) or not view.has(*PART_EVENTS):
        return None
    delivered, lost, queued = _loss_sets(view).get(scope.county, (set(), set(), set()))
    if not delivered and not lost:
        return None
    return Value(len(lost) / (len(delivered) + len(lost)), len(delivered) + len(lost),
                 {"delivered": len(delivered), "lost": len(lost), "queued_at_end": len(queued)})


@metric("picture_age_min", "communications", "minutes", "lower", (1, 2, 4), owners=OWNERS)
def picture_age_min(view: LogView, scope: Scope) -> Value | None:
    """Mean age of the EOC's picture: game minutes between a report's ``as_of`` (a turn, or an
    ISO time) and its receipt."""
    if not in_scope_role(scope, OWNERS) or not view.has("report_received"):
        return None
    found = _picture_ages(view)
    ages = found.get(scope.county, found["unplaced"])
    if not ages:
        return None
    return Value(sums.total(ages) / len(ages), len(ages), {"max": max(ages)})


def _picture_ages(view: LogView) -> dict[str | None, list[float]]:
    """County (None: every report) -> the ages of the reports it received, in log order: one
    pass over the log's reports for every scope. A report with no county counts in every county's
    scope (``"unplaced"``: those alone, for a county no report names)."""
    if "picture_ages" in view.cache:
        return view.cache["picture_ages"]
    everything: list[float] = []
    by_county: dict[str, list[tuple[int, float]]] = {}
    unplaced: list[tuple[int, float]] = []
    turn_ages: dict[tuple[int, int], float] = {}  # a national log has a few (as_of, turn) pairs, 300,000 times
    for position, record in enumerate(view.events("report_received")):
        data = record["data"]
        county = data.get("county") or view.cause_county(record)
        as_of = data.get("as_of")
        if type(as_of) is int:  # the comms part gives the turn (a bool is no turn)
            pair = (as_of, record["turn"])
            known = turn_ages.get(pair)
            if known is None:
                known = turn_ages[pair] = float(max(0, view.minutes(as_of, record["turn"])))
            age = known
        else:
            try:
                stamp = datetime.fromisoformat(str(as_of))
                age = max(0.0, (datetime.fromisoformat(record["time"]) - stamp).total_seconds() / 60)
            except ValueError:
                continue
        everything.append(age)
        (unplaced if county is None else by_county.setdefault(county, [])).append((position, age))
    out: dict[str | None, list[float]] = {None: everything, "unplaced": [age for _, age in unplaced]}
    for county in set(by_county) | set(view.counties()):
        rows = by_county.get(county, [])
        if unplaced:
            rows = sorted(rows + unplaced)
        out[county] = [age for _, age in rows]
    view.cache["picture_ages"] = out
    return out


@metric("backup_switch_time_min", "communications", "minutes", "lower", (0, 1, 2), owners=OWNERS)
def backup_switch_time_min(view: LogView, scope: Scope) -> Value | None:
    """Kaplan-Meier median, over failures of a link's channel in use (the one that carried the
    link's last delivery) while the link had traffic, of game minutes from the ``channel_state``
    that took it down to the first ``message_delivered`` on that link over another channel. No
    switch before the channel came back (or the log ended): censored at that time."""
    if not in_scope_role(scope, OWNERS) or not view.has("channel_state"):
        return None
    observations = []
    rows = []
    for episode in failure_episodes(view):
        if not (episode["in_use"] and episode["traffic"]) or not _link_in_county(episode["link"], scope.county, view):
            continue
        if episode["switch_turn"] is not None:
            minutes = view.minutes(episode["start_turn"], episode["switch_turn"])
            observations.append(Observation(minutes, True))
        else:
            end = episode["end_turn"] if episode["end_turn"] is not None else view.last_turn
            minutes = view.minutes(episode["start_turn"], end)
            observations.append(Observation(minutes, False))
        rows.append({"link": episode["link"], "channel": episode["channel"], "turn": episode["start_turn"],
                     "to": episode["switch_channel"], "after_min": minutes if episode["switch_turn"] is not None else None})
    median = km_median(observations)
    if median is None:
        return None
    return Value(median.value, len(observations), {"failures": rows, "censored": median.censored},
                 not_reached=median.value is None, horizon=median.horizon)


@metric("late_message_share", "communications", "ratio", "lower", (0.05, 0.15, 0.3), owners=OWNERS)
def late_message_share(view: LogView, scope: Scope) -> Value | None:
    """Late messages: those delivered over a channel with ``latency`` > 0 or ever queued
    (``message_queued``, including those still queued at the end) / messages delivered over a
    channel plus those still queued. Scheduled field reports (``kind: report``, ``reason:
    schedule``) are sent at a turn's end and cross at the next turn: latency 1 is on time for
    them. Lost messages are left out (see ``message_loss_rate``); deliveries that cross no link
    (``internal``, ``direct``) are not counted."""
    if not in_scope_role(scope, OWNERS) or not view.has(*PART_EVENTS):
        return None
    found = _late_sets(view).get(scope.county)
    if found is None:
        return None
    delivered, queued = found
    waiting = queued - set(delivered)
    total = len(delivered) + len(waiting)
    if total == 0:
        return None
    slow = {ident for ident, latency in delivered.items() if latency > 0}
    late = slow | queued
    return Value(len(late) / total, total, {"delivered": len(delivered), "delivered_late": len(slow),
                                            "queued": len(queued), "queued_at_end": len(waiting)})


#: The metrics this part declares (registered above, by name).
METRICS: tuple[str, ...] = tuple(name for name, m in registered().items() if m.compute.__module__ == __name__)
