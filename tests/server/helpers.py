"""A real server for the tests: uvicorn on a free loopback port, in a thread of this process
(or ``run_exercise.py serve`` in a subprocess, for the crash tests), and a small client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from typing import Any

import httpx

from conftest import ROOT, SCENARIO


class ThreadServer:
    """The room's app under uvicorn in a background thread; ``url`` once started."""

    def __init__(self, room: Any, pin: str | None = None, limits: Any = None) -> None:
        import uvicorn

        from tabletop.server.app import make_app
        from tabletop.server.serve import bind, uvicorn_config

        self.room = room
        self.sock = bind("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn_config(make_app(room, pin=pin, limits=limits)))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "ThreadServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)

    def links(self) -> dict[str, Any]:
        return self.room.book.links(self.url)


class ProcessServer:
    """``run_exercise.py serve`` in a subprocess (killed with SIGKILL by the crash tests)."""

    def __init__(self, tmp_path: Any, log: str, resume: bool = False, port: int = 0, extra: tuple[str, ...] = ()) -> None:
        self.seats_file = str(tmp_path / f"seats-{time.monotonic_ns()}.json")
        args = [sys.executable, os.path.join(ROOT, "run_exercise.py"), "serve", SCENARIO, "--port", str(port),
                "--log", log, "--seats-out", self.seats_file, *extra]
        if resume:
            args += ["--resume", log]
        env = dict(os.environ, TABLETOP_STRICT="1")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(tmp_path),
                                     env=env)
        first = self.proc.stdout.readline()
        assert first.startswith("tabletop room: "), first + self.proc.stderr.read()
        self.url = first.split()[2].rstrip("/")
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.url + "/", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and self.proc.poll() is None, self.proc.stderr.read()
                time.sleep(0.05)
        with open(self.seats_file, encoding="utf-8") as handle:
            self.seats = json.load(handle)

    def kill9(self) -> None:
        self.proc.kill()  # SIGKILL: no shutdown, no flush
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


class Client:
    """One seat over HTTP, as a browser's script talks to the server."""

    def __init__(self, url: str, token: str, pin: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        if pin:
            headers["X-Facilitator-Pin"] = pin
        self.http = httpx.Client(base_url=url, headers=headers, timeout=30)
        self.count = 0

    def command(self, kind: str, client_id: str | None = None, **args: Any) -> dict[str, Any]:
        self.count += 1
        response = self.http.post("/api/command", json={"kind": kind, "args": args,
                                                        "client_id": client_id or f"c{self.count}-{time.monotonic_ns()}"})
        assert response.status_code == 200, response.text
        return response.json()

    def seat(self) -> dict[str, Any]:
        response = self.http.get("/api/seat")
        assert response.status_code == 200, response.text
        return response.json()

    def events(self, after: int = 0) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            response = self.http.get("/api/events", params={"after": after})
            assert response.status_code == 200, response.text
            body = response.json()
            out += body["events"]
            if not body["more"]:
                return out
            after = body["last"]


def seat_token(links: dict[str, Any], name: str) -> str:
    if name == "facilitator":
        return links["facilitator"]["token"]
    return next(s["token"] for s in links["seats"] if s["seat"] == name)


def new_room(tmp_path: Any, seed: int = 7, scenario: Any = None, name: str = "room.jsonl") -> Any:
    from tabletop.api import load_scenario_file
    from tabletop.server.room import Room

    loaded = scenario or load_scenario_file(SCENARIO)
    return Room.create(loaded, seed, str(tmp_path / name))
