"""The exercise lifecycle: phases in order, pause/resume, rejections by phase and role, MSEL handling."""

import pytest

from tabletop import api
from tabletop.core.commands import Command
from tabletop import i18n


def F(kind, **args):
    return Command(None, None, "facilitator", kind, args)


def P(role, kind, county="hualien", **args):
    return Command(None, county, role, kind, args)


@pytest.fixture
def session(default_scenario):
    return api.new_session(default_scenario, 9)[0]


def kinds(records):
    return [r["kind"] for r in records]


def rejection(records):
    found = [r for r in records if r["kind"] == "command_rejected"]
    return found[0]["data"] if found else None


def test_phases_advance_in_order_and_turns_count(session):
    session.submit(F("start"))
    assert session.state == "briefing"
    session.submit(F("advance"))
    assert (session.state, session.turn) == ("running_injects", 1)
    for expected in ("running_orders", "running_adjudication", "running_turnend", "running_injects"):
        session.submit(F("advance"))
        assert session.state == expected
    assert session.turn == 2


def test_last_turn_leads_to_hotwash_then_closed(session):
    session.submit(F("start"))
    for _ in range(1 + 4 * session.clock.turns):
        assert rejection(session.submit(F("advance"))) is None
    assert session.state == "hotwash" and session.turn == session.clock.turns
    session.submit(F("close"))
    assert session.state == "closed"
    assert rejection(session.submit(F("advance")))["rule"] == "phase"


def test_pause_resumes_in_the_same_phase_without_redelivering(session):
    session.submit(F("start"))
    session.submit(F("advance"))
    session.submit(F("advance"))
    assert session.state == "running_orders"
    session.submit(F("pause"))
    assert session.state == "paused"
    out = session.submit(F("resume"))
    assert session.state == "running_orders"
    assert "inject_delivered" not in kinds(out) and "turn_started" not in kinds(out)
    blocked = rejection(session.submit(P("commander", "announce", audience="a", message="b")))
    assert blocked is None


def test_commands_out_of_phase_are_rejected_with_reason_in_both_languages(session):
    out = session.submit(P("commander", "announce", audience="全體", message="訊息"))
    data = rejection(out)
    assert data["rule"] == "phase"
    assert "setup" in i18n.reason_both(data)["en"] and "指令" in i18n.reason_both(data)["zh_TW"]
    assert rejection(session.submit(F("resume")))["rule"] == "phase"


def test_role_county_schema_turn_and_duplicate_id_rules(session):
    session.submit(F("start"))
    session.submit(F("advance"))
    session.submit(F("advance"))
    assert rejection(session.submit(P("supply", "announce", audience="a", message="b")))["rule"] == "role"
    assert rejection(session.submit(P("pilot", "announce", audience="a", message="b")))["rule"] == "role"
    assert rejection(session.submit(P("commander", "announce", county="mars", audience="a", message="b")))["rule"] == "role"
    assert rejection(session.submit(Command(None, "hualien", "facilitator", "pause", {})))["rule"] == "role"
    assert rejection(session.submit(P("commander", "announce", audience="a")))["rule"] == "schema"
    assert rejection(session.submit(P("commander", "announce", audience="a", message="b", extra=1)))["rule"] == "schema"
    assert rejection(session.submit(P("commander", "launch_missiles")))["rule"] == "schema"
    assert rejection(session.submit(Command(5, "hualien", "commander", "announce", {"audience": "a", "message": "b"})))["rule"] == "turn"
    ok = session.submit(P("supply", "send_message", id="m1", to="hualien.commander", body="x"))
    assert rejection(ok) is None
    again = rejection(session.submit(P("supply", "send_message", id="m1", to="hualien.commander", body="y")))
    assert again["rule"] == "duplicate_id" and "m1" in i18n.reason_both(again)["zh_TW"]


def test_a_rejection_never_stops_the_session(session):
    session.submit(F("start"))
    session.submit(P("commander", "announce", audience="a", message="b"))
    session.submit(F("advance"))
    assert session.state == "running_injects"


def test_inject_lifecycle_acknowledge_expected_action_resolve(session):
    session.submit(F("start"))
    delivered = session.submit(F("advance"))
    assert [r["data"]["inject"] for r in delivered if r["kind"] == "inject_delivered"] == ["B01", "B02"]
    session.submit(F("advance"))
    out = session.submit(P("commander", "acknowledge", inject="B01"))
    assert session.injects["B01"].state == "acknowledged" and "inject_acknowledged" in kinds(out)
    out = session.submit(P("commander", "announce", audience="全體縣民", message="勿搶購"))
    assert "expected_action_met" in kinds(out)
    assert session.injects["B01"].state == "resolved"
    assert rejection(session.submit(P("commander", "acknowledge", inject="B01")))["rule"] == "inject"


def test_missed_expected_action_expires_the_inject(session):
    session.submit(F("start"))
    session.submit(F("advance"))
    session.submit(F("advance"))
    session.submit(P("supply", "acknowledge", inject="B02"))
    session.submit(F("advance"))
    out = session.submit(F("advance"))  # turn end of turn 1: B02's deadline (1 turn) has come
    assert "expected_action_missed" in kinds(out)
    assert session.injects["B02"].state == "expired"


def test_facilitator_inject_controls(session):
    session.submit(F("start"))
    assert rejection(session.submit(F("delay_inject", inject="W04", turns=1)))["rule"] == "inject"  # past the last turn
    session.submit(F("delay_inject", inject="B03", turns=2))
    assert session.injects["B03"].due_turn == 4
    session.submit(F("cancel_inject", inject="B04"))
    assert session.injects["B04"].state == "cancelled"
    session.submit(F("advance"))
    out = session.submit(F("inject_now", inject="F01"))
    assert "inject_forced" in kinds(out) and session.injects["F01"].state == "delivered"
    assert rejection(session.submit(F("inject_now", inject="nope")))["rule"] == "inject"


def test_snapshot_is_plain_data(session):
    from tabletop.core import canonical

    session.submit(F("start"))
    session.submit(F("advance"))
    assert canonical.dumps(session.snapshot())


def test_multi_day_clock(default_scenario):
    from tabletop.core.clock import Clock

    clock = Clock.from_iso("2026-02-27T20:00:00+08:00", 360, 20)
    assert clock.day(1) == 1 and clock.day(2) == 2  # 02:00 next day
    assert clock.iso(3) == "2026-02-28T08:00:00+08:00"
    assert clock.iso(5) == "2026-02-28T20:00:00+08:00" and clock.day(6) == 3
    assert clock.iso(6) == "2026-03-01T02:00:00+08:00"


def test_central_meets_expected_actions_addressed_to_central(tmp_path):
    import os

    from conftest import FIXTURES
    from tabletop.api import load_scenario_text

    text = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    text = text.replace("    text: {zh_TW: 內容, en: Text}", "    text: {zh_TW: 內容, en: Text}\n    expected:\n"
                        "      - {kind: send_message, role: central, within_turns: 2, capability: operational_coordination}")
    loaded = load_scenario_text(text, "s.yaml")
    assert loaded.ok, loaded.problems
    session = api.new_session(loaded, 1)[0]
    session.submit(F("start"))
    session.submit(F("advance"))
    session.submit(F("advance"))
    out = session.submit(Command(None, None, "central", "send_message", {"id": "c1", "to": "c1.commander", "body": "核定"}))
    assert "expected_action_met" in kinds(out)


def test_at_time_after_the_last_turn_is_reported():
    import os

    from conftest import FIXTURES
    from tabletop.api import load_scenario_text

    text = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    text = text.replace("    at_turn: 1", '    at_time: "2026-07-20T08:00:00+08:00"')
    problems = load_scenario_text(text, "s.yaml").problems
    assert problems and "after the last turn" in problems[0].message and problems[0].line == 19


def test_global_role_rejection_lists_who_may(session):
    session.submit(F("start"))
    session.submit(F("advance"))
    data = rejection(session.submit(Command(None, None, "central", "acknowledge", {"inject": "B01"})))
    assert data["rule"] == "role" and "commander" in i18n.reason_both(data)["en"] and "：。" not in i18n.reason_both(data)["zh_TW"]
