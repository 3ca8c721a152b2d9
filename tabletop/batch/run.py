"""Play every seed × policy: in this process (``workers=0``), on a local Dask cluster
(``LocalCluster``, one single-threaded worker process per core asked for) or on any Dask
cluster (``scheduler="tcp://HOST:PORT"``). Tasks are chunks of sessions; each finished chunk
is stored at once, so an interrupted batch resumes where it stopped."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from tabletop.batch.rows import Job, capabilities_of, session_row
from tabletop.batch.store import FORMAT, Store
from tabletop.core import canonical
from tabletop import heap

#: Sessions per task at most: large enough that scheduling costs little, small enough to resume finely.
CHUNK = 25


@dataclass
class Outcome:
    played: int
    skipped: int
    rows: list[dict[str, Any]]
    parquet: str
    csv: str
    capabilities: list[str]


_frozen = False


def run_chunk(job: Job, chunk: list[tuple[int, str]], capabilities: list[str]) -> list[dict[str, Any]]:
    """One task: the rows of a few sessions (a pure function of its arguments)."""
    global _frozen
    if not _frozen:
        # Once per process: move what is already alive (a Dask worker's own heap, the loaded
        # modules) out of the collector's reach, or every full collection a session's objects
        # trigger walks it all again (measured: sessions ~1.5x slower in a worker without).
        # Not tabletop.heap.HeapKeeper: a worker plays many short sessions, each dropped once
        # its row is made; a session is freed by its reference count (it is no cycle), but its
        # lifecycle's transitions machine is one, and frozen it would be kept unless unfrozen.
        # A holder for the process's life (heap.hold).
        gc.collect()
        heap.hold()
        _frozen = True
    return [session_row(job, seed, policy, capabilities) for seed, policy in chunk]


def chunks(todo: list[tuple[int, str]], workers: int) -> list[list[tuple[int, str]]]:
    """Guided chunks: each a quarter of what is left per worker (at most CHUNK), shrinking to
    single sessions at the end, so no worker idles long while another finishes a big last chunk
    (measured on 2 workers, 200 sessions: even chunks of 12 left ~10% of the wall time to one worker)."""
    out, start, share = [], 0, max(1, workers) * 4
    while start < len(todo):
        size = max(1, min(CHUNK, (len(todo) - start) // share))
        out.append(todo[start:start + size])
        start += size
    return out


def manifest(job: Job, capabilities: list[str], policies: list[str]) -> dict[str, Any]:
    script = json.dumps([a.command().to_data() | {"kind": a.command().kind} for a in job.script],
                        ensure_ascii=False, sort_keys=True)
    return {"format": FORMAT, "scenario_file": job.scenario_file,
            "scenario_sha256": canonical.sha256_text(job.scenario_text),
            "script_sha256": hashlib.sha256(script.encode()).hexdigest(), "capabilities": capabilities,
            "policies": policies, "injects": job.injects()}


def run_batch(job: Job, seeds: list[int], policies: list[str], out: str, workers: int = 2,
              scheduler: str | None = None, keep_logs: bool = False,
              progress: Callable[[int], Any] | None = None, total: Callable[[int], Any] | None = None,
              client: Any = None) -> Outcome:
    """Play what ``out`` does not hold yet and write its results. ``client``: a Dask client of
    the caller's (kept open), instead of a LocalCluster of ``workers`` or ``scheduler``."""
    store = Store(out)
    capabilities = capabilities_of(job)
    store.open(manifest(job, capabilities, policies))
    done = {(row["seed"], row["policy"]) for row in store.rows(capabilities)}
    todo = [(seed, policy) for policy in policies for seed in seeds if (seed, policy) not in done]
    if total:
        total(len(todo))
    if keep_logs:
        job.keep_dir = os.path.abspath(os.path.join(out, "logs"))
        os.makedirs(job.keep_dir, exist_ok=True)
    size = len(client.scheduler_info()["workers"]) if client is not None else workers or 1
    for rows in _execute(job, chunks(todo, size), capabilities, workers, scheduler, client):
        store.add(rows, capabilities)
        if progress:
            progress(len(rows))
    wanted = {(seed, policy) for policy in policies for seed in seeds}
    rows = [row for row in store.rows(capabilities) if (row["seed"], row["policy"]) in wanted]
    parquet, csv = store.finish(rows, capabilities, policies)
    return Outcome(len(todo), len(wanted) - len(todo), rows, parquet, csv, capabilities)


def local_cluster(workers: int) -> Any:
    """A LocalCluster of single-threaded worker processes, without the workers' statistical
    profiler (it samples the task thread's stack every 10 ms: measured ~3% of a session)."""
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                            local_directory=tempfile.gettempdir())


def _execute(job: Job, work: list[list[tuple[int, str]]], capabilities: list[str], workers: int,
             scheduler: str | None, given: Any = None) -> Iterator[list[dict[str, Any]]]:
    if not work:
        return
    if given is None and not scheduler and workers == 0:
        for chunk in work:
            yield run_chunk(job, chunk, capabilities)
        return
    from dask.distributed import Client, as_completed

    cluster = None
    if given is not None:
        client = given
    elif scheduler:
        client = Client(scheduler)
    else:
        cluster = local_cluster(workers)
        client = Client(cluster)
    try:
        shared = client.scatter(job, broadcast=True)
        futures = [client.submit(run_chunk, shared, chunk, capabilities, pure=False) for chunk in work]
        for future in as_completed(futures):
            yield future.result()
            future.release()
    finally:
        if given is None:
            client.close()
        if cluster is not None:
            cluster.close()
