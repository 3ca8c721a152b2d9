"""Integrity first: a damaged log opens with its intact prefix and a clear warning (issue 9)."""

import json
import os
import random
import subprocess
import sys

import pytest
from replay_helpers import ACTIONS, SCENARIO, lines_of, play_live, write_lines

from conftest import cli
from tabletop.core import canonical
from tabletop.logfile import BadLog, read_records
from tabletop.replay.source import LogSource
from tabletop.replay.timeline import Replay
from tabletop.scenario.actions import load_actions
from tabletop.api import load_scenario_file


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    loaded = load_scenario_file(SCENARIO)
    actions, _ = load_actions(ACTIONS)
    folder = tmp_path_factory.mktemp("integrity")
    return play_live(loaded, actions, 7, str(folder / "log.jsonl"), turns=6)


def _copy(live, tmp_path, name="t.jsonl"):
    path = str(tmp_path / name)
    write_lines(path, lines_of(live.log))
    return path


def _state_before(live, seq):
    """The live truth after the last whole batch ending before ``seq``."""
    best = None
    for start, (first, last, truth, _) in sorted(live.states.items()):
        if last < seq:
            best = (last, truth)
    return best


def test_tampered_record_opens_with_the_intact_prefix_and_a_warning(live, tmp_path):
    path = _copy(live, tmp_path)
    lines = lines_of(path)
    bad = 400
    record = json.loads(lines[bad])
    record["data"]["forged"] = True  # a changed record keeps its old hash
    lines[bad] = (canonical.dumps(record) + "\n").encode()
    write_lines(path, lines)
    with Replay(path, progress=False) as replay:
        assert replay.integrity.problem == "tampered" and replay.integrity.bad_seq == bad
        assert "hash does not match" in replay.integrity.message
        assert replay.count == bad and replay.source.lines == len(lines)
        last, truth = _state_before(live, bad)
        assert canonical.dumps(replay.dump_state(last)["truth"]) == truth
        with pytest.raises(IndexError):
            replay.session_at(bad)
    result = cli("replay", path, "--at", str(last), "--dump-state", str(tmp_path / "s.json"))
    assert result.returncode == 1  # the dump of the intact prefix is written; the check failed
    assert "第 400 筆" in result.stderr and "僅重播第 0 至 399 筆" in result.stderr
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["log"]["problem"] == "tampered"
    result = cli("--lang", "en", "replay", path, "--at", str(bad), "--dump-state", str(tmp_path / "t.json"))
    assert result.returncode == 1 and "past the intact prefix" in result.stderr
    result = cli("--lang", "en", "replay", path, "--check")
    assert result.returncode == 1 and "WARNING" in result.stderr and "from record 400" in result.stderr


def test_truncated_and_shortened_logs(live, tmp_path):
    path = _copy(live, tmp_path)
    with Replay(path, progress=False):
        pass  # indexed while whole
    lines = lines_of(path)
    write_lines(path, lines[:-25])  # whole records cut off the end: the index remembers more
    with Replay(path, progress=False) as replay:
        assert replay.integrity.problem == "shortened" and replay.count == len(lines) - 25
        assert str(len(lines)) in replay.integrity.message
    torn = _copy(live, tmp_path, "torn.jsonl")
    data = open(torn, "rb").read()
    cut = len(data) - len(lines[-1]) // 2
    with open(torn, "wb") as handle:
        handle.write(data[:cut])  # the writer was interrupted mid-line
    with Replay(torn, progress=False) as replay:
        assert replay.integrity.problem == "truncated" and replay.count == len(lines) - 1
        assert replay.integrity.bad_seq == len(lines) - 1
        replay.session_at(replay.count - 1)


def test_removed_or_unreadable_line(live, tmp_path):
    path = _copy(live, tmp_path)
    lines = lines_of(path)
    write_lines(path, lines[:300] + lines[301:])
    with Replay(path, progress=False) as replay:
        assert replay.integrity.problem == "tampered" and replay.integrity.bad_seq == 300 and replay.count == 300
        assert "seq 301" in replay.integrity.message
    path = _copy(live, tmp_path, "garbled.jsonl")
    lines[250] = b"\x00garbage\n"
    write_lines(path, lines)
    with Replay(path, progress=False) as replay:
        assert replay.integrity.problem == "unreadable" and replay.count == 250



def _rechained_forgery(live, path: str, after: int) -> tuple[list[dict], dict]:
    """The live log with the first event from record ``after`` on edited and every hash after
    it recomputed (the chain holds), written to ``path``: its records and the edited one."""
    records = [json.loads(line) for line in lines_of(live.log)]
    target = next(r for r in records[after:] if r["type"] == "event")
    target["data"]["forged"] = True
    prev = canonical.GENESIS
    for record in records:
        record["prev"] = prev
        record["hash"] = canonical.chain_hash(prev, {k: v for k, v in record.items() if k != "hash"})
        prev = record["hash"]
    write_lines(path, [(canonical.dumps(r) + "\n").encode() for r in records])
    return records, target

def test_a_rechained_forgery_is_caught_by_re_simulation(live, tmp_path):
    """Someone edits an event and recomputes every hash after it: the chain holds, re-simulation does not."""
    path = str(tmp_path / "forged.jsonl")
    records, target = _rechained_forgery(live, path, 200)
    assert len(read_records(path)) == len(records)  # the chain holds
    with Replay(path, progress=False) as replay:
        assert replay.integrity.problem == "diverged" and replay.integrity.bad_seq == target["seq"]
        assert replay.count <= target["seq"]


def test_non_canonical_line_is_reported_as_edited(live, tmp_path):
    path = _copy(live, tmp_path)
    lines = lines_of(path)
    lines[100] = lines[100].replace(b'{"actor"', b'{ "actor"', 1)
    write_lines(path, lines)
    with Replay(path, progress=False) as replay:
        assert replay.integrity.problem == "tampered" and replay.integrity.bad_seq == 100
        assert "canonical" in replay.integrity.message


def test_replay_integrity_agrees_with_the_one_chain_check(live, tmp_path):
    """The viewer's integrity verdict names the same first bad record as the log reader, for random flips."""
    original = open(live.log, "rb").read()
    rng = random.Random(12)
    path = str(tmp_path / "flip.jsonl")
    for _ in range(40):
        data = bytearray(original)
        at = rng.randrange(len(data))
        data[at] = rng.choice(b'0123456789abcdef",:{}[]x ')
        with open(path, "wb") as handle:
            handle.write(bytes(data))
        try:
            read_records(path)
            expected = None
        except BadLog as err:
            expected = err.seq
        source = LogSource(path)
        source.scan()
        found = source.check()
        source.close()
        if bytes(data) == original:
            assert found.ok
            continue
        if expected is None:  # a flip that cut the file into a torn tail or changed nothing the chain reads
            assert found.ok or found.problem == "truncated" or found.bad_seq is not None
        else:
            assert not found.ok and found.bad_seq == expected


BUILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "index_build.py")


def _build_apart(mode: str, path: str, ring: int | None = None) -> dict:
    """Build the index of ``path`` in a fresh process (``index_build.py``: the helper is forked
    only from a process with no other thread, and this one has some)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(BUILD)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""),
               XDG_CACHE_HOME=os.path.join(os.path.dirname(path), "cache"))  # never the user's own
    argv = [sys.executable, BUILD, mode, path] + ([str(ring)] if ring else [])
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("ring", [None, 40_000])
def test_index_written_by_the_helper_process_equals_the_one_written_in_process(live, tmp_path, ring):
    """Issue 17: the forked helper writes rows, marks and snapshots from the stored lines; the same
    index as the build writing everything itself, on a sound log and on a re-chained forgery
    (rows past the replayable part deleted). A small ring: snapshots wrap round it, wait for room,
    or (larger than the ring) go through the pipe."""
    forged = str(tmp_path / "forged.jsonl")
    records, _ = _rechained_forgery(live, forged, len(lines_of(live.log)) // 2)
    for path in (_copy(live, tmp_path), forged):
        helper, alone = _build_apart("helper", path, ring), _build_apart("inprocess", path, ring)
        assert helper["helper"] and not alone["helper"]  # the helper really wrote the first
        assert helper["digest"] == alone["digest"] and helper["count"] == alone["count"]
        assert helper["rows"] == helper["count"] and helper["snapshots"] > 3
        assert (helper["problem"] == "diverged") == (path == forged)


def test_no_helper_process_is_forked_beside_other_threads(live, tmp_path):
    """A fork copies only the building thread: a lock another thread holds would stay held in the
    child for ever. With another thread alive the build writes the index itself: the same index.
    A progress bar leaves no thread behind (tqdm's monitor is off)."""
    path = _copy(live, tmp_path)
    shown = _build_apart("progress", path)
    assert shown["helper"] and shown["threads_after"] == 1
    beside = _build_apart("thread", path)
    assert not beside["helper"] and beside["digest"] == shown["digest"]


def test_a_helper_that_cannot_start_leaves_nothing_open(live, tmp_path):
    """A process that cannot be started: the build writes the index itself, and neither the
    ring nor the pipe is left open."""
    path = _copy(live, tmp_path)
    found = _build_apart("nostart", path)
    assert not found["helper"] and found["left_open"] == [False, False]
    assert found["digest"] == _build_apart("inprocess", path)["digest"]


def test_a_helper_that_does_nothing_is_given_up(live, tmp_path):
    """A helper that never answers (stuck on a lock, say) does not hold the build for ever: after
    ``STALL_SECONDS`` without a beat it is ended and the index is built again without one."""
    path = _copy(live, tmp_path)
    found = _build_apart("stall", path)
    assert not found["helper"] and found["seconds"] < 60 and not found["in_memory"]
    assert os.path.exists(path + ".replay-index")  # built again in the same place
    assert found["digest"] == _build_apart("inprocess", path)["digest"]
