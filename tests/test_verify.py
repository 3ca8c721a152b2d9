"""verify: the hash chain, canonical bytes, every header field, re-simulation and the seal."""

import json
import random

import pytest

from conftest import cli
from tabletop import api
from tabletop.core import canonical
from tabletop.logfile import BadLog, ChainCheck, Line
from tabletop.replay import verify, verify_bytes


def _rehash(records):
    """A forger's tool: recompute the whole chain after editing records."""
    prev = canonical.GENESIS
    out = []
    for record in records:
        record = {k: v for k, v in record.items() if k != "hash"}
        record["prev"] = prev
        prev, line = canonical.encode_record(prev, record)
        out.append(line + b"\n")
    return b"".join(out)


def _records(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def test_clean_log_verifies_and_prints_its_seal(played):
    path = played()
    verdict = verify(path)
    assert verdict.ok, verdict.message
    assert verdict.seal == _records(path)[-1]["hash"]
    done = cli("--lang", "en", "verify", path, "--seal", verdict.seal)
    assert done.returncode == 0 and str(verdict.records) in done.stdout and verdict.seal in done.stdout


@pytest.mark.slow
def test_every_single_byte_change_is_caught(played):
    """Each flipped byte breaks the chain at its own line: checked line by line, linear in the log.
    Every byte of every record is flipped; the header at every byte of its fields outside
    ``data`` and at every 16th byte of ``data`` (the whole scenario text and what was generated
    from it, 40 KB parsed again at each flip: the same code path at every byte)."""
    data = open(played(turns=1, name="short.jsonl"), "rb").read()
    lines = data.split(b"\n")[:-1]
    prev, checked, expected = canonical.GENESIS, 0, 0
    inside = lines[0].index(b'"data":{') + len(b'"data":{'), lines[0].rindex(b'},"hash":"')
    for index, line in enumerate(lines):
        positions = [p for p in range(len(line)) if index or not (inside[0] <= p < inside[1]) or p % 16 == 0]
        expected += len(positions)
        for position in positions:
            mutated = bytearray(line)
            mutated[position] ^= 0x01
            checker = ChainCheck()
            checker.prev = prev
            with pytest.raises(BadLog) as caught:
                checker.check(Line(index, bytes(mutated), 0))
            assert caught.value.seq == index
            checked += 1
        checker = ChainCheck()
        checker.prev = prev
        prev = checker.check(Line(index, line, 0))["hash"]
    assert checked == expected and checked > sum(len(line) for line in lines[1:]) + len(lines[0]) // 16
    rng = random.Random(5)
    for _ in range(15):  # and through the whole verify, streaming from a file
        position = rng.randrange(len(data))
        if data[position] == 0x0A:
            continue
        mutated = bytearray(data)
        mutated[position] ^= 0x01
        verdict = verify_bytes(bytes(mutated))
        assert not verdict.ok and verdict.bad_seq <= data[:position].count(b"\n")


def test_tampered_field_is_named_by_seq(played, tmp_path):
    path = played()
    lines = open(path, encoding="utf-8").read().splitlines(True)
    k = len(lines) // 2
    record = json.loads(lines[k])
    record["turn"] += 1
    lines[k] = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(lines), encoding="utf-8")
    done = cli("--lang", "en", "verify", str(bad))
    assert done.returncode == 1
    assert f"seq {record['seq']}" in done.stdout


def test_rehashed_forgery_is_caught_by_resimulation_and_by_the_seal(played, tmp_path):
    """A forger who recomputes the whole chain still cannot change what the commands produce,
    and cannot keep the seal written down at close."""
    path = played()
    seal = verify(path).seal
    records = _records(path)
    victim = next(r for r in records if r["kind"] == "command_rejected")
    victim["data"]["rule"] = "none"
    forged = tmp_path / "forged.jsonl"
    forged.write_bytes(_rehash(records))
    verdict = verify(str(forged))
    assert not verdict.ok and verdict.bad_seq == victim["seq"]
    # A re-hashed copy with nothing changed verifies, but its last hash is not the seal if any byte moved.
    records = _records(path)
    records[-1]["data"] = dict(records[-1]["data"])
    same = tmp_path / "same.jsonl"
    same.write_bytes(_rehash(records))
    assert verify(str(same), seal=seal).ok
    records[0]["data"]["parent"] = None
    records[5]["time"] = records[5]["time"]
    shortened = tmp_path / "short.jsonl"
    shortened.write_bytes(_rehash(records[:-2]))
    verdict = verify(str(shortened), seal=seal)
    assert not verdict.ok


@pytest.mark.parametrize("forge", [
    lambda d: d["participants"].update(facilitator="王小明"),
    lambda d: d.update(parent={"log": "x.jsonl", "seq": 3, "hash": "a" * 64, "header_hash": "b" * 64, "state_after_seq": 5}),
    lambda d: d.update(parent={"log": "../../etc/passwd", "seq": 3, "hash": "a" * 64, "header_hash": "b" * 64,
                               "state_after_seq": 5}),
    lambda d: d["scenario"].update(file="other/name.yaml"),
    lambda d: d["scenario"].update(file="name.txt"),
    lambda d: d["scenario"].update(id="not-this"),
    lambda d: d.update(extra=1),
    lambda d: d.pop("parent"),
    lambda d: d["generated"].update(unused={"a": 1}),
    lambda d: d["engine"].update(name="other"),
    lambda d: d.update(seed=-1),
    lambda d: d.update(format="2"),
])
def test_header_forgeries_are_refused(played, tmp_path, forge):
    """Every header field is checked, also the ones re-simulation does not read."""
    path = played(turns=1, name="h.jsonl")
    records = _records(path)
    forge(records[0]["data"])
    forged = tmp_path / "forged.jsonl"
    forged.write_bytes(_rehash(records))
    verdict = verify(str(forged))
    if records[0]["data"].get("parent", {}) and "parent" in records[0]["data"] and \
            records[0]["data"]["parent"] and records[0]["data"]["parent"].get("log") == "x.jsonl":
        # A well-formed parent cannot be checked without the parent log: the seal is what catches it.
        assert verify(str(forged), seal=verify(path).seal).ok is False
        return
    assert not verdict.ok and verdict.bad_seq == 0, verdict.message


def test_other_format_says_which_engine_re_simulates_it(played, tmp_path):
    path = played(turns=1, name="old.jsonl")
    records = _records(path)
    records[0]["data"]["format"] = 1
    old = tmp_path / "old.jsonl"
    old.write_bytes(_rehash(records))
    verdict = verify(str(old))
    assert not verdict.ok and verdict.not_resimulated == "format" and verdict.engine == api.FORMAT_ENGINES[1]
    done = cli("--lang", "en", "verify", str(old))
    assert done.returncode == 1 and f"tabletop {api.FORMAT_ENGINES[1]}" in done.stdout and "FAILED" not in done.stdout


def test_truncated_log_names_where_it_ends(played, tmp_path):
    data = open(played(), "rb").read()
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(data[: len(data) // 2])
    verdict = verify(str(cut))
    assert not verdict.ok and verdict.bad_seq is not None
    whole = data[: data.rindex(b"\n", 0, len(data) // 2) + 1]  # whole lines, records missing at the end
    cut.write_bytes(whole)
    verdict = verify(str(cut))
    assert not verdict.ok and "missing" in verdict.message


def test_a_header_re_encoded_by_another_tool_is_refused(played, tmp_path):
    """The header is not re-simulated, so its bytes must be canonical themselves."""
    path = played(turns=1, name="enc.jsonl")
    lines = open(path, "rb").read().split(b"\n")[:-1]
    header = json.loads(lines[0])
    body = {k: v for k, v in header.items() if k != "hash"}
    text = json.dumps(body, ensure_ascii=True, separators=(", ", ": "), sort_keys=True)
    import hashlib

    header["hash"] = hashlib.sha256((canonical.GENESIS + text).encode()).hexdigest()
    first = (text[:-1] + ', "hash": "' + header["hash"] + '"}').encode()
    # re-chain the rest after the new header hash
    records = [json.loads(line) for line in lines[1:]]
    rest = []
    prev = header["hash"]
    for record in records:
        record = {k: v for k, v in record.items() if k != "hash"}
        record["prev"] = prev
        prev, line = canonical.encode_record(prev, record)
        rest.append(line)
    forged = tmp_path / "forged.jsonl"
    forged.write_bytes(b"\n".join([first] + rest) + b"\n")
    verdict = verify(str(forged))
    assert not verdict.ok and verdict.bad_seq == 0


def test_verify_without_a_seal_says_so_and_names_an_unclosed_session(played):
    path = played(turns=2, name="open.jsonl")
    done = cli("--lang", "en", "verify", path)
    assert done.returncode == 0 and "not checked against a seal" in done.stdout and "has not been closed" in done.stdout
