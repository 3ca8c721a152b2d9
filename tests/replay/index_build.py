"""Build a replay index in a process of its own and print what came of it as one JSON line.

The replay index's helper process is forked only from a process with no other thread
(``tabletop.replay.index._Helper.start``); a test process has some (pytest-timeout's watcher,
xdist's channel), so the tests that need the helper run this script:

    python index_build.py MODE LOG [RING]

MODE: ``helper`` (may fork one), ``inprocess`` (may not), ``progress`` (may, with progress bars
on), ``thread`` (another thread runs during the build), ``nostart`` (starting a process fails),
``stall`` (the helper does nothing; the build gives up on it after a second). RING: the ring's
size in bytes (small: snapshots wrap round it, wait for room or go through the pipe).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing.process
import sys
import threading
import time


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    from tabletop.replay import index as ix
    from tabletop.replay.timeline import Replay

    if len(sys.argv) > 3:
        ix._RING = int(sys.argv[3])
    ix.HELPER = mode != "inprocess"
    made: list = []
    if mode == "nostart":
        real = ix._Helper.__init__

        def spy(self, *args):
            made.append(self)
            real(self, *args)

        def refuse(self):
            raise OSError("no more processes")

        ix._Helper.__init__ = spy
        multiprocessing.process.BaseProcess.start = refuse
    if mode == "stall":
        ix.STALL_SECONDS = 1.0
        ix._helper_main = lambda *args: time.sleep(3600)
    stop = threading.Event()
    if mode == "thread":
        threading.Thread(target=stop.wait, name="another-thread", daemon=True).start()
    started = time.monotonic()
    with Replay(path, progress=mode == "progress", rebuild=True, every=40) as replay:
        db = replay.index.db
        tables = {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()  # noqa: S608  fixed names
                  for table in ("records", "marks", "snapshots")}
        out = {"helper": replay.build_stats.helper, "count": replay.count, "problem": replay.integrity.problem,
               "rows": len(tables["records"]), "snapshots": len(tables["snapshots"]),
               "digest": hashlib.sha256(repr(tables).encode()).hexdigest(),
               "seconds": time.monotonic() - started, "in_memory": replay.index.path == ix.MEMORY}
    stop.set()
    out["threads_after"] = ix._threads()
    if made:
        out["left_open"] = [not made[0].ring.closed, not made[0].conn.closed]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
