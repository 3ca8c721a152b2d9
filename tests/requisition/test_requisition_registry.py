"""The Faker registry: generated once into the log header, identical on replay; the CLI; the ledger."""

from __future__ import annotations

import json

import pytest
import os
import re
import subprocess
import sys

from rq_helpers import Game, events

from tabletop import api
from tabletop.core import canonical
from tabletop.replay import resimulate, verify
from tabletop.requisition import ledger, registry

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")
ACTIONS = os.path.join(ROOT, "scenarios", "hualien", "actions.yaml")
GENERATE = "    owners: 3\n    property: {truck: 4, generator: 2}\n    people: {driver: 3, medic: 1}\n"


def _cli(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "run_exercise.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_generated_registry_is_in_the_header_and_replays_identically(tmp_path):
    g = Game(seed=5, generate=GENERATE)
    made = g.records[0]["data"]["generated"]["requisition"]
    # per county (two in the test scenario)
    assert len(made["property"]) == 12 and len(made["people"]) == 8 and len(made["owners"]) == 6
    g.approved_plan([next(p["id"] for p in made["property"] if p["id"].startswith("c1-") and not p["exemption"])])
    before = canonical.dumps(g.state.registry)
    # Replay from the log: the session reads the registry from the header, never regenerates it.
    session, produced = resimulate(g.records)
    assert canonical.dumps(session.domain("requisition").registry) == before
    assert [canonical.dumps(r) for r in produced] == [canonical.dumps(r) for r in g.records]
    # A header whose generated data is not what the scenario and seed generate is a forgery: refused.
    header = json.loads(json.dumps(g.records[0]))
    header["data"]["generated"]["requisition"]["owners"][0]["name"] = "改過的名字"
    # re-hashed as a forger would, so the canonical-form check passes and the generated check speaks
    header["hash"] = canonical.encode_record(canonical.GENESIS, {k: v for k, v in header.items() if k != "hash"})[0]
    with pytest.raises(api.BadLog, match="generated"):
        api.session_from_header(header)
    # Replay still reads the registry from the header, never regenerates it.
    replayed = api.session_from_header(header, check=False)
    assert replayed.domain("requisition").registry["owners"]["c1-own-001"]["name"] == "改過的名字"


def test_generation_is_seeded_and_looks_real():
    loaded = Game(generate=GENERATE).loaded
    one, again, other = (registry.generate(loaded.scenario, s) for s in (5, 5, 6))
    assert canonical.dumps(one) == canonical.dumps(again) and canonical.dumps(one) != canonical.dumps(other)
    for person in one["people"]:
        assert re.fullmatch(r"[A-Z][12]\d{8}", person["id_number"]) and re.fullmatch(r"09\d\d-\d{3}-\d{3}", person["phone"])
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", person["name"])
    for owner in one["owners"]:
        assert re.fullmatch(r"\d{8}|[A-Z][12]\d{8}", owner["id_number"])
    for item in one["property"]:
        assert item["market_value"] > 0 and item["owner"] in {o["id"] for o in one["owners"]}


def test_national_id_check_digit():
    class Digits:
        def __init__(self):
            self.left = iter([2, 3, 4, 5, 6, 7, 8])

        def random_digit(self):
            return next(self.left)

    assert registry.national_id(Digits(), "taipei", False) == "A123456789"  # the textbook valid example


@pytest.mark.slow
def test_registry_cli_lists_every_entry():
    done = _cli("registry", SCENARIO, "--seed", "3", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    ids = {r["id"] for r in rows}
    assert {"hl-truck-01", "hl-gen-care", "hl-driver-01"} <= ids
    care = next(r for r in rows if r["id"] == "hl-gen-care")
    assert care["exemption"] == "art.29.3" and care["class"] == "heavy_machinery" and care["value"] == 1500000
    table = _cli("registry", SCENARIO)
    assert table.returncode == 0 and "hl-wh-01" in table.stdout and "no_alternative" in table.stdout
    assert _cli("registry", "/nonexistent.yaml").returncode == 2


@pytest.mark.slow
def test_default_storyline_and_ledger_from_the_log(tmp_path):
    log = tmp_path / "h.jsonl"
    done = _cli("run", SCENARIO, "--headless", "--seed", "1", "--actions", ACTIONS, "--log", str(log), "--quiet")
    assert done.returncode == 0, done.stderr
    assert verify(str(log)).ok
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    rejected = [r["data"]["rule"] for r in records if r["kind"] == "command_rejected"]
    assert "art.29" in rejected and "internal" not in rejected
    kinds = {r["kind"] for r in records}
    for kind in ("requisition_plan_state", "requisition_order_issued", "requisition_receipt", "requisition_state",
                 "requisition_released", "compensation_liability", "compensation_paid"):
        assert kind in kinds, kind
    met = {(r["data"]["inject"], r["data"]["capability"]) for r in records if r["kind"] == "expected_action_met"}
    assert ("B05", "resource_mobilization") in met and ("W03", "resource_mobilization") in met
    book = ledger.build(records)
    hualien = book["counties"]["hualien"]
    assert hualien["totals"]["owed"] == sum(r["amount"] for r in hualien["liabilities"]) > 0
    assert {r["basis"] for r in hualien["liabilities"]} <= {"art.28", "art.31", "art.33", "art.35", "art.36"}
    text = _cli("ledger", str(log))
    assert text.returncode == 0 and "hualien" in text.stdout and "art.28" in text.stdout
    as_json = json.loads(_cli("ledger", str(log), "--json").stdout)
    assert as_json["counties"]["hualien"]["totals"] == hualien["totals"]
    assert _cli("ledger", str(tmp_path / "missing.jsonl")).returncode == 2


def test_ledger_statuses():
    g = Game()
    g.approved_plan(["wh1", "truck1"])
    g.do("requisition", {"id": "r1", "plan": "plan1", "resource": "wh1", "mode": "purchase",
                         "deliver_at": {"place": "倉", "date": "2026-08-10"}})
    g.do("assess_value", {"requisition": "r1", "price": 20000000})
    while g.date < "2026-08-10":
        g.next_turn()
    owed = events(g.do("record_delivery", {"requisition": "r1"}), "compensation_liability")[0]
    assert ledger.build(g.records)["counties"]["c1"]["liabilities"][0]["status"] == "open"
    g.next_turn(21)
    assert ledger.build(g.records)["counties"]["c1"]["liabilities"][0]["status"] == "overdue"
    g.do("pay_compensation", {"liability": owed["id"]})
    book = ledger.build(g.records)["counties"]["c1"]
    assert book["liabilities"][0]["status"] == "paid_late" and book["totals"]["outstanding"] == 0


def test_hand_listed_entries_are_checked_with_their_line():
    from tabletop.api import load_scenario_text
    from rq_helpers import scenario_text

    text = scenario_text().replace("owner: o1, township: t1, market_value: 2000000",
                                   "owner: nobody, township: t1, market_value: 2000000", 1)
    loaded = load_scenario_text(text, "bad.yaml")
    assert not loaded.ok
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "owner: nobody" in row)
    assert any(p.line == line and "unknown owner" in p.message for p in loaded.problems), loaded.problems
