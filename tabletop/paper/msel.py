"""``msel export``: the scenario's injects and deck cards as an HSEEP MSEL spreadsheet (.xlsx or .csv).

One row per inject (a deck card is an inject with ``deck``), the columns of
:mod:`tabletop.paper.columns`. The .xlsx has column widths, a frozen header, wrapped text and
data-validation lists (phases, seats, Event Type, command kinds, capabilities) read from a
second sheet, ``Lists``. Beside the sheet goes ``<name>.mapping.yaml``: the words used for
ids, turned round, which ``msel import`` reads.
"""

from __future__ import annotations

from tabletop.core.clock import Clock

import csv
import io
from typing import Any, Literal

import yaml

from tabletop import files
from tabletop.paper.columns import COLUMNS, LISTS_SHEET, SHEET, control_label, deadline_text, mode_label, type_label
from tabletop.paper.names import Names


def rows(scenario: Any, lang: str) -> list[dict[str, str]]:
    names = Names(scenario, lang)
    return [_row(inject, scenario, names, lang) for inject in scenario.injects]


def _row(inject: Any, scenario: Any, names: Names, lang: str) -> dict[str, str]:
    kind = "card" if inject.deck else "triggered" if inject.trigger else "scheduled"
    lines = lambda values: "\n".join(values)  # noqa: E731
    return {
        "event": inject.id,
        "time": scenario_time(inject, scenario),
        "phase": names.phase(inject.phase) if inject.phase else "",
        "type": type_label(kind, lang) + (f" {inject.deck}" if inject.deck else ""),
        "mode": mode_label("message" if inject.source else "facilitator", lang),
        "from": names.place(inject.source) if inject.source else control_label(lang),
        "to": names.seat(inject.county, inject.role),
        "message_zh": inject.text.zh_TW,
        "message_en": inject.text.en,
        "expected": lines(names.command(e.kind) for e in inject.expected),
        "capability": lines(names.capability(e.capability) for e in inject.expected),
        "deadline": lines(deadline_text(e.within_turns, lang) for e in inject.expected),
        "notes": "",
        "title_zh": inject.title.zh_TW,
        "title_en": inject.title.en,
        "data": engine_data(inject),
    }


def scenario_time(inject: Any, scenario: Any) -> str:
    """``T3 2026-03-01 12:00`` for a turn (the turn first: that is what import reads), the ISO
    date-time as given for ``at_time``, empty for cards and contingencies."""
    if inject.at_time:
        return inject.at_time
    if inject.at_turn is None:
        return ""
    when = Clock.of(scenario).turn_start(inject.at_turn)
    return f"T{inject.at_turn} {when:%Y-%m-%d %H:%M}"


def engine_data(inject: Any) -> str:
    """What no HSEEP column holds, as one YAML flow mapping (empty when there is nothing)."""
    data: dict[str, Any] = {}
    if inject.trigger is not None:
        data["trigger"] = inject.trigger.model_dump(exclude_defaults=True)
    if inject.effects:
        data["effects"] = [effect.model_dump() for effect in inject.effects]
    extra = [{k: v for k, v in (("args", e.args), ("role", e.role), ("task", e.task)) if v} for e in inject.expected]
    if any(extra):
        data["expected"] = extra
    if not data:
        return ""
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000).strip()


def lists(scenario: Any, lang: str) -> dict[str, list[str]]:
    """The validation lists: what each listed column may hold."""
    mapping = Names(scenario, lang).mapping()
    return {"phase": list(mapping["phases"]), "to": list(mapping["to"]),
            "type": [type_label(k, lang) for k in ("scheduled", "triggered")]
            + [f"{type_label('card', lang)} {deck}" for deck in sorted({i.deck for i in scenario.injects if i.deck})],
            "mode": [mode_label(k, lang) for k in ("message", "facilitator")],
            "from": list(mapping["from"]), "expected": list(mapping["actions"]),
            "capability": list(mapping["capabilities"])}


def xlsx_bytes(scenario: Any, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):
        raise RuntimeError("a new openpyxl workbook has no worksheet")
    sheet.title = SHEET
    sheet.append([header for _, header, _ in COLUMNS])
    for row in rows(scenario, lang):
        sheet.append([row[key] for key, _, _ in COLUMNS])
    bold, fill, wrap = Font(bold=True), PatternFill("solid", fgColor="DDE7F2"), Alignment(wrap_text=True, vertical="top")
    for index, (_key, _, width) in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        sheet[f"{letter}1"].font, sheet[f"{letter}1"].fill = bold, fill
        for cell in sheet[letter][1:]:
            cell.alignment = wrap
            if cell.data_type == "f":  # a text that begins with "=" is text here, never a formula
                cell.data_type = "s"
    sheet.freeze_panes = "B2"  # the header row and the Event # column stay in view
    sheet.auto_filter.ref = sheet.dimensions
    listed = book.create_sheet(LISTS_SHEET)
    keys = [key for key, _, _ in COLUMNS]
    last = max(sheet.max_row, 2) + 500  # room for the office's own rows
    for number, (key, values) in enumerate(lists(scenario, lang).items(), 1):
        letter = get_column_letter(number)
        listed[f"{letter}1"] = dict((k, h) for k, h, _ in COLUMNS)[key]
        listed[f"{letter}1"].font = bold
        listed.column_dimensions[letter].width = 24
        for offset, value in enumerate(values, 2):
            listed[f"{letter}{offset}"] = value
        target = get_column_letter(keys.index(key) + 1)
        # Several expected actions share a cell (one a line): a word outside the list warns, never refuses.
        style: Literal["warning", "stop"] = "warning" if key in ("expected", "capability") else "stop"
        check = DataValidation(type="list", formula1=f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}",
                               allow_blank=True, errorStyle=style, showErrorMessage=True)
        check.add(f"{target}2:{target}{last}")
        sheet.add_data_validation(check)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(scenario: Any, lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for _, header, _ in COLUMNS])
    for row in rows(scenario, lang):
        writer.writerow([row[key] for key, _, _ in COLUMNS])
    return "\ufeff" + out.getvalue()  # the byte-order mark: Excel then reads the file as UTF-8


def mapping_path(out: str) -> str:
    stem = out.rsplit(".", 1)[0]
    return stem + ".mapping.yaml"


def export(scenario: Any, out: str, lang: str) -> list[str]:
    """Write the sheet (by ``out``'s extension) and its mapping file; returns both paths."""
    data: bytes | str = xlsx_bytes(scenario, lang) if out.lower().endswith(".xlsx") else csv_text(scenario, lang)
    mapping = yaml.safe_dump(Names(scenario, lang).mapping(), allow_unicode=True, sort_keys=False, width=10_000)
    return [files.write_atomic(out, data), files.write_atomic(mapping_path(out), mapping)]
