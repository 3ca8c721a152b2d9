"""Human names for the ids a score document uses (counties, seats, capabilities, network links,
commands, legal bases), read from the scenario in the log's header: scoring still reads only the log.

The ids stay the keys of the JSON (a contract); tables and the report show these names and keep
the id beside them (:class:`Named`) for reviewers.
"""

from __future__ import annotations

from tabletop import i18n
from tabletop.scenario.names import StationLog
from tabletop.scoring.view import LogView


def cap_label(name: str, lang: str, label: dict[str, str] | None = None) -> str:
    if label:
        return i18n.pick(label, lang)
    key = f"score.cap.{name}"
    return i18n.t(key, lang) if key in i18n.TABLE else name


class Named(str):
    """A display name that remembers the id it stands for. It is a ``str`` (the name), so
    tables built from it read as before; the HTML report adds the id in small grey text and as
    a tooltip (``quiet``: tooltip only), the Markdown report after the name."""

    ident: str
    quiet: bool

    def __new__(cls, name: str, ident: str, quiet: bool = False) -> "Named":
        made = super().__new__(cls, name)
        made.ident = ident
        made.quiet = quiet
        return made

    @property
    def shows_id(self) -> bool:
        return bool(self.ident) and self.ident != str(self)


def county(view: LogView | None, ident: str, lang: str) -> str:
    found = next((c for c in view.scenario.counties if c.id == ident), None) if view is not None else None
    return i18n.pick(found.name.model_dump(), lang) if found is not None else ident


def role(ident: str | None, lang: str) -> str:
    return i18n.pick(i18n.label("role", ident), lang) if ident else ""


def seat(view: LogView | None, ident: str, lang: str) -> str:
    """``hualien.civil_affairs`` -> 花蓮縣 民政; a seat with no county (``central``) -> 中央."""
    head, _, tail = ident.partition(".")
    if not tail:
        return role(ident, lang)
    return f"{county(view, head, lang)} {role(tail, lang)}"


def capability(ident: str, lang: str, label: dict[str, str] | None = None) -> str:
    return cap_label(ident, lang, label)


def command(kind: str | None, lang: str) -> str:
    """A command kind's name; "" or None (an expectation judged by an evaluator) gets its own."""
    if not kind:
        return i18n.t("paper.judged_by_evaluator", lang)
    return i18n.pick(i18n.label("command", kind), lang)


def basis(value: str | None, lang: str) -> str:
    """``art.28`` -> 第 28 條; ``art.28.3`` -> 第 28 條第 3 項 (Mobilization Act articles)."""
    parts = str(value or "").split(".")
    if parts[0] != "art" or len(parts) < 2 or not parts[1]:
        return str(value or "")
    if len(parts) == 2:
        return i18n.t("score.name.article", lang, article=parts[1])
    return i18n.t("score.name.article_paragraph", lang, article=parts[1], paragraph=parts[2])


def _stations(view: LogView) -> StationLog:
    """The stations the log opened (distribution, relief, first aid), numbered as the engine did."""
    if "names_stations" not in view.cache:
        found = StationLog(view.scenario)
        for key in sorted(k for k in view.accepted if k[1] == "open_station"):
            for _seq, _turn, _role, args in view.accepted[key]:
                found.command("open_station", args)
        for record in sorted(view.events("station_state", "care_station_opened"), key=lambda r: r["seq"]):
            found.feed(record)
        view.cache["names_stations"] = found
    return view.cache["names_stations"]


def station(view: LogView, ident: str, lang: str) -> str:
    """A station by its name (站名: given, its site's, or its township and number), else its id."""
    return i18n.pick(_stations(view).name(ident), lang) or ident


def _place(view: LogView, ident: str, lang: str) -> str | None:
    for one in view.scenario.counties:
        for place in list(one.townships) + list(one.warehouses):
            if place.id == ident:
                return i18n.pick(place.name.model_dump(), lang)
    return None


def node(view: LogView, ident: str, lang: str) -> str:
    """A network node: ``eoc:hualien`` -> 花蓮縣 EOC, ``township:jian`` -> 吉安鄉,
    ``warehouse:wh_port`` -> its name, ``station:st_city`` -> 花蓮市第1配售站, ``central`` -> 中央."""
    kind, _, name = ident.partition(":")
    if kind == "eoc":
        return f"{county(view, name, lang)} EOC"
    if kind == "station":
        return station(view, name, lang)
    if name:
        return _place(view, name, lang) or name
    return seat(view, ident, lang) if "." in ident else role(ident, lang)


def link(view: LogView, ident: str, lang: str) -> str:
    """``eoc:hualien|township:jian`` -> 花蓮縣 EOC ↔ 吉安鄉."""
    return " ↔ ".join(node(view, part, lang) for part in ident.split("|"))
