#!/usr/bin/env python3
"""Load bench of the exercise room (not a timed test): the generated 22-county scenario,
132 seats (22 counties × 6 roles) each sending commands concurrently over loopback to a real
``run_exercise.py serve`` process.

Checks: 0 lost (every accepted command is in the log), 0 applied twice (each message id
logged once, resent client ids answered with the first answer), the log verifies, and
wrong-role attempts (bodies naming another role) are refused with 0 accepted. Reports p50 and
p99 command round-trip. Targets of issue 15: all 13,200 commands in the log, p99 under 250 ms.

    .venv/bin/python bench/bench_server.py            # short: 132 seats × 10 commands
    .venv/bin/python bench/bench_server.py --full     # 132 seats × 100 commands (13,200)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import httpx  # noqa: E402

ROLES = 6
RESENDS = 3  # per seat: client ids sent again after their answer
WRONG = 2  # per seat: bodies naming another role (must be 403)


def generate(folder: str) -> str:
    from tabletop.scenario import national

    scenario, _ = national.write(folder, rows=national.read_townships(), injects_per_county=3, turns=12)
    return scenario


def start_server(scenario: str, log: str, seats_file: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "run_exercise.py"), "serve", scenario, "--port", "0",
                             "--log", log, "--seats-out", seats_file], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    first = proc.stdout.readline()
    if not first.startswith("tabletop room: "):
        raise SystemExit(f"server did not start: {first}{proc.stderr.read()}")
    return proc, first.split()[2].rstrip("/")


class Connection:
    """One seat's keep-alive HTTP/1.1 connection: a few lines of asyncio, so that the client's
    own cost (132 connections in one process) does not swamp what is measured."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port, self.token = host, port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: dict) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        data = json.dumps(body).encode()
        self.writer.write(f"POST /api/command HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
                          f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        payload = await self.reader.readexactly(int(headers.get("content-length", "0")))
        return status, headers, payload

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def seat_load(host: str, port: int, seat: dict, others: list[str], count: int,
                    times: list[float], tally: dict[str, int], answers: dict[tuple[str, str], dict]) -> None:
    connection = Connection(host, port, seat["token"])
    to = others[0]
    slug = seat["seat"].replace(".", "-")

    async def post(body: dict) -> tuple[int, dict]:
        while True:
            started = time.perf_counter()
            status, headers, payload = await connection.post(body)
            if status == 429:
                tally["rate_limited"] += 1
                await asyncio.sleep(float(headers.get("retry-after", "1")))
                continue
            times.append(time.perf_counter() - started)
            return status, json.loads(payload)

    for n in range(count):
        cid = f"{seat['seat']}-{n}"
        body = {"kind": "send_message", "client_id": cid, "args": {"id": f"m-{slug}-{n}", "to": to, "body": f"bench {n}"}}
        status, answer = await post(body)
        if status != 200:
            tally["errors"] += 1
            continue
        answers[(seat["seat"], cid)] = answer
        tally[answer["status"]] += 1
        if n < RESENDS:  # a reconnect: the same command again
            again_status, again = await post(body)
            tally["resends"] += 1
            if again_status != 200 or again != answer:
                tally["resend_mismatch"] += 1
        if n < WRONG:  # a body naming another role: refused, nothing accepted
            other_role = "commander" if seat["role"] != "commander" else "supply"
            wrong_status, wrong = await post({"kind": "send_message", "client_id": f"wrong-{cid}", "role": other_role,
                                              "args": {"id": f"w-{slug}-{n}", "to": to, "body": "x"}})
            tally["wrong_role"] += 1
            if wrong_status == 200 and wrong.get("status") == "accepted":
                tally["wrong_role_accepted"] += 1
            elif wrong_status != 403:
                tally["wrong_role_not_403"] += 1
    await connection.close()


async def load(url: str, links: dict, count: int) -> tuple[list[float], dict[str, int], float, int]:
    by_county: dict[str, list[dict]] = {}
    for seat in links["seats"]:
        if seat["county"]:
            by_county.setdefault(seat["county"], []).append(seat)
    seats = [seat for county in by_county.values() for seat in county[:ROLES]]
    times: list[float] = []
    tally = dict.fromkeys(("accepted", "rejected", "errors", "resends", "resend_mismatch", "wrong_role",
                           "wrong_role_accepted", "wrong_role_not_403", "rate_limited"), 0)
    answers: dict[tuple[str, str], dict] = {}
    host, port = url.split("//")[1].rsplit(":", 1)
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        facilitator = {"Authorization": f"Bearer {links['facilitator']['token']}"}
        for n, kind in enumerate(("start", "advance", "advance")):  # turn 1, orders phase
            await client.post("/api/command", json={"kind": kind, "args": {}, "client_id": f"f{n}"}, headers=facilitator)
    started = time.perf_counter()
    await asyncio.gather(*(seat_load(host, int(port), seat, [s["seat"] for s in by_county[seat["county"]] if s is not seat],
                                     count, times, tally, answers) for seat in seats))
    wall = time.perf_counter() - started
    return times, tally, wall, len(seats)


def check_log(log: str, seats: int, count: int) -> dict[str, int]:
    records = [json.loads(line) for line in open(log, "rb").read().split(b"\n") if line.strip()]
    ids: dict[str, int] = {}
    for record in records:
        if record["type"] == "command" and record["kind"] == "send_message":
            ident = record["data"]["args"]["id"]
            ids[ident] = ids.get(ident, 0) + 1
    bench_ids = {i: c for i, c in ids.items() if i.startswith("m-")}
    return {"records": len(records), "logged": len(bench_ids), "expected": seats * count,
            "twice": sum(1 for c in bench_ids.values() if c > 1), "wrong_role_logged": sum(1 for i in ids if i.startswith("w-"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="100 commands per seat (13,200), as issue 15 asks")
    parser.add_argument("--commands", type=int, default=None, help="commands per seat (default 10; 100 with --full)")
    parser.add_argument("--keep", metavar="DIR", help="keep the scenario and log in DIR")
    args = parser.parse_args(argv)
    count = args.commands or (100 if args.full else 10)
    folder = args.keep or tempfile.mkdtemp(prefix="bench-server-")
    os.makedirs(folder, exist_ok=True)
    scenario = generate(folder)
    log = os.path.join(folder, "room.jsonl")
    for stale in (log, log + ".seats.json", log + ".clients.jsonl"):
        if os.path.exists(stale):
            os.remove(stale)
    seats_file = os.path.join(folder, "seats.json")
    proc, url = start_server(scenario, log, seats_file)
    try:
        with open(seats_file, encoding="utf-8") as handle:
            links = json.load(handle)
        times, tally, wall, seats = asyncio.run(load(url, links, count))
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    logged = check_log(log, seats, count)
    started = time.perf_counter()
    verify = subprocess.run([sys.executable, os.path.join(ROOT, "run_exercise.py"), "verify", log],
                            capture_output=True, text=True)
    verify_s = time.perf_counter() - started
    times.sort()
    p50 = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    print(f"seats {seats} × {count} commands = {seats * count}; requests {len(times)} in {wall:.1f} s "
          f"({len(times) / wall:.0f}/s)")
    print(f"round trip: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {times[-1] * 1000:.1f} ms (target p99 < 250 ms)")
    print(f"answers: {tally['accepted']} accepted, {tally['rejected']} rejected, {tally['errors']} errors, "
          f"{tally['rate_limited']} rate-limited (retried)")
    print(f"log: {logged['logged']}/{logged['expected']} commands in the log ({logged['expected'] - logged['logged']} lost), "
          f"{logged['twice']} applied twice, {logged['records']} records")
    print(f"resends: {tally['resends']}, {tally['resend_mismatch']} answered differently")
    print(f"wrong-role attempts: {tally['wrong_role']}, {tally['wrong_role_accepted']} accepted, "
          f"{tally['wrong_role_not_403']} not 403, {logged['wrong_role_logged']} logged")
    print(f"verify: {'ok' if verify.returncode == 0 else 'FAILED'} in {verify_s:.1f} s {verify.stdout.strip()} "
          f"{verify.stderr.strip()[-300:]}")
    ok = (logged["logged"] == logged["expected"] and logged["twice"] == 0 and tally["resend_mismatch"] == 0
          and tally["wrong_role_accepted"] == 0 and logged["wrong_role_logged"] == 0 and verify.returncode == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
