"""Reading a spreadsheet (.xlsx or .csv) into rows of plain values, refusing what is not one.

A broken, foreign or oversized file gives a :class:`SheetProblem` (``FILE: message``, in the
user's language), never an exception from the reader's depths.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from typing import Any

from tabletop import files, i18n
from tabletop.paper.columns import MAX_BYTES, MAX_ROWS, SHEET

MAX_COLUMNS = 64
#: The most a workbook may unpack to: a small .xlsx that inflates beyond it (a zip bomb) is refused unopened.
MAX_UNPACKED = 200 * 1024 * 1024


@dataclass
class SheetProblem(Exception):
    file: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    where: str = ""  # SHEET!CELL, when it is one cell

    def text(self, lang: str) -> str:
        place = f"{self.file}:{self.where}" if self.where else self.file
        return f"{place}: {i18n.t(self.key, lang, **self.params)}"


@dataclass
class Table:
    file: str
    sheet: str
    rows: list[list[Any]]


def read(path: str, sheet: str | None = None) -> Table:
    try:
        size = os.path.getsize(path)
    except OSError as err:
        raise SheetProblem(path, "paper.import.cannot_read", {"reason": files.os_reason(err)}) from None
    if size > MAX_BYTES:
        raise SheetProblem(path, "paper.import.too_big", {"limit": f"{MAX_BYTES // (1024 * 1024)} MB"})
    kind = path.lower().rsplit(".", 1)[-1]
    if kind in ("xlsx", "xlsm"):
        return _xlsx(path, sheet)
    if kind == "csv":
        return _csv(path)
    raise SheetProblem(path, "paper.import.unknown_kind", {"kind": kind})


def _unpacked(path: str) -> int:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise SheetProblem(path, "paper.import.not_xlsx", {"detail": type(err).__name__}) from None


def _xlsx(path: str, wanted: str | None) -> Table:
    from openpyxl import load_workbook

    if _unpacked(path) > MAX_UNPACKED:
        raise SheetProblem(path, "paper.import.too_big_unpacked", {"limit": f"{MAX_UNPACKED // (1024 * 1024)} MB"})
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001  (a zip that is no workbook fails in many ways: all are bad input)
        raise SheetProblem(path, "paper.import.not_xlsx", {"detail": type(err).__name__}) from None
    try:
        names = book.sheetnames
        name = wanted or (SHEET if SHEET in names else names[0])
        if name not in names:
            raise SheetProblem(path, "paper.import.no_sheet", {"sheet": name, "sheets": "、".join(names)})
        rows = []
        for row in book[name].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                raise SheetProblem(path, "paper.import.too_many_rows", {"limit": MAX_ROWS})
        return Table(path, name, rows)
    except SheetProblem:
        raise
    except Exception as err:  # noqa: BLE001  (a damaged sheet inside a sound zip)
        raise SheetProblem(path, "paper.import.not_xlsx", {"detail": type(err).__name__}) from None
    finally:
        book.close()


def _csv(path: str) -> Table:
    try:
        text = files.read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetProblem(path, "paper.import.not_utf8") from None
    except OSError as err:
        raise SheetProblem(path, "paper.import.cannot_read", {"reason": files.os_reason(err)}) from None
    if "\x00" in text:
        raise SheetProblem(path, "paper.import.not_csv")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + 1:
                raise SheetProblem(path, "paper.import.too_many_rows", {"limit": MAX_ROWS})
    except csv.Error as err:
        raise SheetProblem(path, "paper.import.bad_csv", {"detail": str(err)}) from None
    # Excel names the one sheet of an opened CSV after the file: cells are located the same way.
    return Table(path, os.path.splitext(os.path.basename(path))[0], rows)
