"""Official announcements lower panic: the commander's ``announce`` (a foundation command).

The foundation logs an ``announcement`` event; this module notes it so the next
adjudication can apply it. The core has no event subscription yet, so
:func:`listen` wraps this session's ``emit`` (an instance attribute, nothing
global); when the core gains plugin event listeners, only :func:`listen` changes.
"""

from __future__ import annotations

from typing import Any


def listen(session: Any, state: Any) -> None:
    original = session.emit

    def emit(kind: str, data: dict[str, Any]) -> dict[str, Any]:
        record = original(kind, data)
        if kind == "announcement":
            state.heard.append({"county": data.get("county"), "audience": data.get("audience") or ""})
        return record

    session.emit = emit


def audience_townships(state: Any, county: str | None, audience: str) -> list[str]:
    """Townships an announcement names (by id or name); none named means the whole county."""
    towns = state.county_townships.get(county or "", [])
    named = [t for t in towns if _named(state.townships[t], audience)]
    return named or list(towns)


def _named(town: Any, audience: str) -> bool:
    return any(word and word in audience for word in (town.id, town.name.zh_TW, town.name.en))
