"""The reference documentation generated from the code: every command (docs/commands.md), the
scenario's field tables (docs/scenario-format.md) and the one list of inject effects
(docs/injects.md).

Nothing here is written by hand: the commands come from the parts' :class:`CommandSpec`
(roles, states, the argument models), their rejections from the handlers' source (every
``Rejected(rule, key, ...)`` the handler can reach, followed through the functions it calls),
the fields from the pydantic models (``Field(description=...)`` is the meaning), the effects
from ``Plugin.effects``. ``tools/make_reference.py`` writes the files; a test fails when a
committed file is stale. A part added later (new commands, new sections) is picked up as it is.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import textwrap
import types
from functools import lru_cache
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from tabletop import files, i18n
from tabletop.core.commands import ANY_COUNTY_ROLE, CommandSpec
from tabletop.core.parts import Parts

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
#: Where examples of commands are taken from (the first accepted-looking use of each kind).
EXAMPLE_FILES = ("scenarios/hualien/actions.yaml", "scenarios/yilan/actions.yaml")
BEGIN = "<!-- generated:{name} (tools/make_reference.py; do not edit by hand) -->"
END = "<!-- /generated:{name} -->"


# ---------------------------------------------------------------- types, from JSON schema


def _ref(schema: dict, defs: dict) -> dict:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def type_text(schema: dict, defs: dict, link: Callable[[str], str] | None = None) -> str:
    """A JSON-schema node as a short human type: ``Id``, ``integer ≥ 1``, ``list of Id (1 to 100)``."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = _ref(schema, defs)
        if target.get("type") == "object" and "properties" in target:
            return link(name) if link else f"{name} (mapping)"
        return type_text(target, defs, link)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        nullable = len(options) != len(schema["anyOf"])
        kinds = {o.get("type") for o in options}
        if kinds == {"integer", "number"}:
            text = "number" + _bounds(schema)
        else:
            text = " or ".join(type_text(o, defs, link) for o in options)
        return text + (" or null" if nullable and "default" not in schema else "")
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = schema.get("type")
    if kind == "string":
        pattern = schema.get("pattern")
        if pattern == ID_PATTERN:
            return "Id"
        if pattern == DATE_PATTERN:
            return "date `YYYY-MM-DD`"
        alternatives = re.fullmatch(r"\^\(([A-Za-z0-9_|]+)\)\$", pattern or "")
        if alternatives:
            return "one of " + ", ".join(f"`{v}`" for v in alternatives.group(1).split("|"))
        text = "string"
        if pattern:
            text += f" matching `{pattern}`"
        if "minLength" in schema or "maxLength" in schema:
            text += f" ({schema.get('minLength', 0)} to {schema['maxLength']} characters)" if "maxLength" in schema \
                else f" (at least {schema['minLength']} character{'s' if schema['minLength'] != 1 else ''})"
        return text
    if kind in ("integer", "number"):
        return ("integer" if kind == "integer" else "number") + _bounds(schema)
    if kind == "boolean":
        return "boolean"
    if kind == "null":
        return "null"
    if kind == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(type_text(i, defs, link) for i in schema["prefixItems"]) + "]"
        text = "list of " + type_text(schema.get("items", {}), defs, link)
        return text + _count(schema, "minItems", "maxItems")
    if kind == "object":
        if "patternProperties" in schema:
            (key, value), = schema["patternProperties"].items()
            key_text = "Id" if key == ID_PATTERN else f"key matching `{key}`"
            text = f"mapping {key_text} → {type_text(value, defs, link)}"
        elif isinstance(schema.get("additionalProperties"), dict):
            text = f"mapping string → {type_text(schema['additionalProperties'], defs, link)}"
        else:
            text = "mapping"
        return text + _count(schema, "minProperties", "maxProperties")
    return "any value"


def _bounds(schema: dict) -> str:
    def num(value: Any) -> str:
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        return f"{value:,}" if isinstance(value, int) else str(value)

    parts = []
    for key, sign in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("gt", ">"), ("ge", "≥"),
                      ("maximum", "≤"), ("exclusiveMaximum", "<"), ("lt", "<"), ("le", "≤")):
        if key in schema:
            parts.append(f"{sign} {num(schema[key])}")
    return (" " + ", ".join(parts)) if parts else ""


def _count(schema: dict, low: str, high: str) -> str:
    if low in schema and high in schema:
        return f" ({schema[low]:,} to {schema[high]:,} items)"
    if low in schema:
        return f" (at least {schema[low]:,})"
    if high in schema:
        return f" (at most {schema[high]:,})"
    return ""


def default_text(schema: dict, required: bool) -> str:
    if required:
        return "required"
    if "default" not in schema:
        return "none"
    value = schema["default"]
    if value is None:
        return "none"
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if len(text) > 60:  # a model's or a list's defaults: summarised, their fields are tabled
        if isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value):
            return ", ".join(f"`{v['id']}`" for v in value)
        if isinstance(value, dict):
            return "each field's default"
        return f"{len(value)} entries" if isinstance(value, list) else "see the model"
    return "`" + json.dumps(value, ensure_ascii=False, separators=(", ", ": ")) + "`" if not isinstance(value, str) \
        else f"`{value}`"


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("``", "`").replace("|", "\\|")


# ---------------------------------------------------------------- commands


def _evaluate(node: ast.AST, scope: dict) -> Any:
    """A literal, a module constant, or a sum of those (``R + "order_late"``); else None."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        value = scope.get(node.id)
        return value if isinstance(value, str) else None
    if isinstance(node, ast.Attribute):
        base = _evaluate_object(node.value, scope)
        value = getattr(base, node.attr, None) if base is not None else None
        return value if isinstance(value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _evaluate(node.left, scope), _evaluate(node.right, scope)
        return left + right if isinstance(left, str) and isinstance(right, str) else None
    return None


def _evaluate_object(node: ast.AST, scope: dict) -> Any:
    if isinstance(node, ast.Name):
        return scope.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _evaluate_object(node.value, scope)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def _functions(fn: Any) -> Any:
    """The plain function behind a callable (methods, staticmethods, partials)."""
    fn = getattr(fn, "__func__", fn)
    return fn if isinstance(fn, types.FunctionType) else None


def rejections_of(handler: Callable, owner: type | None = None) -> list[tuple[str, str]]:
    """Every ``(rule, key)`` a handler can raise: ``Rejected(...)`` calls in its source and in the
    tabletop functions it calls (followed through module functions, closures' free functions and,
    with ``owner``, ``self.method`` calls)."""
    found: dict[tuple[str, str], None] = {}
    seen: set[Any] = set()

    def visit(fn: Any, cls: type | None, root: bool = False) -> None:
        fn = _functions(fn)
        if fn is None or fn in seen or not (root or fn.__module__.startswith("tabletop")):
            return
        seen.add(fn)
        try:
            source = textwrap.dedent(inspect.getsource(fn))
            tree = ast.parse(source)
        except (OSError, TypeError, SyntaxError):
            return
        scope = dict(fn.__globals__)
        if fn.__closure__:
            scope.update({name: cell.cell_contents for name, cell in zip(fn.__code__.co_freevars, fn.__closure__, strict=True)
                          if _cell_ok(cell)})
        calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
        for node in calls:
            callee = node.func
            if isinstance(callee, ast.Name) and callee.id == "Rejected":
                if len(node.args) >= 2:
                    rule, key = _evaluate(node.args[0], scope), _evaluate(node.args[1], scope)
                    if isinstance(rule, str) and isinstance(key, str):
                        found[(rule, key)] = None
                continue
            if isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name) and callee.value.id == "self" \
                    and cls is not None:
                visit(getattr(cls, callee.attr, None), cls)
                continue
            target = _evaluate_object(callee, scope)
            if isinstance(target, types.FunctionType):
                visit(target, None)
            # Functions passed as values (handlers built by factories) are followed too.
            for arg in node.args:
                value = _evaluate_object(arg, scope)
                if isinstance(value, types.FunctionType):
                    visit(value, None)

    visit(handler, owner, root=True)
    return list(found)


def _cell_ok(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018  (an empty cell raises)
    except ValueError:
        return False
    return True


def generic_rejections() -> list[tuple[str, str]]:
    """What the session refuses before any handler runs (schema, role, phase, turn, duplicate id)."""
    from tabletop.core.session import Session

    out: list[tuple[str, str]] = []
    for name in sorted(vars(Session)):
        if name.startswith("_check"):
            for item in rejections_of(getattr(Session, name), Session):
                if item not in out:
                    out.append(item)
    return out


def _roles(spec: CommandSpec) -> str:
    names = []
    for role in spec.roles:
        if role == ANY_COUNTY_ROLE:
            names.append("any county seat")
        else:
            names.append(f"`{role}` {i18n.t('role.' + role, 'zh_TW')}" if f"role.{role}" in i18n.TABLE else f"`{role}`")
    return ", ".join(names)


def _states(spec: CommandSpec) -> str:
    if spec.trigger:
        return f"when the lifecycle allows `{spec.trigger}` (see the diagram in docs/architecture.md)"
    return ", ".join(f"`{s}`" for s in spec.states) or "any"


@lru_cache(maxsize=None)
def _examples() -> dict[str, list[dict]]:
    """Uses of each kind in the shipped actions files, in file order."""
    from tabletop.scenario.yamlnodes import load_located

    out: dict[str, list[dict]] = {}
    for rel in EXAMPLE_FILES:
        path = os.path.join(ROOT, rel)
        if not os.path.isfile(path):
            continue
        doc, _ = load_located(files.read_text(path), path)
        for item in (doc.value if doc and isinstance(doc.value, list) else []):
            if isinstance(item, dict) and isinstance(item.get("do"), str):
                out.setdefault(item["do"], []).append({**item, "_file": rel})
    return out


def example(spec: CommandSpec) -> tuple[str, dict, str]:
    """A role, arguments that validate for ``spec`` and where they come from: the first valid use
    of the kind by an allowed role in the shipped actions files, else made up from the schema."""
    for item in _examples().get(spec.kind, []):
        args = item.get("args") or {}
        allowed = ANY_COUNTY_ROLE in spec.roles or item.get("role") in spec.roles
        try:
            spec.args.model_validate(args)
        except ValidationError:  # a deliberately wrong entry: look further
            continue
        if allowed:
            return str(item.get("role")), args, item["_file"]
    role = "commander" if spec.roles[0] == ANY_COUNTY_ROLE else spec.roles[0]
    return role, valid_args(spec.args), ""


#: Values tried for a made-up argument its own validator refuses (a date, a date-time, a number).
FALLBACKS: tuple[Any, ...] = ("2026-07-14", "2026-07-14T08:00:00+08:00", 1, "P", "x1")


def valid_args(model: type[BaseModel]) -> dict:
    """Made-up arguments that validate: the schema's least values, a refused one replaced by the
    first of :data:`FALLBACKS` the model takes."""
    args = synthetic_args(model)
    for _ in range(len(args) + 1):
        try:
            model.model_validate(args)
            return args
        except ValidationError as err:
            name = next((e["loc"][0] for e in err.errors() if e["loc"] and e["loc"][0] in args), None)
            if name is None:
                return args
        for value in FALLBACKS:
            trial = {**args, name: value}
            try:
                model.model_validate(trial)
                return trial
            except ValidationError as err:
                if not any(e["loc"] and e["loc"][0] == name for e in err.errors()):
                    args = trial
                    break
        else:
            return args
    return args


def synthetic_args(model: type[BaseModel]) -> dict:
    schema = model.model_json_schema(by_alias=True)
    defs = schema.get("$defs", {})
    return {name: _sample(prop, defs, name) for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])}


def _sample(schema: dict, defs: dict, name: str) -> Any:
    schema = _ref(schema, defs)
    if "anyOf" in schema:
        return _sample(next(o for o in schema["anyOf"] if o.get("type") != "null"), defs, name)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        pattern = schema.get("pattern") or ""
        if pattern == DATE_PATTERN:
            return "2026-07-14"
        alternatives = re.fullmatch(r"\^\(([A-Za-z0-9_|]+)\)\$", pattern)
        if alternatives:
            return alternatives.group(1).split("|")[0]
        return f"{name}1" if pattern == ID_PATTERN else name
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1) if "maximum" not in schema or schema["maximum"] >= 1 else 0
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return [_sample(schema.get("items", {}), defs, name.rstrip("s"))]
    if kind == "object":
        if "properties" in schema:
            return {k: _sample(v, defs, k) for k, v in schema["properties"].items() if k in schema.get("required", [])}
        if "patternProperties" in schema:
            (_, value), = schema["patternProperties"].items()
            return {"rice": _sample(value, defs, name)}
        return {}
    return None


def _arguments_table(model: type[BaseModel]) -> list[str]:
    schema = model.model_json_schema(by_alias=True)
    defs = schema.get("$defs", {})
    props = schema.get("properties", {})
    if not props:
        return ["No arguments."]
    docs = field_docs(model)
    descriptions = {(f.alias or n): docs.get(n) for n, f in model.model_fields.items()}
    lines = ["| Argument | Type | Default | Meaning |", "|---|---|---|---|"]
    nested: list[tuple[str, dict]] = []

    def link(name: str) -> str:
        nested.append((name, defs[name]))
        return f"mapping {name} (below)"

    for name, prop in props.items():
        lines.append(f"| `{name}` | {_cell(type_text(prop, defs, link))} | {default_text(prop, name in schema.get('required', []))} "
                     f"| {_cell(descriptions.get(name))} |")
    done = set()
    classes = {m.__name__: m for m in nested_models(model)}
    for name, sub in nested:
        if name in done:
            continue
        done.add(name)
        lines += ["", f"`{name}`:", "", "| Field | Type | Default | Meaning |", "|---|---|---|---|"]
        sub_docs = field_docs(classes[name]) if name in classes else {}
        for field_name, prop in sub.get("properties", {}).items():
            lines.append(f"| `{field_name}` | {_cell(type_text(prop, defs))} | "
                         f"{default_text(prop, field_name in sub.get('required', []))} | {_cell(sub_docs.get(field_name))} |")
    return lines


def _rejection_lines(items: list[tuple[str, str]]) -> list[str]:
    lines = []
    for rule, key in items:
        text = i18n.TABLE.get(key, {})
        zh = _cell(_placeholders(text.get("zh_TW", key)))
        en = _cell(_placeholders(text.get("en", key)))
        lines.append(f"| `{rule}` | `{key}` | {zh} | {en} |")
    return lines


def _placeholders(text: str) -> str:
    return re.sub(r"{(\w+)[^}]*}", r"‹\1›", text)


def commands_markdown(parts: Parts) -> str:
    """docs/commands.md."""
    by_part: dict[str, list[CommandSpec]] = {}
    for plugin in parts.all:
        if plugin.commands:
            by_part[plugin.name] = list(plugin.commands)
    lines = [
        "# Commands (指令參考)",
        "",
        "<!-- Generated by tools/make_reference.py from the command specs; do not edit by hand. -->",
        "",
        "Every command kind the engine accepts, generated from the parts' command specs "
        "(`Plugin.commands`): who may issue it, in which lifecycle states, every argument and what "
        "it refuses. A command is `{turn, county, role, kind, args}`; in an actions file it is "
        "`{turn, county, role, do: KIND, args: {...}}` (docs/scenario-format.md, \"Actions files\"). "
        "Unknown arguments are refused; types are strict (`\"3\"` is not an integer).",
        "",
        "Rejections name a rule id (`rule`) and a reason from the translation table (`key`, shown "
        "in zh_TW and English; ‹name› marks a value filled in). Every command may first be refused "
        "by the session's own checks, in this order:",
        "",
        "| Rule | Key | 中文 | English |",
        "|---|---|---|---|",
    ]
    lines += _rejection_lines(generic_rejections())
    lines += ["", "A handler that fails unexpectedly is logged as rule `internal` (`reject.internal`).", "",
              "## Index", ""]
    for part, specs in by_part.items():
        lines.append(f"- **{part}**: " + ", ".join(f"[`{s.kind}`](#{s.kind})" for s in specs))
    for part, specs in by_part.items():
        lines += ["", f"## Part `{part}`"]
        for spec in specs:
            title = i18n.t(f"command.{spec.kind}", "zh_TW") if f"command.{spec.kind}" in i18n.TABLE else ""
            lines += ["", f"### `{spec.kind}`" + (f" {title}" if title else ""), ""]
            doc = inspect.getdoc(spec.args) if spec.args.__doc__ and spec.args.__module__ != "tabletop.core.commands" else ""
            if doc:
                lines += [" ".join(doc.split()), ""]
            lines.append(f"- Roles: {_roles(spec)}")
            lines.append(f"- Lifecycle states: {_states(spec)}")
            if spec.creates:
                lines.append("- Creates what its `id` names: the id must be new (rule `duplicate_id`).")
            lines.append("")
            lines += _arguments_table(spec.args)
            role, args, source = example(spec)
            lines += ["", "Example" + (f" (from `{source}`)" if source else "") + ":", "", "```yaml",
                      "- {role: " + role + ", do: " + spec.kind + ", args: " + _flow(args) + "}", "```"]
            handler_rejections = [r for r in rejections_of(spec.handler) if r[0] != "internal"]
            if handler_rejections:
                lines += ["", "Refused (besides the checks above):", "", "| Rule | Key | 中文 | English |", "|---|---|---|---|"]
                lines += _rejection_lines(handler_rejections)
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    """A YAML flow value (JSON is valid YAML flow; strings quoted only when needed)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9_\-.\u3000-\u9fff\uff00-\uffef]+", value) \
            and value.lower() not in ("yes", "no", "true", "false", "null", "on", "off") and not value[0].isdigit():
        return value
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------- scenario fields


def fields_table(model: type[BaseModel], skip: tuple[str, ...] = ()) -> str:
    """The field table of one model: Field, Type, Default, Meaning (its ``description``)."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    defs = schema.get("$defs", {})
    lines = ["| Field | Type | Default | Meaning |", "|---|---|---|---|"]
    docs = field_docs(model)
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in skip:
            continue
        prop = schema["properties"][key]
        meaning = docs.get(name) or _model_doc(field.annotation)
        lines.append(f"| `{key}` | {_cell(type_text(prop, defs, lambda n: n))} | "
                     f"{default_text(prop, key in schema.get('required', []))} | {_cell(meaning)} |")
    return "\n".join(lines)


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """What each field of ``model`` (and its bases) means: ``Field(description=...)``, else the
    ``#:`` comment lines above the field in the source."""
    out: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls.__module__.startswith("pydantic"):
            continue
        try:
            lines = inspect.getsource(cls).splitlines()
        except (OSError, TypeError):
            continue
        comment: list[str] = []
        for line in lines:
            stripped = line.strip()
            if stripped.startswith("#:"):
                comment.append(stripped[2:].strip())
                continue
            match = re.match(r"(\w+)\s*:", stripped)
            if match and comment:
                out[match.group(1)] = " ".join(comment)
            comment = []
    for name, field in model.model_fields.items():
        if field.description:
            out[name] = field.description
    return out


def _model_doc(annotation: Any) -> str:
    """The docstring's first paragraph of a model-typed field (a part's section), else ''."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation.__doc__:
        return " ".join((inspect.getdoc(annotation) or "").split("\n\n")[0].split())
    return ""


#: Conventions explained once at the top of docs/scenario-format.md, never tabled again.
CONVENTIONS = ("Text", "Name")


def nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """The models a model's fields use, depth first, each once (the model itself first)."""
    import typing

    out: list[type[BaseModel]] = []

    def walk(current: type[BaseModel]) -> None:
        if current in out or current.__name__ in CONVENTIONS:
            return
        out.append(current)
        for field in current.model_fields.values():
            for inner in _types_in(field.annotation, typing):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    walk(inner)

    walk(model)
    return out


def _types_in(annotation: Any, typing: Any) -> list[Any]:
    out = [annotation]
    for arg in typing.get_args(annotation):
        out += _types_in(arg, typing)
    return out


def section_tables(name: str, model: type[BaseModel]) -> str:
    """A part's top-level section: its table, then one table per model it uses."""
    blocks = []
    for index, current in enumerate(nested_models(model)):
        title = f"`{name}`" if index == 0 else f"`{current.__name__}` (in `{name}`)"
        doc = " ".join((inspect.getdoc(current) or "").split()) if current.__doc__ else ""
        if current.__module__.startswith("pydantic") or doc.startswith("Usage docs") or "A base class" in doc:
            doc = ""
        blocks.append(f"#### {title}\n\n" + (f"{doc}\n\n" if doc else "") + fields_table(current))
    return "\n\n".join(blocks)


def effects_markdown(parts: Parts) -> str:
    """The one list of inject effects (docs/injects.md)."""
    part_of = {name: plugin.name for plugin in parts.all for name in plugin.effects}
    lines = ["| Effect | Parameters (default) | What it does | Part |", "|---|---|---|---|"]
    for name in sorted(parts.effects):
        spec = parts.effects[name]
        lines.append(f"| `{name}` | {_cell(_params(spec.args))} | {_cell(spec.doc)} | {part_of[name]} |")
    conditions = ", ".join(f"`{name}` {{{_params(spec.args)}}}: {spec.doc}" for name, spec in sorted(parts.conditions.items()))
    return "\n".join(lines) + "\n\nConditions for triggers (`trigger: {when: condition, condition: NAME, args}`): " + conditions


def _params(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(by_alias=True)
    required = schema.get("required", [])
    out = []
    for name, prop in schema.get("properties", {}).items():
        if name in required:
            out.append(f"{name}")
        else:
            default = default_text(prop, False)
            out.append(f"{name} ({default.strip('`')})" if default != "none" else f"{name}?")
    return ", ".join(out)


# ---------------------------------------------------------------- the documents


def replace_blocks(text: str, blocks: dict[str, str]) -> str:
    """Put each block between its markers in ``text`` (the markers must be there)."""
    for name, body in blocks.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        start = text.find(begin)
        stop = text.find(end)
        if start < 0 or stop < start:
            raise ValueError(f"markers for {name!r} not found")
        text = text[:start + len(begin)] + "\n" + body.rstrip("\n") + "\n" + text[stop:]
    return text


def scenario_blocks(parts: Parts) -> dict[str, str]:
    from tabletop.scenario import model as m

    blocks = {
        "top": fields_table(m.scenario_model(parts)),
        "meta": fields_table(m.Meta),
        "clock": fields_table(m.ClockSpec),
        "county": fields_table(m.County),
        "township": fields_table(m.Township),
        "warehouse": fields_table(m.Warehouse),
        "good": fields_table(m.Good),
        "phase": fields_table(m.Phase),
        "inject": fields_table(m.Inject),
        "expected": fields_table(m.ExpectedAction),
        "trigger": fields_table(m.Trigger),
        "participants": fields_table(m.Participants),
        "sections": "\n\n".join(section_tables(name, model) for name, model in parts.sections.items()),
    }
    return blocks


def documents(parts: Parts | None = None) -> dict[str, str]:
    """Relative path -> the full generated text of every document this module keeps."""
    if parts is None:
        from tabletop.plugins import parts as engine_parts

        parts = engine_parts()
    out = {"docs/commands.md": commands_markdown(parts)}
    for rel, blocks in (("docs/scenario-format.md", scenario_blocks(parts)),
                        ("docs/injects.md", {"effects": effects_markdown(parts)})):
        out[rel] = replace_blocks(files.read_text(os.path.join(ROOT, rel)), blocks)
    return out
