"""The parts working together in the default scenario: requisitioned trucks carry goods,
requisitioned generators keep stations open in a blackout, orders travel over comms."""

import json

from tabletop.runner import run


def _records(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def test_requisitioned_trucks_join_the_fleet(played, default_scenario, default_actions, tmp_path):
    records = _records(played())
    convoy = next(r for r in records if r["kind"] == "convoy_dispatched" and r["data"]["convoy"] == "cv-006")
    assert convoy["data"]["vehicles"] == 14 and convoy["data"]["requisitioned_vehicles"] == 2
    # Without the requisitions the same dispatch has too few vehicles.
    plain = [a for a in default_actions if a.do not in ("requisition", "record_delivery")]
    path = tmp_path / "plain.jsonl"
    run(default_scenario, 7, plain, str(path))
    rejected = [r for r in _records(path) if r["kind"] == "command_rejected" and r["data"]["kind"] == "dispatch"]
    assert any(r["data"]["rule"] == "vehicles" for r in rejected)


def test_requisitioned_generator_keeps_stations_open_in_the_blackout(played):
    records = _records(played())
    covered = [r for r in records if r["kind"] == "stations_on_generator"]
    assert covered and covered[0]["turn"] == 12 and covered[0]["data"]["kw"] > 0


def test_every_part_speaks_in_the_default_run(played):
    kinds = {r["kind"] for r in _records(played())}
    for kind in ("station_order_received", "distribution_served", "requisition_receipt", "compensation_liability",
                 "channel_state", "report_received", "alert_relayed", "casualties_treated", "card_drawn",
                 "inject_triggered", "expected_action_met", "expected_action_missed", "command_rejected"):
        assert kind in kinds, kind


def test_report_shows_reviewer_notes_when_the_log_has_them(played, tmp_path):
    from conftest import cli

    log = played()
    assert cli("replay", log, "--at", "100", "--note", "物資回報延遲", "--author", "評核官").returncode == 0
    out = tmp_path / "report"
    assert cli("report", log, "--out", str(out)).returncode == 0
    assert "物資回報延遲" in (out / "report.md").read_text(encoding="utf-8")
    assert "物資回報延遲" in (out / "index.html").read_text(encoding="utf-8")
