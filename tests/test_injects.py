import pytest
"""Triggered, contingency and deck injects; phases; effects and conditions through the plugin seam."""

import json

from tabletop import api
from tabletop.core.commands import Command


def F(kind, **args):
    return Command(None, None, "facilitator", kind, args)


def _draws(path):
    return [json.loads(line)["data"]["inject"] for line in open(path, encoding="utf-8") if '"kind":"card_drawn"' in line]


@pytest.mark.slow
def test_deck_draws_are_reproducible_and_depend_on_the_seed(played):
    first = _draws(played(seed=1, name="a.jsonl"))
    assert first == _draws(played(seed=1, name="b.jsonl"))
    assert len(first) == 2 and len(set(first)) == 2
    others = {tuple(_draws(played(seed=seed, name=f"s{seed}.jsonl"))) for seed in range(2, 8)}
    assert len(others | {tuple(first)}) > 1


def test_empty_deck_is_rejected(default_scenario):
    session = api.new_session(default_scenario, 1)[0]
    session.submit(F("start"))
    session.submit(F("advance"))
    for _ in range(3):
        session.submit(F("draw_card", deck="evaluator"))
    out = session.submit(F("draw_card", deck="evaluator"))
    assert out[-1]["kind"] == "command_rejected" and out[-1]["data"]["rule"] == "deck"


def test_contingency_fires_after_a_missed_action(played):
    records = [json.loads(line) for line in open(played(), encoding="utf-8")]
    missed = next(r for r in records if r["kind"] == "expected_action_missed" and r["data"]["inject"] == "W02")
    fired = next(r for r in records if r["kind"] == "inject_triggered" and r["data"]["inject"] == "W02C")
    assert fired["data"] == {"inject": "W02C", "source": "W02", "when": "action_missed"}
    assert fired["turn"] == missed["turn"] + 1
    delivered = next(r for r in records if r["kind"] == "inject_delivered" and r["data"]["inject"] == "W02C")
    assert delivered["seq"] > fired["seq"]


def test_contingency_does_not_fire_when_the_action_is_done(default_scenario, default_actions, tmp_path):
    from tabletop.runner import run
    from tabletop.scenario.actions import Action

    fixed = [a for a in default_actions if not (a.turn == 10 and a.do == "send_message")]
    fixed.append(Action(turn=10, county="hualien", role="supply", do="send_message",
                        args={"id": "m-fix", "to": "zhuoxi", "body": "今晚由鳳林倉庫補給。"}))
    path = tmp_path / "fixed.jsonl"
    run(default_scenario, 1, fixed, str(path))
    fired = [json.loads(line)["data"]["inject"] for line in open(path, encoding="utf-8") if '"inject_triggered"' in line]
    assert "W02C" not in fired


def test_phases_start_with_their_briefing(played):
    records = [json.loads(line) for line in open(played(), encoding="utf-8")]
    started = [(r["turn"], r["data"]["phase"]) for r in records if r["kind"] == "phase_started"]
    assert started == [(1, "blockade"), (5, "fire_strikes"), (9, "full_war")]


def test_unknown_effects_conditions_and_trigger_targets_are_located(tmp_path):
    import os

    from conftest import FIXTURES
    from tabletop.api import load_scenario_file

    text = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    text += """  - id: i2
    trigger: {when: action_missed, inject: ghost}
    county: c1
    role: commander
    title: {zh_TW: 二, en: Two}
    text: {zh_TW: 二, en: Two}
    effects:
      - {type: meteor_strike, size: 3}
  - id: i3
    trigger: {when: condition, condition: never_heard_of}
    county: c1
    role: commander
    title: {zh_TW: 三, en: Three}
    text: {zh_TW: 三, en: Three}
"""
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    problems = load_scenario_file(str(path)).problems
    messages = [(p.line, p.message.split(";")[0]) for p in problems]
    assert (25, "trigger refers to unknown inject 'ghost'") in messages
    assert (31, "unknown effect 'meteor_strike' (did you mean 'strike'?) (every effect: docs/injects.md)") in messages
    assert (33, "unknown condition 'never_heard_of'") in messages


def test_condition_trigger_fires_on_the_truth(played):
    records = [json.loads(line) for line in open(played(), encoding="utf-8")]
    fired = [r for r in records if r["kind"] == "inject_triggered" and r["data"]["inject"] == "T01"]
    assert fired and fired[0]["data"]["when"] == "condition" and fired[0]["turn"] >= 5
