"""Actions files are checked like scenarios (issue 13, item 9): ``validate SCENARIO --actions
FILE`` and ``run`` report unknown kinds, counties, roles and ids, and turns after the last,
each at its ``file:line:col``; errors refuse the run, warnings do not."""

import glob
import os

import pytest

from conftest import ACTIONS, FIXTURES, ROOT, SCENARIO, cli
from tabletop.scenario.actions import read_actions
from tabletop.api import check_actions
from tabletop.api import load_scenario_file

MINIMAL = os.path.join(FIXTURES, "minimal.yaml")  # county c1 (the 7 required roles), 3 turns, inject i1, good rice


@pytest.fixture(scope="module")
def hualien():
    loaded = load_scenario_file(SCENARIO)
    assert loaded.ok
    return loaded.scenario


@pytest.fixture(scope="module")
def minimal():
    loaded = load_scenario_file(MINIMAL)
    assert loaded.ok
    return loaded.scenario


def _check(tmp_path, scenario, *lines, name="actions.yaml"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    read = read_actions(str(path))
    assert read.ok, read.problems
    return str(path), [p.text("en") for p in check_actions(read, scenario)]


def test_shipped_actions_files_have_no_errors(hualien):
    paths = sorted(glob.glob(os.path.join(ROOT, "scenarios", "*", "actions.yaml")))
    assert ACTIONS in paths
    for path in paths:
        scenario = load_scenario_file(os.path.join(os.path.dirname(path), "scenario.yaml")).scenario
        problems = check_actions(read_actions(path), scenario)
        assert not [p for p in problems if p.is_error], problems
    # the lines that are wrong on purpose are the warnings
    problems = check_actions(read_actions(ACTIONS), hualien)
    assert [(p.line, p.severity) for p in problems] == [(9, "warning"), (21, "warning"), (77, "warning"), (86, "warning")]


def test_generated_national_actions_have_no_findings(tmp_path):
    from tabletop.scenario import national

    scenario_path, actions_path = national.write(str(tmp_path / "national"), rows=national.read_townships())
    scenario = load_scenario_file(scenario_path).scenario
    assert check_actions(read_actions(actions_path), scenario) == []


def test_errors_are_located(tmp_path, minimal):
    path, found = _check(
        tmp_path, minimal,
        "- {turn: 1, county: c1, role: commander, do: frobnicate}",
        "- {turn: 1, county: nowhere, role: commander, do: announce, args: {audience: a, message: m}}",
        "- {turn: 1, county: c1, role: pilot, do: announce, args: {audience: a, message: m}}",
        "- {turn: 1, county: c1, role: police, do: acknowledge, args: {inject: i1}}",
        "- {turn: 1, role: commander, do: announce, args: {audience: a, message: m}}",
        "- {turn: 1, county: c1, role: facilitator, do: draw_card, args: {deck: d}}",
        "- {turn: 4, county: c1, role: commander, do: announce, args: {audience: a, message: m}}",
    )
    assert found == [
        f"{path}:1:46: unknown command kind 'frobnicate' (every kind: docs/commands.md)",
        f"{path}:2:21: unknown county 'nowhere'; the scenario's counties: c1",
        f"{path}:3:31: unknown role 'pilot'; known roles: commander, mobilization, supply, civil_affairs, "
        "social_affairs, health, comms, police, fire, reserve_command, central, facilitator, evaluator",
        f"{path}:4:31: 'c1' has no role 'police'; its roles: commander, mobilization, supply, civil_affairs, "
        "social_affairs, health, comms",
        f"{path}:5:19: the role 'commander' must name its county",
        f"{path}:6:21: the role 'facilitator' belongs to no county; remove 'county'",
        f"{path}:6:72: warning: the scenario has no deck 'd'; the run will reject it",
        f"{path}:7:10: turn 4 is after the scenario's last turn (3); this line would never be issued",
    ]


def test_warnings_are_located(tmp_path, hualien):
    path, found = _check(
        tmp_path, hualien,
        "- {turn: 1, county: hualien, role: supply, do: announce, args: {audience: a, message: m}}",
        "- {turn: 1, county: hualien, role: commander, do: announce, args: {audience: a, mesage: m}}",
        "- {turn: 1, county: hualien, role: commander, do: announce, args: {audience: 5, message: m}}",
        "- {turn: 1, county: hualien, role: commander, do: acknowledge, args: {inject: Z99}}",
        "- {turn: 1, county: hualien, role: commander, do: acknowledge, args: {inject: W04}}",
        "- {turn: 2, role: facilitator, do: draw_card, args: {deck: nope}}",
        "- {turn: 2, county: hualien, role: civil_affairs, do: open_station, "
        "args: {id: st1, township: atlantis, site: s, type: type_II, staff: 3}}",
        "- {turn: 2, county: hualien, role: civil_affairs, do: open_station, "
        "args: {id: st1, township: jian, site: s, type: type_II, staff: 3}}",
        "- {turn: 2, county: hualien, role: civil_affairs, do: close_station, args: {station: st-never}}",
        "- {turn: 2, county: hualien, role: supply, do: set_ration, "
        "args: {good: gold, per_person_per_day: 1, purchases_per_month: 1}}",
        "- {turn: 2, role: central, do: declare_shortage, args: {goods: [rice, silk]}}",
        "- {turn: 2, role: facilitator, do: advance}",
    )
    assert found == [
        f"{path}:1:36: warning: the role 'supply' may not issue 'announce' (it is for: commander); the run will reject it",
        f"{path}:2:67: warning: args.message: required argument missing; the run will reject it",
        f"{path}:2:81: warning: args.mesage: no such argument; the run will reject it",
        f"{path}:3:78: warning: args.audience: should be text; the run will reject it",
        f"{path}:4:79: warning: the scenario has no inject 'Z99'; the run will reject it",
        f"{path}:5:79: warning: inject 'W04' is delivered in turn 12; in turn 1 it cannot be acknowledged yet, "
        "the run will reject it",
        f"{path}:6:60: warning: the scenario has no deck 'nope'; the run will reject it",
        f"{path}:7:95: warning: 'hualien' has no township 'atlantis'",
        f"{path}:8:80: warning: the id 'st1' is already used by the action at line 7; unless that line is rejected, "
        "the run rejects this one",
        f"{path}:9:86: warning: 'st-never' (station) is not in the scenario and no earlier action creates it",
        f"{path}:10:73: warning: the scenario has no good 'gold'",
        f"{path}:11:71: warning: the scenario has no good 'silk'",
        f"{path}:12:36: warning: the runner issues 'advance' itself; a scripted 'advance' shifts the phases of the script",
    ]


def test_references_follow_play_order(tmp_path, hualien):
    """A station opened in turn 2 may be staffed in turn 3 even if that line comes first in the file."""
    _, found = _check(
        tmp_path, hualien,
        "- {turn: 3, county: hualien, role: civil_affairs, do: staff_station, args: {station: st9, staff: 4}}",
        "- {turn: 2, county: hualien, role: civil_affairs, do: open_station, "
        "args: {id: st9, township: jian, site: s, type: type_II, staff: 3}}",
        "- {turn: 1, county: hualien, role: supply, do: dispatch, "
        "args: {id: cv9, from: wh_port, to: st9, goods: {rice: 1, myrrh: 2}, vehicles: 1}}",
    )
    assert [line.split(": ", 1)[1] for line in found] == ["warning: the scenario has no good 'myrrh'"]


def test_a_correct_line_has_no_findings(tmp_path, minimal):
    path, found = _check(tmp_path, minimal, "- {turn: 1, county: c1, role: commander, do: acknowledge, args: {inject: i1}}")
    assert found == []


# ----- the CLI ------------------------------------------------------------------------------

def test_validate_with_actions_errors_exit_2_and_warnings_exit_0(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {turn: 13, county: hualien, role: commander, do: announce, args: {audience: a, message: m}}\n"
                   "- {turn: 1, county: hualien, role: supply, do: announce, args: {audience: a, message: m}}\n",
                   encoding="utf-8")
    done = cli("--lang", "en", "validate", SCENARIO, "--actions", str(bad), timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{bad}:1:10: turn 13 is after the scenario's last turn (12); this line would never be issued" in done.stdout
    assert f"{bad}:2:36: warning: the role 'supply' may not issue 'announce'" in done.stdout
    assert f"{bad}: 2 actions, 1 error(s), 1 warning(s)" in done.stdout

    shipped = cli("validate", SCENARIO, "--actions", ACTIONS, timeout=120)
    assert shipped.returncode == 0, shipped.stdout
    assert f"{ACTIONS}:9:36: 警告：" in shipped.stdout or f"{ACTIONS}:9:36: 警告: " in shipped.stdout
    assert "0 個錯誤，4 個警告" in shipped.stdout


def test_run_prints_warnings_and_refuses_errors(tmp_path):
    warn = tmp_path / "warn.yaml"
    warn.write_text("- {turn: 1, county: hualien, role: supply, do: announce, args: {audience: a, message: m}}\n",
                    encoding="utf-8")
    log = tmp_path / "w.jsonl"
    done = cli("--lang", "en", "run", SCENARIO, "--headless", "--turns", "1", "--quiet", "--actions", str(warn),
               "--log", str(log), timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{warn}:1:36: warning: the role 'supply' may not issue 'announce'" in done.stderr
    assert log.exists()

    bad = tmp_path / "bad.yaml"
    bad.write_text("- {turn: 1, county: hualien, role: commander, do: anounce, args: {audience: a, message: m}}\n",
                   encoding="utf-8")
    refused = tmp_path / "r.jsonl"
    done = cli("--lang", "en", "run", SCENARIO, "--headless", "--actions", str(bad), "--log", str(refused), timeout=120)
    assert done.returncode == 2
    assert f"{bad}:1:51: unknown command kind 'anounce' (did you mean 'announce'?)" in done.stderr
    assert "Traceback" not in done.stderr
    assert not refused.exists()
