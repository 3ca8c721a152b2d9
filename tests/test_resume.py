"""kill -9 during a run, then --resume: no accepted command is lost and the log ends as if never killed."""

import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from conftest import ROOT, SCENARIO, cli
from tabletop.replay import verify


def _busy_actions(path, per_turn=70):
    actions = []
    for turn in range(1, 13):
        for n in range(per_turn):
            actions.append({"turn": turn, "county": "hualien", "role": "commander", "do": "announce",
                            "args": {"audience": "全體縣民", "message": f"第 {turn} 回合公告 {n}"}})
            actions.append({"turn": turn, "county": "hualien", "role": "supply", "do": "send_message",
                            "args": {"id": f"m-{turn}-{n}", "to": "hualien.commander", "body": "回報"}})
    path.write_text(yaml.safe_dump(actions, allow_unicode=True), encoding="utf-8")
    return str(path)


def _commands(path):
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.endswith(b"\n") and b'"type":"command"' in line)


@pytest.mark.slow
def test_kill_then_resume_loses_nothing(tmp_path):
    actions = _busy_actions(tmp_path / "actions.yaml")
    reference = tmp_path / "reference.jsonl"
    assert cli("run", SCENARIO, "--headless", "--seed", "3", "--actions", actions, "--log", str(reference), "--quiet").returncode == 0

    log = tmp_path / "killed.jsonl"
    args = [sys.executable, os.path.join(ROOT, "run_exercise.py"), "run", SCENARIO, "--headless", "--seed", "3",
            "--actions", actions, "--log", str(log), "--quiet"]
    kills = 0
    for target in (0.25, 0.6):  # kill twice, at different depths
        proc = subprocess.Popen(args if kills == 0 else args + ["--resume", str(log)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            if log.exists() and log.stat().st_size > target * reference.stat().st_size:
                break
            time.sleep(0.005)
        if proc.poll() is None:
            accepted_before_kill = _commands(log)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            # Every command the process had written (flushed) is still there after the kill.
            assert _commands(log) >= accepted_before_kill
        else:
            break
    assert kills >= 1, "the run finished before it could be killed; make the actions file bigger"
    done = cli("run", SCENARIO, "--headless", "--seed", "3", "--actions", actions, "--log", str(log),
               "--resume", str(log), "--quiet")
    assert done.returncode == 0, done.stderr
    assert log.read_bytes() == reference.read_bytes()
    assert verify(str(log)).ok


def test_torn_last_line_is_cut_and_rewritten(tmp_path, default_scenario, default_actions):
    from tabletop.runner import run

    full = tmp_path / "full.jsonl"
    run(default_scenario, 4, default_actions, str(full))
    data = full.read_bytes()
    torn = tmp_path / "torn.jsonl"
    torn.write_bytes(data[: len(data) * 2 // 3])  # ends mid-line, mid-batch
    run(default_scenario, None, default_actions, str(torn), resume=True)
    assert torn.read_bytes() == data


def test_partial_run_then_resume_with_more_turns(tmp_path, default_scenario, default_actions):
    from tabletop.runner import run

    full = tmp_path / "full.jsonl"
    run(default_scenario, 4, default_actions, str(full))
    part = tmp_path / "part.jsonl"
    run(default_scenario, 4, default_actions, str(part), turns=5)
    assert part.stat().st_size < full.stat().st_size
    run(default_scenario, 4, default_actions, str(part), resume=True)
    assert part.read_bytes() == full.read_bytes()


def test_resume_refuses_other_scenario_or_seed(tmp_path, default_scenario, default_actions):
    import pytest

    from tabletop.runner import ResumeError, run

    log = tmp_path / "log.jsonl"
    run(default_scenario, 4, default_actions, str(log), turns=2)
    with pytest.raises(ResumeError):
        run(default_scenario, 5, default_actions, str(log), resume=True)
    with pytest.raises(ResumeError):
        run(default_scenario, 4, default_actions[:3], str(log), resume=True)
