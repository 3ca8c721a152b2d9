"""Communications metrics (issue 5), from its contract events; they apply only once that part
emits ``channel_state``, ``message_queued``, ``message_lost`` or ``report_received`` (the
foundation's immediate delivery has nothing to measure).

A channel counts as working unless its last ``channel_state`` put it in a state other than
``up`` / ``ok`` / ``working`` / ``degraded``; channels never mentioned are assumed working, so
a link is "without any working channel" when every channel the log names for it is down.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tabletop.scoring.logview import LogView
from tabletop.scoring.registry import Scope, Value, in_scope_role, metric

OWNERS = ("comms",)
PART_EVENTS = ("channel_state", "message_queued", "message_lost", "report_received")
WORKING = ("up", "ok", "working", "degraded")


def link_status(view: LogView) -> dict[str, list[tuple[int, bool]]]:
    """Link -> [(turn, has a working channel at the end of the turn)] for turns 1..last."""
    if "link_status" in view.cache:
        return view.cache["link_status"]
    events = view.events("channel_state")
    channels: dict[str, dict[str, bool]] = {}
    out: dict[str, list[tuple[int, bool]]] = {}
    position = 0
    for turn in range(1, view.last_turn + 1):
        while position < len(events) and events[position]["turn"] <= turn:
            data = events[position]["data"]
            channels.setdefault(str(data.get("link")), {})[str(data.get("channel"))] = data.get("to") in WORKING
            position += 1
        for link, states in sorted(channels.items()):
            out.setdefault(link, []).append((turn, any(states.values())))
    view.cache["link_status"] = out
    return out


def _link_in_county(link: str, county: str | None) -> bool:
    return county is None or county in link.replace(".", " ").replace("-", " ").replace(":", " ").split()


@metric("link_outage_minutes", "communications", "minutes", "lower", (0, 1, 2), owners=OWNERS)
def link_outage_minutes(view: LogView, scope: Scope) -> Value | None:
    """Mean, over links named in ``channel_state`` events, of the game minutes the link had no
    working channel (counted in whole turns, at each turn's end)."""
    if not in_scope_role(scope, OWNERS) or not view.has("channel_state"):
        return None
    status = {link: rows for link, rows in link_status(view).items() if _link_in_county(link, scope.county)}
    if not status:
        return None
    outage = {link: sum(view.minutes_per_turn for _, ok in rows if not ok) for link, rows in sorted(status.items())}
    return Value(sum(outage.values()) / len(outage), len(outage), {"links": outage})


@metric("message_loss_rate", "communications", "ratio", "lower", (0.02, 0.05, 0.15), owners=OWNERS)
def message_loss_rate(view: LogView, scope: Scope) -> Value | None:
    """Messages lost / (delivered + lost); messages still queued at the end are censored."""
    if not in_scope_role(scope, OWNERS) or not view.has(*PART_EVENTS):
        return None
    sent_by: dict[str, str | None] = {}
    for record in view.events("message_sent"):
        sender = str(record["data"].get("from") or "")
        sent_by[str(record["data"].get("id"))] = sender.split(".", 1)[0] if "." in sender else None
    def counted(record: dict[str, Any]) -> bool:
        return scope.county is None or sent_by.get(str(record["data"].get("id"))) == scope.county
    delivered = {str(r["data"].get("id")) for r in view.events("message_delivered") if counted(r)}
    lost = {str(r["data"].get("id")) for r in view.events("message_lost") if counted(r)} - delivered
    queued = {str(r["data"].get("id")) for r in view.events("message_queued") if counted(r)} - delivered - lost
    if not delivered and not lost:
        return None
    return Value(len(lost) / (len(delivered) + len(lost)), len(delivered) + len(lost),
                 {"delivered": len(delivered), "lost": len(lost), "queued_at_end": len(queued)})


@metric("picture_age_min", "communications", "minutes", "lower", (1, 2, 4), owners=OWNERS)
def picture_age_min(view: LogView, scope: Scope) -> Value | None:
    """Mean age of the EOC's picture: game minutes between a report's ``as_of`` and its receipt."""
    if not in_scope_role(scope, OWNERS) or not view.has("report_received"):
        return None
    ages = []
    for record in view.events("report_received"):
        data = record["data"]
        county = data.get("county") or view.cause_county(record)
        if scope.county is not None and county not in (None, scope.county):
            continue
        try:
            as_of = datetime.fromisoformat(str(data.get("as_of")))
            ages.append(max(0.0, (datetime.fromisoformat(record["time"]) - as_of).total_seconds() / 60))
        except ValueError:
            continue
    if not ages:
        return None
    return Value(sum(ages) / len(ages), len(ages), {"max": max(ages)})
