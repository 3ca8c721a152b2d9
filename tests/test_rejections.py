"""The facilitator's list of refusals: ``rejections LOG`` and the console's X overlay."""

from __future__ import annotations

import json
import os

import pytest

from conftest import cli


@pytest.fixture(scope="module")
def log(tmp_path_factory, default_scenario, default_actions):
    from tabletop.runner import run

    path = str(tmp_path_factory.mktemp("rejections") / "run.jsonl")
    run(default_scenario, 1, default_actions, path, turns=5)
    return path


def _rejected(path):
    out = []
    for line in open(path, encoding="utf-8"):
        record = json.loads(line)
        if record["kind"] == "command_rejected":
            out.append(record)
    return out


def test_every_refused_command_with_seat_turn_rule_and_reason(log):
    events = _rejected(log)
    assert len(events) >= 4  # the script's deliberate mistakes up to turn 5
    done = cli("rejections", log)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("序號") and len(lines) == len(events) + 2
    first = lines[1]
    assert first.startswith(f"#{events[0]['data']['command']}  第 1 回合  花蓮縣 民生物資（經濟）")
    assert "｜role｜" in first and "角色「民生物資（經濟）」不得下達「對外發布」指令" in first
    assert "R.siting" in done.stdout and "配售站不得與避難處所同址" in done.stdout
    assert lines[-1].startswith(f"共 {len(events)} 道指令遭退回")


def test_english_json_and_one_rule(log):
    done = cli("--lang", "en", "rejections", log, "--json", "--rule", "role")
    rows = json.loads(done.stdout)
    assert [r["rule"] for r in rows] == ["role"]
    assert rows[0]["seat"] == "Hualien County supply" and rows[0]["kind"] == "announce" and rows[0]["turn"] == 1
    assert rows[0]["reason"].startswith("The role 'supply' may not issue")
    assert rows[0]["args"]["audience"] == "全體縣民"


def test_a_tampered_log_lists_its_intact_part_and_fails(log, tmp_path):
    lines = open(log, encoding="utf-8").read().splitlines(keepends=True)
    bad = tmp_path / "bad.jsonl"
    cut = len(lines) // 2
    bad.write_text("".join(lines[:cut]) + lines[cut].replace('"turn":', '"turn": ', 1) + "".join(lines[cut + 1:]),
                   encoding="utf-8")
    done = cli("rejections", str(bad))
    assert done.returncode == 1 and "紀錄檔在此之後無法讀取" in done.stderr and "Traceback" not in done.stderr
    assert cli("rejections", str(tmp_path / "missing.jsonl")).returncode == 2


def test_the_console_lists_the_same_refusals(log, default_scenario, tmp_path):
    import pygame

    from tabletop.ui.app import App
    from tabletop.ui.console import Console

    import shutil

    copy = str(tmp_path / "copy.jsonl")
    shutil.copyfile(log, copy)  # resuming appends to its log: the module's log stays as played
    console = Console.resume(copy)
    app = App(console, "zh_TW")
    assert not app.refusals
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_x, mod=0, unicode="x"))
    assert app.refusals
    rows = app.refusal_rows()
    assert [r.seq for r in rows] == [e["data"]["command"] for e in _rejected(log)]
    path = str(tmp_path / "refusals.png")
    app.screenshot(path)
    assert os.path.getsize(path) > 0
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode=""))
    assert not app.refusals  # Esc closes the list first
    console.close()
