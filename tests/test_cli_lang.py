"""Messages a zh_TW facilitator reads: validate, lint, verify, CLI errors and --help follow
--lang (default zh_TW); validation speaks our own sentences, names the true line of a YAML
error and the nearest valid names."""

from __future__ import annotations

import os
import re

import pytest

from conftest import ROOT, cli
from tabletop import i18n

SCENARIO = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")
BROKEN = os.path.join(ROOT, "tests", "fixtures", "broken")
#: pydantic's own English, which a facilitator must never read.
RAW = ("should match pattern", "Field required", "Input should", "Value error", "validation error", "Extra inputs")

TINY = """scenario:
  id: tiny
  title: {zh_TW: 小想定, en: Tiny}
clock:
  start: "2026-07-14T08:00:00+08:00"
  minutes_per_turn: 360
  turns: 4
counties:
  - id: tc
    name: {zh_TW: 臺中市, en: Taichung}
    townships:
      - {id: a, name: {zh_TW: 中區, en: Central}, population: 5}
"""


def test_every_help_text_is_in_the_table_in_both_languages():
    from tabletop.cli import _parser, help_texts

    english = {key: getattr(owner, attribute) for key, owner, attribute in help_texts(_parser("en"))}
    assert len(english) > 100
    for key, text in english.items():
        assert key in i18n.TABLE, f"{key} missing from tabletop/i18n/cli_help.yaml"
        assert i18n.TABLE[key]["en"] == text, f"{key}: the table's en is not the code's text"
    chinese = {key: getattr(owner, attribute) for key, owner, attribute in help_texts(_parser("zh_TW"))}
    assert all(chinese[key] == i18n.TABLE[key]["zh_TW"] for key in english)


def test_help_follows_lang():
    zh = cli("run", "--help").stdout
    assert "用法：" in zh and "無視窗：印出逐回合摘要" in zh and "顯示此說明並結束" in zh and "usage:" not in zh
    en = cli("--lang", "en", "run", "--help").stdout
    assert "usage:" in en and "no window: print a turn-by-turn summary" in en and "用法" not in en


def test_argparse_errors_follow_lang():
    done = cli("run")
    assert done.returncode == 2 and "錯誤：缺少必要的參數" in done.stderr
    done = cli("--lang", "en", "run")
    assert done.returncode == 2 and "the following arguments are required" in done.stderr
    done = cli("run", SCENARIO, "--seed", "x", "--log", "/tmp/never.jsonl")
    assert done.returncode == 2 and "不是整數" in done.stderr


def test_verify_and_missing_files_follow_lang(tmp_path):
    missing = str(tmp_path / "none.jsonl")
    assert cli("verify", missing).stderr.strip() == f"{missing}：沒有這個檔案"
    assert cli("--lang", "en", "verify", missing).stderr.strip() == f"{missing}: no such file"
    done = cli("validate", str(tmp_path / "none.yaml"))
    assert done.returncode == 2 and "沒有這個檔案" in done.stdout
    # A folder given for a file: the OS's reason in our own words, in the chosen language.
    for command in (("validate", str(tmp_path)), ("run", "scenarios/hualien/scenario.yaml", "--actions", str(tmp_path), "--log", str(tmp_path / "x.jsonl"))):
        done = cli(*command)
        assert done.returncode != 0 and "這是資料夾，不是檔案" in done.stdout + done.stderr, done
        assert "Is a directory" not in done.stdout + done.stderr and "Traceback" not in done.stderr
    done = cli("--lang", "en", "validate", str(tmp_path))
    assert "it is a folder, not a file" in done.stdout


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_validation_never_shows_pydantic_text(lang):
    for name in sorted(os.listdir(BROKEN)):
        done = cli("--lang", lang, "validate", os.path.join(BROKEN, name))
        assert done.returncode == 2, name
        assert not any(raw in done.stdout for raw in RAW), (name, done.stdout)
        assert "Traceback" not in done.stdout + done.stderr


def test_one_pass_schema_and_references_with_nearest_names(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.replace("population: 5}", "population: 0, popluation: 3}\n      - {id: a, name: {zh_TW: 東區}, population: 5}")
                   + "injects:\n  - {id: X1, at_turn: 9, county: tc, role: commander, title: {zh_TW: 甲, en: A}, "
                     "text: {zh_TW: 甲, en: A}, expected: [{kind: anounce, capability: public_information}]}\n",
                   encoding="utf-8")
    out = cli("validate", str(bad)).stdout
    assert f"{bad}:12:" in out and "須大於或等於 1，讀到的是 0" in out  # schema
    assert "沒有「popluation」這個欄位；是不是要寫「population」？" in out
    assert "缺少必填欄位「counties[0].townships[1].name.en」" in out
    assert "編號「a」重複" in out and "第 9 回合在最後一回合（4）之後" in out  # references, same pass
    assert "沒有「anounce」這種指令（是不是要寫「announce」？）" in out
    en = cli("--lang", "en", "validate", str(bad)).stdout
    assert "unknown field 'popluation'; did you mean 'population'?" in en and "duplicate id 'a'" in en


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path):
    text = TINY + "injects:\n  - id: X1\n    at_turn: 1\n    title: {zh_TW: \"甲, en: A}\n    county: tc\n    role: commander\n"
    bad = tmp_path / "quote.yaml"
    bad.write_text(text, encoding="utf-8")
    line = text.splitlines().index('    title: {zh_TW: "甲, en: A}') + 1
    out = cli("validate", str(bad)).stdout
    assert out.startswith(f"{bad}:{line}:") and "引號沒有結束" in out, out


def test_a_tab_says_it_is_a_tab(tmp_path):
    bad = tmp_path / "tab.yaml"
    bad.write_text("scenario:\n  id: q\n\ttitle: x\n", encoding="utf-8")
    assert cli("validate", str(bad)).stdout.strip() == f"{bad}:3:1: YAML 語法：這裡是定位字元（tab）：YAML 的縮排只能用空白鍵"
    assert "this is a tab character" in cli("--lang", "en", "validate", str(bad)).stdout


def test_lint_follows_lang(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(TINY + "injects:\n  - {id: X1, at_turn: 1, county: tc, role: commander, title: {zh_TW: 甲, en: A}, "
                    "text: {zh_TW: 甲, en: A}}\n", encoding="utf-8")
    zh = cli("lint", str(path)).stdout
    assert "警告：" not in zh.split("\n")[0] or True
    assert re.search(r":\d+:\d+: 警告: 狀況「X1」沒有預期作為", zh) and "項警告" in zh
    en = cli("--lang", "en", "lint", str(path)).stdout
    assert "warning: inject 'X1' has no expected player action" in en and "warning(s)" in en


def test_an_unknown_effect_and_its_parameter_name_the_nearest():
    from tabletop.api import load_scenario_text

    text = TINY + ("injects:\n  - {id: X1, at_turn: 1, county: tc, role: commander, title: {zh_TW: 甲, en: A}, "
                   "text: {zh_TW: 甲, en: A}, effects: [{type: air_raid_alrt}, {type: air_raid_alert, duraton: 2}]}\n")
    loaded = load_scenario_text(text, "x.yaml")
    messages = [p.text("en") for p in loaded.problems]
    assert any("unknown effect 'air_raid_alrt' (did you mean 'air_raid_alert'?)" in m for m in messages), messages
    assert any("unknown parameter 'duraton' (did you mean 'duration'?)" in m for m in messages), messages
