"""The console as the room's projector (``run_exercise.py --serve``): one authority, the room.

The console and the session server run in this process, as ``--serve`` runs them: the
room's app under uvicorn on a free loopback port, the console driving the session through
the room's one command queue. Seats talk to the server over real HTTP and websockets with
the tokens of the seats file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pygame
import pytest
from test_scripted_turn import Driver
from ui_fixtures import ROOT, shots  # noqa: F401  (fixture)
from websockets.sync.client import connect

from tabletop.cli import _parser
from tabletop.logfile import read_records
from tabletop.replay import verify
from tabletop.server.sheet import qr_matrix
from tabletop.ui import gfx, joinsheet
from tabletop.ui.app import App
from tabletop.ui.describe import seat_name
from tabletop.ui.served import open_served

pytestmark = pytest.mark.slow  # the console serving seats over a real server: the full suite only

REPORT = {"id": "m-001", "to": "hualien.commander", "body": "量販店搶購；米約 8 日。"}


class Served:
    """``--serve`` opened in this process: the console, its window, the seats file, the log."""

    def __init__(self, tmp_path) -> None:
        self.log = str(tmp_path / "room.jsonl")
        seats_file = tmp_path / "seats.json"
        args = _parser().parse_args(["--serve", "--host", "127.0.0.1", "--port", "0", "--seats-out", str(seats_file),
                                     "--log", self.log])
        assert args.ui_serve
        self.console = open_served(args.ui_scenario, args.ui_log, args.ui_resume, args.ui_seed, args.lang,
                                   args.ui_host, args.ui_port, args.ui_seats_out, args.ui_pin)
        self.app = App(self.console, "zh_TW")
        self.ui = Driver(self.app)
        self.ui.settle()
        self.seats = json.loads(seats_file.read_text(encoding="utf-8"))
        assert oct(os.stat(seats_file).st_mode & 0o777) == "0o600"
        self.url = self.seats["seats"][0]["url"].split("/join/")[0]

    def token(self, seat: str) -> str:
        return next(entry["token"] for entry in self.seats["seats"] if entry["seat"] == seat)

    def http(self, seat: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token(seat)}"}, timeout=30)

    def journal(self) -> list[dict]:
        with open(self.log + ".clients.jsonl", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def commands(self) -> list[dict]:
        return [record for record in read_records(self.log) if record["type"] == "command"]


@pytest.fixture
def served(tmp_path):
    room = Served(tmp_path)
    yield room
    room.console.close()
    assert not room.console.room.thread.is_alive()
    verdict = verify(room.log)
    assert verdict.ok, verdict.message


def until(predicate, timeout: float = 5.0, step=None):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "not in time"
        if step is not None:
            step()
        time.sleep(0.02)


def test_the_console_drives_the_served_session_and_a_seat_sees_the_turn(served):
    supply = served.http("hualien.supply")
    assert supply.get("/api/seat").json()["status"]["state"] == "setup"
    served.ui.key(pygame.K_s)        # start
    served.ui.key(pygame.K_n)        # briefing -> turn 1, injects delivered
    status = supply.get("/api/seat").json()
    assert (status["status"]["turn"], status["status"]["state"]) == (1, "running_injects")
    assert any(item["id"] == "B02" for item in status["inbox"])
    assert any(event["kind"] == "turn_started" for event in supply.get("/api/events?after=0").json()["events"])
    # The console's commands went through the room's queue: each has a client id in the journal.
    journal = served.journal()
    assert [(line["seat"], line["client_id"][:8]) for line in journal] == [("facilitator", "console-")] * 2
    commands = served.commands()
    assert [(c["actor"], c["kind"]) for c in commands] == [("facilitator", "start"), ("facilitator", "advance")]
    assert [c["seq"] for c in commands] == [line["seq"] for line in journal]
    # A browser seat's command shows on the projector: the console reads the room's session.
    commander = served.http("hualien.commander")
    answer = commander.post("/api/command", json={"kind": "acknowledge", "args": {"inject": "B01"},
                                                  "client_id": "browser-1"}).json()
    assert answer["status"] == "accepted"
    served.ui.settle(2)
    assert served.console.feed("commands", limit=1)[0]["seq"] == answer["seq"]
    assert served.console.session.injects["B01"].state == "acknowledged"
    served.ui.key(pygame.K_n)        # -> orders, from the console again
    assert supply.get("/api/seat").json()["status"]["state"] == "running_orders"


def _matches(image: pygame.Surface, card: joinsheet.Card, offset=(0, 0)) -> bool:
    """Every module of the card's code, sampled at its centre, is the matrix of the card's URL."""
    matrix = qr_matrix(card.entry["url"])
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            px = offset[0] + card.qr.x + x * card.module + card.module // 2
            py = offset[1] + card.qr.y + y * card.module + card.module // 2
            value = image.get_at((px, py))[0]
            if (value < 80) != dark or (not dark and value < 200):
                return False
    return True


def test_join_sheet_on_the_projector_and_on_paper(served, shots):  # noqa: F811
    entries = served.seats["seats"]
    served.ui.key(pygame.K_j)
    assert served.app.room.which == "sheet"
    path = os.path.join(shots, "console-join-sheet.png")
    served.app.screenshot(path)
    image = pygame.image.load(path)
    cards = served.app.room.cards
    assert [card.entry["url"] for card in cards] == [entry["url"] for entry in entries[:8]]
    assert all(_matches(image, card) for card in cards)
    assert all(card.module >= 5 for card in cards)  # large enough to scan from the projector
    assert len({card.rect.topleft for card in cards}) == 8 and all(not a.rect.colliderect(b.rect) for a in cards
                                                                   for b in cards if a is not b)
    served.ui.key(pygame.K_RIGHT)    # page 2: the rest, central then the evaluators last
    served.app.screenshot(os.path.join(shots, "console-join-sheet-2.png"))
    assert [card.entry["seat"] for card in served.app.room.cards] == [entry["seat"] for entry in entries[8:]]
    assert [card.entry["seat"] for card in served.app.room.cards][-2:] == ["central", "evaluator"]
    # W writes the printable pages (A4) beside the log, readable by this user only.
    served.ui.key(pygame.K_w)
    printed = joinsheet.sheet_files(served.log, 1)
    assert served.app.room.note[1] and printed[0] in served.app.room.note[0]
    page = pygame.image.load(printed[0])
    assert page.get_size() == joinsheet.A4.size and oct(os.stat(printed[0]).st_mode & 0o777) == "0o600"
    cards = joinsheet.layout(entries, joinsheet.A4, 0)
    assert len(cards) == len(entries) == 12 and all(_matches(page, card) for card in cards)
    assert not [name for name in os.listdir(os.path.dirname(served.log)) if name.endswith(".tmp")]
    served.ui.key(pygame.K_ESCAPE)
    assert served.app.room.which is None


def test_connected_seats_panel_shows_a_seat_once_its_websocket_connects(served, shots):  # noqa: F811
    served.ui.key(pygame.K_o)
    assert served.app.room.which == "seats"
    served.app.screenshot(os.path.join(shots, "console-seats-none.png"))
    spot = served.app.room.spots
    assert set(spot) == {entry["seat"] for entry in served.seats["seats"]}
    assert served.app.surface.get_at(spot["hualien.supply"])[:3] != gfx.OK
    ws = served.url.replace("http://", "ws://") + "/ws"
    with connect(ws) as socket:
        socket.send(json.dumps({"token": served.token("hualien.supply"), "after": 0}))
        assert json.loads(socket.recv(timeout=5)) == {"type": "hello", "seat": "hualien.supply"}
        until(lambda: served.console.room.connections().get("hualien.supply") == 1)
        served.ui.settle(2)
        served.app.screenshot(os.path.join(shots, "console-seats-one.png"))
        rows = {seat: count for seat, _, count in joinsheet.seat_rows(
            served.console.session, served.seats["seats"], served.console.room.connections(), "zh_TW")}
        assert rows["hualien.supply"] == 1 and sum(rows.values()) == 1
        assert served.app.surface.get_at(spot["hualien.supply"])[:3] == gfx.OK      # ● connected
        assert served.app.surface.get_at(spot["hualien.commander"])[:3] != gfx.OK   # ○ not
        # The join sheet marks it too (on the screen only).
        served.ui.key(pygame.K_j)
        served.app.screenshot(os.path.join(shots, "console-join-sheet-one.png"))
    until(lambda: not served.console.room.connections())
    served.ui.key(pygame.K_o)
    served.app.draw()
    assert served.app.surface.get_at(served.app.room.spots["hualien.supply"])[:3] != gfx.OK


def test_hot_seat_trainee_command_through_the_console_is_logged_once(served):
    ui, app = served.ui, served.app
    for key in (pygame.K_s, pygame.K_n, pygame.K_n):  # start, turn 1, orders
        ui.key(key)
    ui.key(pygame.K_F3)                                # trainee login
    ui.choose(app.screen.seat_menu, seat_name(served.console.session, "hualien", "supply", "zh_TW"))
    ui.key(pygame.K_RETURN)
    assert app.on_trainee and app.guarded and (app.screen.county, app.screen.role) == ("hualien", "supply")
    ui.key(pygame.K_j)                                 # a logged-in trainee never sees every seat's key
    assert app.room.which is None
    ui.key(pygame.K_a)                                 # acknowledge B02
    assert app.screen.result[0] == "ok"
    ui.choose(app.screen.kind_menu, "傳送訊息")
    for field in ("id", "to", "body"):
        ui.fill(field, REPORT[field])
    ui.key(pygame.K_RETURN, pygame.KMOD_CTRL)
    assert app.screen.result[0] == "ok"
    for field in ("id", "to", "body"):                 # the same id again: refused, the reason shown
        ui.fill(field, REPORT[field])
    ui.key(pygame.K_RETURN, pygame.KMOD_CTRL)
    assert app.screen.result[0] == "rejected" and "已被使用" in app.screen.result[1][0]["zh_TW"]
    ui.key(pygame.K_F3)                                # log out
    mine = [c for c in served.commands() if c["actor"] == "hualien.supply"]
    assert [(c["kind"], c["data"]["args"].get("inject") or c["data"]["args"].get("id")) for c in mine] == \
        [("acknowledge", "B02"), ("send_message", "m-001"), ("send_message", "m-001")]
    journal = [line for line in served.journal() if line["seat"] == "hualien.supply"]
    assert [line["seq"] for line in journal] == [c["seq"] for c in mine]
    assert len({line["client_id"] for line in journal}) == 3
    # The seat's browser page sees the same commands, with the outcome.
    own = served.http("hualien.supply").get("/api/seat").json()["commands"]
    assert [(c["kind"], c["status"]) for c in own] == [("send_message", "rejected"), ("send_message", "accepted"),
                                                      ("acknowledge", "accepted")]


def test_frames_stay_consistent_while_seats_send_commands(served):
    """Seats' commands arrive from the network while the console draws: every frame reads the
    session under the room's lock, and the log verifies afterwards (checked by the fixture)."""
    served.ui.key(pygame.K_s)
    served.ui.key(pygame.K_n)
    served.ui.key(pygame.K_n)
    problems: list[str] = []

    def seat() -> None:
        with served.http("hualien.supply") as client:
            for n in range(60):
                body = {"kind": "send_message", "client_id": f"load-{n}",
                        "args": {"id": f"m-{n:03d}", "to": "hualien.commander", "body": f"第 {n} 則"}}
                answer = client.post("/api/command", json=body)
                if answer.status_code != 200 or answer.json()["status"] != "accepted":
                    problems.append(answer.text)

    thread = threading.Thread(target=seat)
    thread.start()
    frames = 0
    while thread.is_alive() or frames < 20:
        served.app.step(0.01)
        served.app.draw()
        frames += 1
        if frames % 10 == 0:
            served.ui.key(pygame.K_p if frames % 20 == 0 else pygame.K_r)  # pause / resume from the console meanwhile
    thread.join()
    assert not problems or all("phase" in p for p in problems)
    sent = [c for c in served.commands() if c["actor"] == "hualien.supply"]
    assert len(sent) == 60 and frames >= 20


def test_serve_resume_keeps_the_links_and_the_session(tmp_path):
    first = Served(tmp_path)
    first.ui.key(pygame.K_s)
    first.ui.key(pygame.K_n)
    tokens = {entry["seat"]: entry["token"] for entry in first.seats["seats"]}
    first.console.close()
    args = _parser().parse_args(["--serve", "--port", "0", "--resume", first.log,
                                 "--seats-out", str(tmp_path / "again.json")])
    console = open_served(args.ui_scenario, args.ui_log, args.ui_resume, args.ui_seed, args.lang, args.ui_host,
                          args.ui_port, args.ui_seats_out, args.ui_pin)
    try:
        again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
        assert {entry["seat"]: entry["token"] for entry in again["seats"]} == tokens  # the same links
        app = App(console, "zh_TW")
        ui = Driver(app)
        ui.settle()
        assert (console.session.turn, console.session.state) == (1, "running_injects")
        ui.key(pygame.K_n)
        url = again["seats"][0]["url"].split("/join/")[0]
        seat = httpx.get(url + "/api/seat", headers={"Authorization": f"Bearer {tokens['hualien.supply']}"}, timeout=30)
        assert seat.json()["status"]["state"] == "running_orders"
    finally:
        console.close()
    assert verify(first.log).ok
    assert [c["kind"] for c in read_records(first.log) if c["type"] == "command"] == ["start", "advance", "advance"]


def _cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return env | {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "TABLETOP_STRICT": "1", "PYTHONFAULTHANDLER": "1"}


def test_run_exercise_serve_starts_the_room_and_stops_on_ctrl_c(tmp_path):
    log, seats = str(tmp_path / "room.jsonl"), str(tmp_path / "seats.json")
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "run_exercise.py"), "--serve", "--port", "0",
                             "--log", log, "--seats-out", seats], cwd=tmp_path, env=_cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        if first.startswith("pygame"):  # pygame's banner comes first when it loads before the room opens
            first = proc.stdout.readline()
        assert first.startswith("tabletop room: "), first + proc.stderr.read()
        url = first.split()[2].rstrip("/")
        links = json.load(open(seats, encoding="utf-8"))
        facilitator = {"Authorization": f"Bearer {links['facilitator']['token']}"}
        until(lambda: _answers(url), timeout=30)
        answer = httpx.post(url + "/api/command", headers=facilitator, timeout=30,
                            json={"kind": "start", "args": {}, "client_id": "page-1"}).json()
        assert answer["status"] == "accepted"
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
            out, err = proc.communicate(timeout=30)
            raise AssertionError(f"no exit after Ctrl+C\n{out}\n{err}") from None
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "管制台已關閉" in out or log in out
    assert verify(log).ok
    assert [r["kind"] for r in read_records(log) if r["type"] == "command"] == ["start"]


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_serve_without_a_window_says_to_use_serve(tmp_path):
    done = subprocess.run([sys.executable, os.path.join(ROOT, "run_exercise.py"), "--serve", "--headless"],
                          cwd=tmp_path, env=_cli_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "run_exercise.py serve" in done.stderr
    assert not (tmp_path / "out").exists()
