"""Pointing at the place in a file that a validation error is about, and saying what is wrong
in the reader's language.

Shared by scenario validation (:mod:`tabletop.scenario.validate`) and actions files
(:mod:`tabletop.scenario.actions`): pydantic error locations become dotted field names
(``counties[0].townships``) and positions in the :class:`~tabletop.scenario.yamlnodes.Located`
document; pydantic's error types become our own bilingual sentences (``field.*`` in the
translation table), never pydantic's English. An unknown field or value names the nearest
valid ones.
"""

from __future__ import annotations

import difflib
import json
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from tabletop import i18n
from tabletop.core.messages import message
from tabletop.scenario.yamlnodes import Located, Problem, dotted

__all__ = ["dotted", "value_path", "validation_problems", "nearest", "model_at", "error_message"]

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def value_path(doc: Located, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Pydantic adds union/type tags to ``loc``; keep only the parts that are in the document."""
    path: tuple[Any, ...] = ()
    for part in loc:
        if path + (part,) in doc.value_pos:
            path = path + (part,)
    return path


def nearest(word: str, valid: list[str] | tuple[str, ...]) -> str | None:
    """The valid name closest to ``word`` (a typo, a wrong case, a missing underscore), if any is close."""
    if not isinstance(word, str) or not valid:
        return None
    lowered = {v.lower(): v for v in valid}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def near_param(word: str, valid: list[str] | tuple[str, ...]) -> Any:
    """``{near}`` of the check.* messages: a nested "did you mean" message, or empty."""
    found = nearest(word, list(valid))
    return message("check.near", near=found) if found else ""


def _unwrap(annotation: Any) -> list[Any]:
    """The types inside an annotation (Optional, Union, Annotated, list, dict values, tuples)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        out = []
        for arg in typing.get_args(annotation):
            out += _unwrap(arg)
        return out
    return [annotation]


def model_at(model: Any, loc: tuple[Any, ...]) -> Any:
    """The model (or type) that validates the value at ``loc`` below ``model``; None if unknown."""
    current = [model]
    for part in loc:
        following = []
        for kind in current:
            for option in _unwrap(kind):
                origin = typing.get_origin(option)
                if isinstance(option, type) and issubclass(option, BaseModel) and isinstance(part, str):
                    for name, field in option.model_fields.items():
                        if part in (name, field.alias):
                            following.append(field.annotation)
                elif origin in (list, tuple) and isinstance(part, int):
                    args = typing.get_args(option)
                    if args:
                        following.append(args[min(part, len(args) - 1)] if origin is tuple and args[-1] is not Ellipsis
                                         else args[0])
                elif origin is dict and isinstance(part, str):
                    following.append(typing.get_args(option)[1])
        if not following:
            return None
        current = following
    for kind in current:
        for option in _unwrap(kind):
            if isinstance(option, type) and issubclass(option, BaseModel):
                return option
    return current[0]


def field_names(model: Any) -> list[str]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [field.alias or name for name, field in model.model_fields.items()]
    return []


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _bare(value: Any) -> str:
    text = value if isinstance(value, str) else _shown(value)
    return text if len(text) <= 60 else text[:57] + "…"


def error_message(item: Any, where: str, model: Any = None) -> tuple[str, dict[str, Any]]:
    """One pydantic error as a translation key and parameters (never pydantic's own text)."""
    kind = item["type"]
    ctx = item.get("ctx") or {}
    value = item.get("input")
    params: dict[str, Any] = {"where": where or message("field.top_level"), "input": _shown(value)}
    if kind in i18n.TABLE and "." in kind:  # our own validators: PydanticCustomError(key, ..., params)
        return "field.value_error", {**params, "detail": message(kind, **ctx)}
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern")
        if pattern == ID_PATTERN:
            return "field.not_id", {**params, "input": _bare(value)}
        if pattern == DATE_PATTERN:
            return "field.not_date", {**params, "input": _bare(value)}
        return "field.string_pattern_mismatch", {**params, "input": _bare(value), "pattern": pattern}
    if kind in ("literal_error", "enum"):
        expected = _literal_values(item, model)
        near = nearest(value, expected) if isinstance(value, str) else None
        shown = ", ".join(expected) if expected else str(ctx.get("expected", ""))
        if near:
            return "field.literal_error_near", {**params, "input": _bare(value), "near": near, "expected": shown}
        return "field.literal_error", {**params, "input": _bare(value), "expected": shown}
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than", "string_too_short",
                "string_too_long", "too_short", "too_long"):
        return f"field.{kind}", {**params, **{k: _number(v) for k, v in ctx.items() if isinstance(v, (int, float, str))},
                                 "min_length": ctx.get("min_length", ""), "max_length": ctx.get("max_length", "")}
    if kind in ("int_parsing", "int_type", "int_from_float", "float_type", "float_parsing", "finite_number", "bool_type",
                "bool_parsing", "string_type", "list_type", "tuple_type", "dict_type", "model_type", "model_attributes_type"):
        key = {"int_parsing": "int_type", "float_parsing": "float_type", "bool_parsing": "bool_type",
               "model_attributes_type": "model_type"}.get(kind, kind)
        return f"field.{key}", params
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        return "field.value_error", {**params, "detail": str(error) if error is not None else item.get("msg", "")}
    return "field.invalid", {**params, "type": kind}


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _literal_values(item: dict[str, Any], model: Any) -> list[str]:
    """The allowed values of a Literal or Enum field, from the model (pydantic gives only a phrase)."""
    target = model_at(model, tuple(item["loc"])) if model is not None else None
    for option in _unwrap(target) if target is not None else []:
        if typing.get_origin(option) is typing.Literal:
            return [str(v) for v in typing.get_args(option)]
        if isinstance(option, type) and hasattr(option, "__members__"):
            return [str(getattr(m, "value", m)) for m in option.__members__.values()]
    expected = str((item.get("ctx") or {}).get("expected", ""))
    return [part.strip(" '") for part in expected.replace(" or ", ", ").split(",") if part.strip(" '")]


def validation_problems(doc: Located, err: ValidationError, prefix: tuple[Any, ...] = (),
                        severity: str = "error", model: Any = None) -> list[Problem]:
    """One located problem per pydantic error; ``prefix`` is where the validated value sits in ``doc``;
    ``model`` (the validated model) lets an unknown field name the valid ones."""
    out = []
    for item in err.errors():
        loc = tuple(item["loc"])
        here = prefix + loc
        if item["type"] == "extra_forbidden":
            parent = model_at(model, loc[:-1]) if model is not None else None
            valid = field_names(parent)
            near = nearest(str(loc[-1]), valid)
            params = {"field": str(loc[-1]), "valid": ", ".join(valid) or "—"}
            if near:
                out.append(doc.keyed(here, "field.unknown_near", {**params, "near": near}, at_key=True, severity=severity))
            else:
                out.append(doc.keyed(here, "field.unknown", params, at_key=True, severity=severity))
        elif item["type"] == "missing":
            out.append(doc.keyed(here[:-1], "field.missing", {"where": dotted(loc)}, severity=severity))
        else:
            key, params = error_message(item, dotted(loc), model)
            out.append(doc.keyed(value_path(doc, here), key, params, severity=severity))
    return out
