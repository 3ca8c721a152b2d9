"""The MSEL sheet's columns and the words that stand for ids in it (one table, read by export and import).

The first thirteen are HSEEP's MSEL columns; the last three are ours: the card title in both
languages, and ``Engine Data``, what no HSEEP column holds (effects, trigger, each expected
action's arguments and role) as YAML, so that an exported sheet reads back to the same injects.
"""

from __future__ import annotations

from tabletop import i18n

#: (key, header, width in characters).
COLUMNS = (
    ("event", "Event #", 9),
    ("time", "Scenario Time", 20),
    ("phase", "Phase", 14),
    ("type", "Event Type", 16),
    ("mode", "Inject Mode", 14),
    ("from", "From", 18),
    ("to", "To", 20),
    ("message_zh", "Message zh_TW", 48),
    ("message_en", "Message en", 48),
    ("expected", "Expected Action", 24),
    ("capability", "Capability", 22),
    ("deadline", "Deadline", 14),
    ("notes", "Notes", 24),
    ("title_zh", "Title zh_TW", 22),
    ("title_en", "Title en", 26),
    ("data", "Engine Data", 30),
)
HEADERS = {key: header for key, header, _ in COLUMNS}
SHEET = "MSEL"
LISTS_SHEET = "Lists"
#: The most rows an MSEL may have (as many as a scenario may have injects) and the largest file read.
MAX_ROWS = 20_000
MAX_BYTES = 50 * 1024 * 1024

#: Event Type words: how an inject is scheduled.
TYPES = ("scheduled", "card", "triggered")
#: Inject Mode words: through the communications network (it has a source) or handed over by control.
MODES = ("message", "facilitator")


def type_label(kind: str, lang: str) -> str:
    return i18n.t(f"paper.type.{kind}", lang)


def mode_label(kind: str, lang: str) -> str:
    return i18n.t(f"paper.mode.{kind}", lang)


def control_label(lang: str) -> str:
    """The From of an inject with no source: exercise control."""
    return i18n.t("role.facilitator", lang)


def deadline_text(turns: int, lang: str) -> str:
    return i18n.t("paper.deadline", lang, turns=turns)


def words(kind: str) -> dict[str, str]:
    """Both languages' word -> id, for Event Type (``type``) and Inject Mode (``mode``)."""
    names = TYPES if kind == "type" else MODES
    return {i18n.t(f"paper.{kind}.{name}", lang): name for name in names for lang in i18n.LANGS}
