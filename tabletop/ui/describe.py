"""Records and names as one line of text in the viewer's language (no pygame)."""

from __future__ import annotations

from typing import Any

from tabletop import i18n
from tabletop.core.session import Record, Session


def role_name(role: str, lang: str) -> str:
    return i18n.pick(i18n.label("role", role), lang)


def state_name(state: str, lang: str) -> str:
    return i18n.pick(i18n.label("state", state), lang)


def command_name(kind: str, lang: str) -> str:
    return i18n.pick(i18n.label("command", kind), lang)


def county_name(session: Session, county: str | None, lang: str) -> str:
    if not county:
        return ""
    found = session.counties.get(county)
    return i18n.pick(found.name.model_dump(), lang) if found is not None else county


def seat_name(session: Session, county: str | None, role: str, lang: str) -> str:
    name = role_name(role, lang)
    return f"{county_name(session, county, lang)} {name}" if county else name


def actor_name(session: Session, actor: str, lang: str) -> str:
    county, _, role = actor.partition(".")
    return seat_name(session, county, role, lang) if role else role_name(actor, lang)


def node_name(session: Session, node: str | None, lang: str) -> str:
    """``eoc:hualien`` -> 花蓮縣 EOC; ``township:jian`` -> 吉安鄉; others as they are."""
    if not node:
        return ""
    kind, _, name = node.partition(":")
    if kind == "eoc":
        return f"{county_name(session, name, lang)} EOC"
    for county in session.scenario.counties:
        for place in list(county.townships) + list(county.warehouses):
            if place.id == name:
                return i18n.pick(place.name.model_dump(), lang)
    return role_name(node, lang) if not name else name


def describe(session: Session, record: Record, lang: str) -> str:
    """One line for the event feed."""
    data: dict[str, Any] = record.get("data") or {}
    kind = record["kind"]
    t = lambda key, **kw: i18n.t(f"ui.ev.{key}", lang, **kw)  # noqa: E731
    if record["type"] == "command":
        return t("command", actor=actor_name(session, record["actor"], lang), kind=command_name(kind, lang))
    if kind == "command_rejected":
        return t("command_rejected", reason=i18n.pick(data.get("reason"), lang))
    if kind == "exercise_state":
        return t("exercise_state", src=state_name(data["from"], lang), dst=state_name(data["to"], lang))
    if kind == "turn_started":
        return t("turn_started", turn=data["turn"], time=short_time(data["time"]))
    if kind == "phase_started":
        return t("phase_started", name=i18n.pick(data.get("name"), lang))
    if kind == "inject_delivered":
        return t("inject_delivered", inject=data["inject"], title=i18n.pick(data.get("title"), lang),
                 target=seat_name(session, data.get("county"), data.get("role", ""), lang))
    if kind == "inject_state":
        return t("inject_state", inject=data["inject"], src=inject_state(data["from"], lang),
                 dst=inject_state(data["to"], lang))
    if kind == "inject_acknowledged":
        return t("inject_acknowledged", inject=data["inject"], by=actor_name(session, data["by"], lang))
    if kind in ("expected_action_met", "expected_action_missed", "card_drawn", "inject_forced", "inject_triggered"):
        return t(kind, **{k: v for k, v in data.items() if isinstance(v, (str, int))})
    if kind == "announcement":
        return t("announcement", by=actor_name(session, data["by"], lang), audience=data["audience"], message=data["message"])
    if kind == "message_sent":
        payload = data.get("payload") or {}
        return t("message_sent", id=data["id"], src=node_name(session, data.get("from"), lang),
                 dst=node_name(session, data.get("to"), lang), body=payload.get("body", payload.get("kind", "")))
    if kind == "message_delivered":
        return t("message_delivered", id=data["id"], channel=data.get("channel", ""))
    key = f"ui.ev.{kind}"
    if key in i18n.TABLE:
        try:
            return i18n.t(key, lang, **data)
        except (KeyError, IndexError, ValueError):
            pass
    return t("other", kind=kind)


def inject_state(state: str, lang: str) -> str:
    return i18n.t(f"ui.inject_state.{state}", lang)


def short_time(iso: str) -> str:
    """``2026-07-14T14:00:00+08:00`` -> ``07-14 14:00``."""
    return f"{iso[5:10]} {iso[11:16]}" if len(iso) >= 16 else iso
