"""The benchmarks' national set-up is played through the engine alone: a log written of it verifies.

bench/bench_national.py's ``build`` (also bench_scoring's, bench_instructions' and the
fingerprint's set-up) stocks its stations with each county's central-allocation inject, not by
writing into the state, so the log ``bench_scoring.py --national --keep`` writes re-simulates
(before 2026-12-07 it did not: re-simulated stations had no stock and served nobody).
"""

from __future__ import annotations

import os

import pytest

from tabletop import replay

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")


def test_a_national_log_the_benches_write_verifies(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(BENCH)
    import bench_scoring

    path = str(tmp_path / "national.jsonl")
    count = bench_scoring.generate_national(path, 4000, 40)
    verdict = replay.verify(path)
    assert verdict.ok, verdict
    assert verdict.records == count
    with open(path, encoding="utf-8") as log:
        served = [line for line in log if '"kind":"distribution_served"' in line]
    assert served, "the stations serve in the log (stocked through the engine)"


def test_build_refuses_a_scenario_made_for_another_count(monkeypatch):
    monkeypatch.syspath_prepend(BENCH)
    import bench_national

    with pytest.raises(ValueError, match="stocks 3 stations, not 4"):
        bench_national.build(bench_national.scenario_for(3, turns=12), 4)
