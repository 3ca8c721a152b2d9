"""Batch runs: a LocalCluster of 2 workers gives the rows of a plain loop; a resumed batch the rows
of an uninterrupted one; by_the_book beats idle on every capability; the report stays offline."""

import csv
import os

import pytest

from conftest import ACTIONS, SCENARIO, cli

from tabletop.batch.report import build
from tabletop.batch.rows import Job
from tabletop.batch.run import run_batch
from tabletop.batch.store import StoreError
from tabletop.replay import verify
from tabletop.scenario.actions import read_actions

SEEDS = list(range(1, 13))
POLICIES = ["by_the_book", "idle"]
FEW = [1, 2, 3]


def _job():
    with open(SCENARIO, encoding="utf-8") as handle:
        text = handle.read()
    return Job(text, "scenario.yaml", read_actions(ACTIONS).actions)


def _key(rows):
    return sorted(rows, key=lambda r: (r["policy"], r["seed"]))


@pytest.fixture(scope="module")
def cluster_batch(tmp_path_factory):
    """12 seeds x by_the_book, idle on a Dask LocalCluster of 2 worker processes."""
    folder = str(tmp_path_factory.mktemp("cluster"))
    outcome = run_batch(_job(), SEEDS, POLICIES, folder, workers=2)
    assert outcome.played == len(SEEDS) * len(POLICIES) and outcome.skipped == 0
    return folder, outcome


@pytest.mark.slow
def test_a_local_cluster_gives_the_rows_of_a_plain_loop(cluster_batch, tmp_path):
    _, outcome = cluster_batch
    plain = run_batch(_job(), FEW, POLICIES, str(tmp_path), workers=0)
    assert _key(plain.rows) == _key([r for r in outcome.rows if r["seed"] in FEW])
    assert len({r["seal"] for r in outcome.rows}) == len(outcome.rows)  # every session its own log


@pytest.mark.slow
def test_a_resumed_batch_gives_the_rows_of_an_uninterrupted_one(cluster_batch, tmp_path):
    _, outcome = cluster_batch
    folder = str(tmp_path / "b")
    calls = []

    def interrupt(n):
        calls.append(n)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as Ctrl-C after two sessions

    with pytest.raises(KeyboardInterrupt):
        run_batch(_job(), FEW, POLICIES, folder, workers=0, progress=interrupt)
    assert not os.path.exists(os.path.join(folder, "results.parquet"))
    resumed = run_batch(_job(), FEW, POLICIES, folder, workers=0)
    assert (resumed.played, resumed.skipped) == (len(FEW) * len(POLICIES) - 2, 2)
    assert _key(resumed.rows) == _key([r for r in outcome.rows if r["seed"] in FEW])
    with open(resumed.csv, encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [(int(r["seed"]), r["policy"]) for r in table] == [(s, p) for p in POLICIES for s in FEW]
    again = run_batch(_job(), FEW, POLICIES, folder, workers=0)
    assert (again.played, again.skipped) == (0, len(FEW) * len(POLICIES))


@pytest.mark.slow
def test_by_the_book_beats_idle_on_every_capability_on_every_seed(cluster_batch, tmp_path):
    """Across 20 seeds: the cluster's 12 and eight more played in this process."""
    _, outcome = cluster_batch
    more = list(range(SEEDS[-1] + 1, 21))
    extra = run_batch(_job(), more, POLICIES, str(tmp_path), workers=0)
    rows = {(r["policy"], r["seed"]): r for r in outcome.rows + extra.rows}
    assert outcome.capabilities  # the default scenario's seven
    assert len(SEEDS + more) == 20
    for seed in SEEDS + more:
        good, idle = rows[("by_the_book", seed)], rows[("idle", seed)]
        assert good["overall"] > idle["overall"]
        for capability in outcome.capabilities:
            assert good[capability] > idle[capability], (seed, capability, good[capability], idle[capability])


@pytest.mark.slow
def test_the_balance_report_is_offline_and_says_what_separates(cluster_batch):
    folder, _ = cluster_batch
    path, lines = build(folder, "en")
    page = open(path, encoding="utf-8").read()
    assert page.count("<svg") >= 4 and "<script" not in page and " src=" not in page and "href=" not in page
    assert any("by_the_book vs idle separate clearly: the first wins 100%" in line for line in lines), lines
    zh = build(folder, "zh_TW")[1]
    assert any("區辨清楚" in line for line in zh)


@pytest.mark.slow
def test_logs_are_kept_only_when_asked_and_verify(tmp_path):
    kept = run_batch(_job(), [4], ["idle"], str(tmp_path / "kept"), workers=0, keep_logs=True)
    logs = sorted(os.listdir(tmp_path / "kept" / "logs"))
    assert logs == ["idle-seed4.jsonl"]
    verdict = verify(str(tmp_path / "kept" / "logs" / logs[0]))
    assert verdict.ok and verdict.seal == kept.rows[0]["seal"]
    run_batch(_job(), [4], ["idle"], str(tmp_path / "none"), workers=0)
    assert not os.path.exists(tmp_path / "none" / "logs")


def test_a_folder_of_another_batch_is_refused(tmp_path):
    run_batch(_job(), [1], ["idle"], str(tmp_path), workers=0)
    other = Job(_job().scenario_text.replace("Hualien County 2026 Urban", "Hualien County 2026 (variant) Urban"), "scenario.yaml", [])
    with pytest.raises(StoreError):
        run_batch(other, [1], ["idle"], str(tmp_path), workers=0)


@pytest.mark.parametrize("args", [["--seeds", "5-1"], ["--seeds", "1-3", "--policy", "by_the_book,wise"]])
def test_bad_batch_input_exits_2(tmp_path, args):
    done = cli("--lang", "en", "batch", SCENARIO, *args, "--out", str(tmp_path / "b"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.strip()
    assert not os.path.exists(tmp_path / "b")
