#!/usr/bin/env python3
"""Replay benchmark (a script, not a timed test): seeking in a generated 1,000,000-record log.

Generates a log of the national 22-county scenario (more turns than the default so the
log reaches ``--records``; the scripted actions per county and turn), then measures:

- the first open: hash-chain check and index build (re-simulating the whole log once);
- reopening with the index in place (digest and snapshot-hash match);
- seeking to random records with a cold session (nearest snapshot + re-simulation):
  median and worst of ``--seeks`` seeks; stepping one record forward;
- against replaying from the start (what ``tabletop.replay.session_at`` does) to the
  middle and to the end of the log.

    python bench/bench_replay.py                 # a table
    python bench/bench_replay.py --json          # JSON lines {"name", "value", "unit"} only
    python bench/bench_replay.py --records 100000 --keep out/bench   # smaller, keep the log
    python bench/bench_replay.py --log out/bench/national-1m.jsonl   # measure a kept log (no generating)
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from figures import Figure, report  # noqa: E402  (bench/ is this script's folder)

from tabletop import api, runner  # noqa: E402
from tabletop.logfile import LogWriter  # noqa: E402
from tabletop.replay.timeline import Replay  # noqa: E402
from tabletop.scenario import national  # noqa: E402
from tabletop.scenario.actions import Action  # noqa: E402
from tabletop.api import load_scenario_file  # noqa: E402

#: Records a turn of the generated national scenario writes (measured: about 1,400).
RECORDS_PER_TURN = 1400


def generate(folder: str, records: int, quiet: bool) -> str:
    """Write a national-scenario log of at least ``records`` records (cut at a batch end)."""
    turns = max(12, math.ceil(records / RECORDS_PER_TURN) + 2)
    scenario_path, _ = national.write(os.path.join(folder, "national"), turns=turns)
    loaded = load_scenario_file(scenario_path)
    assert loaded.ok, loaded.problems[:3]
    # built in memory: the actions file of a long run is larger than load_actions accepts
    actions = [Action.model_validate(dict(item)) for item in national.actions(national.build(turns=turns))]
    session, header = api.new_session(loaded, 1)
    log = os.path.join(folder, "national-1m.jsonl")
    written = 1
    bar = None
    if not quiet:
        from tabletop.progress import bar as progress_bar

        bar = progress_bar(total=records, desc="generating log", unit="rec", unit_scale=True, leave=False)
    with LogWriter(log) as writer:
        writer.write([header])
        for command in runner.plan(actions, turns, turns):
            made = session.submit(command)
            writer.write(made)
            written += len(made)
            if bar is not None:
                bar.update(len(made))
            if written >= records:
                break
    if bar is not None:
        bar.close()
    return log


def replay_from_start(replay: Replay, seq: int) -> float:
    """Seconds to reach ``seq`` by re-simulating every command from the header (no index)."""
    start = time.perf_counter()
    session = api.session_after_header(api.scenario_from_header(replay.header), replay.header)
    pos = 1
    while pos <= seq:
        pos += len(session.submit(api.command_from_record(replay.record(pos))))
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tabletop replay benchmark")
    parser.add_argument("--json", action="store_true", help="print only JSON lines {name, value, unit}")
    parser.add_argument("--records", type=int, default=1_000_000, help="log size in records (default 1,000,000)")
    parser.add_argument("--seeks", type=int, default=200, help="random seeks to time (default 200)")
    parser.add_argument("--keep", metavar="DIR", help="write the log and index here and keep them")
    parser.add_argument("--log", metavar="PATH", help="measure this existing log instead of generating one "
                        "(its index, LOG.replay-index, is rebuilt)")
    parser.add_argument("--no-baseline", action="store_true", help="skip replaying from the start (slow)")
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="tabletop-bench-replay-") as tmp:
        if args.log:
            log = args.log
        else:
            folder = args.keep or tmp
            os.makedirs(folder, exist_ok=True)
            start = time.perf_counter()
            log = generate(folder, args.records, args.json)
            figures.append(Figure("generate.seconds", time.perf_counter() - start, "s"))
        if os.path.exists(log + ".replay-index"):
            os.remove(log + ".replay-index")
        start = time.perf_counter()
        replay = Replay(log, progress=False if args.json else None)
        opened = time.perf_counter() - start
        stats = replay.build_stats
        assert stats is not None and replay.integrity.ok, replay.integrity
        n = replay.count
        figures += [Figure("log.records", n, "records"), Figure("log.size", os.path.getsize(log) / 1e6, "MB"),
                    Figure("open.first.seconds", opened, "s"),
                    Figure("index_build_1m_s", stats.seconds / n * 1e6,
                           f"s per 1,000,000 records (measured {stats.seconds:.2f} s on {n:,} records; target 20)"),
                    Figure("index.build.seconds", stats.seconds, "s"),
                    Figure("index.chain_check.seconds", opened - stats.seconds, "s (baseline: read and hash-check the log once)"),
                    Figure("index.snapshots", stats.snapshots, "snapshots"),
                    Figure("index.helper", int(stats.helper), "1: a helper process wrote the rows (0: this process)"),
                    Figure("index.size", os.path.getsize(replay.index.path) / 1e6, "MB")]
        replay.close()
        start = time.perf_counter()
        replay = Replay(log, progress=False)
        figures.append(Figure("open.indexed.seconds", time.perf_counter() - start, "s"))
        assert not replay.built
        rng = random.Random(9)
        times = []
        for _ in range(args.seeks):
            seq = rng.randrange(n)
            replay.forget()  # cold: no state in hand
            begin = time.perf_counter()
            replay.session_at(seq)
            times.append(time.perf_counter() - begin)
        times.sort()
        figures += [Figure("seek_median_ms", statistics.median(times) * 1000, f"ms ({args.seeks} cold seeks; target 50)"),
                    Figure("seek.p95", times[int(0.95 * (len(times) - 1))] * 1000, "ms"),
                    Figure("seek_worst_ms", times[-1] * 1000, "ms (target 100)")]
        seq = n // 3
        replay.session_at(seq)
        steps = []
        for offset in range(1, 201):
            begin = time.perf_counter()
            replay.session_at(seq + offset)
            steps.append(time.perf_counter() - begin)
        figures.append(Figure("step.forward.median", statistics.median(steps) * 1000, "ms"))
        begin = time.perf_counter()
        replay.dump_state(n - 1)
        figures.append(Figure("dump_state.end", (time.perf_counter() - begin) * 1000, "ms"))
        if not args.no_baseline:
            middle = replay_from_start(replay, n // 2)
            end = replay_from_start(replay, n - 1)
            figures += [Figure("from_start.middle", middle, "s (baseline: re-simulate from the header, no index)"),
                        Figure("from_start.end", end, "s"),
                        Figure("from_start_1m_s", end / n * 1e6, "s per 1,000,000 records (baseline for index_build_1m_s)"),
                        Figure("ratio.from_start_end_vs_seek_worst", end / max(times[-1], 1e-9), "x")]
        replay.close()
    return report(figures, args.json, "replay", f"{args.seeks} cold seeks, wall time")


if __name__ == "__main__":
    sys.exit(main())
