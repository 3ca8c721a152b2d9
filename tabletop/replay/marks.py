"""What a record is about (county, role) and which jump targets it is (inject, rejection, alert).

No pygame, no session: these read one record, the command whose batch it belongs to and
the scenario's injects. "Rating-changing" points come from scoring (see :mod:`.scores`).
"""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]

#: Jump targets, in the order the viewer's buttons show them.
MARKS = ("inject", "rejection", "alert", "rating", "note")
INJECT_KINDS = frozenset({"inject_delivered", "inject_triggered", "inject_forced", "card_drawn"})
#: Events a reviewer wants to stop at: something went wrong or a warning was raised.
ALERT_KINDS = frozenset({"expected_action_missed", "stockout", "shortage_declared", "convoy_blocked",
                         "message_lost", "goods_lost", "requisition_order_overdue", "compensation_overdue",
                         "penalty_assessed", "requisition_emergency"})
ALERT_EFFECTS = frozenset({"air_raid_alert"})


def is_alert(record: Record, alert_injects: frozenset[str] = frozenset()) -> bool:
    """An air-raid alert (effect or inject), a link channel going down, or a warning event."""
    kind, data = record["kind"], record.get("data") or {}
    if record["type"] != "event":
        return False
    if kind in ALERT_KINDS:
        return True
    if kind == "effect_applied":
        return data.get("type") in ALERT_EFFECTS
    if kind == "inject_delivered":
        return data.get("inject") in alert_injects
    if kind == "channel_state":
        return data.get("to") == "down"
    return False


def alert_injects(scenario: Any) -> frozenset[str]:
    """Injects that are air-raid alerts: an alert effect, or an expected action rated as alert and warning."""
    out = set()
    for spec in scenario.injects:
        effects = {getattr(e, "type", None) for e in getattr(spec, "effects", None) or []}
        caps = {getattr(e, "capability", None) for e in spec.expected}
        if effects & ALERT_EFFECTS or "alert_warning" in caps:
            out.add(spec.id)
    return frozenset(out)


def mark_names(record: Record, alert_ids: frozenset[str]) -> list[str]:
    out = []
    if record["type"] == "event" and record["kind"] in INJECT_KINDS:
        out.append("inject")
    if record["kind"] == "command_rejected":
        out.append("rejection")
    if is_alert(record, alert_ids):
        out.append("alert")
    return out


def about(record: Record, command: Record | None, inject_seats: dict[str, tuple[str | None, str]]) -> tuple[str, str]:
    """(county, role) a record concerns; "" where none: its own, its inject's, or its command's."""
    data = record.get("data") or {}
    if record["type"] == "command":
        return data.get("county") or "", data.get("role") or ""
    if record["type"] == "header":
        return "", ""
    inject = data.get("inject")
    if isinstance(inject, str) and inject in inject_seats:
        seat_county, seat_role = inject_seats[inject]
        return seat_county or "", seat_role
    county, role = data.get("county"), data.get("role")
    if isinstance(county, str):
        return county, role if isinstance(role, str) else ""
    if command is not None:
        cdata = command.get("data") or {}
        return cdata.get("county") or "", cdata.get("role") or ""
    return "", ""


def inject_seats(scenario: Any) -> dict[str, tuple[str | None, str]]:
    return {spec.id: (spec.county, spec.role) for spec in scenario.injects}
