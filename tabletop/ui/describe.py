"""Records and names as one line of text in the viewer's language (no pygame).

Every event kind the engine emits has a ``ui.ev.<kind>`` line (core kinds in ui.yaml, the
parts' kinds in ui_events.yaml); :data:`PARAMS` turns a record's data into that line's
placeholders with human names: townships, warehouses, stations, goods, seats, links and
channels, requisitioned property. Names come from the scenario and the parts' declared queries
(``session.query``), so this module imports no part of the engine.
"""

from __future__ import annotations

from typing import Any, Callable

from tabletop import i18n
from tabletop.core.session import Session
from tabletop.feed import command_name  # noqa: F401  (re-exported: the console names commands with it)
from tabletop.feed import known_station, reason, station_names  # noqa: F401  (re-exported)
from tabletop.scenario.model import deck_name


def role_name(role: str, lang: str) -> str:
    return i18n.pick(i18n.label("role", role), lang)


def state_name(state: str, lang: str) -> str:
    return i18n.pick(i18n.label("state", state), lang)


def county_name(session: Session, county: str | None, lang: str) -> str:
    if not county:
        return ""
    found = session.counties.get(county)
    return i18n.pick(found.name.model_dump(), lang) if found is not None else county


def seat_name(session: Session, county: str | None, role: str, lang: str) -> str:
    name = role_name(role, lang)
    return f"{county_name(session, county, lang)} {name}" if county else name


def seat_labels(console: Any, lang: str, forms: bool = False) -> dict[str, tuple[str, str]]:
    """Every seat's menu label -> (county, role), in the console's seat order; with ``forms``,
    the facilitator's forms last (the console's seat menu, never the trainees' login)."""
    seats = console.form_seats() if forms else console.seats()
    return {seat_name(console.session, county or None, role, lang): (county, role) for county, role in seats}


def actor_name(session: Session, actor: str, lang: str) -> str:
    county, _, role = actor.partition(".")
    return seat_name(session, county, role, lang) if role else role_name(actor, lang)


def node_name(session: Session, node: str | None, lang: str) -> str:
    """``eoc:hualien`` -> 花蓮縣 EOC; ``township:jian`` -> 吉安鄉; ``station:st_city`` -> 花蓮市第1配售站;
    a seat ``hualien.supply`` -> 花蓮縣 民生物資（經濟）; others as they are."""
    if not node:
        return ""
    kind, _, name = node.partition(":")
    if kind == "eoc":
        return f"{county_name(session, name, lang)} EOC"
    if kind == "station":
        return station_name(session, name, lang)
    place = _place(session, name or kind)
    if place is not None:
        return i18n.pick(place.name.model_dump(), lang)
    if not name and "." in node:
        county, _, role = node.partition(".")
        if county in session.counties:
            return seat_name(session, county, role, lang)
    return role_name(node, lang) if not name else name


def _place(session: Session, ident: str) -> Any:
    """The scenario's township or warehouse ``ident`` (an index per scenario: the national one has hundreds)."""
    scenario = session.scenario
    cached = _PLACES.get(id(scenario))
    if cached is None or cached[0] is not scenario:
        index: dict[str, Any] = {}
        for county in scenario.counties:
            for place in list(county.townships) + list(county.warehouses):
                index.setdefault(place.id, place)
        if len(_PLACES) > 8:
            _PLACES.clear()
        cached = _PLACES[id(scenario)] = (scenario, index)
    return cached[1].get(ident)


_PLACES: dict[int, tuple[Any, dict[str, Any]]] = {}


def station_name(session: Session, ident: str, lang: str) -> str:
    """A station (distribution, relief, first aid) by its name (站名: given, its site's, or its
    township and number: 吉安鄉第2配售站); the id only where the station is unknown."""
    return i18n.pick(station_names(session, ident), lang)


def _field(value: Any, key: str) -> Any:
    """``value.key`` or ``value[key]``: the parts keep their state as objects or as plain dicts."""
    if value is None:
        return None
    found = getattr(value, key, None)
    if found is None and hasattr(value, "__getitem__") and not isinstance(value, (str, list, tuple)):
        try:
            found = value[key]
        except (KeyError, TypeError, IndexError):
            found = None
    return found


def inject_title(session: Session, inject: str, lang: str) -> str:
    """An inject's title from the scenario's MSEL (the feed names injects by title; the MSEL
    panel shows the id in grey); the id for an inject the scenario does not have."""
    scenario = session.scenario
    cached = _TITLES.get(id(scenario))
    if cached is None or cached[0] is not scenario:
        if len(_TITLES) > 8:
            _TITLES.clear()
        cached = _TITLES[id(scenario)] = (scenario, {item.id: item.title.model_dump() for item in scenario.injects})
    found = cached[1].get(inject)
    return i18n.pick(found, lang) if found else inject


_TITLES: dict[int, tuple[Any, dict[str, Any]]] = {}


def inject_state(state: str, lang: str) -> str:
    return i18n.t(f"ui.inject_state.{state}", lang)


def short_time(iso: str) -> str:
    """``2026-07-14T14:00:00+08:00`` -> ``07-14 14:00``."""
    return f"{iso[5:10]} {iso[11:16]}" if len(iso) >= 16 else iso


# ----- names for the feed --------------------------------------------------------------
class Names:
    """The human names a feed line needs, for one session and language."""

    def __init__(self, session: Session, lang: str) -> None:
        self.session, self.lang = session, lang
        self.sep = "、" if lang == "zh_TW" else ", "

    def t(self, key: str, **params: Any) -> str:
        return i18n.t(key, self.lang, **params)

    def label(self, group: str, value: Any) -> str:
        """``ui.<group>.<value>`` if the table has it, else the value as it is."""
        key = f"ui.{group}.{value}"
        return self.t(key) if key in i18n.TABLE else str(value)

    def paren(self, text: Any) -> str:
        return self.t("ui.paren", text=text) if text not in (None, "") else ""

    def num(self, value: Any) -> str:
        if value is None:
            return "?"
        if isinstance(value, float) and not value.is_integer():
            return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}".rstrip("0").rstrip(".")
        return f"{int(value):,}" if isinstance(value, (int, float)) else str(value)

    def share(self, value: Any) -> str:
        return f"{float(value) * 100:.0f}%" if isinstance(value, (int, float)) else "?"

    def county(self, ident: str | None) -> str:
        return county_name(self.session, ident, self.lang)

    def actor(self, actor: str | None) -> str:
        if not actor:
            return ""
        if "." in actor or actor in ("facilitator", "central"):
            return actor_name(self.session, actor, self.lang)
        return actor  # an inject id, "auto", ...

    def node(self, node: str | None) -> str:
        return node_name(self.session, node, self.lang)

    def place(self, ident: str | None) -> str:
        """A township, warehouse or station id (no ``kind:`` prefix)."""
        if not ident:
            return ""
        if ":" in ident:
            return self.node(ident)
        if _place(self.session, ident) is not None:
            return self.node(ident)
        return station_name(self.session, ident, self.lang)

    def places(self, idents: Any) -> str:
        if not idents:
            return self.t("ui.everywhere")
        return self.sep.join(self.place(i) for i in idents)

    def good(self, ident: str) -> str:
        for good in self.session.scenario.goods:
            if good.id == ident:
                return i18n.pick(good.name.model_dump(), self.lang)
        return ident

    def goods(self, goods: Any) -> str:
        """A list of goods, or goods with quantities (``{rice: 6000}`` -> 米（糙米）6,000 kg)."""
        if isinstance(goods, dict):
            units = {g.id: g.unit for g in self.session.scenario.goods}
            return self.sep.join(f"{self.good(g)} {self.num(q)} {self.label('unit', units.get(g, ''))}".rstrip()
                                 for g, q in goods.items())
        return self.sep.join(self.good(g) for g in goods or ())

    def link(self, link: str | None) -> str:
        """``eoc:hualien|township:jian`` -> 花蓮縣 EOC ↔ 吉安鄉."""
        return " ↔ ".join(self.node(n) for n in str(link or "").split("|"))

    def channel(self, ident: str | None) -> str:
        if not ident:
            return self.t("ui.channel.direct")
        text = self.session.query("comms.channel_name", ident)
        if isinstance(text, dict):
            return i18n.pick(text, self.lang)
        return self.label("channel", ident)

    def road(self, ident: str | None) -> str:
        """A road by the townships at its ends (花蓮市—吉安鄉), from the scenario's road list."""
        section = getattr(self.session.scenario, "distribution", None)
        links = self.session.query("distribution.roads", default=None) or getattr(section, "roads", None) or ()
        for road in links:
            if getattr(road, "id", None) == ident and getattr(road, "a", None):
                return f"{self.place(road.a)}—{self.place(road.b)}"
        return str(ident)

    def registered(self, ident: str | None) -> str:
        """Requisitioned property, a person or an owner by id: its name from the registry."""
        found = self.session.query("requisition.registered_name", ident) if ident else None
        return str(found) if found else str(ident)

    def case(self, ident: str | None) -> str:
        """A requisition case with what it takes: rq-001（15 噸大貨車 KLA-3301）."""
        subject = self.session.query("requisition.case_subject", ident) if ident else None
        return f"{ident}{self.paren(self.registered(subject))}" if subject else str(ident)

    def reason(self, data: dict[str, Any]) -> str:
        """A refusal's reason (``{rule, key, params}``), stations by name."""
        return reason(self.session, data, self.lang)

    def basis(self, basis: str | None) -> str:
        """``art.28.3`` -> 第 28 條第 3 項 / art 28(3)."""
        parts = str(basis or "").split(".")
        if parts[0] != "art" or len(parts) < 2:
            return self.label("basis", basis)
        return self.t("ui.article" if len(parts) == 2 else "ui.article_paragraph", article=parts[1],
                      paragraph=parts[2] if len(parts) > 2 else "")


Params = Callable[[Names, dict[str, Any]], "tuple[str, dict[str, Any]] | dict[str, Any]"]


def _effect(n: Names, d: dict[str, Any]) -> dict[str, Any]:
    return {"inject": d["inject"], "title": inject_title(n.session, d["inject"], n.lang), "effect": n.label("effect", d.get("type"))}


#: kind -> data -> (key, params) or params for ``ui.ev.<kind>``.
PARAMS: dict[str, Params] = {
    # core (the parts declare theirs: Plugin.feed)
    "inject_released": lambda n, d: {"inject": d["inject"], "title": inject_title(n.session, d["inject"], n.lang),
                                     "source": n.place(d.get("source"))},
    "inject_rescheduled": lambda n, d: {"inject": d["inject"], "title": inject_title(n.session, d["inject"], n.lang),
                                        "src": d.get("from_turn"), "to": d.get("to_turn")},
    "effect_applied": _effect,
}


_BAD_SHAPE = (KeyError, IndexError, ValueError, TypeError, AttributeError)


def describe(session: Session, record: dict[str, Any], lang: str) -> str:
    """One line for the event feed (a record of an unexpected shape gets its bare kind, never an error)."""
    try:
        return _describe(session, record, lang)
    except _BAD_SHAPE:
        return i18n.t("ui.ev.other", lang, kind=record.get("kind", "?"))


def _describe(session: Session, record: dict[str, Any], lang: str) -> str:
    data: dict[str, Any] = record.get("data") or {}
    kind = record["kind"]
    t = lambda key, **kw: i18n.t(f"ui.ev.{key}", lang, **kw)  # noqa: E731
    names = Names(session, lang)
    if record["type"] == "command":
        return t("command", actor=actor_name(session, record["actor"], lang), kind=command_name(kind, lang))
    if kind == "command_rejected":
        return t("command_rejected", reason=reason(session, data, lang))
    if kind == "exercise_state":
        return t("exercise_state", src=state_name(data["from"], lang), dst=state_name(data["to"], lang))
    if kind == "turn_started":
        return t("turn_started", turn=data["turn"], time=short_time(data["time"]))
    if kind == "phase_started":
        return t("phase_started", name=i18n.pick(data.get("name"), lang))
    if kind == "inject_delivered":
        return t("inject_delivered", inject=data["inject"], title=i18n.pick(data.get("title"), lang) or inject_title(session, data["inject"], lang),
                 target=seat_name(session, data.get("county"), data.get("role", ""), lang))
    if kind == "inject_state":
        return t("inject_state", inject=data["inject"], title=inject_title(session, data["inject"], lang), src=inject_state(data["from"], lang),
                 dst=inject_state(data["to"], lang))
    if kind == "inject_acknowledged":
        return t("inject_acknowledged", inject=data["inject"], title=inject_title(session, data["inject"], lang),
                 by=actor_name(session, data["by"], lang))
    if kind in ("expected_action_met", "expected_action_missed", "card_drawn", "inject_forced", "inject_triggered"):
        params = {k: v for k, v in data.items() if isinstance(v, (str, int))}
        params["title"] = inject_title(session, str(data.get("inject", "")), lang)
        if "deck" in params:
            params["deck"] = i18n.pick(deck_name(session.scenario, str(params["deck"])), lang)
        if "capability" in params:
            params["capability"] = capability_name(str(params["capability"]), lang)
        return t(kind, **params)
    if kind == "announcement":
        return t("announcement", by=actor_name(session, data["by"], lang), audience=data["audience"], message=data["message"])
    if kind == "message_sent":
        payload = data.get("payload") or {}
        what = data.get("kind") or payload.get("kind", "")
        src, dst = node_name(session, data.get("from"), lang), node_name(session, data.get("to"), lang)
        if what not in ("", "text"):  # the engine's own messages: their kind, not an internal id
            return t("message_sent_kind", what=_head(names.label("msg", what), lang), src=src, dst=dst)
        body = payload.get("body") or names.label("msg", what)
        return t("message_sent", id=data["id"], src=src, dst=dst, body=body)
    if kind == "message_delivered":
        what, _, number = str(data["id"]).rpartition("-")
        if number.isdigit() and what != "text" and f"ui.msg.{what}" in i18n.TABLE:  # an engine message: its kind
            return t("message_delivered_kind", what=_head(names.label("msg", what), lang), channel=names.channel(data.get("channel")))
        return t("message_delivered", id=data["id"], channel=names.channel(data.get("channel")))
    key = f"ui.ev.{kind}"
    params_of = PARAMS.get(kind) or session.parts.feed.get(kind)
    if params_of is not None:
        try:
            made = params_of(names, data)
            if isinstance(made, tuple):
                key, made = made
            return i18n.t(key, lang, **made)
        except _BAD_SHAPE:
            key = f"ui.ev.{kind}"  # a record of another shape: try its own fields below
    if key in i18n.TABLE:
        try:
            return i18n.t(key, lang, **data)
        except _BAD_SHAPE:
            pass
    return t("other", kind=kind)


def _head(text: str, lang: str) -> str:
    """A label that starts an English line, capitalised (``station order`` -> ``Station order``)."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def names_county(session: Session, county: str | None, lang: str) -> str:
    spec = session.counties.get(county or "")
    return i18n.pick(spec.name.model_dump(), lang) if spec is not None else str(county or "")


def capability_name(capability: str, lang: str) -> str:
    key = f"score.cap.{capability}"
    return i18n.t(key, lang) if key in i18n.TABLE else capability
