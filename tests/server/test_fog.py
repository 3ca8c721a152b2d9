"""Fog of war on the server: during a communications outage every payload a seat receives
(GET /api/seat, GET /api/events, websocket pushes) is compared with the truth
(``tabletop.comms.picture``) and with the other county's facts: none may leak."""

from __future__ import annotations

import pytest
import json
import os
import threading

from websockets.sync.client import connect

from conftest import FIXTURES
from helpers import Client, ThreadServer, seat_token

BASE = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read().replace("turns: 3", "turns: 12")
BASE = BASE.replace("      - {id: t1, name: {zh_TW: 甲鄉, en: A}, population: 1000}",
                    "      - {id: t1, name: {zh_TW: 甲鄉, en: A}, population: 1000}\n"
                    "      - {id: t2, name: {zh_TW: 乙鄉, en: Town B}, population: 500}")
BASE = BASE.replace("injects:\n", """  - id: c2
    name: {zh_TW: 乙縣, en: County Two}
    townships:
      - {id: t3, name: {zh_TW: 丙鄉, en: Hidden Town}, population: 800}
    warehouses:
      - {id: w2, name: {zh_TW: 丙倉, en: Hidden Depot}, township: t3, stock: {rice: 4321}}
injects:
""")
INJECTS = """  - id: X1
    at_turn: 3
    county: c1
    role: comms
    title: {zh_TW: 通信, en: Comms}
    text: {zh_TW: 通信, en: Comms}
    effects: [{type: power_outage, area: [t2]}, {type: comms_failure, area: [t2]}]
  - id: Y1
    at_turn: 1
    county: c2
    role: commander
    title: {zh_TW: 乙縣機密狀況, en: Secret of County Two}
    text: {zh_TW: 丙倉遭竊, en: Hidden Depot robbed}
"""
#: Facts of county c2 that no seat of c1 may ever be shown.
OTHER_COUNTY = ("丙鄉", "Hidden Town", "丙倉", "Hidden Depot", "4,321", "乙縣機密狀況", "Secret of County Two",
                "乙縣專屬公告", "only for County Two")


def scenario():
    from tabletop.api import load_scenario_text

    loaded = load_scenario_text(BASE + INJECTS, "fog.yaml")
    assert loaded.ok, loaded.problems
    return loaded


def truth_only_texts(session, header, county):
    """Picture lines the county's seats would read if every report got through (the truth),
    and that the EOC's own picture does not hold: the facts the outage hides."""
    from tabletop.comms import picture
    from tabletop.core.session import Session
    from tabletop.server import views

    fork = Session.from_snapshot(session.scenario, header, session.snapshot(), session.parts)
    known = fork.domain("comms")["known"][county]
    for node, truth in picture.truth_view(fork, county).items():
        known[node] = dict(known.get(node, {})) | {"facts": truth["facts"], "as_of": fork.turn}
    panels = sorted({name for role in session.counties[county].roles for name in views.panel_names(role)})
    def texts(s):
        return {row.text[lang] for name in panels for row in views.panel_rows(s, county, name) for lang in row.text}
    return texts(fork) - texts(session)


@pytest.mark.slow
def test_no_payload_holds_a_fact_the_eoc_does_not_know(tmp_path):
    from tabletop.comms import picture
    from tabletop.server.room import Room

    room = Room.create(scenario(), 1, str(tmp_path / "fog.jsonl"))
    with ThreadServer(room) as srv:
        links = srv.links()
        seats = [s["seat"] for s in links["seats"] if s["county"] == "c1"]
        pushed: dict[str, list[str]] = {name: [] for name in seats}
        stop = threading.Event()

        def listen(name):
            with connect(srv.url.replace("http://", "ws://") + "/ws") as socket:
                socket.send(json.dumps({"token": seat_token(links, name), "after": 0}))
                while not stop.is_set():
                    try:
                        pushed[name].append(socket.recv(timeout=0.2))
                    except TimeoutError:
                        continue

        listeners = [threading.Thread(target=listen, args=(name,), daemon=True) for name in seats]
        for thread in listeners:
            thread.start()
        facilitator = Client(srv.url, seat_token(links, "facilitator"))
        other = Client(srv.url, seat_token(links, "c2.commander"))
        facilitator.command("start")
        facilitator.command("advance")  # turn 1
        other.command("acknowledge", inject="Y1")
        other.command("announce", audience="乙縣", message="乙縣專屬公告 only for County Two")
        other.command("open_station", id="st_c2", township="t3", site="hall", type="type_III", staff=5)
        for _ in range(4 * 4 - 1):  # to turn 4's end: t2's power cut and silence began in turn 3
            facilitator.command("advance")
        assert room.session.turn == 4 and room.session.state == "running_turnend"
        truth = picture.truth_view(room.session, "c1")["township:t2"]["facts"]
        known = picture.known_view(room.session, "c1")["township:t2"]
        assert truth["grid_power"] is False and known["facts"]["grid_power"] is True  # the EOC does not know
        assert "township:t2" in picture.difference(room.session, "c1")
        hidden = truth_only_texts(room.session, room.records[0], "c1")
        assert any("乙鄉" in text or "Town B" in text for text in hidden), hidden  # the outage hides something
        import time

        time.sleep(0.5)  # the last pushes
        stop.set()
        for thread in listeners:
            thread.join(timeout=5)
        for name in seats:
            client = Client(srv.url, seat_token(links, name))
            payloads = [json.dumps(client.seat(), ensure_ascii=False), json.dumps(client.events(0), ensure_ascii=False)]
            payloads += pushed[name]
            assert len(pushed[name]) >= 3, name
            for text in payloads:
                for fact in hidden:
                    assert fact not in text, (name, fact)
                for fact in OTHER_COUNTY:
                    assert fact not in text, (name, fact)
            for event in client.events(0):
                assert event["kind"] in ("command", "exercise_state", "turn_started", "phase_started", "inject_delivered",
                                         "inject_acknowledged", "inject_state", "expected_action_met",
                                         "expected_action_missed", "announcement", "message_delivered"), event
                assert set(event) <= {"seq", "turn", "time", "kind", "tone", "text", "inject", "command", "status", "rule"}
        # The other county's own seat does see its facts (the check above is not vacuous).
        mine = json.dumps(other.seat(), ensure_ascii=False) + json.dumps(other.events(0), ensure_ascii=False)
        assert "乙縣機密狀況" in mine and "乙縣專屬公告" in mine
