"""The generated national scenario: 22 counties, 368 townships, real populations; it validates and plays."""

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

from tabletop.scenario import national

NATIONAL_POPULATION = 23_224_721
ASCII_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@pytest.fixture(scope="module")
def data():
    return national.build()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """scenario.yaml and actions.yaml written by the generator, and the validated scenario."""
    from tabletop.api import load_scenario_file

    folder = tmp_path_factory.mktemp("national")
    scenario_path, actions_path = national.write(str(folder), injects_per_county=3)
    loaded = load_scenario_file(scenario_path)
    return scenario_path, actions_path, loaded


def test_all_counties_and_townships(data):
    counties = data["counties"]
    townships = [t for c in counties for t in c["townships"]]
    assert len(counties) == 22
    assert len(townships) == 368
    assert sum(t["population"] for t in townships) == NATIONAL_POPULATION
    assert sum(t["villages"] for t in townships) == 7_781
    assert sum(t["households"] for t in townships) == 9_923_990


def test_ids_are_ascii_and_unique(data):
    ids = [c["id"] for c in data["counties"]]
    ids += [t["id"] for c in data["counties"] for t in c["townships"]]
    ids += [w["id"] for c in data["counties"] for w in c["warehouses"]]
    assert len(ids) == len(set(ids))
    assert all(ASCII_ID.match(i) for i in ids), [i for i in ids if not ASCII_ID.match(i)]
    assert {c["id"] for c in data["counties"]} == {cid for cid, _ in national.COUNTIES.values()}


def test_names_and_outlying_islands(data):
    by_id = {c["id"]: c for c in data["counties"]}
    assert by_id["new_taipei"]["name"] == {"zh_TW": "新北市", "en": "New Taipei City"}
    assert by_id["new_taipei"]["townships"][0]["name"]["zh_TW"] == "板橋區"
    for cid in ("penghu", "kinmen", "lienchiang"):
        assert all(t.get("outlying") for t in by_id[cid]["townships"]), cid
    assert not any(t.get("outlying") for t in by_id["taipei"]["townships"])
    liuqiu = [t for t in by_id["pingtung"]["townships"] if t["name"]["zh_TW"] == "琉球鄉"]
    assert liuqiu and liuqiu[0]["outlying"]


def test_warehouses_phases_and_injects(data):
    goods = {g["id"] for g in data["goods"]}
    for county in data["counties"]:
        assert 1 <= len(county["warehouses"]) <= 4
        for house in county["warehouses"]:
            assert set(house["stock"]) == goods and all(v > 0 for v in house["stock"].values())
    assert [p["id"] for p in data["phases"]] == ["blockade", "fire_strikes", "full_war"]
    assert len(data["injects"]) == 22 * 3
    assert len(national.build(injects_per_county=5)["injects"]) == 22 * 5


def test_output_is_deterministic(tmp_path):
    a = national.write(str(tmp_path / "a"))
    b = national.write(str(tmp_path / "b"))
    for left, right in zip(a, b):
        assert open(left, "rb").read() == open(right, "rb").read()


def test_generated_scenario_validates(generated):
    _, _, loaded = generated
    assert loaded.ok, [str(p) for p in loaded.problems[:5]]
    assert len(loaded.scenario.counties) == 22


def test_a_short_run_verifies_with_no_rejections(generated, tmp_path):
    from tabletop.replay import verify
    from tabletop.logfile import read_records
    from tabletop.runner import run
    from tabletop.scenario.actions import load_actions

    _, actions_path, loaded = generated
    actions, problems = load_actions(actions_path)
    assert not problems
    log = str(tmp_path / "national.jsonl")
    run(loaded, 1, actions, log, turns=2)
    records = read_records(log)
    assert not [r for r in records if r["kind"] == "command_rejected"]
    assert sum(1 for r in records if r["kind"] == "expected_action_met") >= 22
    verdict = verify(log)
    assert verdict.ok, verdict.message


@pytest.mark.slow
def test_cli_writes_scenario_and_refuses_scenarios_folder(tmp_path):
    script = os.path.join(ROOT, "tools", "generate_national.py")
    done = subprocess.run([sys.executable, script, str(tmp_path / "out"), "--injects-per-county", "2"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "scenario.yaml").exists()
    refused = subprocess.run([sys.executable, script, os.path.join(ROOT, "scenarios", "national")],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    assert not os.path.exists(os.path.join(ROOT, "scenarios", "national"))
