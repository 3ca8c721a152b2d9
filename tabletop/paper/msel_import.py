"""``msel import``: an MSEL sheet back to scenario injects, by a mapping file; nothing guessed.

Each cell that cannot be read or mapped is reported as ``FILE:SHEET!CELL: message`` and no
injects are written. The sheet's own columns win; ``Engine Data`` (written by ``msel export``)
supplies only what no HSEEP column holds: effects, the trigger, expected actions' arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yaml
from pydantic import ValidationError

from tabletop.paper.columns import COLUMNS, words
from tabletop.paper.mapping import Mapping
from tabletop.paper.names import JUDGED
from tabletop.paper.sheet import SheetProblem, Table
from tabletop.plugins import command_registry
from tabletop.scenario.model import Inject

REQUIRED = ("event", "to", "message_zh", "message_en", "title_zh", "title_en")
ID = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")
TURN = re.compile(r"^\s*T(\d+)\b")
NUMBER = re.compile(r"(\d+)")
DATA_KEYS = ("trigger", "effects", "expected")


@dataclass
class Result:
    injects: list[dict[str, Any]] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)


class _Unmapped(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in _text(value).splitlines() if line.strip()]


def columns(table: Table, mapping: Mapping) -> dict[str, int] | SheetProblem:
    """Our column key -> index in the sheet, from its header row; a required column missing is a problem."""
    number = mapping.header_row
    if len(table.rows) < number:
        return SheetProblem(table.file, "paper.import.no_header", {"row": number}, f"{table.sheet}!A{number}")
    header = [_text(value) for value in table.rows[number - 1]]
    found = {}
    for key, ours, _ in COLUMNS:
        theirs = mapping.columns.get(ours, ours)
        if theirs in header:
            found[key] = header.index(theirs)
        elif key in REQUIRED:
            return SheetProblem(table.file, "paper.import.no_column",
                                {"column": theirs, "columns": ", ".join(h for h in header if h) or "-"},
                                f"{table.sheet}!A{number}")
    return found


def read_injects(table: Table, mapping: Mapping) -> Result:
    result = Result()
    where = columns(table, mapping)
    if isinstance(where, SheetProblem):
        result.problems.append(where)
        return result
    seen: set[str] = set()
    for number, row in enumerate(table.rows[mapping.header_row:], mapping.header_row + 1):
        cells = {key: (row[index] if index < len(row) else None) for key, index in where.items()}
        if not any(_text(value) for value in cells.values()):
            continue
        problem = lambda key, name, number=number, **params: SheetProblem(  # noqa: E731  (a column not in the sheet: its Event #)
            table.file, name, params, f"{table.sheet}!{_letter(where.get(key, where['event']))}{number}")
        inject = _row(cells, mapping, problem, result.problems)
        if inject is None:
            continue
        if inject["id"] in seen:
            result.problems.append(problem("event", "paper.import.duplicate", id=inject["id"]))
            continue
        seen.add(inject["id"])
        try:
            Inject.model_validate(inject)
        except ValidationError as err:
            for item in err.errors():
                where_ = ".".join(str(part) for part in item["loc"]) or "inject"
                result.problems.append(problem("event", "paper.import.invalid", field=where_, detail=item["msg"]))
            continue
        result.injects.append(inject)
    return result


def _row(cells: dict[str, Any], mapping: Mapping, problem, problems: list) -> dict[str, Any] | None:
    """One inject from one row, or None with the row's problems added (every cell checked)."""
    before = len(problems)
    out: dict[str, Any] = {}

    def cell(key: str, read) -> Any:
        try:
            return read(cells.get(key), mapping)
        except _Unmapped as err:
            problems.append(problem(key, err.key, **err.params))
            return None

    ident = cell("event", _event)
    kind, deck = cell("type", _type) or ("scheduled", None)
    when = cell("time", _time)
    phase = cell("phase", _phase)
    source = cell("from", _source)
    seat = cell("to", _seat)
    cell("mode", _mode)
    data = cell("data", _data) or {}
    expected = _expected(cells, mapping, data.get("expected"), problem, problems)
    texts = {}
    for key in ("title_zh", "title_en", "message_zh", "message_en"):
        texts[key] = _text(cells.get(key))
        if not texts[key]:
            problems.append(problem(key, "paper.import.empty"))
    if kind == "scheduled" and when is None and not problems[before:]:
        problems.append(problem("time", "paper.import.no_time"))
    if kind == "triggered" and "trigger" not in data:
        problems.append(problem("data", "paper.import.no_trigger"))
    if len(problems) > before:
        return None
    out["id"] = ident
    if phase:
        out["phase"] = phase
    if kind == "card":
        out["deck"] = deck
    elif kind == "triggered":
        out["trigger"] = data["trigger"]
    else:
        out.update(when)
    if source:
        out["source"] = source
    out.update(county=seat["county"], role=seat["role"],
               title={"zh_TW": texts["title_zh"], "en": texts["title_en"]},
               text={"zh_TW": texts["message_zh"], "en": texts["message_en"]},
               expected=expected, effects=data.get("effects", []))
    return out


def _event(value: Any, mapping: Mapping) -> str:
    text = _text(value)
    if not ID.match(text):
        raise _Unmapped("paper.import.bad_id", value=text)
    return text


def _type(value: Any, mapping: Mapping) -> tuple[str, str | None]:
    text = _text(value)
    if not text:
        return "scheduled", None
    known = words("type")
    for word in sorted(known, key=len, reverse=True):
        if text == word or text.startswith(word + " "):
            kind, rest = known[word], text[len(word):].strip()
            if kind == "card" and not ID.match(rest):
                raise _Unmapped("paper.import.no_deck", value=text)
            if kind != "card" and rest:
                break
            return kind, rest or None
    raise _Unmapped("paper.import.unknown_word", value=text, what="Event Type", known="、".join(known))


def _time(value: Any, mapping: Mapping) -> dict[str, Any] | None:
    """``T3 …`` is turn 3; an ISO date-time is ``at_time`` (one without a zone takes the mapping's)."""
    text = _text(value)
    if not text:
        return None
    turn = TURN.match(text)
    if turn and not isinstance(value, datetime):
        if int(turn.group(1)) < 1:
            raise _Unmapped("paper.import.bad_time", value=text)
        return {"at_turn": int(turn.group(1))}
    try:
        when = value if isinstance(value, datetime) else datetime.fromisoformat(text)
    except ValueError:
        raise _Unmapped("paper.import.bad_time", value=text) from None
    if when.tzinfo is not None:
        return {"at_time": text if isinstance(value, str) else when.isoformat()}
    if mapping.timezone is None:
        raise _Unmapped("paper.import.no_timezone", value=text)
    return {"at_time": when.isoformat() + mapping.timezone}


def _lookup(text: str, table: dict[str, Any], ids: set[str], what: str) -> Any:
    if text in table:
        return table[text]
    if text in ids:
        return text
    raise _Unmapped("paper.import.unmapped", value=text, what=what)


def _phase(value: Any, mapping: Mapping) -> str | None:
    text = _text(value)
    return _lookup(text, mapping.phases, set(mapping.phases.values()), "phases") if text else None


def _source(value: Any, mapping: Mapping) -> str | None:
    text = _text(value)
    if not text:
        return None
    return _lookup(text, mapping.from_, {v for v in mapping.from_.values() if v}, "from")


def _seat(value: Any, mapping: Mapping) -> dict[str, str]:
    text = _text(value)
    if text in mapping.to:
        return mapping.to[text].model_dump()
    county, _, role = text.partition(".")
    if any(seat.county == county and seat.role == role for seat in mapping.to.values()):
        return {"county": county, "role": role}
    raise _Unmapped("paper.import.unmapped", value=text, what="to")


def _mode(value: Any, mapping: Mapping) -> None:
    text = _text(value)
    if text and text not in words("mode"):
        raise _Unmapped("paper.import.unknown_word", value=text, what="Inject Mode", known="、".join(words("mode")))


def _data(value: Any, mapping: Mapping) -> dict[str, Any]:
    text = _text(value)
    if not text:
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise _Unmapped("paper.import.bad_data", detail=", ".join(DATA_KEYS)) from None
    if not isinstance(data, dict) or set(data) - set(DATA_KEYS):
        raise _Unmapped("paper.import.bad_data", detail=", ".join(DATA_KEYS))
    return data


def _expected(cells: dict[str, Any], mapping: Mapping, extra: Any, problem, problems: list) -> list[dict[str, Any]]:
    """The Expected Action, Capability and Deadline cells, one action a line, side by side."""
    actions = _lines(cells.get("expected"))
    capabilities = _lines(cells.get("capability"))
    deadlines = _lines(cells.get("deadline"))
    for key, values in (("capability", capabilities), ("deadline", deadlines)):
        if len(values) != len(actions):
            problems.append(problem(key, "paper.import.lines",
                                    lines=len(values), actions=len(actions)))
            return []
    if extra is not None and (not isinstance(extra, list) or len(extra) != len(actions)):
        # The office changed the actions: which arguments go with which is not for us to guess.
        problems.append(problem("data", "paper.import.data_lines", actions=len(actions),
                                listed=len(extra) if isinstance(extra, list) else 0))
        return []
    extra = extra or [{}] * len(actions)
    kinds = set(command_registry()) | {JUDGED}
    out = []
    for action, capability, deadline, more in zip(actions, capabilities, deadlines, extra, strict=True):
        try:
            kind = _lookup(action, mapping.actions, kinds | set(mapping.actions.values()), "actions")
            cap = _lookup(capability, mapping.capabilities, set(mapping.capabilities.values()), "capabilities")
        except _Unmapped as err:
            problems.append(problem("expected" if err.params["what"] == "actions" else "capability", err.key, **err.params))
            continue
        turns = NUMBER.search(deadline)
        if turns is None or int(turns.group(1)) < 1:
            problems.append(problem("deadline", "paper.import.bad_deadline", value=deadline))
            continue
        item: dict[str, Any] = {"judged_by": "evaluator"} if kind == JUDGED else {"kind": kind}
        if isinstance(more, dict) and more.get("task"):
            item["task"] = more["task"]
        if isinstance(more, dict) and more.get("args"):
            item["args"] = more["args"]
        item.update(within_turns=int(turns.group(1)), capability=cap)
        if isinstance(more, dict) and more.get("role"):
            item["role"] = more["role"]
        out.append(item)
    return out


def dump(injects: list[dict[str, Any]]) -> str:
    return yaml.safe_dump({"injects": injects}, allow_unicode=True, sort_keys=False, width=120)
