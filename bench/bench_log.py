#!/usr/bin/env python3
"""The record's benchmark (issue 13, item 10): a script, not a timed test.

Prints each figure with a baseline measured in the same run:

- ``log_write``: encoding and writing records the one way the engine does (one orjson encode,
  SHA-256 over those bytes, the hash spliced in, written) against plain orjson encoding of the
  same records. Target: at least 0.8x.
- ``chain_check``: the one streaming reader checking the chain against a raw orjson parse of
  the same lines. Target: at least 0.5x.
- ``verify``: ``verify`` of a log of ``--records`` records (default 1,000,000) in a child
  process, its records/s and peak memory (target under 300 MB), against the verify of the
  previous release's algorithm (``--baseline-records`` of the same log: the whole log in memory,
  json parsing, five serialisations a record) in another child. Target: at least 4x.

    python bench/bench_log.py                     # a table
    python bench/bench_log.py --json              # JSON lines {"name", "value", "unit"}
    python bench/bench_log.py --records 200000    # a quicker run
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import orjson  # noqa: E402
from figures import Figure, report  # noqa: E402

from tabletop.core import canonical  # noqa: E402
from tabletop.logfile import ChainCheck, LogWriter, iter_lines, open_log  # noqa: E402

SCENARIO = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")


def make_log(path: str, records: int) -> int:
    """A Hualien session with enough scripted announcements and messages to reach ``records``."""
    from tabletop.runner import run
    from tabletop.scenario.actions import Action
    from tabletop.api import load_scenario_file

    loaded = load_scenario_file(SCENARIO)
    per_turn = max(1, records // (12 * 5))  # an announce (2 records) and a message (3) per step
    actions = []
    for turn in range(1, 13):
        for n in range(per_turn):
            actions.append(Action(turn=turn, county="hualien", role="commander", do="announce",
                                  args={"audience": "全體縣民", "message": f"第 {turn} 回合公告 {n}"}))
            actions.append(Action(turn=turn, county="hualien", role="supply", do="send_message",
                                  args={"id": f"m-{turn}-{n}", "to": "hualien.commander", "body": "回報"}))
    return run(loaded, 1, actions, path).records


def old_verify(path: str, limit: int) -> int:
    """The previous release's verify: the whole log in memory, parsed with json, each record
    serialised five times (canonical check, chain, the engine's own hashing, two comparisons)."""
    from tabletop import api

    def dumps(value: object) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    with open(path, "rb") as handle:
        lines = handle.read().split(b"\n")[:limit]
    records = [json.loads(line) for line in lines]
    prev = canonical.GENESIS
    for record, line in zip(records, lines, strict=True):
        assert dumps(record).encode() == line
        body = {k: v for k, v in record.items() if k != "hash"}
        assert hashlib.sha256((prev + dumps(body)).encode()).hexdigest() == record["hash"]
        prev = record["hash"]
    session = api.session_from_header(records[0], check=False)
    position = 1
    for record in records[1:]:
        if record["type"] != "command":
            continue
        for made in session.submit(api.command_from_record(record)):
            dumps({k: v for k, v in made.items() if k != "hash"})  # the old engine hashed with json
            if position < len(records):
                assert dumps(made) == dumps(records[position])
            position += 1
    return len(records)


def child(mode: str, path: str, limit: int) -> None:
    start = time.perf_counter()
    if mode == "verify":
        from tabletop.replay import verify

        verdict = verify(path)
        assert verdict.ok, verdict.message
        count = verdict.records
    else:
        count = old_verify(path, limit)
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    print(json.dumps({"records": count, "seconds": seconds, "peak_mb": peak}))


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: reset by exec, unlike ru_maxrss)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for row in status:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(mode: str, path: str, limit: int = 0) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", mode, path, "--limit", str(limit)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_vs_encode(path: str, tmp: str) -> list[Figure]:
    bodies = []
    with open_log(path) as handle:
        for line in iter_lines(handle):
            record = orjson.loads(line.data)
            record.pop("hash")
            bodies.append(record)
            if len(bodies) >= 200_000:
                break
    start = time.perf_counter()
    for body in bodies:
        orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    base = time.perf_counter() - start
    plain = os.path.join(tmp, "plain.jsonl")
    start = time.perf_counter()
    with open(plain, "wb") as handle:  # a plain JSON Lines writer: encode, write, one fsync
        for begin in range(0, len(bodies), 64):
            handle.write(b"".join(orjson.dumps(b, option=orjson.OPT_SORT_KEYS) + b"\n" for b in bodies[begin:begin + 64]))
        handle.flush()
        os.fsync(handle.fileno())
    plain_s = time.perf_counter() - start
    target = os.path.join(tmp, "write.jsonl")

    class Line(dict):
        __slots__ = ("line",)

    start = time.perf_counter()
    with LogWriter(target) as writer:
        prev, batch = canonical.GENESIS, []
        for body in bodies:
            record = Line(body)
            prev, record.line = canonical.encode_record(prev, body)
            batch.append(record)
            if len(batch) == 64:
                writer.write(batch)
                batch = []
        writer.write(batch)
    mine = time.perf_counter() - start
    n = len(bodies)
    return [Figure("log_write_records_per_s", n / mine, "records/s"),
            Figure("baseline_orjson_encode_records_per_s", n / base, "records/s"),
            Figure("baseline_plain_jsonl_write_records_per_s", n / plain_s, "records/s"),
            Figure("log_write_ratio", base / mine, "x (target >= 0.8)"),
            Figure("log_write_ratio_vs_plain_write", plain_s / mine, "x")]


def chain_vs_parse(path: str) -> list[Figure]:
    start = time.perf_counter()
    with open_log(path) as handle:
        n = sum(1 for line in iter_lines(handle) if orjson.loads(line.data) is not None)
    base = time.perf_counter() - start
    start = time.perf_counter()
    checker = ChainCheck()
    with open_log(path) as handle:
        for line in iter_lines(handle):
            checker.check(line)
    mine = time.perf_counter() - start
    return [Figure("chain_check_records_per_s", n / mine, "records/s"),
            Figure("baseline_orjson_parse_records_per_s", n / base, "records/s"),
            Figure("chain_check_ratio", base / mine, "x (target >= 0.5)")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tabletop log benchmark")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--records", type=int, default=1_000_000, help="records in the verified log (default 1,000,000)")
    parser.add_argument("--baseline-records", type=int, default=100_000,
                        help="records of the same log the old verify reads (default 100,000)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "LOG"), help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.limit)
        return 0
    with tempfile.TemporaryDirectory(prefix="tabletop-bench-log-") as tmp:
        log = os.path.join(tmp, "big.jsonl")
        start = time.perf_counter()
        count = make_log(log, args.records)
        made = time.perf_counter() - start
        figures = [Figure("log_records", count, "records"), Figure("log_mb", os.path.getsize(log) / 1e6, "MB"),
                   Figure("run_records_per_s", count / made, "records/s")]
        figures += write_vs_encode(log, tmp)
        figures += chain_vs_parse(log)
        new = run_child("verify", log)
        old = run_child("old", log, args.baseline_records)
        new_rate, old_rate = new["records"] / new["seconds"], old["records"] / old["seconds"]
        figures += [Figure("verify_records_per_s", new_rate, "records/s"),
                    Figure("verify_peak_mb", new["peak_mb"], "MB (target < 300)"),
                    Figure("baseline_old_verify_records_per_s", old_rate, f"records/s ({old['records']} records)"),
                    Figure("baseline_old_verify_peak_mb", old["peak_mb"], "MB"),
                    Figure("verify_ratio", new_rate / old_rate, "x (target >= 4)")]
    return report(figures, args.json, "log", f"{count} records")


if __name__ == "__main__":
    sys.exit(main())
