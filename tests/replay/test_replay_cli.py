"""The ``replay`` subcommand's contract: help, exit codes, notes, the report with notes, screenshots, forks."""

import json
import os

import pytest
from replay_helpers import ACTIONS, SCENARIO, play_live

from conftest import cli
from tabletop.scenario.actions import load_actions
from tabletop.api import load_scenario_file


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    loaded = load_scenario_file(SCENARIO)
    actions, _ = load_actions(ACTIONS)
    folder = tmp_path_factory.mktemp("cli")
    return play_live(loaded, actions, 7, str(folder / "session.jsonl"), turns=5).log


def test_help_and_bad_input(log, tmp_path):
    result = cli("replay", "--help")
    assert result.returncode == 0 and "--dump-state" in result.stdout and "turn:N" in result.stdout
    assert cli("replay", str(tmp_path / "missing.jsonl")).returncode == 2
    assert cli("replay", log, "--at", "turn:99", "--dump-state", str(tmp_path / "x.json")).returncode == 2
    assert cli("replay", log, "--at", "abc", "--dump-state", str(tmp_path / "x.json")).returncode == 2
    assert cli("replay", log, "--at", "999999", "--dump-state", str(tmp_path / "x.json")).returncode == 2
    assert cli("replay", log, "--at", "5", "--screenshot", str(tmp_path / "x.png"), "--view", "eoc:nowhere").returncode == 2
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert cli("replay", str(empty)).returncode == 2


def test_check_summary_and_screenshot(log, tmp_path):
    result = cli("--lang", "en", "replay", log, "--check")
    assert result.returncode == 0 and "log intact" in result.stdout
    result = cli("replay", log)  # no display in tests: a summary
    assert result.returncode == 0 and "索引" in result.stdout and "--dump-state" in result.stdout
    out = tmp_path / "shot.png"
    result = cli("replay", log, "--at", "turn:2", "--screenshot", str(out), "--view", "eoc:hualien", "--filter", "role=supply")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_notes_and_report_with_notes(log, tmp_path):
    assert cli("replay", log, "--at", "40", "--bookmark").returncode == 0
    assert cli("replay", log, "--at", "turn:3", "--note", "第三回合末通信中斷", "--author", "評估員乙").returncode == 0
    result = cli("replay", log, "--notes")
    assert result.returncode == 0 and "第三回合末通信中斷" in result.stdout and "評估員乙" in result.stdout
    data = json.loads(open(log + ".notes.json", encoding="utf-8").read())
    assert [n["seq"] for n in data["notes"]][0] == 40
    result = cli("replay", log, "--report", str(tmp_path / "aar"))
    assert result.returncode == 0, result.stderr
    report = (tmp_path / "aar" / "report.md").read_text(encoding="utf-8")
    assert "評估人員註記" in report and "第三回合末通信中斷" in report
    assert "第三回合末通信中斷" in (tmp_path / "aar" / "index.html").read_text(encoding="utf-8")
    os.remove(log + ".notes.json")


def test_fork_cli(log, tmp_path):
    out = tmp_path / "whatif.jsonl"
    result = cli("replay", log, "--at", "turn:2", "--fork", str(out))
    assert result.returncode == 0, result.stderr
    assert "--resume" in result.stdout
    header = json.loads(out.read_bytes().splitlines()[0])
    assert header["data"]["parent"]["log"] == "session.jsonl"
    assert cli("verify", str(out)).returncode == 0
    assert cli("replay", log, "--at", "turn:2", "--fork", str(out)).returncode == 2  # never overwrites
