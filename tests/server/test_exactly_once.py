"""One authority, exactly once: one queue into Session.submit, client-id dedup, durable
answers, and a log that is the same bytes as submitting the same commands by hand. Crash
tests kill the real ``serve`` process with SIGKILL and resume it."""

from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from conftest import SCENARIO, cli
from helpers import Client, ProcessServer, ThreadServer, new_room, seat_token

pytestmark = pytest.mark.slow  # real server processes killed and resumed: the full suite only


def log_records(path):
    with open(path, "rb") as handle:
        return [json.loads(line) for line in handle.read().split(b"\n") if line.strip()]


def resubmitted_bytes(path):
    """The log a fresh session makes from the same header seed and the logged commands."""
    from tabletop import api
    from tabletop.logfile import line_of
    from tabletop.api import load_scenario_file

    records = log_records(path)
    session, header = api.new_session(load_scenario_file(SCENARIO), records[0]["data"]["seed"])
    out = [header]
    for record in records[1:]:
        if record["type"] == "command":
            out += session.submit(api.command_from_record(record))
    return b"".join(line_of(r) for r in out)


def test_the_log_is_what_the_session_makes_of_the_same_commands(tmp_path):
    room = new_room(tmp_path)
    with ThreadServer(room) as srv:
        links = srv.links()
        facilitator = Client(srv.url, seat_token(links, "facilitator"))
        supply = Client(srv.url, seat_token(links, "hualien.supply"))
        civil = Client(srv.url, seat_token(links, "hualien.civil_affairs"))
        for kind in ("start", "advance", "advance"):
            facilitator.command(kind)
        supply.command("acknowledge", inject="B02")
        civil.command("open_station", id="st_city", township="hualien_city", site="zhongzheng_gym", type="type_II", staff=34)
        civil.command("open_station", id="st_bad", township="hualien_city", site="guofu_school", type="type_II", staff=34)
        facilitator.command("advance")
    with open(room.log_path, "rb") as handle:
        assert handle.read() == resubmitted_bytes(room.log_path)


def test_same_client_id_is_applied_once_and_answered_the_same(tmp_path):
    room = new_room(tmp_path)
    with ThreadServer(room) as srv:
        links = srv.links()
        facilitator = Client(srv.url, seat_token(links, "facilitator"))
        facilitator.command("start")
        facilitator.command("advance")
        supply = Client(srv.url, seat_token(links, "hualien.supply"))
        first = supply.command("send_message", client_id="same-1", id="m-1", to="hualien.commander", body="一")
        again = supply.command("send_message", client_id="same-1", id="m-1", to="hualien.commander", body="一")
        assert first == again and first["status"] == "accepted"
        bad = supply.command("announce", client_id="same-2", audience="a", message="b")
        assert supply.command("announce", client_id="same-2", audience="a", message="b") == bad
        # Another seat may use the same client id: ids are per seat.
        commander = Client(srv.url, seat_token(links, "hualien.commander"))
        assert commander.command("acknowledge", client_id="same-1", inject="B01")["seq"] != first["seq"]
        # Many resends at once (a reconnect storm): one application, one answer.
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda _: supply.command("send_message", client_id="storm", id="m-2",
                                                             to="hualien.commander", body="二"), range(32)))
        assert all(a == answers[0] for a in answers) and answers[0]["status"] == "accepted"
    commands = [r for r in log_records(room.log_path) if r["type"] == "command" and r["kind"] == "send_message"]
    assert [r["data"]["args"]["id"] for r in commands] == ["m-1", "m-2"]


def test_answers_come_after_the_records_are_on_disk(tmp_path):
    room = new_room(tmp_path)
    with ThreadServer(room) as srv:
        facilitator = Client(srv.url, seat_token(srv.links(), "facilitator"))
        for kind in ("start", "advance"):
            answer = facilitator.command(kind)
            on_disk = log_records(room.log_path)
            assert on_disk[answer["seq"]]["kind"] == kind and on_disk[-1]["seq"] >= answer["seq"]


def _sender(url, token, start, count, answers, stop):
    """A trainee's script: send_message m-N with client id cid-N; remember the answers it got."""
    client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=5)
    for n in range(start, start + count):
        if stop.is_set():
            return
        try:
            response = client.post("/api/command", json={"kind": "send_message", "client_id": f"cid-{n}",
                                                         "args": {"id": f"m-{n}", "to": "hualien.commander",
                                                                  "body": f"第 {n} 則"}})
        except httpx.HTTPError:
            return
        if response.status_code == 200:
            answers[n] = response.json()


def test_kill_9_then_resume_loses_nothing_and_applies_nothing_twice(tmp_path):
    log = str(tmp_path / "room.jsonl")
    first = ProcessServer(tmp_path, log)
    links = first.seats
    try:
        facilitator = Client(first.url, seat_token(links, "facilitator"))
        facilitator.command("start")
        facilitator.command("advance")
        answers: dict[int, dict] = {}
        stop = threading.Event()
        senders = [threading.Thread(target=_sender, args=(first.url, seat_token(links, "hualien.supply"), 0, 400,
                                                          answers, stop))]
        senders[0].start()
        deadline = time.monotonic() + 60
        while len(answers) < 40:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        first.kill9()  # mid-stream: requests in flight, no shutdown
        stop.set()
        senders[0].join(timeout=30)
    finally:
        first.stop()
    answered = dict(answers)
    assert answered
    second = ProcessServer(tmp_path, log, resume=True, port=int(first.url.rsplit(":", 1)[1]))
    try:
        assert second.seats == links  # the same join links: every seat reconnects as it was
        token = seat_token(second.seats, "hualien.supply")
        sent = max(answered) + 3  # the script resends everything it may have sent, answered or not
        again: dict[int, dict] = {}
        _sender(second.url, token, 0, sent, again, threading.Event())
        for n, answer in answered.items():
            assert again[n] == answer, n  # the first answer, repeated
        assert all(again[n]["status"] == "accepted" for n in range(sent))
        # A seat that was away catches up from after=SEQ.
        commander = Client(second.url, seat_token(second.seats, "hualien.commander"))
        missed = commander.events(after=3)
        delivered = [e for e in missed if e["kind"] == "message_delivered"]
        assert len(delivered) == sent
    finally:
        second.stop()
    records = log_records(log)
    ids = [r["data"]["args"]["id"] for r in records if r["type"] == "command" and r["kind"] == "send_message"]
    assert sorted(ids, key=lambda i: int(i[2:])) == [f"m-{n}" for n in range(sent)]  # each once
    assert not [r for r in records if r["kind"] == "command_rejected"]
    done = cli("verify", log)
    assert done.returncode == 0, done.stdout + done.stderr


def test_resume_refuses_another_scenario_or_a_missing_log(tmp_path):
    done = cli("serve", SCENARIO, "--port", "0", "--resume", str(tmp_path / "missing.jsonl"))
    assert done.returncode == 2 and "沒有可接續的紀錄檔" in done.stderr
    room = new_room(tmp_path)
    room.close()
    done = cli("serve", os.path.join(os.path.dirname(SCENARIO), "..", "..", "tests", "fixtures", "minimal.yaml"),
               "--port", "0", "--resume", room.log_path)
    assert done.returncode == 2 and "另一個想定檔" in done.stderr
    done = cli("serve", SCENARIO, "--port", "0", "--log", room.log_path)
    assert done.returncode == 2 and "--resume" in done.stderr
