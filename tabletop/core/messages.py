"""Messages as data: what the log stores instead of rendered text.

A rejection, or any text the engine wants a reader to show, is a message key with
parameters. A parameter may be a label (:func:`ref`), a list of labels
(:func:`refs`) or a nested message (:func:`message`); ``tabletop.i18n.render``
turns them into zh_TW or English when a reader shows them, so rewording the
translation table never changes a log.
"""

from __future__ import annotations

from typing import Any, Iterable


def ref(kind: str, name: str) -> dict[str, str]:
    """A label to be rendered by readers: ``{"label": "command.advance"}``."""
    return {"label": f"{kind}.{name}"}


def refs(kind: str, names: Iterable[str]) -> list[dict[str, str]]:
    """Several labels, rendered as one list (「、」 in zh_TW, ", " in English)."""
    return [ref(kind, name) for name in names]


def message(key: str, **params: Any) -> dict[str, Any]:
    """A message as data, ``{"key", "params"}``."""
    return {"key": key, "params": params}
