"""Stand-ins for the values a schema refused, so that the cross-references of a scenario can
still be checked in the same pass (``validate`` reports both kinds of problem together).

Nothing here is shown to anyone or kept: the repaired scenario only feeds the checks, and the
findings at a replaced value are dropped by the caller.
"""

from __future__ import annotations

import copy
import typing
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError

from tabletop.scenario.locate import _unwrap, model_at

#: Rounds of replacing: each round fixes every error pydantic reports, new ones may appear below.
ROUNDS = 6


def repaired(model: type[BaseModel], value: Any) -> tuple[Any, list[tuple[Any, ...]]] | None:
    """``(validated model, replaced paths)``, or None when the value cannot be made valid."""
    data = copy.deepcopy(value)
    touched: list[tuple[Any, ...]] = []
    for _ in range(ROUNDS):
        try:
            return model.model_validate(data), touched
        except ValidationError as err:
            errors = err.errors()
        changed = False
        for item in errors:
            loc = _document_loc(data, tuple(item["loc"]))
            if loc is None:
                return None
            if _fix(model, data, loc, item["type"]):
                touched.append(loc if item["type"] != "missing" else loc[:-1])
                changed = True
        if not changed:
            return None
    return None


def _document_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """Pydantic's location without the union and tag parts it adds (only keys and indices that exist,
    plus a final missing key)."""
    out: list[Any] = []
    current = data
    for index, part in enumerate(loc):
        if isinstance(current, dict) and isinstance(part, str):
            out.append(part)
            if part not in current:
                return tuple(out) if index == len(loc) - 1 else None
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        else:
            continue  # a tag such as 'function-after[...]' or a union member's name
    return tuple(out)


def _fix(model: type[BaseModel], data: Any, loc: tuple[Any, ...], kind: str) -> bool:
    if not loc:
        return False
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    last = loc[-1]
    target = model_at(model, loc)
    if kind == "extra_forbidden" and isinstance(parent, dict):
        parent.pop(last, None)
        return True
    if isinstance(parent, dict):
        owner = model_at(model, loc[:-1])
        field = _field(owner, last)
        if kind != "missing" and field is not None and not field.is_required():
            parent.pop(last, None)  # the default stands in
            return True
        stand_in = _sample(field.annotation if field is not None else target, field.metadata if field is not None else [])
    else:
        stand_in = _sample(target, [])
    if stand_in is _NONE:
        return False
    if isinstance(parent, (dict, list)):
        parent[last] = stand_in
        return True
    return False


def _field(owner: Any, name: Any) -> Any:
    if isinstance(owner, type) and issubclass(owner, BaseModel):
        for field_name, field in owner.model_fields.items():
            if name in (field_name, field.alias):
                return field
    return None


_NONE = object()


def _bounds(metadata: list[Any]) -> tuple[Any, int]:
    low: Any = None
    length = 0
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            low = item.ge
        elif isinstance(item, annotated_types.Gt):
            gt: Any = item.gt  # numbers: the only bounds the models use
            low = gt + 1
        elif isinstance(item, annotated_types.MinLen):
            length = item.min_length
        for inner in getattr(item, "metadata", []) or []:
            inner_low, inner_len = _bounds([inner])
            low = inner_low if inner_low is not None else low
            length = max(length, inner_len)
    return low, length


def _sample(annotation: Any, metadata: list[Any]) -> Any:
    """The least value of a type that its constraints accept (an id ``fix0``, ``1``, ``[]``...)."""
    options = _unwrap(annotation)
    metadata = list(metadata)
    if typing.get_origin(annotation) is typing.Annotated:
        metadata += list(typing.get_args(annotation)[1:])
    for option in options:
        if option is type(None):
            return None
    option = options[0] if options else annotation
    low, length = _bounds(metadata + list(getattr(option, "__metadata__", [])))
    origin = typing.get_origin(option)
    if origin is typing.Literal:
        return typing.get_args(option)[0]
    if isinstance(option, type) and issubclass(option, BaseModel):
        out = {}
        for name, field in option.model_fields.items():
            if field.is_required():
                value = _sample(field.annotation, field.metadata)
                if value is _NONE:
                    return _NONE
                out[field.alias or name] = value
        return out
    if origin in (list, set, frozenset):
        if length:
            item = _sample(typing.get_args(option)[0], [])
            return _NONE if item is _NONE else [item] * 1
        return []
    if origin is tuple:
        items = [_sample(arg, []) for arg in typing.get_args(option) if arg is not Ellipsis]
        return _NONE if _NONE in items else items
    if origin is dict:
        return {}
    if option is bool:
        return False
    if option is int:
        return int(low) if low is not None else 1
    if option is float:
        return float(low) if low is not None else 1.0
    if option is str:
        return "fix0"
    return _NONE
