"""Less to write by hand: roads derived from coordinates, open_stations, new-scenario, an
optional default_actions file."""

from __future__ import annotations

import csv
import os

import pytest

from conftest import ROOT, cli
from tabletop.api import load_scenario_file, load_scenario_text, new_session
from tabletop.core.commands import Command
from tabletop.scenario import national

TOWNS = [("north", 121.60, 24.10, 3), ("mid", 121.55, 23.95, 2), ("south", 121.40, 23.60, 4), ("coast", 121.52, 23.60, 1),
         ("hill", 121.30, 23.35, 2)]


def scenario_text(coords: bool = True, roads: str = "", extra: str = "") -> str:
    towns = "\n".join(
        f"      - {{id: {tid}, name: {{zh_TW: {tid}鄉, en: {tid}}}, population: 20000, villages: {villages}"
        + (f", coords: [{lon}, {lat}]" if coords else "") + (", shelters: [south-site-01]" if tid == "south" else "") + "}"
        for tid, lon, lat, villages in TOWNS)
    return f"""scenario:
  id: roads
  title: {{zh_TW: 道路, en: Roads}}
{extra}clock: {{start: "2026-07-14T08:00:00+08:00", minutes_per_turn: 360, turns: 4}}
goods: [{{id: rice, name: {{zh_TW: 米, en: rice}}, unit: kg, per_person_per_day: 0.25}}]
counties:
  - id: c1
    name: {{zh_TW: 一縣, en: County One}}
    townships:
{towns}
    warehouses:
      - {{id: wh1, name: {{zh_TW: 倉, en: Store}}, township: north, stock: {{rice: 50000}}}}
  - id: c2
    name: {{zh_TW: 二縣, en: County Two}}
    townships:
      - {{id: other, name: {{zh_TW: 他鄉, en: Other}}, population: 100}}
{roads}"""


def _session(text: str):
    loaded = load_scenario_text(text, "roads.yaml")
    assert loaded.ok, [p.text("en") for p in loaded.problems]
    session, _ = new_session(loaded, 1)
    for kind in ("start", "advance", "advance"):
        session.submit(Command(None, None, "facilitator", kind, {}))
    assert session.state == "running_orders"
    return session


def test_roads_are_derived_from_coordinates_and_connect_every_township():
    from tabletop.distribution import roads

    session = _session(scenario_text())
    state = session.domain("distribution")
    assert state.roads and all(r.id.startswith("auto-") and r.minutes >= 1 for r in state.roads)
    towns = [t for t, *_ in TOWNS]
    for a in towns:
        for b in towns:
            assert roads.route(state, a, b) is not None, (a, b)
    again = _session(scenario_text()).domain("distribution").roads
    assert [(r.id, r.minutes) for r in again] == [(r.id, r.minutes) for r in state.roads]  # deterministic
    assert session.query("distribution.roads") == state.roads  # what the map draws


def test_given_roads_are_kept_and_no_coordinates_means_no_derivation():
    given = "distribution:\n  roads:\n    - {id: r1, a: north, b: mid, minutes: 20}\n"
    assert [r.id for r in _session(scenario_text(roads=given)).domain("distribution").roads] == ["r1"]
    assert _session(scenario_text(coords=False)).domain("distribution").roads == []


def test_lint_says_roads_were_derived(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text(), encoding="utf-8")
    out = cli("--lang", "en", "lint", str(path)).stdout
    assert "road links derived for 'c1' from the townships' coordinates" in out
    path.write_text(scenario_text(coords=False), encoding="utf-8")
    assert "no convoy can move between townships" in cli("--lang", "en", "lint", str(path)).stdout


def _open_stations(session, **args):
    return session.submit(Command(session.turn, "c1", "civil_affairs", "open_stations",
                                  {"prefix": "v", "type": "type_III", "staff": 19, **args}))


def test_open_stations_one_per_village_with_the_siting_rules():
    session = _session(scenario_text())
    records = _open_stations(session)
    assert not [r for r in records if r["kind"] == "command_rejected"]
    opened = [r["data"] for r in records if r["kind"] == "station_state"]
    assert len(opened) == sum(v for *_, v in TOWNS)  # one per village
    south = [d for d in opened if d["township"] == "south"]
    assert [d["station"] for d in south] == ["v-south-01", "v-south-02", "v-south-03", "v-south-04"]
    assert "south-site-01" not in {d["site"] for d in south}  # a shelter: skipped by the siting rule
    per_town = _open_stations(session, prefix="t", per="township", townships=["north", "hill"])
    sites = {r["data"]["station"]: r["data"]["site"] for r in per_town if r["kind"] == "station_state"}
    assert sites == {"t-north-01": "north-site-04", "t-hill-01": "hill-site-03"}  # after the sites in use


def test_open_stations_applies_completely_or_not_at_all():
    session = _session(scenario_text())
    before = dict(session.domain("distribution").stations)
    refused = _open_stations(session, townships=["north", "other"])  # another county's township
    assert refused[-1]["kind"] == "command_rejected" and refused[-1]["data"]["rule"] == "unknown_township"
    assert session.domain("distribution").stations == before and len(refused) == 2
    _open_stations(session, townships=["mid"])
    again = _open_stations(session, townships=["mid"])
    assert again[-1]["data"]["rule"] == "duplicate_id"


def test_new_scenario_writes_a_valid_county_skeleton(tmp_path):
    out = tmp_path / "taichung"
    done = cli("new-scenario", "--county", "臺中市", "--out", str(out))
    assert done.returncode == 0, done.stderr
    loaded = load_scenario_file(str(out / "scenario.yaml"))
    assert loaded.ok, [p.text("en") for p in loaded.problems]
    scenario = loaded.scenario
    (county,) = scenario.counties
    rows = [r for r in csv.DictReader(open(os.path.join(ROOT, "scenarios", "data", "townships.csv"), encoding="utf-8"))
            if r["county"] == "臺中市"]
    assert len(county.townships) == len(rows) == 29
    assert [t.name.zh_TW for t in county.townships] == [r["township"] for r in rows]
    assert [t.population for t in county.townships] == [int(r["population"]) for r in rows]
    assert [p.name.zh_TW for p in scenario.phases] == ["聯合封鎖", "火力打擊", "全面作戰"]
    assert scenario.injects == [] and "commander" in county.roles and scenario.scenario.default_actions is None
    # Positions and the outline from the atlas (scenarios/data): the map draws it, roads are derived.
    geo = national.read_geo()
    assert [tuple(t.coords) for t in county.townships] == [(geo[("臺中市", r["township"])].lon, geo[("臺中市", r["township"])].lat)
                                                          for r in rows]
    assert county.outline and [t.name.en for t in county.townships][0] == geo[("臺中市", rows[0]["township"])].english
    again = cli("new-scenario", "--county", "taichung", "--out", str(out))
    assert again.returncode == 2 and "已存在" in again.stderr
    unknown = cli("--lang", "en", "new-scenario", "--county", "台終市", "--out", str(tmp_path / "x"))
    assert unknown.returncode == 2 and "did you mean '臺南市'" in unknown.stderr and "Traceback" not in unknown.stderr


def test_default_actions_is_optional_when_actions_names_another(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text(extra="  default_actions: later.yaml\n"), encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text("- {turn: 1, county: c1, role: commander, do: announce, args: {audience: 全體, message: 安心}}\n",
                     encoding="utf-8")
    checked = cli("--lang", "en", "validate", str(path))
    assert checked.returncode == 0 and "warning: the default_actions file 'later.yaml'" in checked.stdout
    done = cli("run", str(path), "--headless", "--actions", str(other), "--log", str(tmp_path / "l.jsonl"), "--quiet")
    assert done.returncode == 0, done.stderr
    path.write_text(scenario_text(extra="  default_actions: ../escape.yaml\n"), encoding="utf-8")
    assert cli("validate", str(path)).returncode == 2  # outside the folder is still an error


@pytest.mark.parametrize("per,expected", [("village", 12), ("township", 5)])
def test_open_stations_counts(per, expected):
    session = _session(scenario_text())
    records = _open_stations(session, per=per)
    assert sum(1 for r in records if r["kind"] == "station_state") == expected
