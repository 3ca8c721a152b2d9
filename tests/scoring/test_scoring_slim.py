"""The view keeps only what its readers read of the bulky kinds (tabletop/scoring/slim.py), and a
report's re-simulation runs in a child beside the reading (logview._read_verified): both must give
exactly what the whole records and the serial verify give."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import unpack_golden
from tabletop.core import canonical
from tabletop.logfile import read_records
from tabletop.scoring import engine, logview, text
from tabletop.scoring.distribution_facts import _served_pass
from tabletop.scoring.slim import Served



@pytest.fixture(scope="module")
def hualien_log(tmp_path_factory):
    return unpack_golden(tmp_path_factory.mktemp("slim"), "hualien-seed1")


def _whole(view: logview.LogView, records: list[dict]) -> logview.LogView:
    """The view with every served record's data put back as logged (what the reader kept before)."""
    logged = {r["seq"]: r for r in records}
    for record in view.events("distribution_served"):
        record.pop("served", None)
        record["data"] = copy.deepcopy(logged[record["seq"]]["data"])
    view.cache.clear()
    return view


def test_served_lines_kept_compact_give_the_sums_of_the_lines_kept_whole(hualien_log):
    records = read_records(hualien_log)
    served = [r for r in records if r["kind"] == "distribution_served"]
    assert served, "the golden log serves goods"
    # Figures a reader reads as 0 (null, false, missing) and one line of text (kept whole).
    odd = copy.deepcopy(served[-1])
    station, goods = next(iter(odd["data"]["stations"].items()))
    good = next(iter(goods))
    goods[good].update(quantity=None, people=False)
    goods[good].pop("unmet", None)
    text_line = copy.deepcopy(odd)
    text_line["data"]["stations"][station][good]["people"] = "7"
    for extra in (odd, text_line):
        extra["seq"] = records[-1]["seq"] + 1
        records.append(extra)
    compact = logview.from_records(records)
    kept = compact.events("distribution_served")
    assert all(isinstance(r.get("served"), Served) for r in kept[:-1])
    assert "served" not in kept[-1] and kept[-1]["data"]["stations"][station][good]["people"] == "7"
    assert "stations" not in kept[0]["data"] and kept[0]["data"]["county"] == served[0]["data"]["county"]
    whole = _whole(logview.from_records(records), records)
    assert _served_pass(compact) == _served_pass(whole)
    assert text.dumps(engine.score(compact)) == text.dumps(engine.score(whole))


def test_a_message_keeps_only_what_its_readers_read(hualien_log):
    records = read_records(hualien_log)
    sent = next(r for r in records if r["kind"] == "message_sent")
    base = copy.deepcopy(sent)
    base["data"].update(kind="report", payload={"reason": "schedule", "stations": {"station:a": {}}}, extra=1)
    odd = copy.deepcopy(base)
    odd["data"]["payload"] = "no object"
    odd["seq"] = base["seq"] + 1
    view = logview.from_records([records[0], base, odd])
    slim, whole = view.events("message_sent")
    assert slim["data"] == {k: base["data"][k] for k in ("channel", "from", "id", "kind", "to")} | \
        {"payload": {"reason": "schedule"}}
    assert whole["data"] == odd["data"]  # not the shape its readers expect: kept as logged


def _view_json(view: logview.LogView) -> str:
    def plain(value):
        if isinstance(value, Served):
            return {"keys": value.keys, "figures": list(value.figures)}
        raise TypeError(type(value))

    return json.dumps({"kinds": view.by_kind, "commands": {str(k): v for k, v in view.commands.items()},
                       "records": view.records, "integrity": view.integrity, "last_turn": view.last_turn,
                       "accepted": {f"{c}|{k}": rows for (c, k), rows in view.accepted.items()}},
                      default=plain, sort_keys=True, ensure_ascii=False)


def _verified_both(path: str, monkeypatch) -> tuple[logview.LogView, logview.LogView, list]:
    warmed: list = []
    monkeypatch.setattr(logview, "PARALLEL_BYTES", 0)
    if not logview._parallel(path):
        pytest.skip("no second CPU: the re-simulation is not run beside the reading here")
    parallel = logview.load(path, progress=False, verify=True, allow_broken=True, meanwhile=warmed.append)
    monkeypatch.setattr(logview, "PARALLEL_BYTES", 1 << 62)
    serial = logview.load(path, progress=False, verify=True, allow_broken=True)
    return parallel, serial, warmed


def test_the_verify_beside_the_reading_gives_the_serial_verdict_view_and_score(hualien_log, monkeypatch):
    parallel, serial, warmed = _verified_both(hualien_log, monkeypatch)
    assert parallel.integrity["status"] == "verified" and parallel.integrity == serial.integrity
    assert len(warmed) == 1
    assert _view_json(parallel) == _view_json(serial)
    assert text.dumps(engine.score(parallel)) == text.dumps(engine.score(serial))


def test_warming_the_scores_first_changes_nothing(hualien_log):
    view = logview.load(hualien_log, progress=False)
    engine.warm(view)
    assert text.dumps(engine.score(view)) == text.dumps(engine.score(logview.load(hualien_log, progress=False)))


@pytest.mark.parametrize("damage", ["tampered", "rehashed"])
def test_a_log_that_does_not_resimulate_is_reported_as_the_serial_verify_reports_it(hualien_log, tmp_path,
                                                                                   monkeypatch, damage):
    lines = open(hualien_log, "rb").read().split(b"\n")[:-1]
    middle = next(i for i in range(len(lines) // 2, len(lines)) if b'"type":"event"' in lines[i])
    record = json.loads(lines[middle])
    record["data"] = dict(record["data"], forged=True)
    if damage == "tampered":  # edited in place, its hash left as it was: the chain breaks
        lines[middle] = canonical.encode(record)
    else:  # the whole chain re-hashed from there: only the re-simulation sees it
        prev = json.loads(lines[middle - 1])["hash"]
        for index in range(middle, len(lines)):
            one = record if index == middle else json.loads(lines[index])
            body = {k: v for k, v in one.items() if k != "hash"}
            body["prev"] = prev
            prev, lines[index] = canonical.encode_record(prev, body)
    path = tmp_path / f"{damage}.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    parallel, serial, _warmed = _verified_both(str(path), monkeypatch)
    assert parallel.integrity["status"] == "broken"
    assert parallel.integrity["problem"] == ("chain" if damage == "tampered" else "resimulation")
    assert parallel.integrity == serial.integrity
    assert _view_json(parallel) == _view_json(serial)
