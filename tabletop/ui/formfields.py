"""What a trainee's command form asks for: one field per argument of the command's
argument model, with the options it may take (no pygame here).

A field is a drop-down when its options are known: a ``Literal`` or ``bool`` argument,
or an argument a domain part offers choices for (``Plugin.choices``, keyed
``"<kind>.<arg>"`` or ``"*.<arg>"``). A list argument with choices is a multi-select.
Everything else is typed: text as typed, numbers, lists and mappings read as plain YAML
(:func:`parse_value`): no tag is ever constructed, and only what the log can hold is
accepted (JSON-safe values within the form caps), else :class:`BadValue` names the field.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml
from pydantic_core import PydanticUndefined

from tabletop import files, i18n
from tabletop.core.parts import Choice
from tabletop.scenario.yamlnodes import SYNTAX_KEYS, Limits, load_located

ROLES_FILE = "roles.yaml"


@dataclass
class FormField:
    name: str
    annotation: Any
    required: bool
    default: Any = None
    #: The key the command's arguments take (the field's alias, e.g. ``from`` for ``from_``).
    key: str = ""
    #: "text", "choice" (one of ``choices``) or "multi" (any of ``choices``).
    widget: str = "text"
    choices: list[Choice] = field(default_factory=list)
    #: Text to prefill (a suggested new id).
    initial: str = ""


@lru_cache(maxsize=1)
def ui_table() -> dict[str, Any]:
    """tabletop/ui/roles.yaml: role picture panels and id prefixes (data, not code)."""
    from importlib import resources

    text = files.package_text(resources.files("tabletop.ui").joinpath(ROLES_FILE))
    return yaml.safe_load(text) or {}


def _base(annotation: Any) -> tuple[Any, bool]:
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


def is_text(annotation: Any) -> bool:
    return _base(annotation)[0] is str


def is_list(annotation: Any) -> bool:
    return typing.get_origin(_base(annotation)[0]) in (list, tuple)


def option_label(value: Any) -> dict[str, str]:
    """A Literal / bool value's label: ``ui.opt.<value>`` where the table has it."""
    key = f"ui.opt.{str(value).lower()}"
    if key in i18n.TABLE:
        return i18n.both(key)
    return {lang: str(value) for lang in i18n.LANGS}


def annotation_choices(annotation: Any) -> list[Choice] | None:
    base, _ = _base(annotation)
    if base is bool:
        return [Choice(True, option_label(True)), Choice(False, option_label(False))]
    if typing.get_origin(base) is typing.Literal:
        return [Choice(value, option_label(value)) for value in typing.get_args(base)]
    return None


def part_choices(session: Any, county: str, role: str, kind: str, name: str) -> list[Choice] | None:
    registry = session.parts.choices
    fn = registry.get(f"{kind}.{name}") or registry.get(f"*.{name}")
    return None if fn is None else list(fn(session, county, role))


def suggest_id(session: Any, kind: str, county: str) -> str:
    """A new id no command has used yet, e.g. ``st-hualien-003`` for open_station."""
    prefix = (ui_table().get("id_prefix") or {}).get(kind, kind.replace("_", "-"))
    stem = f"{prefix}-{county}" if county else prefix
    n = 1
    while f"{stem}-{n:03d}" in session.ids:
        n += 1
    return f"{stem}-{n:03d}"


def form_fields(console: Any, county: str, role: str, kind: str) -> list[FormField]:
    """The fields of ``kind``'s form for this seat, options filled in from the session now."""
    session = console.session
    spec = session.registry[kind]
    out: list[FormField] = []
    for name, info in spec.args.model_fields.items():
        default = None if info.default is PydanticUndefined else info.default
        item = FormField(name, info.annotation, info.is_required(), default, key=info.alias or name)
        choices: list[Choice] | None
        if kind == "acknowledge" and name == "inject":
            choices = [Choice(entry["id"], {lang: f"{entry['id']} {i18n.pick(entry['title'], lang)}" for lang in i18n.LANGS})
                       for entry in console.inbox(county, role) if entry["type"] == "inject" and entry["state"] == "delivered"]
        else:
            choices = annotation_choices(info.annotation)
            if choices is None:
                choices = part_choices(session, county, role, kind, name)
        if choices is not None:
            item.widget = "multi" if is_list(info.annotation) else "choice"
            item.choices = choices
        elif name == "id" and is_text(info.annotation):
            item.initial = suggest_id(session, kind, county)
        out.append(item)
    return out


#: Caps on one typed form value (docs/scenario-format.md, "Limits"): far above what a
#: command needs, far below what could slow the console.
FORM_LIMITS = Limits(max_bytes=100_000, max_depth=16, max_nodes=10_000, max_string=100_000, max_items=10_000)


_FORM_KEYS = {"yaml.too_deep": "json.too_deep", "yaml.too_many_nodes": "json.too_many_nodes"}


class BadValue(ValueError):
    """A typed value the form refuses: a message key and its parameters, ``where`` (the field) filled in by :meth:`text`."""

    def __init__(self, key: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.params = dict(params or {})

    def text(self, field_label: str, lang: str) -> str:
        """The message in ``lang``; ``where`` is the field (and the part of its value, e.g. ``goods.rice``)."""
        inner = self.params.get("where")
        where = f"{field_label} {inner}" if isinstance(inner, str) and inner else field_label
        return i18n.render(self.key, {**self.params, "where": where, "field": field_label}, lang)


def _explicit_tag(text: str) -> str | None:
    """The first tag written in ``text`` (``!!binary``, ``!!set``, ``!!timestamp`` ...), if any.
    Read from the event stream: nothing is composed or constructed."""
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                return tag
    except yaml.YAMLError:
        return None  # the reader below reports the syntax error
    return None


def parse_value(text: str, annotation: Any) -> Any:
    """Typed text -> argument value: strings as typed; numbers, booleans, lists, mappings through
    plain YAML (a typed 2026-07-15 stays the string the commands expect).

    Raises :class:`BadValue` for text YAML cannot read, any tag, aliases beyond the caps, and
    values the log cannot hold (NaN, infinities, integers beyond ±(2^53 − 1), non-text keys,
    over-long text, too many items or nesting).
    """
    if is_text(annotation):
        if len(text) > FORM_LIMITS.max_string:
            raise BadValue("json.string_too_long", {"length": len(text), "limit": FORM_LIMITS.max_string})
        return text
    if len(text) > FORM_LIMITS.max_bytes:
        raise BadValue("json.string_too_long", {"length": len(text), "limit": FORM_LIMITS.max_bytes})
    tag = _explicit_tag(text)
    if tag is not None:
        raise BadValue("form.tag_not_allowed", {"tag": tag.replace("tag:yaml.org,2002:", "!!")[:80]})
    doc, problems = load_located(text, "<form>", FORM_LIMITS)
    for problem in problems:
        if problem.key and problem.key not in SYNTAX_KEYS:  # the reader's own messages name no field: the form's json.* ones do
            raise BadValue(_FORM_KEYS.get(problem.key, problem.key), problem.params)
    if doc is None or problems:
        raise BadValue("ui.form_bad_value", {"value": text[:80]})
    if not text.strip():
        return None
    return doc.value
