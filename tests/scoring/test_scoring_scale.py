"""Scoring at scale (issue 17): the view of a long log is read with its chain checked in a child
process beside it, and must be the view the one serial pass gives, tampered or not; metrics
grouped by scope in one pass give the values a per-scope scan gives."""

from __future__ import annotations

import json

import pytest

from conftest import unpack_golden
from tabletop.core import canonical
from tabletop.scoring import engine, logview
from tabletop.scoring.registry import Scope



@pytest.fixture(scope="module")
def national_log(tmp_path_factory):
    return unpack_golden(tmp_path_factory.mktemp("scale"), "national-seed1")


@pytest.fixture(scope="module")
def reports_log(tmp_path_factory):
    """A national session with its scripted actions: field reports reach every county's EOC."""
    from tabletop.api import load_scenario_file
    from tabletop.runner import run
    from tabletop.scenario import national
    from tabletop.scenario.actions import load_actions

    folder = tmp_path_factory.mktemp("reports")
    scenario, actions_path = national.write(str(folder), turns=3, injects_per_county=1)
    loaded = load_scenario_file(scenario)
    actions, problems = load_actions(actions_path)
    assert loaded.ok and not problems
    log = str(folder / "reports.jsonl")
    run(loaded, 1, actions, log, turns=3)
    return log


def _view_bytes(view: logview.LogView) -> str:
    kinds = {kind: rows for kind, rows in sorted(view.by_kind.items())}
    return canonical.dumps({"kinds": kinds, "commands": {str(k): v for k, v in view.commands.items()},
                            "rejected": sorted(view.rejected), "records": view.records,
                            "integrity": view.integrity, "torn": view.torn, "last_turn": view.last_turn,
                            "accepted": {f"{c}|{k}": rows for (c, k), rows in sorted(view.accepted.items())}})


def _both(path: str, monkeypatch) -> tuple[logview.LogView, logview.LogView]:
    """The view read in parallel (the chain in a child process) and in the one serial pass."""
    monkeypatch.setattr(logview, "PARALLEL_BYTES", 0)
    if not logview._parallel(path):
        pytest.skip("no second CPU, not Linux, or a thread is running: the parallel read is not used here")
    parallel = logview.load(path, progress=False, allow_broken=True)
    monkeypatch.setattr(logview, "PARALLEL_BYTES", 1 << 62)
    assert not logview._parallel(path)
    serial = logview.load(path, progress=False, allow_broken=True)
    return parallel, serial


def test_the_parallel_read_gives_the_serial_view_and_score(national_log, monkeypatch):
    parallel, serial = _both(national_log, monkeypatch)
    assert parallel.integrity["status"] == "chain_ok" and parallel.integrity["seal"]
    assert _view_bytes(parallel) == _view_bytes(serial)
    assert canonical.dumps(engine.score(parallel)) == canonical.dumps(engine.score(serial))


def _lines(path):
    return open(path, "rb").read().split(b"\n")[:-1]


@pytest.mark.parametrize("damage", ["tampered", "removed", "torn", "not_json"])
def test_a_broken_long_log_is_reported_as_the_serial_pass_reports_it(national_log, tmp_path, monkeypatch, damage):
    lines = _lines(national_log)
    middle = len(lines) // 2
    if damage == "tampered":  # edited in place, its hash left as it was
        record = json.loads(lines[middle])
        record["data"] = dict(record["data"], forged=True)
        lines[middle] = canonical.encode(record)
        data = b"\n".join(lines) + b"\n"
    elif damage == "removed":
        data = b"\n".join(lines[:middle] + lines[middle + 1:]) + b"\n"
    elif damage == "torn":
        data = b"\n".join(lines) + b"\n" + lines[1][:40]
    else:
        data = b"\n".join(lines[:middle] + [b"{not json"] + lines[middle + 1:]) + b"\n"
    path = tmp_path / f"{damage}.jsonl"
    path.write_bytes(data)
    parallel, serial = _both(str(path), monkeypatch)
    assert parallel.integrity["status"] == "broken"
    assert parallel.integrity == serial.integrity
    assert parallel.integrity["bad_seq"] == (len(lines) if damage == "torn" else middle)
    assert _view_bytes(parallel) == _view_bytes(serial)


def test_picture_age_grouped_in_one_pass_equals_the_per_scope_scan(reports_log):
    """The per-scope scan the metric did before (every report read again for each of the 177
    scopes), kept here as the reference for the grouped pass."""
    from datetime import datetime

    from tabletop.comms.metrics import picture_age_min

    view = logview.load(reports_log, progress=False)
    assert view.has("report_received")

    def scanned(county):
        ages = []
        for record in view.events("report_received"):
            data = record["data"]
            found = data.get("county") or view.cause_county(record)
            if county is not None and found not in (None, county):
                continue
            as_of = data.get("as_of")
            if isinstance(as_of, int) and not isinstance(as_of, bool):
                ages.append(float(max(0, view.minutes(as_of, record["turn"]))))
                continue
            try:
                stamp = datetime.fromisoformat(str(as_of))
                ages.append(max(0.0, (datetime.fromisoformat(record["time"]) - stamp).total_seconds() / 60))
            except ValueError:
                continue
        return ages

    checked = 0
    for county in [None, *view.counties(), "no_such_county"]:
        value = picture_age_min(view, Scope(county=county))
        ages = scanned(county)
        if not ages:
            assert value is None
            continue
        checked += 1
        assert value is not None and value.value == sum(ages) / len(ages) and value.n == len(ages)
        assert value.detail == {"max": max(ages)}
    assert checked > 2
