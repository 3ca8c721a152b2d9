"""The evaluation part: wall stamps (never an outcome, reproduced by replay), stages of
different length, response reports and their versions, evaluator-judged expectations, the
phase clock, the improvement plan, and the room-minute responsiveness measures."""

from __future__ import annotations

import dataclasses
import os
from datetime import datetime, timedelta

import orjson
import pytest

from tabletop import api
from tabletop.core import wallclock
from tabletop.core.commands import Command
from tabletop.core.session import BadCommand
from tabletop.evaluation import clockview
from tabletop.logfile import LogWriter
from tabletop import replay
from tabletop.core import canonical
from tabletop.scoring import engine, logview
from tabletop.scoring.evaluation_facts import room_facts
from yilan_helpers import play, played, yilan_commands, yilan_loaded


def _without_wall(records):
    out = []
    for record in records:
        body = {k: v for k, v in record.items() if k not in ("wall", "hash", "prev")}
        out.append(body)
    return out


def _kinds(records, kind):
    return [r for r in records if r["kind"] == kind]


def test_every_record_of_a_scripted_run_carries_a_derived_stamp():
    _, records = played()
    assert all(wallclock.is_stamp(r["wall"]) for r in records[1:])
    assert "wall" not in records[0]
    # Derived from game time: the drill starts at the scenario's start, turn 2 one 60-minute turn later.
    started = [r for r in records if r["kind"] == "turn_started"]
    assert started[0]["wall"] == "2026-09-08T06:00:00+08:00"
    assert started[1]["wall"] == "2026-09-08T07:00:00+08:00"
    # Stage 4 has 40-minute discussions: turn 9 starts 50 minutes after turn 8.
    assert wallclock.minutes_between(started[7]["wall"], started[8]["wall"]) == 50


def test_stamps_never_change_outcomes():
    """The same commands with no stamps, or with other stamps, give the same records but the stamps."""
    _, stamped = played()
    commands = yilan_commands()
    _, bare = play([dataclasses.replace(c, wall=None) for c in commands])
    shifted = [dataclasses.replace(c, wall=(datetime.fromisoformat(c.wall) + timedelta(days=3, minutes=7 * i)).isoformat())
               for i, c in enumerate(commands)]
    _, moved = play(shifted)
    assert all("wall" not in r for r in bare)
    assert _without_wall(stamped) == _without_wall(bare) == _without_wall(moved)


def test_replay_reproduces_the_logged_stamps_and_a_forged_stamp_fails(tmp_path):
    _, records = played()
    path = str(tmp_path / "yilan.jsonl")
    with LogWriter(path) as writer:
        writer.write(list(records), sync=True)
    assert replay.verify(path).ok
    # Forge a command's stamp and re-hash the whole chain: its events keep the old stamp, so
    # re-simulation (which stamps them from the command) disagrees.
    forged, prev = [], canonical.GENESIS
    for record in records:
        body = {k: v for k, v in record.items() if k != "hash"}
        body["prev"] = prev
        if record["type"] == "command" and record["kind"] == "acknowledge" and record["wall"].endswith("06:03:00+08:00"):
            body["wall"] = "2026-09-08T06:04:00+08:00"
        made, line = canonical.encode_record(prev, body)
        forged.append(line)
        prev = made
    bad = str(tmp_path / "bad.jsonl")
    open(bad, "wb").write(b"\n".join(forged) + b"\n")
    verdict = replay.verify(bad)
    assert not verdict.ok and verdict.bad_seq is not None


def test_a_stamp_without_a_zone_is_refused_before_logging():
    session, _ = api.new_session(yilan_loaded(), 1)
    with pytest.raises(BadCommand):
        session.submit(Command(None, None, "facilitator", "start", {}, wall="2026-09-08T06:00:00"))
    assert session.seq == 1


def test_stages_run_turns_of_their_own_length():
    _, records = played()
    times = [r["data"]["time"] for r in _kinds(records, "turn_started")]
    gaps = [(datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() / 3600
            for a, b in zip(times, times[1:], strict=False)]
    assert gaps == [2, 2, 2, 6, 6, 12, 12, 24, 24, 48]


def test_report_versions_are_kept_and_an_empty_report_is_refused():
    session, records = played()
    reports = session.domain("evaluation")["reports"]
    health = reports["yilan.health"]["s2_rescue"]
    assert [v["version"] for v in health] == [1, 2]
    assert "重傷 12 人" in health[1]["situation"] and "重傷" not in health[0]["situation"]
    refused = [r for r in _kinds(records, "command_rejected") if r["data"]["kind"] == "submit_report"]
    assert [r["data"]["key"] for r in refused] == ["evaluation.reject.empty_report"]


def test_evaluator_judgements_meet_or_miss_discussion_topics():
    session, records = played()
    judged = {(r["data"]["inject"], r["kind"]) for r in records if r["data"].get("judged")}
    assert ("T01", "expected_action_met") in judged
    assert ("T15", "expected_action_missed") in judged  # rated M
    assert session.injects["T15"].state == "expired"
    assert session.injects["T09"].state == "resolved"
    # A rating for another task of the capability does not meet a task-specific expectation.
    fork, _ = play(yilan_commands()[:8])  # turn 1, T01 delivered, before the evaluator's rating
    assert fork.state == "running_orders"
    fork.submit(Command(1, None, "evaluator", "rate", {"county": "yilan", "capability": "operational_coordination",
                                                         "task": "cross_department", "rating": "P", "rationale": "x"}))
    assert fork.injects["T01"].met[1] is None
    made = fork.submit(Command(1, None, "evaluator", "rate", {"county": "yilan", "capability": "operational_coordination",
                                                                "task": "eoc_activation", "rating": "S", "rationale": "x"}))
    assert "expected_action_met" in [r["kind"] for r in made]
    assert fork.injects["T01"].met[1] is not None


def test_evaluator_commands_are_the_evaluators_and_name_known_things():
    fork, _ = play(yilan_commands()[:8])
    made = fork.submit(Command(1, "yilan", "commander", "rate", {"county": "yilan", "capability": "mass_care",
                                                                  "rating": "P", "rationale": "x"}))
    assert made[-1]["data"]["rule"] == "role"
    made = fork.submit(Command(1, None, "evaluator", "rate", {"county": "yilan", "capability": "nope",
                                                               "rating": "P", "rationale": "x"}))
    assert made[-1]["data"]["key"] == "evaluation.reject.unknown_capability"
    made = fork.submit(Command(1, None, "evaluator", "observe", {"county": "taipei", "capability": "mass_care",
                                                                  "text": "x"}))
    assert made[-1]["data"]["key"] == "reject.unknown_county"


def test_phase_clock_pause_extend_and_countdown():
    commands = yilan_commands()
    # Up to turn 2's extension (minute 45): started at 0, paused 25-30, extended by 5.
    upto = next(i for i, c in enumerate(commands) if c.kind == "clock_extend") + 1
    session, records = play(commands[:upto])
    clock = session.domain("evaluation")["clock"]
    assert clock["state"] == "running" and clock["minutes"] == 55 and clock["segment"] == "discussion"
    at = datetime.fromisoformat(wallclock.scripted(session.scenario, 2, 50))
    left = clockview.remaining_seconds(clock, at)
    assert left == (55 - 25 - 20) * 60
    assert clockview.mmss(left) == "10:00"
    # The next turn starts with the clock idle.
    made = session.submit(Command(None, None, "facilitator", "clock_pause", {}, wall=at.isoformat()))
    assert made[-1]["kind"] == "clock_paused"
    made = session.submit(Command(None, None, "facilitator", "clock_pause", {}, wall=at.isoformat()))
    assert made[-1]["data"]["key"] == "evaluation.reject.clock_not_running"


def test_improvement_plan_items_keep_versions():
    session, records = played()
    ip = session.domain("evaluation")["ip"]
    assert [v["version"] for v in ip["ip-01"]] == [1, 2]
    assert ip["ip-01"][1]["by"] == "facilitator" and ip["ip-01"][0]["by"] == "evaluator"
    assert len(_kinds(records, "feedback_submitted")) == 2


def test_room_minutes_censored_at_the_phase_end():
    _, records = played()
    view = logview.from_records([orjson.loads(orjson.dumps(r)) for r in records])
    facts = {f.inject: f for f in room_facts(view)}
    # T01: acknowledged at minute 3, announced at 14.
    assert facts["T01"].ack == 3 and facts["T01"].action == 14
    # T16's report came a turn late: no action within stage 5 of the room, censored at its end.
    assert facts["T16"].ack == 9 and facts["T16"].action is None
    assert facts["T16"].window > 9
    doc = engine.score(view)
    rows = doc["capabilities"]["operational_coordination"]["metrics"]
    assert rows["room_time_to_ack_min"]["thresholds"] == {"P": 5.0, "S": 10.0, "M": 20.0}
    room = doc["room"]
    s5 = next(p for p in room["phases"] if p["phase"] == "s5_recovery")
    assert s5["first_action"]["censored"] >= 1


def test_the_scripted_yilan_run_validates_and_verifies(tmp_path):
    from clirun import cli

    log = str(tmp_path / "y.jsonl")
    scenario = os.path.join("scenarios", "yilan", "scenario.yaml")
    actions = os.path.join("scenarios", "yilan", "actions.yaml")
    assert cli("validate", scenario, "--actions", actions).returncode == 0
    assert cli("run", scenario, "--headless", "--actions", actions, "--log", log).returncode == 0
    assert cli("verify", log).returncode == 0
    assert cli("score", log).returncode == 0


def test_a_hotwash_line_must_name_the_last_turn_and_a_minute_is_not_negative(tmp_path):
    from clirun import cli

    scenario = os.path.join("scenarios", "yilan", "scenario.yaml")
    bad = tmp_path / "actions.yaml"
    bad.write_text("- {turn: 3, when: hotwash, county: yilan, role: supply, do: feedback, args: {strengths: x}}\n",
                   encoding="utf-8")
    done = cli("--lang", "en", "validate", scenario, "--actions", str(bad))
    out = done.stdout + done.stderr
    assert done.returncode == 2 and "actions.yaml:1:10:" in out and "must name the last turn, 11" in out
    bad.write_text("- {turn: 2, county: yilan, role: supply, do: acknowledge, args: {inject: T03}, minute: -4}\n",
                   encoding="utf-8")
    done = cli("--lang", "en", "validate", scenario, "--actions", str(bad))
    out = done.stdout + done.stderr
    assert done.returncode == 2 and "actions.yaml:1:" in out and "minute" in out and "Traceback" not in out


def test_the_clock_of_stages_of_different_length():
    from tabletop.core.clock import Clock

    clock = Clock.of(yilan_loaded().scenario)
    assert [clock.length(t) for t in range(1, 12)] == [120] * 3 + [360] * 2 + [720] * 2 + [1440] * 2 + [2880] * 2
    assert clock.iso(4) == "2026-09-08T12:00:00+08:00" and clock.iso(11) == "2026-09-14T00:00:00+08:00"
    assert clock.day(11) == 7 and clock.minutes(11) - clock.minutes(10) == 2880
    # turn_at: the first turn that starts at or after a moment (also past the last turn).
    start = clock.start
    assert clock.turn_at(start) == 1
    assert clock.turn_at(start + timedelta(minutes=121)) == 3
    assert clock.turn_at(start + timedelta(minutes=360)) == 4
    assert clock.turn_at(clock.turn_start(11) + timedelta(minutes=1)) == 12
    # The session's clock is the current turn's view: rules of a 48-hour turn see 2880 minutes.
    session, _ = played()
    assert session.turn == 11 and session.clock.minutes_per_turn == 2880
