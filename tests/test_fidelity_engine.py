import pytest
"""Issue 18, point 9: engine defects a reviewer catches in the first hour of an after-action review."""

import os
import subprocess
import sys

from conftest import FIXTURES, ROOT
from tabletop import api
from tabletop.api import load_scenario_text
from tabletop.core.commands import Command

BASE = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
TWO = BASE.replace("      - {id: t1, name: {zh_TW: 甲鄉, en: A}, population: 1000}",
                   "      - {id: t1, name: {zh_TW: 甲鄉, en: A}, population: 1000}\n"
                   "      - {id: t2, name: {zh_TW: 乙鄉, en: B}, population: 4000}").replace(
    "      - {id: w1, name: {zh_TW: 倉, en: W}, township: t1, stock: {rice: 100}}",
    "      - {id: w1, name: {zh_TW: 倉, en: W}, township: t1, stock: {rice: 100}}\n"
    "      - {id: w2, name: {zh_TW: 倉二, en: W2}, township: t2, stock: {rice: 100}}")


def _strike(effect: str) -> list[dict]:
    text = TWO.replace("    text: {zh_TW: 內容, en: Text}", "    text: {zh_TW: 內容, en: Text}\n    effects: [" + effect + "]")
    loaded = load_scenario_text(text, "strike.yaml")
    assert loaded.ok, loaded.problems
    session = api.new_session(loaded, 1)[0]
    records = []
    for kind in ("start", "advance"):
        records += session.submit(Command(None, None, "facilitator", kind, {}))
    return [r["data"] for r in records if r["kind"] == "mass_casualty"]


def test_a_warehouse_strike_hurts_people_in_the_warehouses_township():
    assert _strike("{type: strike, target: warehouse, id: w2, casualties: 30}") == [
        {"township": "t2", "people": 30, "waiting": 30}]


def test_a_strike_with_an_area_hurts_people_there_not_in_the_first_township():
    assert [c["township"] for c in _strike("{type: strike, target: warehouse, id: w1, area: [t2], casualties: 5}")] == ["t2"]


def test_eoc_township_is_accepted_and_places_the_eoc():
    text = TWO.replace("    name: {zh_TW: 甲縣, en: County A}", "    name: {zh_TW: 甲縣, en: County A}\n    eoc_township: t2")
    loaded = load_scenario_text(text, "eoc.yaml")
    assert loaded.ok, loaded.problems
    session = api.new_session(loaded, 1)[0]
    assert session.domain("comms").areas["eoc:c1"] == "t2"


def test_an_eoc_township_the_county_does_not_have_is_refused_at_its_line():
    text = TWO.replace("    name: {zh_TW: 甲縣, en: County A}", "    name: {zh_TW: 甲縣, en: County A}\n    eoc_township: nowhere")
    loaded = load_scenario_text(text, "eoc.yaml")
    assert not loaded.ok
    problem = loaded.problems[0]
    line = text.splitlines().index("    eoc_township: nowhere") + 1
    assert (problem.file, problem.line) == ("eoc.yaml", line) and "nowhere" in problem.message


@pytest.mark.slow
def test_score_into_a_closed_pipe_exits_quietly(tmp_path):
    from tabletop.runner import run

    loaded = load_scenario_text(BASE, "minimal.yaml")
    path = str(tmp_path / "log.jsonl")
    run(loaded, 1, [], path)
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "run_exercise.py"), "score", path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    proc.stdout.close()  # `score | head` with head gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
