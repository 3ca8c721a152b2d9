#!/usr/bin/env python3
"""Batch benchmark (a script, not a timed test): default-scenario sessions played by bots.

Measures, on the same sessions (``--sessions`` of them, policies ``--policy`` alternating):

- a plain loop in this process (``batch --workers 0``): sessions per second;
- a Dask LocalCluster of 1 worker and of 2 workers (started before the clock starts; the
  start-up is reported on its own): sessions per second and the speed-up of 2 over 1;
- Dask's overhead per session: (1 worker − plain loop) / sessions, and as a share of a session;
- baseline in the same run: one process playing every session against two playing half each side
  by side (no Dask): what two cores give independent processes on this machine now, the ceiling
  of the 2-worker speed-up;
- CPU time per session (plain loop and in the workers) and the speed-up by the busiest
  worker's CPU time: the wall-clock figures on cores nobody else is using;
- the wall time of 10,000 sessions on 2 workers: extrapolated from the measured rate plus
  the start-up, or measured with ``--full`` (about half an hour on two idle cores).

The rows of every run are checked equal, so the figures are for the same work. Each
configuration runs ``--repeat`` times (default 2), interleaved, and its best run counts.

    python bench/bench_batch.py                   # a table
    python bench/bench_batch.py --json            # JSON lines {"name", "value", "unit"} only
    python bench/bench_batch.py --sessions 200    # longer, steadier figures
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from figures import Figure, report  # noqa: E402  (bench/ is this script's folder)

from tabletop.batch.rows import Job  # noqa: E402
from tabletop.batch.run import local_cluster, run_batch  # noqa: E402
from tabletop.scenario.actions import read_actions  # noqa: E402

SCENARIO = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")
ACTIONS = os.path.join(ROOT, "scenarios", "hualien", "actions.yaml")
FULL = 10_000


def _job() -> Job:
    with open(SCENARIO, encoding="utf-8") as handle:
        return Job(handle.read(), "scenario.yaml", read_actions(ACTIONS).actions)


def _timed(seeds: list[int], policies: list[str], folder: str, **how) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    outcome = run_batch(_job(), seeds, policies, folder, **how)
    return time.perf_counter() - start, sorted(outcome.rows, key=lambda r: (r["policy"], r["seed"]))


def _warm(_: int) -> int:
    _job()  # imports and reads the scenario in this pool process
    return os.getpid()


def _half(work: list[tuple[int, str]]) -> float:
    from tabletop.batch.rows import capabilities_of
    from tabletop.batch.run import run_chunk

    job = _job()
    capabilities = capabilities_of(job)
    start = time.perf_counter()
    run_chunk(job, work, capabilities)
    return time.perf_counter() - start


def _ceiling(seeds: list[int], policies: list[str]) -> float:
    """What two cores give two independent processes here: one process playing every session
    against two playing half each side by side (no Dask, no files): the best speed-up a
    2-worker cluster could reach on this machine now."""
    from concurrent.futures import ProcessPoolExecutor

    work = [(seed, policy) for policy in policies for seed in seeds]
    halves = [work[0::2], work[1::2]]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_warm, [0, 1]))
        one = sum(pool.map(_half, [work]))
        start = time.perf_counter()
        list(pool.map(_half, halves))
        both = time.perf_counter() - start
    return one / both


def _worker_cpu(client) -> dict[str, float]:
    return client.run(time.process_time)


def _cluster(workers: int):
    from dask.distributed import Client

    start = time.perf_counter()
    cluster = local_cluster(workers)  # as batch starts it
    client = Client(cluster)
    client.submit(sum, [1]).result()
    return cluster, client, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=60, help="sessions per run (default 60)")
    parser.add_argument("--policy", default="by_the_book,idle", help="policies (default by_the_book,idle)")
    parser.add_argument("--full", action="store_true", help=f"measure {FULL:,} sessions on 2 workers instead of extrapolating")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each configuration, interleaved; the best counts (default 2)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    policies = args.policy.split(",")
    seeds = list(range(1, max(1, args.sessions // len(policies)) + 1))
    n = len(seeds) * len(policies)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as folder:
        # Each configuration runs --repeat times, interleaved (plain, 1 worker, 2 workers, again),
        # and its best run counts: on a shared machine a single run moves by 10-20% with the load.
        plain = plain_cpu = math.inf
        rows: list[dict] = []
        took_by: dict[int, float] = {1: math.inf, 2: math.inf}
        startups: dict[int, float] = {}
        busiest: dict[int, float] = {1: math.inf, 2: math.inf}
        cpus: dict[int, float] = {1: math.inf, 2: math.inf}
        ceiling = 0.0
        for run in range(args.repeat):
            ceiling = max(ceiling, _ceiling(seeds, policies))
            cpu = time.process_time()
            took, rows = _timed(seeds, policies, os.path.join(folder, f"plain{run}"), workers=0)
            plain, plain_cpu = min(plain, took), min(plain_cpu, time.process_time() - cpu)
            for workers in (1, 2):
                cluster, client, startup = _cluster(workers)
                startups[workers] = min(startups.get(workers, math.inf), startup)
                try:
                    before, mine = _worker_cpu(client), time.process_time()
                    took, got = _timed(seeds, policies, os.path.join(folder, f"dask{workers}-{run}"), client=client)
                    here = time.process_time() - mine  # this process: the scheduler, the client, the part files
                    spent = {w: t - before[w] for w, t in _worker_cpu(client).items()}
                finally:
                    client.close()
                    cluster.close()
                assert got == rows, "a Dask run gave other rows than the plain loop"
                took_by[workers] = min(took_by[workers], took)
                cpus[workers] = min(cpus[workers], sum(spent.values()) + here)
                busiest[workers] = min(busiest[workers], max(spent.values()))
        rates = {workers: n / took_by[workers] for workers in (1, 2)}
        one = took_by[1]
        full_note = "extrapolated from the 2-worker rate plus start-up"
        if args.full:
            cluster, client, _ = _cluster(2)
            try:
                start = time.perf_counter()
                run_batch(_job(), list(range(1, FULL // len(policies) + 1)), policies, os.path.join(folder, "full"),
                          client=client)
                full = time.perf_counter() - start + startups[2]
            finally:
                client.close()
                cluster.close()
            full_note = "measured"
        else:
            full = startups[2] + FULL / rates[2]
    per_session = plain / n
    overhead = (one - plain) / n
    figures += [
        Figure("plain loop", n / plain, "sessions/s"),
        Figure("dask, 1 worker", rates[1], "sessions/s"),
        Figure("dask, 2 workers", rates[2], "sessions/s"),
        Figure("speed-up, 2 workers over 1", rates[2] / rates[1], "x (target >= 1.8)"),
        Figure("baseline: two plain processes side by side over one", ceiling,
               "x (what two cores give independent processes here now: the ceiling)"),
        Figure("speed-up, 2 workers over 1, share of that ceiling", rates[2] / rates[1] / ceiling * 100, "%"),
        Figure("dask overhead per session", overhead * 1000, "ms"),
        Figure("dask overhead per session, share", overhead / per_session * 100, "% of a session (target <= 10)"),
        Figure("cluster start-up, 2 workers", startups[2], "s"),
        # CPU time: what the figures would be on cores nobody else uses.
        Figure("CPU per session, plain loop", plain_cpu / n * 1000, "ms"),
        Figure("CPU per session, Dask 1 worker (worker + scheduler)", cpus[1] / n * 1000, "ms"),
        Figure("CPU per session, Dask 2 workers (workers + scheduler)", cpus[2] / n * 1000, "ms"),
        Figure("dask overhead per session by CPU, share", (cpus[1] - plain_cpu) / plain_cpu * 100,
               "% of a session (target <= 10)"),
        Figure("speed-up, 2 workers over 1, by CPU", busiest[1] / busiest[2], "x (busiest worker's CPU time)"),
        Figure(f"wall time of {FULL:,} sessions, 2 workers", full, f"s ({full_note})"),
    ]
    return report(figures, args.json, "batch", f"{n} sessions a run ({', '.join(policies)}, seeds 1-{len(seeds)}), "
                  f"best of {args.repeat} interleaved runs each",
                  "Timings on a shared machine move with its load: run it on idle cores for the figures of record.")


if __name__ == "__main__":
    sys.exit(main())
