"""Official announcements lower panic: the commander's ``announce`` (a foundation command).

The foundation logs an ``announcement`` event; this part listens for it
(``Plugin.listeners``) and notes it so the next adjudication can apply it.
"""

from __future__ import annotations

from typing import Any


def on_announcement(session: Any, data: dict[str, Any]) -> None:
    session.domain("distribution").heard.append({"county": data.get("county"), "audience": data.get("audience") or ""})


def audience_townships(state: Any, county: str | None, audience: str) -> list[str]:
    """Townships an announcement names (by id or name); none named means the whole county."""
    towns = state.county_townships.get(county or "", [])
    named = [t for t in towns if _named(state.townships[t], audience)]
    return named or list(towns)


def _named(town: Any, audience: str) -> bool:
    return any(word and word in audience for word in (town.id, town.name.zh_TW, town.name.en))
