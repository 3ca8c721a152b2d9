"""What a part declares for the console's event feed (``Plugin.feed``), and the helpers it shares.

A part maps each of its event kinds to a function ``(names, data) -> params`` (or
``(key, params)``) for its ``ui.ev.<kind>`` line, kept in the part's ``strings.yaml``. ``names``
is the viewer's :class:`Names`: human names of places, goods, seats, links and registered
property in the viewer's language (the UI provides it; a part never imports the UI).
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from tabletop import i18n
from tabletop.scenario import names


class Names(Protocol):
    """The names a feed line may use (``tabletop.ui.describe.Names`` implements them)."""

    session: Any
    lang: str
    sep: str

    def t(self, key: str, **params: Any) -> str: ...
    def label(self, group: str, value: Any) -> str: ...
    def paren(self, text: Any) -> str: ...
    def num(self, value: Any) -> str: ...
    def share(self, value: Any) -> str: ...
    def county(self, ident: str | None) -> str: ...
    def actor(self, actor: str | None) -> str: ...
    def node(self, node: str | None) -> str: ...
    def place(self, ident: str | None) -> str: ...
    def places(self, idents: Any) -> str: ...
    def good(self, ident: str) -> str: ...
    def goods(self, goods: Any) -> str: ...
    def link(self, link: str | None) -> str: ...
    def channel(self, ident: str | None) -> str: ...
    def road(self, ident: str | None) -> str: ...
    def registered(self, ident: str | None) -> str: ...
    def case(self, ident: str | None) -> str: ...
    def basis(self, basis: str | None) -> str: ...
    def reason(self, data: dict[str, Any]) -> str: ...


#: A feed line's parameters from an event's data: params, or (translation key, params).
Params = Callable[[Any, dict[str, Any]], "tuple[str, dict[str, Any]] | dict[str, Any]"]


def station_names(session: Any, ident: str) -> dict[str, str]:
    """A station's bilingual name (``tabletop.scenario.names.station_name``: given, its site's, or its
    township and number), from the parts' declared ``station`` queries; its id for a station no part knows."""
    found = _station(session, ident)
    if found is None:
        return {"zh_TW": ident, "en": ident}
    return names.station_name(session.scenario, ident, found.get("township"), found.get("site"), found.get("number"),
                              found.get("name"), str(found.get("kind") or "distribution"))


def known_station(session: Any, ident: str) -> dict[str, str] | None:
    """A station's bilingual name, or None for an id no part knows."""
    return station_names(session, ident) if _station(session, ident) is not None else None


def _station(session: Any, ident: str) -> dict[str, Any] | None:
    for query in ("distribution.station", "crises.station"):
        found = session.query(query, ident)
        if isinstance(found, dict) and isinstance(found.get("township"), str):
            return found
    return None


def reason(session: Any, data: dict[str, Any], lang: str) -> str:
    """A refusal's reason (``command_rejected``: ``{rule, key, params}``) in ``lang``, stations by name."""
    if "key" not in data:
        return i18n.reason(data, lang)
    return i18n.render(data["key"], names.named_params(data.get("params"), lambda ident: known_station(session, ident),
                                                         session.scenario), lang)


def command_name(kind: str, lang: str) -> str:
    return i18n.pick(i18n.label("command", kind), lang)


def station_state(n: Names, d: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A station's (distribution or care) change of state; its planning names its staff."""
    what = n.label("station_kind", d.get("kind") or "distribution")
    if d.get("from") is None and d.get("reason") == "opened":
        return "ui.ev.station_state.opened", {"what": what, "station": n.place(d["station"]),
                                              "staff": d.get("staff"), "required": d.get("staff_required")}
    reason = d.get("reason")
    reason_text = n.label("reason", reason) if f"ui.reason.{reason}" in i18n.TABLE else (
        command_name(reason, n.lang) if reason else "")
    return "ui.ev.station_state", {"what": what, "station": n.place(d["station"]),
                                   "src": i18n.pick(i18n.label("station", d.get("from")), n.lang),
                                   "dst": i18n.pick(i18n.label("station", d["to"]), n.lang),
                                   "reason": n.paren(reason_text)}
