"""Official announcements lower panic: the commander's ``announce`` (a foundation command).

The foundation logs an ``announcement`` event; this part listens for it
(``Plugin.listeners``) and notes it so the next adjudication can apply it.
"""

from __future__ import annotations

import re
from typing import Any


def on_announcement(session: Any, data: dict[str, Any]) -> None:
    session.domain("distribution").heard.append({"county": data.get("county"), "audience": data.get("audience") or ""})


#: What separates the townships an audience lists: 、 ， , ； ; / and "and" (not 和: 和平區, 和美鎮).
SEPARATORS = re.compile(r"\s*(?:[、，,；;/]|\band\b)\s*")


def audience_words(audience: str) -> set[str]:
    """The names an audience lists, each whole (case-folded): "花蓮市、吉安鄉" -> {"花蓮市", "吉安鄉"}."""
    return {word.strip().casefold() for word in SEPARATORS.split(audience) if word.strip()}


def audience_townships(state: Any, county: str | None, audience: str) -> list[str]:
    """Townships an announcement names, each matched exactly by id, zh_TW or English name (never
    by a part of a word: "ji" names no "jian"); none named means the whole county."""
    towns = state.county_townships.get(county or "", [])
    words = audience_words(audience)
    named = [t for t in towns if not words.isdisjoint(_names(state, t))] if words else []
    return named or list(towns)


def _names(state: Any, township: str) -> frozenset[str]:
    """The township's id, zh_TW and English names, case-folded (kept: the scenario's)."""
    found = state.town_names.get(township)
    if found is None:
        town = state.townships[township]
        found = state.town_names[township] = frozenset(
            name.casefold() for name in (town.id, town.name.zh_TW, town.name.en) if name)
    return found
