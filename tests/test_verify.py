"""verify: the hash chain, byte-exact encoding and re-simulation catch any change."""

import json

from conftest import cli
from tabletop.replay import verify, verify_bytes


def test_clean_log_verifies(played):
    path = played()
    verdict = verify(path)
    assert verdict.ok, verdict.message
    done = cli("verify", path)
    assert done.returncode == 0 and str(verdict.records) in done.stdout


def test_every_single_byte_change_is_caught(played):
    data = open(played(turns=1, name="short.jsonl"), "rb").read()
    assert verify_bytes(data).ok
    lines = data.split(b"\n")[:-1]
    offset = 0
    checked = 0
    for index, line in enumerate(lines):
        for position in range(len(line)):
            mutated = bytearray(data)
            mutated[offset + position] ^= 0x01
            verdict = verify_bytes(bytes(mutated), resimulate_records=False)
            assert not verdict.ok, (index, position)
            assert verdict.bad_seq is not None and verdict.bad_seq <= index
            checked += 1
        offset += len(line) + 1
    assert checked == len(data) - len(lines)


def test_tampered_field_is_named_by_seq(played, tmp_path):
    path = played()
    lines = open(path, encoding="utf-8").read().splitlines(True)
    k = len(lines) // 2
    record = json.loads(lines[k])
    record["turn"] += 1
    lines[k] = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(lines), encoding="utf-8")
    done = cli("verify", str(bad))
    assert done.returncode == 1
    assert f"seq {record['seq']}" in done.stdout


def test_rehashed_forgery_is_caught_by_resimulation(played, tmp_path):
    """A forger who recomputes the whole chain still cannot change what the commands produce."""
    from tabletop.core import canonical

    path = played()
    records = [json.loads(line) for line in open(path, encoding="utf-8")]
    victim = next(r for r in records if r["kind"] == "command_rejected")
    victim["data"]["rule"] = "none"
    prev = canonical.GENESIS
    for record in records:
        record["prev"] = prev
        body = {k: v for k, v in record.items() if k != "hash"}
        record["hash"] = prev = canonical.chain_hash(prev, body)
    forged = tmp_path / "forged.jsonl"
    forged.write_text("".join(canonical.dumps(r) + "\n" for r in records), encoding="utf-8")
    verdict = verify(str(forged))
    assert not verdict.ok and verdict.bad_seq == victim["seq"]


def test_truncated_log_names_where_it_ends(played, tmp_path):
    data = open(played(), "rb").read()
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(data[: len(data) // 2])
    done = cli("verify", str(cut))
    assert done.returncode == 1 and "FAILED at seq" in done.stdout
