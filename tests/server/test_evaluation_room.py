"""The room and the evaluation part: the server stamps what it receives (``wall``) and
re-simulation reproduces the stamps; the phase clock reaches every seat; the evaluator's
payload; a department's own report versions; a trainee token cannot rate."""

from __future__ import annotations

import itertools
import os

from conftest import ROOT
from helpers import Client, ThreadServer, new_room, seat_token

from tabletop import replay
from tabletop.api import load_scenario_file

YILAN = os.path.join(ROOT, "scenarios", "yilan", "scenario.yaml")


def _ticking():
    """A wall clock that moves one minute a command (the room's stamps, fixed for the test)."""
    minutes = itertools.count()

    def now() -> str:
        n = next(minutes)
        return f"2026-09-08T09:{n // 60:02d}:{n % 60:02d}+08:00"
    return now


def test_the_room_stamps_commands_and_replay_reproduces_them(tmp_path):
    room = new_room(tmp_path, scenario=load_scenario_file(YILAN))
    room.clock = _ticking()
    with ThreadServer(room) as srv:
        links = srv.links()
        facilitator = Client(srv.url, seat_token(links, "facilitator"))
        for kind in ("start", "advance", "advance"):
            facilitator.command(kind)
        facilitator.command("clock_start", segment="discussion")
        commander = Client(srv.url, seat_token(links, "yilan.commander"))
        assert commander.command("submit_report", situation="first")["status"] == "accepted"
        assert commander.command("submit_report", situation="second")["status"] == "accepted"
        evaluator = Client(srv.url, seat_token(links, "evaluator"))
        # A department's token cannot rate; the evaluator's can, and meets topic T01's judged expectation.
        refused = commander.command("rate", county="yilan", capability="operational_coordination", rating="P",
                                    rationale="self")
        assert refused["status"] == "rejected" and refused["rule"] == "role"
        assert evaluator.command("rate", county="yilan", role="commander", capability="operational_coordination",
                                 task="eoc_activation", rating="P", rationale="ok")["status"] == "accepted"

        seat = commander.seat()
        assert seat["clock"]["segment"] == "discussion" and seat["clock"]["state"] == "running"
        assert 0 < seat["clock"]["remaining"] <= 50 * 60
        assert [v["version"] for v in seat["reports"]["versions"]] == [2, 1]
        other = Client(srv.url, seat_token(links, "yilan.supply")).seat()
        assert other["reports"]["versions"] == []  # a department sees its own reports only
        assert other["clock"]["state"] == "running"

        payload = evaluator.seat()
        assert payload["evaluator"] and payload["panels"] == []
        assert {g["id"] for g in payload["eeg"]} >= {"operational_coordination", "alert_warning"}
        assert "supply_chain" not in {g["id"] for g in payload["eeg"]}  # not in stage 1's guide
        latest = next(r for r in payload["reports"] if r["seat"] == "yilan.commander")
        assert latest["version"] == 2 and latest["fields"]["situation"] == "second"
        assert payload["ratings"][0]["rating"] == "P"
        assert {f["kind"] for f in payload["forms"]} >= {"rate", "observe", "ip_item"}
        feed = {e["kind"] for e in evaluator.events()}
        assert {"rating_recorded", "report_submitted", "clock_started"} <= feed
        assert "rating_recorded" not in {e["kind"] for e in Client(srv.url, seat_token(links, "yilan.supply")).events()}

    stamped = [r for r in room.records[1:]]
    assert all(r["wall"].startswith("2026-09-08T09:") for r in stamped)
    rate = next(r for r in stamped if r["type"] == "command" and r["kind"] == "rate" and r["actor"] == "evaluator")
    caused = [r for r in stamped if r["seq"] > rate["seq"] and r["type"] == "event"][:3]
    assert caused and all(r["wall"] == rate["wall"] for r in caused)
    assert any(r["kind"] == "expected_action_met" and r["data"].get("judged") for r in caused)
    verdict = replay.verify(room.log_path)
    assert verdict.ok, verdict.message
