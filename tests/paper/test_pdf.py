"""cards and report --pdf, printed by Chromium and checked by looking: pages, text, fonts, ink."""

import math
import os
import re

import pytest

from conftest import ROOT
from pdfcheck import HAVE_TOOLS, WHY, fonts, info, ink, lines, page_text, pages, squeezed
from tabletop.cli import main
from tabletop.api import load_scenario_file

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAVE_TOOLS, reason=WHY)]
HUALIEN = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario_file(HUALIEN).scenario


@pytest.fixture(scope="module")
def evaluator_cards(tmp_path_factory):
    out = tmp_path_factory.mktemp("cards") / "cards.pdf"
    assert main(["cards", HUALIEN, "--out", str(out), "--evaluator", "--lang", "both"]) == 0
    return out


def _groups(scenario):
    return len({i.phase for i in scenario.injects})


def test_cards_four_to_a_page_then_one_handout_per_phase(evaluator_cards, scenario):
    assert "A4" in info(evaluator_cards)["Page size"]
    cards = math.ceil(len(scenario.injects) / 4)
    assert pages(evaluator_cards) == cards + _groups(scenario)
    text = "".join(squeezed(page_text(evaluator_cards, n)) for n in range(1, cards + 1))
    for inject in scenario.injects:  # each card's title, both languages, and its id
        assert squeezed(inject.title.zh_TW) in text and squeezed(inject.title.en) in text and inject.id in text
    assert squeezed("預期行動（評估用）") in text
    for number, phase in enumerate(scenario.phases, cards + 1):  # the handouts follow, in phase order
        handout = squeezed(page_text(evaluator_cards, number))
        assert squeezed("主要事件清單（MSEL）：" + phase.name.zh_TW) in handout
        assert all(i.id in handout for i in scenario.injects if i.phase == phase.id)


def test_no_page_is_blank_and_fonts_are_embedded(evaluator_cards, tmp_path):
    shares = ink(evaluator_cards, tmp_path)
    assert len(shares) == pages(evaluator_cards)
    assert min(shares) > 0.003, shares
    rows = fonts(evaluator_cards)
    assert rows and all("yes" in row[-5:-2][0] for row in rows)  # emb column


def test_a_deck_alone_as_the_players_copy_on_a6(tmp_path, scenario):
    out = tmp_path / "deck.pdf"
    assert main(["cards", HUALIEN, "--out", str(out), "--deck", "evaluator", "--a6"]) == 0
    deck = [i for i in scenario.injects if i.deck == "evaluator"]
    assert pages(out) == len(deck)
    assert re.match(r"\s*29[78](\.\d+)? x 4(19|20)", info(out)["Page size"])  # A6: 105 x 148 mm
    for number, inject in enumerate(deck, 1):
        text = squeezed(page_text(out, number))
        assert squeezed(inject.title.zh_TW) in text and inject.title.en not in page_text(out, number)
        assert "預期行動" not in text  # the players' copy never shows what evaluators expect


@pytest.mark.slow
def test_a6_cards_with_their_handouts_beside_on_a4(tmp_path, scenario):
    out = tmp_path / "cards.pdf"
    assert main(["cards", HUALIEN, "--out", str(out), "--a6", "--lang", "en"]) == 0
    assert pages(out) == len(scenario.injects) and info(out)["Page size"].split()[:3] == ["298.08", "x", "420"]
    handouts = tmp_path / "cards-msel.pdf"
    assert pages(handouts) == _groups(scenario) and "A4" in info(handouts)["Page size"]
    assert "MSEL: Joint Blockade" in page_text(handouts, 1)


def test_a_long_card_is_shrunk_to_fit_and_one_too_long_is_named(tmp_path, capsys):
    from conftest import FIXTURES

    text = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    long = "各鄉鎮市公所回報物資需求與道路狀況，" * 30 + "請於下一回合彙整回報。"  # more than a card holds at 9.5 pt
    endless = "這是一段過長的狀況內容。" * 400
    assert "text: {zh_TW: 內容, en: Text}" in text
    extra = ("\n  - id: i2\n    at_turn: 2\n    county: c1\n    role: commander\n"
             f"    title: {{zh_TW: 過長, en: Too long}}\n    text: {{zh_TW: {endless}, en: Text}}\n")
    path = tmp_path / "long.yaml"
    assert text.rstrip().endswith("text: {zh_TW: 內容, en: Text}")  # injects come last: i2 can follow
    path.write_text(text.replace("text: {zh_TW: 內容, en: Text}", f"text: {{zh_TW: {long}, en: Text}}", 1) + extra,
                    encoding="utf-8")
    out = tmp_path / "long.pdf"
    assert main(["cards", str(path), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{out}：警告：i2 的文字過長" in err and "i1" not in err
    assert squeezed("請於下一回合彙整回報。") in squeezed(page_text(out, 1))  # the whole long text, shrunk


def test_an_unknown_deck_and_a_missing_browser_exit_2(capsys, tmp_path, monkeypatch):
    assert main(["cards", HUALIEN, "--out", str(tmp_path / "x.pdf"), "--deck", "nope", "--lang", "en"]) == 2
    assert "no deck 'nope' (decks: evaluator)" in capsys.readouterr().err
    from tabletop.paper import pdf

    monkeypatch.setattr(pdf, "CHROMIUM", str(tmp_path / "no-chromium"))
    assert main(["cards", HUALIEN, "--out", str(tmp_path / "x.pdf")]) == 2
    assert "找不到 Chromium" in capsys.readouterr().err and not (tmp_path / "x.pdf").exists()


@pytest.mark.slow
def test_the_report_pdf_keeps_headings_with_charts_and_stamps_every_page(played, tmp_path):
    log = played(seed=7)
    out = tmp_path / "report"
    assert main(["report", log, "--out", str(out), "--pdf"]) == 0
    pdf = out / "report.pdf"
    html = (out / "index.html").read_text(encoding="utf-8")
    seal = re.search(r'<code class="seal">([0-9a-f]{64})</code>', html).group(1)
    headings = {squeezed(h) for h in re.findall(r"<h2[^>]*>([^<]+)</h2>", html)}
    count = pages(pdf)
    assert 3 <= count <= 20
    found = set()
    for number in range(1, count + 1):
        text = squeezed(page_text(pdf, number))
        # The stamp on every page (page 1 has it twice: the first page's stamp and the footer).
        assert text.count(seal) >= (2 if number == 1 else 1) and "紀錄檔完整性：已驗證" in text
        assert f"{number}/{count}" in text
        height, rows = lines(pdf, number)
        body_end = height - 18 / 25.4 * 72  # the bottom margin holds the footer
        for row, top, bottom in rows:
            if row in headings:
                found.add(row)
                below = [r for r, t, b in rows if t > bottom and b < body_end]
                assert below, f"page {number}: the heading {row} is left alone at the foot of the page"
    assert found == headings
    assert min(ink(pdf, tmp_path)) > 0.003


@pytest.mark.slow
def test_a_tampered_logs_pdf_says_so_on_every_page(played, tmp_path):
    import json

    lines = open(played(seed=3, turns=4), "rb").read().split(b"\n")
    record = json.loads(lines[60])
    record["data"] = dict(record["data"], forged=True)  # a hand edit: the hash no longer matches
    lines[60] = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\n".join(lines))
    out = tmp_path / "report"
    assert main(["report", str(bad), "--out", str(out), "--pdf"]) == 1 and not out.exists()
    assert main(["report", str(bad), "--out", str(out), "--pdf", "--allow-tampered", "--lang", "en"]) == 0
    pdf = out / "report.pdf"
    for number in range(1, pages(pdf) + 1):
        assert "Log integrity: tampered or damaged (chain broken at seq 60)" in page_text(pdf, number)


def test_long_tables_repeat_their_header_on_every_page(tmp_path):
    from tabletop.paper import pdf, report_pdf
    from tabletop.scoring import report

    blocks = [report.Block("h1", "長表"), report.Block("table", headers=["欄位甲", "欄位乙"],
                                                       rows=[[f"列 {n}", "內容"] for n in range(160)])]
    out = tmp_path / "t.pdf"
    assert pdf.print_html(report_pdf.printable(report.html(blocks, "zh_TW", "長表")), str(out)) == []
    count = pages(out)
    assert count >= 3
    for number in range(1, count + 1):
        assert "欄位甲" in page_text(out, number)
