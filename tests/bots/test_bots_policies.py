"""Policies, seat assignments, determinism and ``run --bots``."""

import pytest

from conftest import ACTIONS, SCENARIO, cli

from tabletop.bots.play import play, seats_of
from tabletop.bots.policy import BotError, Policy, assign, parse_policies, parse_policy
from tabletop.replay import verify


def test_policy_names():
    assert parse_policy("late:3") == Policy("late", 3) and parse_policy("late:3").text == "late:3"
    assert [p.text for p in parse_policies("by_the_book,idle,late:2")] == ["by_the_book", "idle", "late:2"]
    for bad in ("late", "late:0", "late:x", "idle:2", "smart", ""):
        with pytest.raises(BotError):
            parse_policy(bad)
    with pytest.raises(BotError):
        parse_policies("idle,idle")


def test_assignment_fills_the_other_seats_or_leaves_them_to_people():
    seats = ["a.x", "a.y", "central"]
    assert assign("idle,a.y=chaotic", seats) == {"a.x": Policy("idle"), "a.y": Policy("chaotic"), "central": Policy("idle")}
    assert assign("a.y=late:1", seats) == {"a.y": Policy("late", 1)}
    for bad in ("idle,nobody=idle", "idle,by_the_book", "a.x=idle,a.x=idle", "a.x=", ","):
        with pytest.raises(BotError):
            assign(bad, seats)


def test_same_seed_same_log_other_seed_other_choices(default_scenario):
    seats = seats_of(default_scenario)
    first = play(default_scenario, 11, assign("chaotic", seats))
    again = play(default_scenario, 11, assign("chaotic", seats))
    other = play(default_scenario, 12, assign("chaotic", seats))
    assert [r.line for r in first.records] == [r.line for r in again.records]

    def commands(played):
        return [(r["actor"], r["kind"], r["data"]["args"]) for r in played.records
                if r["type"] == "command" and r["actor"] != "facilitator"]

    assert commands(first) and commands(first) != commands(other)


def test_run_with_bots_and_people_writes_a_log_that_verifies(tmp_path):
    log = tmp_path / "bots.jsonl"
    done = cli("--lang", "en", "run", SCENARIO, "--bots", "by_the_book,hualien.supply=late:1", "--actions", ACTIONS,
               "--log", str(log))
    assert done.returncode == 0, done.stderr
    assert "hualien.supply=late:1" in done.stdout and "hualien.commander=by_the_book" in done.stdout
    assert verify(str(log)).ok
    # Seats left out play the actions file: only the commander is a bot here.
    mixed = tmp_path / "mixed.jsonl"
    assert cli("run", SCENARIO, "--bots", "hualien.commander=idle", "--actions", ACTIONS, "--log", str(mixed),
               "--quiet").returncode == 0
    text = mixed.read_text(encoding="utf-8")
    assert '"actor":"hualien.supply"' in text and '"actor":"hualien.commander"' not in text
    assert verify(str(mixed)).ok


def test_run_with_bad_bots_exits_2_with_a_message(tmp_path):
    done = cli("--lang", "en", "run", SCENARIO, "--bots", "by_the_book,nobody.here=idle", "--log", str(tmp_path / "x.jsonl"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and "unknown seat 'nobody.here'" in done.stderr
    assert not (tmp_path / "x.jsonl").exists()
