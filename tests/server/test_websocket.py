"""The websocket /ws: token first, pushes within a second of the event, origin checked."""

from __future__ import annotations

import json
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from helpers import Client, ThreadServer, new_room, seat_token


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    room = new_room(tmp_path_factory.mktemp("ws"))
    with ThreadServer(room) as srv:
        facilitator = Client(srv.url, seat_token(srv.links(), "facilitator"))
        facilitator.command("start")
        yield srv


def ws_url(srv):
    return srv.url.replace("http://", "ws://") + "/ws"


def until(socket, predicate, timeout=5.0):
    """Messages until one satisfies ``predicate``; returns (it, seconds waited)."""
    start = time.monotonic()
    while True:
        left = timeout - (time.monotonic() - start)
        assert left > 0, "no such push in time"
        message = json.loads(socket.recv(timeout=left))
        if predicate(message):
            return message, time.monotonic() - start


def test_push_within_a_second_of_the_event(server):
    token = seat_token(server.links(), "hualien.supply")
    with connect(ws_url(server)) as socket:
        socket.send(json.dumps({"token": token, "after": 0}))
        hello = json.loads(socket.recv(timeout=5))
        assert hello == {"type": "hello", "seat": "hualien.supply"}
        until(socket, lambda m: m["type"] == "seat")
        facilitator = Client(server.url, seat_token(server.links(), "facilitator"))
        sent = time.monotonic()
        facilitator.command("advance")  # briefing -> turn 1: B02 reaches the supply seat
        message, _ = until(socket, lambda m: m["type"] == "events"
                           and any(e["kind"] == "inject_delivered" for e in m["events"]))
        assert time.monotonic() - sent < 1.0
        delivered = next(e for e in message["events"] if e["kind"] == "inject_delivered")
        assert delivered["inject"] == "B02" and "量販店搶購米油" in delivered["text"]["zh_TW"]  # its title; the id beside it
        seat, _ = until(socket, lambda m: m["type"] == "seat")
        assert any(i["id"] == "B02" for i in seat["seat"]["inbox"])
        # A colleague's announcement reaches every seat of the county at once.
        commander = Client(server.url, seat_token(server.links(), "hualien.commander"))
        sent = time.monotonic()
        commander.command("announce", audience="全體縣民", message="請勿搶購。")
        message, _ = until(socket, lambda m: m["type"] == "events"
                           and any(e["kind"] == "announcement" for e in m["events"]))
        assert time.monotonic() - sent < 1.0
        assert "請勿搶購" in message["events"][-1]["text"]["zh_TW"]


def test_token_in_query_and_catch_up_from_after(server):
    token = seat_token(server.links(), "hualien.supply")
    client = Client(server.url, token)
    everything = client.events(0)
    middle = everything[len(everything) // 2]["seq"]
    with connect(ws_url(server) + f"?token={token}&after={middle}") as socket:
        assert json.loads(socket.recv(timeout=5))["type"] == "hello"
        events, _ = until(socket, lambda m: m["type"] == "events")
        assert [e["seq"] for e in events["events"]] == [e["seq"] for e in everything if e["seq"] > middle]


def test_bad_token_is_closed(server):
    with connect(ws_url(server)) as socket:
        socket.send(json.dumps({"token": "wrong"}))
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=5)
        assert closed.value.rcvd.code == 4401


def test_foreign_origin_is_refused(server):
    token = seat_token(server.links(), "hualien.supply")
    with pytest.raises((InvalidStatus, ConnectionClosed)):
        with connect(ws_url(server) + f"?token={token}", origin="http://evil.example") as socket:
            socket.recv(timeout=5)
    host = server.url.split("//")[1]
    with connect(ws_url(server) + f"?token={token}", origin=f"http://{host}") as socket:
        assert json.loads(socket.recv(timeout=5))["type"] == "hello"


def test_connected_seats_are_counted_for_the_facilitator(server):
    token = seat_token(server.links(), "hualien.health")
    facilitator = Client(server.url, seat_token(server.links(), "facilitator"))
    with connect(ws_url(server) + f"?token={token}") as socket:
        json.loads(socket.recv(timeout=5))
        seats = {s["seat"]: s["connected"] for s in facilitator.seat()["seats"]}
        assert seats["hualien.health"] == 1
    deadline = time.monotonic() + 5
    while {s["seat"]: s["connected"] for s in facilitator.seat()["seats"]}["hualien.health"] != 0:
        assert time.monotonic() < deadline
        time.sleep(0.05)
