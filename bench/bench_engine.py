#!/usr/bin/env python3
"""Engine benchmark (a script, not a timed test).

Plays the default scenario (Hualien, with its actions file) and the generated
22-county national scenario (with a generated actions list: per county and turn,
acknowledge + announce + send_message) through the public API, then measures
log write, read and verify throughput. Each figure is the median of ``--repeat``
runs. ``json.dumps`` of the same records is timed in the same run as a baseline,
so the ratios compare across machines where the absolute figures do not.

    python bench/bench_engine.py             # a table
    python bench/bench_engine.py --json      # JSON lines {"name", "value", "unit"} only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from typing import Any, Callable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from figures import Figure, report  # noqa: E402  (bench/ is this script's folder)

from tabletop import api, runner  # noqa: E402
from tabletop.core.commands import Command  # noqa: E402
from tabletop.logfile import LogWriter, read_records  # noqa: E402
from tabletop.replay import verify  # noqa: E402
from tabletop.scenario import national  # noqa: E402
from tabletop.scenario.actions import Action, load_actions  # noqa: E402
from tabletop.scenario.validate import Loaded  # noqa: E402
from tabletop.api import load_scenario_file  # noqa: E402

DEFAULT = os.path.join(ROOT, "scenarios", "hualien")


#: The clock figures are measured with: wall time (default) or this process's CPU time (``--cpu``).
CLOCK: Callable[[], float] = time.perf_counter


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median time of ``repeat`` calls of ``fn`` (and the last call's result)."""
    times, result = [], None
    for _ in range(repeat):
        start = CLOCK()
        result = fn()
        times.append(CLOCK() - start)
    return statistics.median(times), result


def play(loaded: Loaded, commands: list[Command]) -> list[dict]:
    """Start a session and submit every command, in memory (no log file)."""
    session, header = api.new_session(loaded, 1)
    records = [header]
    for command in commands:
        records.extend(session.submit(command))
    return records


def bench_scenario(label: str, scenario: str, actions: list[Action], repeat: int, tmp: str) -> tuple[list[Figure], str]:
    """Validation, in-memory play and a full headless run (log written, fsynced) of one scenario."""
    seconds, loaded = median_time(lambda: load_scenario_file(scenario), repeat)
    assert loaded.ok, loaded.problems[:3]
    turns = loaded.scenario.clock.turns
    commands = list(runner.plan(actions, turns, turns))
    out = [Figure(f"{label}.validate", seconds * 1000, "ms")]
    seconds, records = median_time(lambda: play(loaded, commands), repeat)
    out += [Figure(f"{label}.engine.turns", turns / seconds, "turns/s"),
            Figure(f"{label}.engine.records", len(records) / seconds, "records/s")]
    log = os.path.join(tmp, f"{label}.jsonl")
    seconds, result = median_time(lambda: runner.run(loaded, 1, actions, log), repeat)
    out += [Figure(f"{label}.run.turns", turns / seconds, "turns/s"),
            Figure(f"{label}.run.records", result.records / seconds, "records/s"),
            Figure(f"{label}.log.records", result.records, "records"),
            Figure(f"{label}.log.size", os.path.getsize(log) / 1e6, "MB")]
    return out, log


def bench_log(label: str, log: str, repeat: int, tmp: str) -> list[Figure]:
    """Write (LogWriter, one fsync at the end), read (read_records), verify and the json.dumps baseline."""
    records = read_records(log)
    size_mb = os.path.getsize(log) / 1e6
    target = os.path.join(tmp, f"{label}-write.jsonl")

    def write() -> None:
        if os.path.exists(target):
            os.remove(target)  # a LogWriter never overwrites a log
        with LogWriter(target) as writer:
            for start in range(0, len(records), 64):
                writer.write(records[start:start + 64])

    def baseline() -> int:
        return sum(len(json.dumps(record)) for record in records)

    n = len(records)
    w, _ = median_time(write, repeat)
    r, _ = median_time(lambda: read_records(log), repeat)
    v, verdict = median_time(lambda: verify(log), repeat)
    assert verdict.ok, verdict.message
    b, _ = median_time(baseline, repeat)
    base = n / b
    return [
        Figure(f"{label}.write.records", n / w, "records/s"), Figure(f"{label}.write.bytes", size_mb / w, "MB/s"),
        Figure(f"{label}.read.records", n / r, "records/s"), Figure(f"{label}.read.bytes", size_mb / r, "MB/s"),
        Figure(f"{label}.verify.records", n / v, "records/s"),
        Figure(f"{label}.baseline.json_dumps", base, "records/s"),
        Figure(f"{label}.ratio.write_vs_json_dumps", (n / w) / base, "x"),
        Figure(f"{label}.ratio.verify_vs_json_dumps", (n / v) / base, "x"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tabletop engine benchmark")
    parser.add_argument("--json", action="store_true", help="print only JSON lines {name, value, unit}")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    parser.add_argument("--cpu", action="store_true",
                        help="time with process CPU time instead of wall time (steadier on a busy machine; leaves out fsync waits)")
    parser.add_argument("--injects-per-county", type=int, default=3, help="injects per county in the national scenario")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="tabletop-bench-") as tmp:
        actions, problems = load_actions(os.path.join(DEFAULT, "actions.yaml"))
        assert not problems, problems
        found, hualien_log = bench_scenario("hualien", os.path.join(DEFAULT, "scenario.yaml"), actions, repeat, tmp)
        figures += found
        scenario_path, actions_path = national.write(os.path.join(tmp, "national"),
                                                     injects_per_county=args.injects_per_county)
        actions, problems = load_actions(actions_path)
        assert not problems, problems
        found, national_log = bench_scenario("national", scenario_path, actions, repeat, tmp)
        figures += found
        figures += bench_log("hualien", hualien_log, repeat, tmp)
        figures += bench_log("national", national_log, repeat, tmp)
    return report(figures, args.json, "engine", f"median of {repeat} runs, {'CPU' if args.cpu else 'wall'} time",
                  "(engine = new_session + Session.submit in memory; run = runner.run with the log written and fsynced)")


if __name__ == "__main__":
    sys.exit(main())
