#!/usr/bin/env python3
"""Generate the national scenario (22 counties, 368 townships) into OUT_DIR.

Writes ``OUT_DIR/scenario.yaml`` and its scripted playthrough ``OUT_DIR/actions.yaml``:

    python tools/generate_national.py /tmp/national --injects-per-county 3
    python run_exercise.py validate /tmp/national/scenario.yaml
    python run_exercise.py run /tmp/national/scenario.yaml --headless --seed 1 \\
        --actions /tmp/national/actions.yaml --log /tmp/national.jsonl

OUT_DIR may not be inside the project's ``scenarios/`` folder: every scenario there is
checked as a hand-written one, and this output is generated.
"""

from __future__ import annotations

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tabletop.files import FileProblem  # noqa: E402
from tabletop.scenario import national  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", metavar="OUT_DIR", help="folder to write scenario.yaml and actions.yaml into")
    parser.add_argument("--injects-per-county", type=int, default=3, metavar="N", help="injects per county (default 3)")
    parser.add_argument("--turns", type=int, default=12, help="turns of 6 hours (default 12, at least 3)")
    parser.add_argument("--csv", default=national.DEFAULT_CSV, help="township table (default scenarios/data/townships.csv)")
    parser.add_argument("--plain", action="store_true",
                        help="no positions, roads, mutual-aid pools or county-profile injects (the benchmarks' scenario)")
    args = parser.parse_args(argv)
    scenarios = os.path.realpath(os.path.join(ROOT, "scenarios"))
    target = os.path.realpath(args.out_dir)
    if os.path.commonpath([scenarios, target]) == scenarios:
        print(f"{args.out_dir}: refusing to generate inside scenarios/ (choose another folder)", file=sys.stderr)
        return 2
    try:
        rows = national.read_townships(args.csv)
        paths = national.write(args.out_dir, rows=rows, injects_per_county=args.injects_per_county, turns=args.turns,
                               full=not args.plain)
    except FileProblem as err:  # a full disk or read-only folder: nothing half-written
        print(err.text(), file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError) as err:
        print(f"cannot generate: {err}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
