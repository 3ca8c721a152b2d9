"""Score tables and the report name counties, seats, capabilities and links from the scenario in the
log's header (花蓮縣 民政, not hualien.civil_affairs), keep the id beside the name, and leave the JSON
(ids as keys: the contract) as it was."""

from __future__ import annotations

import json
import re

import pytest
from sc_logkit import cli

from tabletop.runner import run
from tabletop.scoring import engine, logview, names, report, text
from tabletop.scoring.names import Named


@pytest.fixture(scope="module")
def log(tmp_path_factory, default_scenario, default_actions):
    path = str(tmp_path_factory.mktemp("names") / "prompt.jsonl")
    run(default_scenario, 1, default_actions, path)
    return path


@pytest.fixture(scope="module")
def written(log, tmp_path_factory):
    out = {}
    for lang in ("zh_TW", "en"):
        folder = tmp_path_factory.mktemp(f"report-{lang}")
        report.write(logview.load(log), str(folder), lang)
        out[lang] = {name: (folder / name).read_text(encoding="utf-8") for name in ("index.html", "report.md", "score.json")}
    return out


def _visible(page: str) -> str:
    """The page's text as a reader sees it: no tags, no attributes, no SVG tooltips."""
    page = re.sub(r"<title>.*?</title>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def test_cli_table_names_counties_and_seats_with_their_ids(log):
    done = cli("score", log)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "花蓮縣 民政 (hualien.civil_affairs)" in out
    assert "花蓮縣 民生物資（經濟） (hualien.supply)" in out
    assert re.search(r"花蓮縣 \(hualien\)\s+空襲警報傳遞 [PSMU]", out)
    assert "=P" not in out and "alert_warning=" not in out            # capability ids no longer stand for names
    assert "空襲警報傳遞 (alert_warning)" in out                        # the capability headings keep their id
    english = cli("score", log, "--lang", "en").stdout
    assert "Hualien County civil affairs (hualien.civil_affairs)" in english


def test_cli_json_keeps_ids_as_keys(log):
    doc = json.loads(cli("score", log, "--json").stdout)
    assert set(doc["counties"]) == {"hualien"}
    assert "hualien.civil_affairs" in doc["roles"]
    assert "alert_warning" in doc["capabilities"]
    assert doc == json.loads(text.dumps(engine.score(logview.load(log))))


def test_table_without_a_view_falls_back_to_ids(log):
    doc = engine.score(logview.load(log))
    table = text.table(doc, "zh_TW")                                   # no scenario: county ids, role names
    assert "hualien 民政 (hualien.civil_affairs)" in table and "  hualien  " in table


def test_report_tables_show_names_with_ids_in_grey(written):
    page = written["zh_TW"]["index.html"]
    assert '<span title="hualien.civil_affairs">花蓮縣 民政</span> <small class="id">hualien.civil_affairs</small>' in page
    assert '<span title="hualien">花蓮縣</span> <small class="id">hualien</small>' in page
    assert '<span title="alert_warning">空襲警報傳遞</span> <small class="id">alert_warning</small>' in page
    assert "small.id {" in page
    # Seen text: every seat is named; an id appears only as the grey note after its name.
    shown = _visible(page)
    for seat in ("hualien.civil_affairs", "hualien.supply", "hualien.commander"):
        assert shown.count(seat) == 1, seat
    english = written["en"]["index.html"]
    assert '<span title="hualien.civil_affairs">Hualien County civil affairs</span>' in english


def test_report_links_commands_and_articles_are_named(written):
    page = written["zh_TW"]["index.html"]
    shown = _visible(page)
    assert "花蓮縣 EOC ↔ 吉安鄉" in shown and "花蓮市第1配售站" in shown and "st_city" not in shown
    assert "eoc:hualien" not in shown and "township:" not in shown    # link ids only in tooltips
    assert "(eoc:hualien|township:jian)</title>" in page
    assert "對外發布→完成" in shown and "send_message" not in shown    # expected actions by command name
    assert "（傳送訊息）未於第" in shown                                 # a missed inject's action, by name
    assert "第 28 條" in shown and 'title="art.28"' in page


def test_markdown_keeps_the_id_after_the_name(written):
    md = written["zh_TW"]["report.md"]
    assert "| 花蓮縣 民政 `hualien.civil_affairs` |" in md
    assert "| 花蓮縣 `hualien` |" in md


def test_json_report_unchanged_by_languages(written):
    assert written["zh_TW"]["score.json"] == written["en"]["score.json"]


def test_names_helpers(log):
    view = logview.load(log)
    assert names.seat(view, "hualien.mobilization", "zh_TW") == "花蓮縣 動員"
    assert names.seat(view, "central", "en") == "central authorities"
    assert names.county(None, "hualien", "zh_TW") == "hualien"
    assert names.link(view, "central|eoc:hualien", "zh_TW") == "中央 ↔ 花蓮縣 EOC"
    assert names.node(view, "warehouse:wh_port", "en") == "Hualien Port storage centre (fictional)"
    assert names.node(view, "station:fa-jian-1", "zh_TW") == "吉安鄉第1急救站"  # a first-aid station
    assert names.node(view, "station:nowhere", "zh_TW") == "nowhere"
    assert names.basis("art.28.3", "zh_TW") == "第 28 條第 3 項"
    assert names.basis("art.31", "en") == "art 31"
    assert names.basis("ip.emergency", "en") == "ip.emergency"
    named = Named("花蓮縣", "hualien")
    assert named == "花蓮縣" and named.ident == "hualien" and named.shows_id
    assert not Named("x", "x").shows_id
