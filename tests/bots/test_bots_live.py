"""``serve --bots``: bots hold their seats in the live room, through the room's one queue, beside people."""

import threading
import time

import httpx

from conftest import SCENARIO, cli

from tabletop.bots.live import attach
from tabletop.bots.policy import Policy
from tabletop.replay import verify


def test_bots_play_their_seats_in_the_room_and_people_keep_theirs(tmp_path):
    import uvicorn

    from tabletop.api import load_scenario_file
    from tabletop.server.app import make_app
    from tabletop.server.room import Room
    from tabletop.server.serve import bind, uvicorn_config

    log = tmp_path / "room.jsonl"
    room = Room.create(load_scenario_file(SCENARIO), 4, str(log))
    bots = {"hualien.commander": Policy("by_the_book"), "hualien.supply": Policy("by_the_book")}
    sock = bind("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn_config(attach(make_app(room), room, bots)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    links = room.book.links(url)
    token = {s["seat"]: s["token"] for s in links["seats"]}

    def client(tok):
        return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {tok}"}, timeout=30)

    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        facilitator = client(links["facilitator"]["token"])
        person = client(token["hualien.comms"])
        for n, kind in enumerate(["start", "advance", "advance"]):  # -> turn 1, orders
            assert facilitator.post("/api/command", json={"kind": kind, "args": {}, "client_id": f"f{n}"}).status_code == 200
        # A person at the comms seat acts too, through the same queue.
        answer = person.post("/api/command", json={"kind": "request_report", "args": {"from": "township:yuli"},
                                                   "client_id": "p1"}).json()
        assert answer["status"] == "accepted"
        seen = set()
        while time.monotonic() < deadline + 20 and not {"hualien.commander", "hualien.supply"} <= seen:
            seen = {r["actor"] for r in room.records if r["type"] == "command" and r["kind"] == "acknowledge"}
            time.sleep(0.1)
        assert {"hualien.commander", "hualien.supply"} <= seen  # B01 and B02 acknowledged by the bots
        kinds = {(r["actor"], r["kind"]) for r in room.records if r["type"] == "command"}
        assert ("hualien.commander", "announce") in kinds and ("hualien.supply", "send_message") in kinds
        assert not any(actor == "hualien.comms" and kind != "request_report" for actor, kind in kinds)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
    assert verify(str(log)).ok


def test_serve_with_an_unknown_bot_seat_exits_2(tmp_path):
    done = cli("--lang", "en", "serve", SCENARIO, "--bots", "by_the_book,nobody=idle", "--log", str(tmp_path / "r.jsonl"))
    assert done.returncode == 2 and "unknown seat 'nobody'" in done.stderr and not (tmp_path / "r.jsonl").exists()
