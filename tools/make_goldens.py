#!/usr/bin/env python3
"""Regenerate the golden sessions under tests/golden/ (gzip-compressed JSON Lines logs).

    python tools/make_goldens.py          # rewrite them (after a deliberate format change)
    python tools/make_goldens.py --check  # exit 1 if this engine would write other bytes

A golden session is a log this engine wrote from a fixed scenario, seed and actions file.
tests/test_golden.py fails when an engine change alters one byte of one of them: an outcome
change must be a deliberate log-format bump (tabletop.api.LOG_FORMAT), with regenerated
goldens and a line in docs/log-format.md, "Format history".
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tabletop.runner import run  # noqa: E402
from tabletop.scenario import national  # noqa: E402
from tabletop.scenario.actions import load_actions  # noqa: E402
from tabletop.api import load_scenario_file  # noqa: E402

NEWLINE = b"\n"
GOLDEN = os.path.join(ROOT, "tests", "golden")
HUALIEN = os.path.join(ROOT, "scenarios", "hualien")
#: name -> (scenario maker, seed, turns played)
SESSIONS = {
    "hualien-seed1": ("hualien", 1, None),
    "hualien-seed2": ("hualien", 2, None),
    "national-seed1": ("national", 1, 1),
    "national-seed2": ("national", 2, 1),
}


def _scenario(kind: str, work: str) -> tuple[str, str]:
    if kind == "hualien":
        return os.path.join(HUALIEN, "scenario.yaml"), os.path.join(HUALIEN, "actions.yaml")
    folder = os.path.join(work, "national")
    if not os.path.exists(folder):
        national.write(folder, injects_per_county=1, turns=3)
    return os.path.join(folder, "scenario.yaml"), os.path.join(folder, "actions.yaml")


def play(name: str, work: str) -> bytes:
    """The bytes this engine writes for golden session ``name``."""
    kind, seed, turns = SESSIONS[name]
    scenario, actions_file = _scenario(kind, work)
    loaded = load_scenario_file(scenario)
    actions, problems = load_actions(actions_file)
    assert loaded.ok and not problems, (loaded.problems, problems)
    log = os.path.join(work, f"{name}.jsonl")
    run(loaded, seed, actions, log, turns=turns)
    with open(log, "rb") as handle:
        return handle.read()


def path_of(name: str) -> str:
    return os.path.join(GOLDEN, f"{name}.jsonl.gz")


def stored(name: str) -> bytes:
    with gzip.open(path_of(name), "rb") as handle:
        return handle.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    worst = 0
    with tempfile.TemporaryDirectory() as work:
        for name in SESSIONS:
            data = play(name, work)
            if args.check:
                same = os.path.exists(path_of(name)) and stored(name) == data
                print(f"{name}: {'same bytes' if same else 'DIFFERENT'}")
                worst = worst or (0 if same else 1)
                continue
            os.makedirs(GOLDEN, exist_ok=True)
            with open(path_of(name), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
                handle.write(data)
            print(f"{path_of(name)}: {data.count(NEWLINE)} records")
    return worst


if __name__ == "__main__":
    sys.exit(main())
