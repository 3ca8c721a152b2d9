"""The one translation table: every user-facing string, zh_TW first, English second.

Strings live in YAML files: the engine's own in this folder (one per layer or driver), and
each part's in its own package (``tabletop/<part>/strings.yaml``: a part carries its
translations with it), all merged into one table; a key defined twice is an error. Each entry
maps a key to ``{zh_TW: ..., en: ...}`` with ``str.format`` placeholders. Parts are found by
their file, never imported (this module sits below them).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from tabletop.core.messages import message, ref, refs  # noqa: F401  (re-exported: messages as data)

LANGS = ("zh_TW", "en")
DEFAULT_LANG = "zh_TW"


#: Each part's own translations, in its package.
PART_STRINGS = "strings.yaml"


def _files() -> list[Any]:
    """This folder's tables, then each package's ``strings.yaml``, in name order."""
    own = [e for e in resources.files(__name__).iterdir() if e.name.endswith(".yaml")]
    parts = [e.joinpath(PART_STRINGS) for e in resources.files("tabletop").iterdir()
             if e.is_dir() and e.joinpath(PART_STRINGS).is_file()]
    return sorted(own, key=lambda e: e.name) + sorted(parts, key=lambda e: str(e))


def _load() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for entry in _files():
        # libyaml's loader where it is built in: the tables are read at every launch.
        data = yaml.load(entry.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506 - a safe loader
        for key, texts in data.items():
            if key in table:
                raise RuntimeError(f"translation key {key!r} defined twice ({entry.name})")
            table[key] = texts
    return table


TABLE: dict[str, dict[str, str]] = _load()


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The text for ``key`` in ``lang``, with ``params`` filled in."""
    entry = TABLE.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("en") or key
    if not params:
        return text
    # A parameter may itself be bilingual ({zh_TW, en}): each language gets its own.
    local = {name: pick(value, lang) if isinstance(value, dict) else value for name, value in params.items()}
    return text.format(**local)


def both(key: str, **params: Any) -> dict[str, str]:
    """The text for ``key`` in every language, as stored in the log."""
    return {lang: t(key, lang, **params) for lang in LANGS}


def pick(texts: dict[str, str] | str | None, lang: str = DEFAULT_LANG) -> str:
    """Choose one language from a bilingual text value (scenario names, inject text)."""
    if texts is None:
        return ""
    if isinstance(texts, str):
        return texts
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def render(key: str, params: dict[str, Any] | None, lang: str = DEFAULT_LANG) -> str:
    """The text of message ``key`` in ``lang``, its parameters rendered first.

    A parameter is a plain value, a bilingual text ``{zh_TW, en}`` (names from the
    scenario), a label ``{"label": "kind.name"}``, a nested message ``{"key", "params"}``
    or a list of those (joined). Unknown keys and missing placeholders render as the key
    and the raw value, never an error: a log written by another version still reads.
    """
    key = str(key)
    entry = TABLE.get(key)
    if entry is None and key.startswith("schema."):
        entry = TABLE.get("schema.invalid")  # a validation error type with no sentence of its own
    text = (entry.get(lang) or entry.get("en") or key) if entry else key
    local = {str(name): _value(value, lang) for name, value in (params.items() if isinstance(params, dict) else ())}
    try:
        return text.format(**local) if local else text
    except (KeyError, IndexError, ValueError):
        return text + (" (" + ", ".join(f"{k}={v}" for k, v in sorted(local.items())) + ")" if local else "")


def render_both(key: str, params: dict[str, Any] | None) -> dict[str, str]:
    return {lang: render(key, params, lang) for lang in LANGS}


def reason(data: dict[str, Any], lang: str = DEFAULT_LANG) -> str:
    """The reason of a ``command_rejected`` event (``{rule, key, params}``) in ``lang``."""
    if "key" in data:
        return render(data["key"], data.get("params"), lang)
    return pick(data.get("reason"), lang)  # logs of format 1 stored the text itself


def _value(value: Any, lang: str) -> Any:
    if isinstance(value, list):
        return ("、" if lang == "zh_TW" else ", ").join(str(_value(item, lang)) for item in value)
    if isinstance(value, dict):
        if "label" in value:
            name = str(value["label"])
            return t(name, lang) if name in TABLE else name.split(".", 1)[-1]
        if "key" in value:
            return render(str(value["key"]), value.get("params"), lang)
        return pick(value, lang)
    return value


def label(kind: str, name: str | None) -> dict[str, str] | str | None:
    """Bilingual label for a role, lifecycle state, etc. (``role.commander``), or the bare name
    (None for none: :func:`pick` makes it "")."""
    key = f"{kind}.{name}"
    return both(key) if key in TABLE else name


def reason_both(data: dict[str, Any]) -> dict[str, str]:
    """The reason of a ``command_rejected`` event in every language."""
    return {lang: reason(data, lang) for lang in LANGS}
