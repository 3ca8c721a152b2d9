"""Communications: queued while channels are down, latency, batteries, repairs, fog of war."""

import os

import pytest

from conftest import FIXTURES
from tabletop import api
from tabletop.comms import picture
from tabletop.core.commands import Command
from tabletop.api import load_scenario_text

BASE = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read().replace("turns: 3", "turns: 12")
BASE = BASE.replace("      - {id: t1, name: {zh_TW: 甲鄉, en: A}, population: 1000}",
                    "      - {id: t1, name: {zh_TW: 甲鄉, en: A}, population: 1000}\n"
                    "      - {id: t2, name: {zh_TW: 乙鄉, en: B}, population: 500}")


def scenario(extra_injects="", comms=""):
    text = BASE + extra_injects + comms
    loaded = load_scenario_text(text, "comms.yaml")
    assert loaded.ok, loaded.problems
    return loaded


def inject(ident, turn, effects):
    return f"""  - id: {ident}
    at_turn: {turn}
    county: c1
    role: comms
    title: {{zh_TW: 通信, en: Comms}}
    text: {{zh_TW: 通信, en: Comms}}
    effects: {effects}
"""


def F(kind, **args):
    return Command(None, None, "facilitator", kind, args)


def P(role, kind, **args):
    return Command(None, "c1", role, kind, args)


class Driver:
    def __init__(self, loaded):
        self.session = api.new_session(loaded, 1)[0]
        self.records = []
        self.do(F("start"))
        self.do(F("advance"))  # turn 1, injects

    def do(self, command):
        out = self.session.submit(command)
        self.records += out
        bad = [r for r in out if r["kind"] == "command_rejected"]
        return out, bad

    def to_phase(self, phase):
        while self.session.state != f"running_{phase}":
            self.do(F("advance"))

    def next_turn(self):
        self.do(F("advance"))
        self.to_phase("injects")

    def events(self, kind):
        return [r for r in self.records if r["kind"] == kind]


def test_message_waits_while_every_channel_is_down_and_goes_first_over_the_repaired_one():
    loaded = scenario(inject("X1", 1, "[{type: comms_failure, area: [t2], cause: strike}]"))
    run = Driver(loaded)
    downs = [e["data"] for e in run.events("channel_state") if e["data"]["to"] == "down"]
    assert {d["channel"] for d in downs if d["link"] == "eoc:c1|township:t2"} == {"landline", "mobile", "radio", "runner"}
    run.to_phase("orders")
    _, bad = run.do(P("commander", "send_message", id="m1", to="t2", body="開設配售站"))
    assert not bad
    _, bad = run.do(P("comms", "request_repair", id="r1", node="t2", crew="中華電信搶修班"))
    assert not bad
    for _ in range(3):
        run.to_phase("turnend")
        assert not [e for e in run.events("message_delivered") if e["data"]["id"] == "m1"] or run.session.turn >= 3
        run.next_turn()
    run.to_phase("turnend")
    queued = [e for e in run.events("message_queued") if e["data"]["id"] == "m1"]
    delivered = [e for e in run.events("message_delivered") if e["data"]["id"] == "m1"]
    done = run.events("repair_done")
    assert len(queued) == 1 and len(delivered) == 1 and done
    assert delivered[0]["seq"] > done[0]["seq"]
    assert delivered[0]["data"]["channel"] == "landline"  # the best channel back after the repair
    assert delivered[0]["turn"] == done[0]["turn"]


def test_latency_per_channel():
    loaded = scenario(inject("X1", 1, "[{type: comms_failure, area: [t1], channel: landline}, "
                                      "{type: comms_failure, area: [t1], channel: mobile}, "
                                      "{type: comms_failure, area: [t1], channel: radio}]"))
    run = Driver(loaded)
    run.to_phase("orders")
    run.do(P("commander", "send_message", id="m1", to="t2", body="x"))
    run.do(P("commander", "send_message", id="m2", to="t2", body="y", channel="runner"))
    run.next_turn()
    run.to_phase("turnend")
    got = {e["data"]["id"]: (e["data"]["channel"], e["data"]["latency"]) for e in run.events("message_delivered")}
    assert got["m1"] == ("runner", 1) and got["m2"] == ("runner", 1)


def test_pinned_channel_and_immediate_delivery():
    run = Driver(scenario())
    run.to_phase("orders")
    _, bad = run.do(P("comms", "set_channel", link="t2", channel="radio"))
    assert not bad
    run.do(P("commander", "send_message", id="m1", to="t2", body="x"))
    run.to_phase("adjudication")
    got = [e["data"] for e in run.events("message_delivered") if e["data"]["id"] == "m1"]
    assert got == [{"id": "m1", "channel": "radio", "latency": 0}]
    _, bad = run.do(P("comms", "set_channel", link="t2", channel="pigeon"))


def test_battery_backup_runs_out_turn_by_turn():
    loaded = scenario(inject("X1", 1, "[{type: power_outage, area: [t2], duration: 6}]"))
    run = Driver(loaded)
    link = "eoc:c1|township:t2"

    def down_at(channel):
        for event in run.events("channel_state"):
            if event["data"]["link"] == link and event["data"]["channel"] == channel and event["data"]["to"] == "down":
                return event["turn"]
        return None

    for _ in range(4):
        run.next_turn()
    assert down_at("mobile") == 2  # one turn of battery
    assert down_at("landline") == 3  # two turns of battery
    assert down_at("radio") is None and down_at("runner") is None
    for _ in range(4):
        run.next_turn()
    ups = [e for e in run.events("channel_state") if e["data"]["link"] == link and e["data"]["to"] == "up"]
    assert {e["data"]["channel"] for e in ups} == {"landline", "mobile"}


def test_known_picture_lags_the_truth_and_never_shows_undelivered_facts():
    loaded = scenario(inject("X1", 3, "[{type: power_outage, area: [t2]}, {type: comms_failure, area: [t2]}]"))
    run = Driver(loaded)
    session = run.session
    assert picture.known_view(session, "c1") == {}  # nothing reported yet
    run.next_turn()  # turn 2: turn 1's reports arrive in adjudication
    run.next_turn()  # turn 3: t2 loses power and every channel; its turn-2 report is stuck
    run.to_phase("turnend")
    truth = picture.truth_view(session, "c1")["township:t2"]["facts"]
    known = picture.known_view(session, "c1")
    assert truth["grid_power"] is False
    assert known["township:t2"]["facts"]["grid_power"] is True  # the EOC still believes the old picture
    assert known["township:t2"]["as_of"] == 1
    assert "township:t2" in picture.difference(session, "c1")
    for _ in range(3):
        run.next_turn()
    known = picture.known_view(session, "c1")
    assert known["township:t2"]["as_of"] == 1  # no later report got through
    assert known["township:t1"]["as_of"] == session.turn - 2  # start of turn: last turn's report not yet in
    run.to_phase("turnend")
    known = picture.known_view(session, "c1")
    assert known["township:t1"]["as_of"] == session.turn - 1  # t1 keeps reporting, one turn behind
    assert known["township:t2"]["as_of"] == 1


def test_request_report_and_bad_targets():
    run = Driver(scenario())
    run.to_phase("orders")
    _, bad = run.do(P("supply", "request_report", **{"from": "w1"}))
    assert not bad
    run.to_phase("turnend")
    assert any(e["data"]["from"] == "warehouse:w1" for e in run.events("report_received"))
    run.next_turn()
    run.to_phase("orders")
    _, bad = run.do(P("supply", "request_report", **{"from": "atlantis"}))
    assert bad[0]["data"]["rule"] == "destination"
    _, bad = run.do(P("commander", "set_channel", link="t2", channel="radio"))
    assert bad[0]["data"]["rule"] == "role"


def test_same_commands_same_log():
    loaded = scenario(inject("X1", 1, "[{type: jamming, area: [t1, t2], channel: radio, degradation: 0.9}]"))
    logs = []
    for _ in range(2):
        run = Driver(loaded)
        run.to_phase("orders")
        for n in range(30):
            run.do(P("commander", "send_message", id=f"m{n}", to="t2", body="x", channel="radio"))
        run.next_turn()
        run.to_phase("turnend")
        logs.append([r["hash"] for r in run.records])
    assert logs[0] == logs[1]


def test_known_view_at_any_seq_from_the_log(played):
    import json

    from tabletop.replay import known_view_at

    path = played()
    records = [json.loads(line) for line in open(path, encoding="utf-8")]
    first_report = next(r for r in records if r["kind"] == "report_received")
    batch = max(r["seq"] for r in records if r["type"] == "command" and r["seq"] < first_report["seq"])
    before = known_view_at(path, batch - 1, "hualien")
    after = known_view_at(path, first_report["seq"], "hualien")
    assert first_report["data"]["from"] not in before
    assert after[first_report["data"]["from"]]["facts"] == first_report["data"]["facts"]


def test_a_station_order_takes_effect_only_when_the_township_office_receives_it():
    loaded = scenario(inject("X1", 1, "[{type: comms_failure, area: [t2], cause: strike}]"))
    run = Driver(loaded)
    run.to_phase("orders")
    _, bad = run.do(P("civil_affairs", "open_station", id="s2", township="t2", site="hall", type="type_III", staff=19))
    assert not bad
    stations = run.session.domain("distribution").stations
    for _ in range(2):
        run.next_turn()
        run.to_phase("turnend")
        assert stations["s2"].state == "planned"  # the order is stuck in the queue
    run.next_turn()
    run.to_phase("orders")
    run.do(P("comms", "request_repair", id="r1", node="t2", crew="搶修班"))
    for _ in range(3):
        run.next_turn()
    run.to_phase("turnend")
    received = run.events("station_order_received")
    assert received and received[0]["data"]["delay_turns"] >= 3
    assert stations["s2"].state in ("setting_up", "open")
