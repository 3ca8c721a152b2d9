"""Broken scenarios: every problem reported at its line and column, nothing constructed."""

import glob
import os
import re

import pytest

from conftest import FIXTURES, ROOT, SCENARIO, cli
from tabletop.api import load_scenario_file
from tabletop.scenario.yamlnodes import Limits

BROKEN = sorted(glob.glob(os.path.join(FIXTURES, "broken", "*.yaml")))


def _expectations(path):
    out = []
    for line in open(path, encoding="utf-8"):
        match = re.match(r"# expect: (\d+):(\d+) (.*)", line)
        if match:
            out.append((int(match[1]), int(match[2]), match[3].strip()))
    return out


def test_fixture_set_is_broad():
    assert len(BROKEN) >= 12


@pytest.mark.parametrize("path", BROKEN, ids=[os.path.basename(p) for p in BROKEN])
def test_broken_fixture_reported_at_line_and_column(path):
    expected = _expectations(path)
    assert expected, "fixture lacks '# expect:' lines"
    loaded = load_scenario_file(path)
    assert not loaded.ok
    got = [(p.line, p.col, p.message) for p in loaded.problems]
    assert len(got) == len(expected), got
    for (line, col, text), (gline, gcol, message) in zip(expected, got):
        assert (gline, gcol) == (line, col), (got, expected)
        assert text in message


def test_validate_cli_prints_every_problem_and_exits_2():
    path = os.path.join(FIXTURES, "broken", "several_problems.yaml")
    done = cli("validate", path, SCENARIO)
    assert done.returncode == 2
    lines = [line for line in done.stdout.splitlines() if "several_problems.yaml:" in line]
    assert len(lines) == 3
    assert all(re.match(r".*several_problems\.yaml:\d+:\d+: ", line) for line in lines)
    assert "scenario.yaml：通過" in done.stdout  # the good file is still checked


def test_python_tag_is_never_constructed(tmp_path):
    flag = tmp_path / "pwned"
    text = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    bad = tmp_path / "tag.yaml"
    bad.write_text(text + f'zz: !!python/object/apply:os.system ["touch {flag}"]\n', encoding="utf-8")
    done = cli("validate", str(bad))
    assert done.returncode == 2 and not flag.exists()
    assert "不接受標記（tag）" in done.stdout


def test_minimal_fixture_is_valid():
    assert load_scenario_file(os.path.join(FIXTURES, "minimal.yaml")).ok


def test_size_depth_and_count_limits(tmp_path):
    from tabletop.scenario.validate import Caps

    minimal = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    big = tmp_path / "big.yaml"
    big.write_text(minimal + "#" + "x" * 2000 + "\n", encoding="utf-8")
    loaded = load_scenario_file(str(big), limits=Limits(max_bytes=1000))
    assert "larger than the limit" in loaded.problems[0].message
    deep = tmp_path / "deep.yaml"
    deep.write_text(minimal + "zz: " + "[" * 100 + "]" * 100 + "\n", encoding="utf-8")
    loaded = load_scenario_file(str(deep))
    assert "nested deeper" in loaded.problems[0].message and loaded.problems[0].line == 24
    loaded = load_scenario_file(os.path.join(FIXTURES, "minimal.yaml"), caps=Caps(townships=0))
    assert any("more than the configured cap" in p.message for p in loaded.problems)
    bomb = tmp_path / "bomb.yaml"
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 9)]
    bomb.write_text(minimal + "\n".join(rows) + "\n", encoding="utf-8")
    loaded = load_scenario_file(str(bomb))
    assert any("more than" in p.message for p in loaded.problems)


def test_referenced_files_must_stay_inside_the_scenario_folder(tmp_path):
    minimal = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    folder = tmp_path / "sc"
    folder.mkdir()
    (tmp_path / "outside.yaml").write_text("[]\n", encoding="utf-8")
    text = minimal.replace("  title: {zh_TW: 小想定, en: Tiny}", "  title: {zh_TW: 小想定, en: Tiny}\n  default_actions: ../outside.yaml")
    (folder / "s.yaml").write_text(text, encoding="utf-8")
    loaded = load_scenario_file(str(folder / "s.yaml"))
    assert not loaded.ok and "outside the scenario's folder" in loaded.problems[0].message
    assert loaded.problems[0].line == 4


def test_broken_actions_file_is_reported_with_position(tmp_path):
    bad = tmp_path / "actions.yaml"
    bad.write_text("- {turn: 1, county: hualien, role: commander, do: announce}\n- {turn: x, role: commander, do: announce, extra: 1}\n", encoding="utf-8")
    done = cli("run", SCENARIO, "--headless", "--actions", str(bad), "--log", str(tmp_path / "l.jsonl"))
    assert done.returncode == 2
    assert f"{bad}:2:" in done.stderr and "沒有「extra」這個欄位" in done.stderr  # zh_TW by default
