"""A bot decides from its seat's payload alone: never from the session's truth."""

import ast
import copy
import json
import os

import pytest

from conftest import ROOT

from tabletop import api
from tabletop.bots.desk import Desk
from tabletop.bots.doctrine import read_book
from tabletop.bots.play import bot_rounds
from tabletop.bots.players import Player
from tabletop.bots.policy import Policy
from tabletop.runner import plan


def _at_orders(loaded, seed, turn, policy):
    """A session played by bots up to ``turn``'s orders phase: (desk, players, seats in order)."""
    session, header = api.new_session(loaded, seed)
    desk = Desk(session, header)
    book = read_book(loaded.scenario)
    players = {seat.name: Player(policy, book, seed, seat.name) for seat in desk.book.trainees}
    order = list(desk.book.trainees)
    for command in plan([], loaded.scenario.clock.turns, loaded.scenario.clock.turns):
        if session.state == "running_orders" and session.turn == turn:
            return desk, players, order
        if command.kind == "advance" and session.state == "running_orders":
            bot_rounds(desk, players, order, None)
        desk.take(session.submit(command))
    raise AssertionError("never reached the turn")


def _decisions(players, payloads):
    """Each seat's decision from a copy of the player (``chaotic`` draws from its seeded stream)."""
    return {name: copy.deepcopy(players[name]).decide(copy.deepcopy(payload)) for name, payload in payloads.items()}


@pytest.mark.parametrize("policy", [Policy("by_the_book"), Policy("chaotic")])
def test_changing_the_truth_behind_an_outage_changes_no_decision(default_scenario, policy):
    # Turn 7: F03 (turn 6) took the landline and base stations down in Hualien City and Ji'an,
    # F04 put 40 casualties in Ji'an: what the EOC knows lags the truth.
    desk, players, order = _at_orders(default_scenario, 3, 7, policy)
    session = desk.session
    payloads = {seat.name: desk.payload(seat) for seat in order}
    decided = _decisions(players, payloads)
    assert any(decided.values()), "the bots have something to do in this turn (else the test proves nothing)"
    # Change the truth the EOC has not heard of: panic in every township, true stocks in every
    # township and station, the crises' true casualties and displaced people.
    truth = json.dumps(session.snapshot(), sort_keys=True, default=str)
    dist = session.domains["distribution"]
    for township in sorted(dist.panic):
        dist.panic[township] = 9.0
    for station in dist.stations.values():
        for good in list(station.stock):
            station.stock[good] = station.stock[good] * 0.5 + 1.0
    crises = session.domains["crises"]
    for township, facts in sorted(crises.data.get("townships", {}).items()):
        for key in ("casualties", "displaced"):
            if isinstance(facts.get(key), (int, float)):
                facts[key] = facts[key] + 500
    assert json.dumps(session.snapshot(), sort_keys=True, default=str) != truth, "the truth did change"
    after = {seat.name: desk.payload(seat) for seat in order}
    assert after == payloads, "the seat view must not show the truth the EOC has not heard"
    assert _decisions(players, after) == decided


def test_a_bot_reads_nothing_but_the_payload_data(default_scenario):
    desk, players, order = _at_orders(default_scenario, 5, 6, Policy("by_the_book"))
    for seat in order:
        payload = desk.payload(seat)
        as_json = json.loads(json.dumps(payload, ensure_ascii=False))  # plain data: no object can reach the session
        assert _decisions(players, {seat.name: as_json}) == _decisions(players, {seat.name: payload})
        # What bots play from (the same parts, forms built when read) decides as the whole payload does.
        view = desk.view(seat)
        # (The phase clock, response reports and the evaluator's page are for people: bots read none.)
        unread = ("panels", "forms", "clock", "reports", "feedback", "eeg", "delivered", "ratings", "evaluator")
        assert {k: v for k, v in payload.items() if k not in unread} == \
            {k: v for k, v in view.items() if k != "forms"}
        assert _decisions(players, {seat.name: view}) == _decisions(players, {seat.name: payload})
    # The control: what the seat sees does change what it does.
    commander = next(seat for seat in order if seat.name == "hualien.comms")
    payload = desk.payload(commander)
    assert players["hualien.comms"].decide(payload)
    blind = dict(payload, inbox=[])
    assert players["hualien.comms"].decide(blind) != players["hualien.comms"].decide(payload)


def test_players_hold_no_session_and_import_no_truth(default_scenario):
    desk, players, _ = _at_orders(default_scenario, 1, 2, Policy("by_the_book"))
    for player in players.values():
        assert set(vars(player)) == {"policy", "book", "seat", "stream"}
    allowed = {"tabletop.bots.doctrine", "tabletop.bots.fill", "tabletop.bots.policy", "tabletop.core.injects",
               "tabletop.core.rng", "tabletop"}
    for name in ("players.py", "fill.py", "doctrine.py", "policy.py"):
        tree = ast.parse(open(os.path.join(ROOT, "tabletop", "bots", name), encoding="utf-8").read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tabletop"):
                assert node.module in allowed, f"{name} imports {node.module}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("tabletop") for a in node.names), name
