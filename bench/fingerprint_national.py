#!/usr/bin/env python3
"""The national bench session's fingerprint: for a speed change that must keep every byte.

bench_national's set-up (the generated national scenario, N stations opened and stocked) played
``--advances`` more advances, at each ``--sizes`` count: the records made, the last record's
hash and the digest of the whole state (``canonical.digest(session.snapshot())``). Run it
before and after a change (or in a second checkout: ``git worktree add /tmp/base <commit>``)
and compare the lines: the same scenario, seed and commands must give the same log, so any
difference is a change in what the engine does. The goldens (``tools/make_goldens.py --check``)
cover the county scenario and the national one with its injects; this covers the hot paths at
scale (thousands of stations serving, queueing and reporting).

    python bench/fingerprint_national.py [--sizes 500,2000] [--advances 40]
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_national import ADVANCE, build, scenario_for  # noqa: E402
from tabletop.core import canonical  # noqa: E402


def fingerprint(stations: int, advances: int) -> str:
    session, _ = build(scenario_for(stations), stations)
    for _ in range(advances):
        session.submit(ADVANCE)
    return f"{stations} {session.seq} {session.last_hash[:12]} {canonical.digest(session.snapshot())[:12]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,2000", help="station counts (default 500,2000)")
    parser.add_argument("--advances", type=int, default=40, help="advances after the set-up (default 40: ten turns)")
    args = parser.parse_args()
    print("stations records last-hash state-digest")
    for size in (int(x) for x in args.sizes.split(",")):
        print(fingerprint(size, args.advances), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
