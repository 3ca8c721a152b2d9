"""What canonical JSON can hold and every reader agrees on: the one definition.

Scenario files, actions files, console forms, seat requests and command arguments
all pass through :func:`problem` before anything reaches the log. A value is safe
when it is built only from ``None``, ``bool``, ``str``, ``int`` within
±(2^53 − 1), finite ``float``, ``list`` and ``dict`` with ``str`` keys, and stays
within the caps of :class:`Caps` (depth, string length, list length, total size).
Anything else (NaN, infinities, huge integers, bytes, sets, dates, non-string keys,
runaway nesting) is refused with the path to the offending value, a message key
and its parameters, so every caller can say where and why in zh_TW or English.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

#: The largest integer every JSON reader represents exactly (IEEE 754 doubles).
MAX_INT = 2**53 - 1


@dataclass(frozen=True)
class Caps:
    """Documented caps on one value (docs/log-format.md, "Bounded values")."""

    max_depth: int = 32
    max_string: int = 100_000
    max_items: int = 100_000
    max_nodes: int = 1_000_000


DEFAULT_CAPS = Caps()


@dataclass(frozen=True)
class Unsafe:
    """Why a value cannot go into the log: where (path of keys and indexes), a message key, its parameters."""

    path: tuple[Any, ...]
    key: str
    params: dict[str, Any]

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path) or "(value)"

    def __str__(self) -> str:  # English fallback for logs of programmers, never shown to players
        return f"{self.dotted}: {self.key} {self.params}"


def problem(value: Any, caps: Caps = DEFAULT_CAPS) -> Unsafe | None:
    """The first reason ``value`` is not canonical-JSON-safe, or None when it is.

    Iterative (no recursion limit to hit) and bounded by ``caps.max_nodes``, so a
    hostile value is refused quickly, never walked for long.
    """
    stack: list[tuple[Any, tuple[Any, ...], int]] = [(value, (), 0)]
    nodes = 0
    while stack:
        item, path, depth = stack.pop()
        nodes += 1
        if nodes > caps.max_nodes:
            return Unsafe(path, "json.too_many_nodes", {"limit": caps.max_nodes})
        if item is None or item is True or item is False:
            continue
        kind = type(item)
        if kind is str:
            if len(item) > caps.max_string:
                return Unsafe(path, "json.string_too_long", {"length": len(item), "limit": caps.max_string})
            if not item.isascii() and not _utf8(item):
                return Unsafe(path, "json.not_utf8", {})
            continue
        if kind is int:
            if not -MAX_INT <= item <= MAX_INT:
                return Unsafe(path, "json.int_range", {"limit": MAX_INT})
            continue
        if kind is float:
            if not math.isfinite(item):
                return Unsafe(path, "json.not_finite", {"value": repr(item)})
            continue
        if depth >= caps.max_depth:
            return Unsafe(path, "json.too_deep", {"limit": caps.max_depth})
        if kind is list or kind is tuple:
            if len(item) > caps.max_items:
                return Unsafe(path, "json.too_many_items", {"length": len(item), "limit": caps.max_items})
            for index in range(len(item) - 1, -1, -1):
                stack.append((item[index], path + (index,), depth + 1))
            continue
        if kind is dict:
            if len(item) > caps.max_items:
                return Unsafe(path, "json.too_many_items", {"length": len(item), "limit": caps.max_items})
            for key in item:
                if type(key) is not str:
                    return Unsafe(path, "json.key_not_string", {"key": repr(key)[:80]})
                if len(key) > caps.max_string:
                    return Unsafe(path, "json.string_too_long", {"length": len(key), "limit": caps.max_string})
                if not key.isascii() and not _utf8(key):
                    return Unsafe(path, "json.not_utf8", {})
            for key in sorted(item, reverse=True):
                stack.append((item[key], path + (key,), depth + 1))
            continue
        return Unsafe(path, "json.bad_type", {"type": kind.__name__})
    return None


def _utf8(text: str) -> bool:
    """False for text UTF-8 cannot encode (lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_safe(value: Any, caps: Caps = DEFAULT_CAPS) -> bool:
    return problem(value, caps) is None
