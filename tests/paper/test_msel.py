"""msel export / import: the office's spreadsheet, both ways, and every bad input located (exit 2)."""

import glob
import os
import zipfile

import pytest
import yaml
from openpyxl import load_workbook

from conftest import ROOT
from tabletop.cli import main
from tabletop.paper import columns
from tabletop.scenario.model import Inject
from tabletop.api import load_scenario_file

SHIPPED = sorted(glob.glob(os.path.join(ROOT, "scenarios", "**", "scenario.yaml"), recursive=True))
HUALIEN = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys, tmp_path, name="msel.xlsx", lang="zh_TW", scenario=HUALIEN):
    out = str(tmp_path / name)
    code, _, err = run(capsys, "msel", "export", scenario, "--out", out, "--lang", lang)
    assert code == 0, err
    return out, out.rsplit(".", 1)[0] + ".mapping.yaml"


def import_(capsys, tmp_path, sheet, mapping, lang="zh_TW"):
    out = tmp_path / "injects.yaml"
    code, stdout, err = run(capsys, "msel", "import", sheet, "--mapping", mapping, "--out", str(out), "--lang", lang)
    return code, err, out


@pytest.mark.parametrize("scenario", SHIPPED)
@pytest.mark.parametrize("name,lang", [("msel.xlsx", "zh_TW"), ("msel.csv", "en")])
def test_export_then_import_gives_back_the_same_injects(capsys, tmp_path, scenario, name, lang):
    sheet, mapping = export(capsys, tmp_path, name, lang, scenario)
    code, err, out = import_(capsys, tmp_path, sheet, mapping)
    assert code == 0, err
    back = [Inject.model_validate(item).model_dump() for item in yaml.safe_load(out.read_text(encoding="utf-8"))["injects"]]
    original = [inject.model_dump() for inject in load_scenario_file(scenario).scenario.injects]
    assert back == original
    assert any(item["deck"] for item in original) and any(item["effects"] for item in original)


def test_a_text_that_looks_like_a_formula_stays_text(capsys, tmp_path):
    from conftest import FIXTURES

    text = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    scenario = tmp_path / "formula.yaml"
    scenario.write_text(text.replace("title: {zh_TW: 標題, en: Title}", 'title: {zh_TW: "=1+1", en: "=HYPERLINK(1)"}'),
                        encoding="utf-8")
    sheet, mapping = export(capsys, tmp_path, scenario=str(scenario))
    cell = load_workbook(sheet)[columns.SHEET]["N2"]
    assert cell.value == "=1+1" and cell.data_type == "s"
    code, err, out = import_(capsys, tmp_path, sheet, mapping)
    assert code == 0, err
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["injects"][0]["title"] == {"zh_TW": "=1+1", "en": "=HYPERLINK(1)"}


def test_the_workbook_is_laid_out_for_excel(capsys, tmp_path):
    sheet, _ = export(capsys, tmp_path)
    book = load_workbook(sheet)
    ws = book[columns.SHEET]
    assert [c.value for c in ws[1]][:13] == ["Event #", "Scenario Time", "Phase", "Event Type", "Inject Mode", "From",
                                             "To", "Message zh_TW", "Message en", "Expected Action", "Capability",
                                             "Deadline", "Notes"]
    scenario = load_scenario_file(HUALIEN).scenario
    assert ws.max_row == 1 + len(scenario.injects)
    assert ws.freeze_panes == "B2" and ws.column_dimensions["H"].width == 48 and ws["A1"].font.bold
    ranges = {str(v.sqref).split(":")[0][:1]: v for v in ws.data_validations.dataValidation}
    assert {"C", "D", "E", "F", "G", "J", "K"} <= set(ranges)  # phase, type, mode, from, to, command kinds, capabilities
    lists = book[columns.LISTS_SHEET]
    phase_list = ranges["C"].formula1.split("!")[1].replace("$", "")
    assert [row[0].value for row in lists[phase_list]] == ["聯合封鎖", "火力打擊", "全面作戰"]
    assert ranges["G"].type == "list" and ranges["G"].errorStyle == "stop"


def _edit(sheet, cell, value):
    book = load_workbook(sheet)
    book[columns.SHEET][cell] = value
    book.save(sheet)


def test_unmappable_cells_are_reported_as_file_sheet_cell_and_nothing_is_written(capsys, tmp_path):
    sheet, mapping = export(capsys, tmp_path)
    _edit(sheet, "G3", "花蓮縣 不存在的席位")
    _edit(sheet, "J7", "傳送訊息\n泡茶")
    code, err, out = import_(capsys, tmp_path, sheet, mapping)
    assert code == 2 and not out.exists()
    assert f"{sheet}:MSEL!G3: 「花蓮縣 不存在的席位」不在對照檔的 to 中" in err
    assert f"{sheet}:MSEL!J7: 「泡茶」不在對照檔的 actions 中" in err
    code, err, _ = import_(capsys, tmp_path, sheet, mapping, lang="en")
    assert code == 2 and f"{sheet}:MSEL!G3: '花蓮縣 不存在的席位' is not in the mapping's to" in err
    assert "Traceback" not in err


def test_line_counts_times_and_ids_are_checked_not_guessed(capsys, tmp_path):
    sheet, mapping = export(capsys, tmp_path)
    _edit(sheet, "K3", "物資供應鏈")           # B02 has two expected actions, one capability line
    _edit(sheet, "B4", "2026-07-14 14:00")    # a time with no zone, and the mapping's timezone removed below
    _edit(sheet, "A5", "5 號")
    _edit(sheet, "J6", "傳送訊息")                # B05 had two actions, their arguments in Engine Data
    _edit(sheet, "K6", "物力人力動員徵用")
    _edit(sheet, "L6", "2 輪內")
    rules = yaml.safe_load(open(mapping, encoding="utf-8"))
    del rules["timezone"]
    with open(mapping, "w", encoding="utf-8") as handle:
        yaml.safe_dump(rules, handle, allow_unicode=True)
    code, err, _ = import_(capsys, tmp_path, sheet, mapping, lang="en")
    assert code == 2
    assert f"{sheet}:MSEL!K3: this cell has 1 line(s) but Expected Action has 2" in err
    assert f"{sheet}:MSEL!B4: the time '2026-07-14 14:00' has no time zone" in err
    assert f"{sheet}:MSEL!A5: Event # '5 號' is not a valid id" in err
    assert f"{sheet}:MSEL!P6: Expected Action has 1 line(s) but Engine Data's expected lists 2" in err


def test_wrong_columns_are_located_at_the_header(capsys, tmp_path):
    _, mapping = export(capsys, tmp_path)
    bad = tmp_path / "office.csv"
    bad.write_text("編號,時間,內容\nX1,T1,hello\n", encoding="utf-8")
    code, err, _ = import_(capsys, tmp_path, str(bad), mapping, lang="en")
    assert code == 2 and err.startswith(f"{bad}:office!A1: the header has no column 'Event #' (columns: 編號, 時間, 內容)")


@pytest.mark.slow
def test_corrupt_foreign_and_huge_files_exit_2_with_a_message(capsys, tmp_path):
    _, mapping = export(capsys, tmp_path)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(os.urandom(2000))
    zipped = tmp_path / "notabook.xlsx"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as handle:
        handle.truncate(columns.MAX_BYTES + 1)  # sparse: no disk written
    many = tmp_path / "many.csv"
    many.write_text("Event #\n" + "X\n" * (columns.MAX_ROWS + 2), encoding="utf-8")
    bomb = tmp_path / "bomb.xlsx"  # a few hundred kB that would inflate past 200 MB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/sharedStrings.xml", "w") as big:
        for _ in range(201):
            big.write(bytes(1024 * 1024))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    expected = {junk: "not a readable Excel workbook", zipped: "not a readable Excel workbook",
                huge: "larger than the limit of 50 MB", many: "more rows than the limit of 20000",
                binary: "not UTF-8 text", bomb: "unpacks to more than the limit of 200 MB"}
    for path, message in expected.items():
        code, err, _ = import_(capsys, tmp_path, str(path), mapping, lang="en")
        assert code == 2 and err.startswith(f"{path}: ") and message in err, err
    code, err, _ = import_(capsys, tmp_path, str(junk), mapping)
    assert code == 2 and "不是可讀取的 Excel 活頁簿" in err


def test_a_bad_mapping_file_is_located_at_line_and_column(capsys, tmp_path):
    sheet, _ = export(capsys, tmp_path)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("phases:\n  聯合封鎖: blockade\nto: [oops\n", encoding="utf-8")
    code, err, _ = import_(capsys, tmp_path, sheet, str(mapping))
    assert code == 2 and err.startswith(f"{mapping}:3:5: YAML 語法"), err  # where the [ opens, not the end of the file
    mapping.write_text("sheet: MSEL\ncolour: blue\n", encoding="utf-8")
    code, err, _ = import_(capsys, tmp_path, sheet, str(mapping))
    assert code == 2 and f"{mapping}:2:1: 沒有「colour」這個欄位；是不是要寫「columns」？" in err


def test_export_refuses_another_kind_of_file(capsys, tmp_path):
    code, _, err = run(capsys, "msel", "export", HUALIEN, "--out", str(tmp_path / "msel.ods"), "--lang", "en")
    assert code == 2 and "must be a .xlsx or .csv" in err


@pytest.mark.slow
def test_the_national_scenario_round_trips_too(capsys, tmp_path):
    """22 counties, where township names repeat (中正區, 東區 ...): such a name carries its id in the sheet."""
    from tabletop.scenario import national

    scenario_path, _ = national.write(str(tmp_path / "national"), injects_per_county=2)
    sheet, mapping = export(capsys, tmp_path, "national.csv", scenario=scenario_path)
    code, err, out = import_(capsys, tmp_path, sheet, mapping)
    assert code == 0, err
    back = [Inject.model_validate(item).model_dump() for item in yaml.safe_load(out.read_text(encoding="utf-8"))["injects"]]
    assert back == [inject.model_dump() for inject in load_scenario_file(scenario_path).scenario.injects]
    places = yaml.safe_load(open(mapping, encoding="utf-8"))["from"]
    assert len(set(places.values())) == len(places)  # one name, one place
