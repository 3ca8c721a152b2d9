"""Helpers the parts' role pictures and form choices share (see ``Plugin.pictures`` and
``Plugin.choices``): bilingual rows and labels from the translation table, names of
townships, report ages, urgency order and the row cap of a panel.

Nothing here changes session state; every function reads only.
"""

from __future__ import annotations

from typing import Any, Iterable

from tabletop import i18n
from tabletop.core.parts import Choice, PictureRow

#: Row tones, most urgent first (the order :func:`urgent_first` sorts by).
TONES = ("bad", "warn", "text", "ok", "dim")
#: Rows a panel shows at most (the last one then says how many more there are).
LIMIT = 12


def panel_names(parts: Any, role: str, no_panels: Iterable[str] = ()) -> list[str]:
    """The panels ``role`` sees, in its order (each part's ``Plugin.panels``: role -> position;
    ties by name). A role no panel names sees every panel; one in ``no_panels`` (UI data:
    tabletop/ui/roles.yaml) sees none."""
    if role in set(no_panels):
        return []
    provided = parts.pictures
    ranked = sorted((roles[role], name) for name, roles in parts.panels.items()
                    if role in roles and name in provided)
    return [name for _, name in ranked] if ranked else sorted(provided)


def row(key: str, tone: str = "text", **params: Any) -> PictureRow:
    return PictureRow(text=i18n.both(key, **params), tone=tone)


def choice(value: Any, key: str, **params: Any) -> Choice:
    return Choice(value=value, label=i18n.both(key, **params))


def urgent_first(rows: Iterable[PictureRow]) -> list[PictureRow]:
    """Rows by tone (bad, warn, text, ok, dim); the given order within a tone."""
    return sorted(rows, key=lambda r: TONES.index(r.tone) if r.tone in TONES else len(TONES))


def capped(rows: list[PictureRow], limit: int = LIMIT) -> list[PictureRow]:
    """At most ``limit`` rows: the first ``limit - 1`` and "… N more"."""
    if len(rows) <= limit:
        return list(rows)
    keep = rows[: limit - 1]
    return keep + [row("picture.more", "dim", count=len(rows) - len(keep))]


def text(value: Any) -> dict[str, str]:
    """A scenario ``Text`` (or a plain string) as a bilingual dict."""
    if value is None:
        return {lang: "" for lang in i18n.LANGS}
    if isinstance(value, str):
        return {lang: value for lang in i18n.LANGS}
    if isinstance(value, dict):
        return {lang: i18n.pick(value, lang) for lang in i18n.LANGS}
    return {lang: getattr(value, lang) for lang in i18n.LANGS}


def town_name(session: Any, town: str) -> dict[str, str]:
    for county in session.counties.values():
        for township in county.townships:
            if township.id == town:
                return text(township.name)
    return text(town)


def townships(session: Any, county: str) -> list[Any]:
    """The county's townships in scenario order (the order people know them in)."""
    spec = session.counties.get(county)
    return list(spec.townships) if spec is not None else []


def joined(items: list[dict[str, str]], limit: int = 5) -> dict[str, str]:
    """Bilingual list: 花蓮市、吉安鄉 / Hualien City, Ji'an; past ``limit`` items, "等 N 處 / and N more"."""
    shown = items[:limit]
    out = {"zh_TW": "、".join(i["zh_TW"] for i in shown), "en": ", ".join(i["en"] for i in shown)}
    rest = len(items) - len(shown)
    if rest > 0:
        tail = i18n.both("picture.and_more", count=rest)
        out = {lang: out[lang] + tail[lang] for lang in i18n.LANGS}
    return out


def reported(turn: int | None) -> dict[str, str]:
    """"第 N 回合回報 / reported turn N", or "尚無回報 / no report yet"."""
    return i18n.both("picture.reported", turn=turn) if turn is not None else i18n.both("picture.no_report")


def stale(session: Any, turn: int | None) -> bool:
    """Knowledge from before the previous turn (reports are sent at a turn's end)."""
    return turn is None or session.turn - turn >= 2


def number(value: float) -> str:
    """A quantity for a panel: whole numbers with thousands separators, else up to three decimals."""
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def concat(parts: list[dict[str, str]], zh_sep: str = "；", en_sep: str = "; ") -> dict[str, str]:
    """Bilingual segments joined (empty segments left out)."""
    return {"zh_TW": zh_sep.join(p["zh_TW"] for p in parts if p["zh_TW"]),
            "en": en_sep.join(p["en"] for p in parts if p["en"])}
