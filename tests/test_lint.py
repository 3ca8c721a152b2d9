"""lint: legal but probably wrong scenarios get located warnings."""

import os

from conftest import FIXTURES, SCENARIO, cli


def test_default_scenario_lints_clean():
    done = cli("--lang", "en", "lint", SCENARIO)
    assert done.returncode == 0 and "0 warning(s)" in done.stdout


def test_warnings_are_located(tmp_path):
    text = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    text += """  - id: i2
    trigger: {when: action_missed, inject: i3, not_before_turn: 9}
    county: c1
    role: commander
    title: {zh_TW: 二, en: Two}
    text: {zh_TW: 二, en: Two}
  - id: i3
    trigger: {when: action_missed, inject: i2}
    county: c1
    role: commander
    title: {zh_TW: 三, en: Three}
    text: {zh_TW: 三, en: Three}
    expected: [{kind: announce, capability: public_information}]
"""
    path = tmp_path / "s.yaml"
    path.write_text(text.replace("    text: {zh_TW: 二, en: Two}", "    text: {zh_TW: 二, en: Two}\n    expected: [{kind: announce, capability: public_information}]"), encoding="utf-8")
    done = cli("--lang", "en", "lint", str(path))
    assert done.returncode == 0, done.stdout
    out = done.stdout
    assert f"{path}:18:9: warning: inject 'i1' has no expected player action" in out
    assert "the trigger waits past the last turn" in out
    assert "triggers form a cycle" in out


def test_invalid_scenario_exits_2():
    done = cli("lint", os.path.join(FIXTURES, "broken", "unknown_field.yaml"))
    assert done.returncode == 2
