"""Command forms for a seat, built from the command specs (``session.registry``).

One field per argument of the kind's pydantic model. A field is a drop-down when its values
are known: a ``Literal`` or ``bool`` argument, or one a part offers choices for
(``Plugin.choices``, keyed ``"<kind>.<arg>"``); a list argument with choices is a
multi-select. Everything else is typed: ``text``, ``number``, or ``json`` (lists and
mappings). Choices come from the session now and name only what the seat's EOC knows.
"""

from __future__ import annotations

import typing
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic_core import PydanticUndefined

from tabletop import files, i18n
from tabletop.core.parts import Choice

#: UI data shared with the console (which role sees which panel, id prefixes); read as data.
ROLES_FILE = Path(__file__).resolve().parent.parent / "ui" / "roles.yaml"


@lru_cache(maxsize=1)
def ui_table() -> dict[str, Any]:
    return yaml.safe_load(files.read_text(ROLES_FILE)) or {}


def base(annotation: Any) -> tuple[Any, bool]:
    """The annotation without Optional / Annotated wrappers, and whether None is allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(options) < len(typing.get_args(annotation))
            if len(options) != 1:
                return annotation, optional
            annotation = options[0]
        else:
            return annotation, optional


def widget_of(annotation: Any) -> str:
    kind, _ = base(annotation)
    if kind is str:
        return "text"
    if kind in (int, float):
        return "number"
    return "json"


def option_label(value: Any) -> dict[str, str]:
    key = f"ui.opt.{str(value).lower()}"
    return i18n.both(key) if key in i18n.TABLE else {lang: str(value) for lang in i18n.LANGS}


def annotation_choices(annotation: Any) -> list[Choice] | None:
    kind, _ = base(annotation)
    if kind is bool:
        return [Choice(True, option_label(True)), Choice(False, option_label(False))]
    if typing.get_origin(kind) is typing.Literal:
        return [Choice(value, option_label(value)) for value in typing.get_args(kind)]
    return None


def field_label(name: str) -> dict[str, str]:
    key = f"ui.field.{name}"
    return i18n.both(key) if key in i18n.TABLE else {lang: name for lang in i18n.LANGS}


def suggest_id(session: Any, kind: str, county: str | None) -> str:
    """A new id no command has used yet, e.g. ``st-hualien-003`` for open_station."""
    prefix = (ui_table().get("id_prefix") or {}).get(kind, kind.replace("_", "-"))
    stem = f"{prefix}-{county}" if county else prefix
    n = 1
    while f"{stem}-{n:03d}" in session.ids:
        n += 1
    return f"{stem}-{n:03d}"


def kinds_for(session: Any, county: str | None, role: str) -> list[str]:
    """Command kinds this seat may issue, sorted (the facilitator's lifecycle controls are buttons)."""
    out = []
    for kind, spec in session.registry.items():
        if role == "facilitator" and spec.trigger is not None:
            continue
        if role in session.allowed_roles(spec, county):
            out.append(kind)
    return sorted(out)


def form(session: Any, county: str | None, role: str, kind: str, inbox: list[dict[str, Any]]) -> dict[str, Any]:
    spec = session.registry[kind]
    registry = session.parts.choices
    fields = []
    for name, info in spec.args.model_fields.items():
        default = None if info.default is PydanticUndefined else info.default
        item: dict[str, Any] = {"name": name, "key": info.alias or name, "label": field_label(name),
                                "required": info.is_required(), "default": _plain(default),
                                "widget": widget_of(info.annotation)}
        if kind == "acknowledge" and name == "inject":
            choices: list[Choice] | None = [
                Choice(entry["id"], {lang: f"{entry['id']} {entry['title'][lang]}" for lang in i18n.LANGS})
                for entry in inbox if entry["type"] == "inject" and entry["state"] == "delivered"]
        elif role == "facilitator" and name == "inject":
            choices = [Choice(run.id, {lang: f"{run.id} {i18n.pick(session.inject_specs[run.id].title.model_dump(), lang)}"
                                       for lang in i18n.LANGS})
                       for run in sorted(session.injects.values(), key=lambda r: r.order) if run.state == "scheduled"]
        else:
            choices = annotation_choices(info.annotation)
            if choices is None:
                fn = registry.get(f"{kind}.{name}") or registry.get(f"*.{name}")
                choices = None if fn is None else list(fn(session, county or "", role))
        if choices is not None:
            item["widget"] = "multi" if typing.get_origin(base(info.annotation)[0]) in (list, tuple) else "choice"
            item["choices"] = [{"value": _plain(c.value), "label": c.label} for c in choices]
        elif name == "id" and item["widget"] == "text":
            item["initial"] = suggest_id(session, kind, county)
        fields.append(item)
    return {"kind": kind, "label": i18n.label("command", kind), "fields": fields}


def forms(session: Any, county: str | None, role: str, inbox: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [form(session, county, role, kind, inbox) for kind in kinds_for(session, county, role)]


def _plain(value: Any) -> Any:
    """A default or choice value as JSON (enums by value)."""
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
