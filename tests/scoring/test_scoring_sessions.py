"""Real runs of the default scenario: prompt play beats idle play; output is deterministic; the CLI contract."""

from __future__ import annotations

import json
import os
import re

import pytest
from sc_logkit import cli

from tabletop.runner import run
from tabletop.scoring import engine, logview, report


@pytest.fixture(scope="module")
def logs(tmp_path_factory, default_scenario, default_actions):
    folder = tmp_path_factory.mktemp("scoring")
    prompt, idle = str(folder / "prompt.jsonl"), str(folder / "idle.jsonl")
    run(default_scenario, 1, default_actions, prompt)
    run(default_scenario, 1, [], idle)
    return {"prompt": prompt, "idle": idle, "folder": folder}


def test_prompt_play_scores_higher_on_every_capability_it_touches(logs):
    prompt = engine.score(logview.load(logs["prompt"]))
    idle = engine.score(logview.load(logs["idle"]))
    touched = [name for name, cap in prompt["capabilities"].items() if cap["rating"] is not None]
    assert len(touched) >= 5
    for name in touched:
        assert idle["capabilities"][name]["score"] is not None, name
        assert prompt["capabilities"][name]["score"] > idle["capabilities"][name]["score"], name
    assert prompt["overall"]["score"] > idle["overall"]["score"]
    assert prompt["overall"]["rating"] in ("P", "S") and idle["overall"]["rating"] == "U"


def test_score_document_shape(logs):
    doc = engine.score(logview.load(logs["prompt"]))
    assert {"overall", "capabilities", "counties", "roles", "injects"} <= set(doc)
    for cap in doc["capabilities"].values():
        assert {"rating", "score", "metrics"} <= set(cap)
    assert set(doc["counties"]) == {"hualien"}
    assert "hualien.commander" in doc["roles"]
    assert doc["injects"]["B01"]["acknowledged_after_min"] == 0
    # The scripted playthrough misses W02's action on purpose (the report goes to the commander).
    assert doc["injects"]["W02"]["expected"][0]["status"] == "missed"


def test_same_log_gives_byte_identical_outputs(logs, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    report.write(logview.load(logs["prompt"]), str(first), "zh_TW")
    report.write(logview.load(logs["prompt"]), str(second), "zh_TW")
    for name in ("score.json", "index.html", "report.md"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_report_is_self_contained_and_has_every_section(logs, tmp_path):
    report.write(logview.load(logs["prompt"]), str(tmp_path), "zh_TW")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<link" not in page and " src=" not in page
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"] * page.count("<svg")
    assert "Noto Sans CJK TC" in page
    for heading in ("演習概述", "狀況與處置時間軸", "配售站人口涵蓋率", "物資存量", "通信鏈路狀態", "核心能力評等",
                    "優點", "待改進事項", "補償帳冊", "改善計畫"):
        assert heading in page, heading
    assert page.count("<svg") >= 1
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## 十一、改善計畫" in markdown and "| 核心能力 | 待改進事項 | 矯正措施 | 負責單位 | 完成期限 |" in markdown


def test_cli_score_report_compare(logs, tmp_path):
    done = cli("score", logs["prompt"], "--json", "--verify")  # report verifies: the same integrity
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert {"overall", "capabilities", "counties", "roles", "injects"} <= set(doc)
    table = cli("score", logs["idle"], "--lang", "en")
    assert table.returncode == 0 and "Overall" in table.stdout
    out = tmp_path / "rep"
    done = cli("report", logs["prompt"], "--out", str(out), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(out)) == ["index.html", "report.md", "score.json"]
    assert "After-Action Report" in (out / "index.html").read_text(encoding="utf-8")
    assert json.loads((out / "score.json").read_text(encoding="utf-8")) == doc
    done = cli("compare", logs["idle"], logs["prompt"], "--json", "--out", str(tmp_path / "cmp"))
    assert done.returncode == 0, done.stderr
    comparison = json.loads(done.stdout)
    assert comparison["overall"]["delta_score"] > 0
    assert (tmp_path / "cmp" / "compare.md").exists()


def test_cli_bad_input_exits_2(tmp_path):
    assert cli("score", str(tmp_path / "missing.jsonl")).returncode == 2
    junk = tmp_path / "junk.jsonl"
    junk.write_text("not json\n", encoding="utf-8")
    done = cli("score", str(junk))
    assert done.returncode == 2 and "junk.jsonl" in done.stderr
    headerless = tmp_path / "headerless.jsonl"
    headerless.write_text('{"seq": 0, "type": "event"}\n', encoding="utf-8")
    assert cli("report", str(headerless), "--out", str(tmp_path / "x")).returncode == 2


def test_incomplete_log_censors_instead_of_failing(default_scenario, default_actions, tmp_path):
    path = str(tmp_path / "half.jsonl")
    run(default_scenario, 1, default_actions, path, turns=6)
    doc = engine.score(logview.load(path))
    assert doc["log"]["complete"] is False
    # W-phase injects were never delivered; nothing counts them as failures.
    assert "W01" not in doc["injects"]
    assert doc["overall"]["score"] is not None
