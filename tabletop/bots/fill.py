"""Filling a command form as a seat would: constraints first, then the book, then the offered choices.

A form is the seat payload's ``forms`` entry (``tabletop.server.forms``). Fields with
choices take a constraint's value when it is offered (else the form cannot meet it: no
command), or the first choice (``pick`` draws one instead, for ``chaotic``). Free fields
(ids, texts, numbers, sites, goods) come from the book and the seat's own knowledge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from tabletop import i18n
from tabletop.bots.doctrine import Book

LANG = "zh_TW"  # the exercise's language: what the bots write into the record
_NUMBERED = re.compile(r"^(.*-)(\d+)$")


class Unmeetable(Exception):
    """The seat cannot fill this form to meet the constraints with what it is offered."""


@dataclass
class Context:
    """What a bot knows while it fills forms: the book, its seat and the payload's clock."""

    book: Book
    county: str | None
    role: str
    turn: int
    date: str
    tag: str = ""
    topic: str = ""
    pick: Callable[[list[Any]], Any] | None = None
    used_ids: set[str] = field(default_factory=set)
    #: requisition id -> resource, from the seat's own commands
    resources: dict[str, str] = field(default_factory=dict)

    def text(self, key: str, **params: Any) -> str:
        return i18n.t(f"bots.text.{key}", LANG, tag=self.tag, topic=self.topic, **params)


def fill(form: dict[str, Any], want: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """The arguments of one command from ``form``; raises :class:`Unmeetable`."""
    args: dict[str, Any] = {}
    for item in form["fields"]:
        key, name = item["key"], item["name"]
        offered = [c["value"] for c in item.get("choices", [])] if "choices" in item else None
        value = _value(form["kind"], name, item, offered, want.get(key, want.get(name)), ctx, args)
        if value is not None:
            args[key] = value
    return args


def _value(kind: str, name: str, item: dict[str, Any], offered: list[Any] | None, wanted: Any, ctx: Context,
           args: dict[str, Any]) -> Any:
    if wanted is not None:
        options = wanted if isinstance(wanted, list) else [wanted]
        if offered is not None and item["widget"] != "multi":
            fit = [v for v in options if v in offered]
            if not fit:
                raise Unmeetable(f"{kind}.{name}")
            return fit[0]
        return options[0] if item["widget"] != "multi" else options
    special = _book_value(kind, name, ctx, args, offered)
    if special is not None:
        return special
    if item.get("initial"):
        return _fresh_id(item["initial"], ctx)
    if not item["required"] and (ctx.pick is None or ctx.pick([True, False])):
        return None  # optional: left to its default (chaotic fills one now and then)
    if offered is not None:
        if item["widget"] == "multi":
            return list(offered)
        if not offered:
            if item["required"]:
                raise Unmeetable(f"{kind}.{name}")
            return None
        return ctx.pick(offered) if ctx.pick else offered[0]
    if item["default"] is not None or not item["required"]:
        return None
    if item["widget"] == "number":
        return 1
    return ctx.text("generic")


def _fresh_id(initial: str, ctx: Context) -> str:
    ident = initial
    while ident in ctx.used_ids:
        match = _NUMBERED.match(ident)
        ident = f"{match.group(1)}{int(match.group(2)) + 1:0{len(match.group(2))}d}" if match else ident + "-2"
    ctx.used_ids.add(ident)
    return ident


def _book_value(kind: str, name: str, ctx: Context, args: dict[str, Any], offered: list[Any] | None) -> Any:
    """Fields a seat fills from its own planning and standing procedures."""
    book = ctx.book
    if kind == "announce":
        return {"audience": ctx.text("audience"), "message": ctx.text("announce")}.get(name)
    if kind == "send_message" and name == "body":
        return ctx.text("body")
    if kind == "open_station":
        if name == "site":
            planned = book.sites.get(args.get("township", ""), [])
            return planned[0] if planned else ctx.text("station_site", township=args.get("township", ""))
        if name == "type" and offered:
            return "type_II" if "type_II" in offered else offered[0]
        if name == "staff":
            return book.station_staff.get(args.get("type", ""), 20)
    if kind in ("open_first_aid_station", "open_relief_station"):
        if name == "site":
            return ctx.text(f"site_{kind}", township=args.get("township", ""))
        if name == "staff":
            return 20
    if kind == "dispatch":
        if name == "to" and offered:
            stations = [v for v in offered if v != args.get("from")]
            own = [v for v in stations if str(v).startswith("st")]
            return (own or stations or [None])[0]
        if name == "goods":
            half = round(book.capacity_kg * 0.4)
            return {"rice": half, "water": half}
        if name == "vehicles":
            return 1
    if kind == "set_ration":
        good = args.get("good", "")
        if name == "per_person_per_day":
            return book.ration.get(good, 0.1)
        if name == "purchases_per_month":
            return 1 if good == "lpg" else 3
    if kind == "submit_requisition_plan":
        if name == "items":
            return list(book.plan_items.get(ctx.county or "", []))
        if name == "purpose":
            return ctx.text("purpose")
    if kind == "requisition":
        if name == "mode":
            return "use"
        if name == "days":
            return 7
        if name == "deliver_at":
            return {"place": ctx.text("deliver_place"), "date": ctx.date}
        if name == "exception":
            return "emergency"
    if kind == "requisition_manpower" and name in ("notice_on", "report_on"):
        return ctx.date
    if kind == "assess_value" and name == "price":
        return book.market_value.get(ctx.resources.get(args.get("requisition", ""), ""), 100000) // 2
    if kind == "request_repair" and name == "node" and offered:
        return offered[0]
    if kind == "relay_alert" and name == "area" and offered:
        return list(offered)
    if kind == "request_repair" and name == "crew":
        return ctx.text("crew")
    if kind == "reject_requisition_plan" and name == "reason":
        return ctx.text("generic")
    return None
