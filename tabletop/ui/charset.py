"""The characters the console can be asked to show, for checking the shipped fonts.

Pure Python (no pygame): used by ``tests/ui/test_font.py`` to check the fonts' character maps
(the console once shipped a subset cut to these; it ships the complete font now, and the test
checks every Big5 ideograph as well, for what trainees type). Sources, as issue 8 lists them:
the translation tables, every bundled scenario, everything the pinned Faker zh_TW providers
can produce, ASCII and common CJK punctuation.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Iterable

from tabletop import files

PROJECT = Path(__file__).resolve().parents[2]
#: Faker zh_TW providers; all of them, not only those used today (names, companies, addresses).
FAKER_PROVIDERS = ("person", "company", "address", "job", "lorem", "date_time", "automotive",
                   "internet", "phone_number", "ssn")
#: Symbols the console draws itself (markers, arrows, separators).
UI_SYMBOLS = "●○■□▲△▼▽◆◇★☆→←↑↓↔⇄✓×·…—–‧°％＋－／＝｜～※▶◀‐‑―‘’“”•"


def _strings(value: Any, out: set[str]) -> None:
    if isinstance(value, str):
        out.update(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _strings(key, out)
            _strings(item, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _strings(item, out)


def faker_chars() -> set[str]:
    """Every character in the word lists and formats of the Faker zh_TW providers."""
    out: set[str] = set()
    for name in FAKER_PROVIDERS:
        try:
            module = importlib.import_module(f"faker.providers.{name}.zh_TW")
        except ImportError:
            continue
        for klass in module.Provider.__mro__:
            if klass.__module__.startswith("faker.providers"):
                for attr, value in vars(klass).items():
                    if not attr.startswith("__"):
                        _strings(value, out)
    return out


def file_chars(paths: Iterable[Path]) -> set[str]:
    out: set[str] = set()
    for path in paths:
        out.update(files.read_text(path))
    return out


def table_files() -> list[Path]:
    return sorted((PROJECT / "tabletop").rglob("*.yaml"))


def scenario_files() -> list[Path]:
    return sorted((PROJECT / "scenarios").rglob("*.yaml"))


def basic_chars() -> set[str]:
    """ASCII, Latin-1 letters, CJK and fullwidth punctuation, the console's symbols."""
    out = {chr(c) for c in range(0x20, 0x7F)}
    out.update(chr(c) for c in range(0xA0, 0x100))
    out.update(chr(c) for c in range(0x3000, 0x3020))          # 、。〈〉《》「」『』【】〔〕...
    out.update(chr(c) for c in range(0xFF01, 0xFF5F))          # fullwidth ！（），：；？ and letters
    out.update(UI_SYMBOLS)
    return out


#: Characters used in translation tables that Noto Sans CJK TC itself lacks: DejaVu Sans, the
#: next font of the chain (tabletop/fonts.py), draws them. Keep this short.
NOT_IN_SOURCE_FONT = "✗"


def printable(chars: Iterable[str]) -> set[str]:
    """Drop control characters (newlines, tabs) that no font maps, and the known gaps of the source font."""
    return {c for c in chars if c.isprintable() and c not in "\u200b\ufeff" + NOT_IN_SOURCE_FONT}


def required_chars() -> set[str]:
    """What the font must cover (checked by the test)."""
    return printable(basic_chars() | file_chars(table_files()) | file_chars(scenario_files()) | faker_chars())
