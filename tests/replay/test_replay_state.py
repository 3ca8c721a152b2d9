"""The state replay shows at a record is the state the live session had there (issue 9)."""

import json
import os
import random

import pytest
from replay_helpers import ACTIONS, SCENARIO, play_live

from conftest import cli
from tabletop.core import canonical
from tabletop.core.commands import Command
from tabletop.replay import index as ix
from tabletop.replay.resimulation import session_at
from tabletop.replay.timeline import Replay
from tabletop.scenario.actions import load_actions
from tabletop.api import load_scenario_file


@pytest.fixture(scope="module")
def hualien():
    loaded = load_scenario_file(SCENARIO)
    actions, problems = load_actions(ACTIONS)
    assert loaded.ok and not problems
    return loaded, actions


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    from tabletop.scenario import national

    folder = tmp_path_factory.mktemp("national")
    scenario, actions = national.write(str(folder), turns=6, injects_per_county=3)
    loaded = load_scenario_file(scenario)
    acts, problems = load_actions(actions)
    assert loaded.ok and not problems
    return loaded, acts


def _sessions(tmp_path, hualien, national):
    """Several sessions: full default run, a short run with rejections, another seed, national scale."""
    loaded, actions = hualien
    bad = [Command(turn=None, county="hualien", role="supply", kind="advance", args={}),
           Command(turn=None, county=None, role="facilitator", kind="no_such_command", args={})]
    yield "hualien-seed7", play_live(loaded, actions, 7, str(tmp_path / "a.jsonl"))
    yield "hualien-seed3-short", play_live(loaded, actions, 3, str(tmp_path / "b.jsonl"), turns=4, extra=bad)
    yield "hualien-seed11-no-actions", play_live(loaded, [], 11, str(tmp_path / "c.jsonl"))
    nloaded, nactions = national
    yield "national-6-turns", play_live(nloaded, nactions, 1, str(tmp_path / "d.jsonl"), every=3)


def _check_samples(replay, live, rng, count):
    batches = sorted(live.states)
    for start in rng.sample(batches, min(count, len(batches))) + [batches[0], batches[-1]]:
        first, last, truth, known = live.states[start]
        seq = rng.randint(first, last)  # any record of the batch shows the state after it
        dumped = replay.dump_state(seq)
        assert canonical.dumps(dumped["truth"]) == truth, f"truth differs at seq {seq}"
        assert canonical.dumps(dumped["known"]) == known, f"known pictures differ at seq {seq}"
        assert dumped["at"]["seq"] == seq and dumped["at"]["state_after_seq"] == last


@pytest.mark.slow
def test_dumped_state_equals_the_live_state_at_sampled_points(tmp_path, hualien, national):
    rng = random.Random(20261123)
    for name, live in _sessions(tmp_path, hualien, national):
        with Replay(live.log, progress=False, every=60) as replay:
            assert replay.integrity.ok, (name, replay.integrity)
            assert replay.count == live.records
            assert not ix.unrestorable(replay.session_at(0)), "every part restores from snapshots"
            assert len(replay.index.snapshot_seqs()) >= 3, name
            _check_samples(replay, live, rng, 25)
            # scrubbing back and forth (state in hand, snapshots, header) agrees too
            for seq in [live.records - 1, 0, live.records // 2, 1, live.records // 2 + 1, live.records - 1]:
                replay.session_at(seq)
            _check_samples(replay, live, rng, 10)


def test_cli_dump_state_is_canonical_and_matches_live(tmp_path, hualien):
    loaded, actions = hualien
    live = play_live(loaded, actions, 5, str(tmp_path / "s.jsonl"), turns=5)
    start = sorted(live.states)[len(live.states) // 2]
    first, last, truth, known = live.states[start]
    out = tmp_path / "state.json"
    result = cli("replay", live.log, "--at", str(first), "--dump-state", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == canonical.dumps(data) + "\n"
    assert canonical.dumps(data["truth"]) == truth and canonical.dumps(data["known"]) == known
    assert os.path.exists(live.log + ".replay-index")
    # turn:N is the end of turn N: the state just before the advance that starts turn N+1
    out2 = tmp_path / "turn.json"
    result = cli("replay", live.log, "--at", "turn:3", "--dump-state", str(out2))
    assert result.returncode == 0, result.stderr
    data = json.loads(out2.read_text(encoding="utf-8"))
    assert data["truth"]["turn"] == 3 and data["truth"]["lifecycle"]["state"] == "running_turnend"


@pytest.mark.slow
def test_seeking_after_a_rebuilt_index_gives_the_same_state(tmp_path, hualien):
    loaded, actions = hualien
    live = play_live(loaded, actions, 9, str(tmp_path / "r.jsonl"))
    rng = random.Random(4)
    seqs = sorted(rng.sample(range(live.records), 30)) + [0, live.records - 1]
    with Replay(live.log, progress=False, every=80) as replay:
        assert replay.built and replay.why_built == "missing"
        first = {seq: canonical.dumps(replay.dump_state(seq)) for seq in seqs}
        old_snapshots = replay.index.snapshot_seqs()
    with Replay(live.log, progress=False) as replay:  # reopened: the matching index is used
        assert not replay.built
        assert all(canonical.dumps(replay.dump_state(s)) == first[s] for s in reversed(seqs))
    os.remove(live.log + ix.SUFFIX)  # missing: rebuilt, with other spacing
    with Replay(live.log, progress=False, every=500, budget=10) as replay:
        assert replay.built and replay.index.snapshot_seqs() != old_snapshots
        assert all(canonical.dumps(replay.dump_state(s)) == first[s] for s in seqs)
    with open(live.log + ix.SUFFIX, "wb") as handle:  # garbage: rebuilt
        handle.write(b"not an index")
    with Replay(live.log, progress=False) as replay:
        assert replay.built and replay.why_built == "unreadable"
        assert all(canonical.dumps(replay.dump_state(s)) == first[s] for s in rng.sample(seqs, 10))
    other = play_live(loaded, actions, 10, str(tmp_path / "other.jsonl"), turns=3)
    with Replay(other.log, progress=False):
        pass
    os.replace(other.log + ix.SUFFIX, live.log + ix.SUFFIX)  # another log's index: does not match
    with Replay(live.log, progress=False) as replay:
        assert replay.built and replay.why_built == "the log changed"
        assert all(canonical.dumps(replay.dump_state(s)) == first[s] for s in rng.sample(seqs, 10))


def test_index_whose_snapshot_hashes_do_not_match_the_chain_is_rebuilt(tmp_path, hualien):
    import sqlite3

    loaded, actions = hualien
    live = play_live(loaded, actions, 2, str(tmp_path / "h.jsonl"), turns=4)
    with Replay(live.log, progress=False, every=50) as replay:
        expected = canonical.dumps(replay.dump_state(live.records - 1))
    db = sqlite3.connect(live.log + ix.SUFFIX)
    db.execute("UPDATE snapshots SET last_hash = ? WHERE seq = (SELECT max(seq) FROM snapshots)", ("0" * 64,))
    db.commit()
    db.close()
    with Replay(live.log, progress=False) as replay:
        assert replay.built and replay.why_built == "does not match the log's hash chain"
        assert canonical.dumps(replay.dump_state(live.records - 1)) == expected


@pytest.mark.slow
def test_log_is_never_modified(tmp_path, hualien):
    import hashlib

    loaded, actions = hualien
    live = play_live(loaded, actions, 4, str(tmp_path / "ro.jsonl"), turns=3)
    before = hashlib.sha256(open(live.log, "rb").read()).hexdigest()
    for args in (("--check",), ("--at", "5", "--dump-state", str(tmp_path / "x.json")),
                 ("--at", "9", "--bookmark"), ("--at", "12", "--note", "把關"), ("--notes",),
                 ("--at", "20", "--fork", str(tmp_path / "f.jsonl"))):
        assert cli("replay", live.log, *args).returncode == 0
    assert hashlib.sha256(open(live.log, "rb").read()).hexdigest() == before


def test_snapshots_bound_the_re_simulation_and_a_long_batch_costs_a_restore_only(tmp_path, hualien):
    """Issue 17: snapshots go before a batch that would carry the gap past ``every`` and after any
    longer batch, and a seek into a long batch restores the snapshot taken right after it (the
    state after the batch holding the record) with nothing to re-simulate."""
    loaded, actions = hualien
    live = play_live(loaded, actions, 6, str(tmp_path / "long.jsonl"), turns=5)
    with Replay(live.log, progress=False) as replay:  # every batch's length, to pick a spacing some exceed
        lengths = sorted(replay.index.db.execute("SELECT count(*) FROM records GROUP BY batch").fetchall())
    every = max(2, lengths[-1][0] // 2)
    with Replay(live.log, progress=False, every=every, rebuild=True) as replay:
        snaps = replay.index.snapshot_seqs()
        batches = sorted({replay.index.row(seq)[2] for seq in range(1, replay.count)})
        ends = {start: stop - 1 for start, stop in zip(batches, batches[1:] + [replay.count], strict=True)}
        long = [start for start in batches if ends[start] - start + 1 > every and ends[start] + 1 < replay.count]
        assert long, "the run has batches longer than every (turn ends)"
        for before, after in zip(snaps, snaps[1:], strict=False):
            one_batch = replay.index.row(before)[2] == before and ends[before] == after - 1
            assert after - before <= every or one_batch, (before, after)
        for start in long:
            assert ends[start] + 1 in snaps, f"no snapshot after the long batch at {start}"
            seq = (start + ends[start]) // 2
            assert replay.index.snapshot_seq_for(seq, start) == ends[start] + 1
            replay.forget()
            session = replay.session_at(seq)
            assert session.seq == ends[start] + 1  # restored there, nothing re-simulated past it
            first, last, truth, known = live.states[start]
            assert canonical.dumps(replay.dump_state(seq)["truth"]) == truth


def test_snapshot_ids_rebuilt_from_whole_registries_and_journal_entries(tmp_path, hualien, monkeypatch):
    """Issue 17: a snapshot stores the ids registry whole every IDS_BASE_EVERY snapshots, else only
    what was set since the previous one; every snapshot restores the registry the live session had."""
    loaded, actions = hualien
    live = play_live(loaded, actions, 7, str(tmp_path / "ids.jsonl"))
    monkeypatch.setattr(ix, "IDS_BASE_EVERY", 3)
    with Replay(live.log, progress=False, every=20, rebuild=True) as replay:
        snaps = replay.index.snapshot_seqs()
        bases = {row[0] for row in replay.index.db.execute("SELECT DISTINCT ids_from FROM snapshots")}
        assert len(snaps) > 6 and len(bases) > 1
        for seq in snaps:
            state = replay.index.snapshot_at(seq)
            expected = session_at(live.log, seq - 1)
            assert state["ids"] == dict(expected.ids), seq


def test_a_long_log_settles_the_process_objects_and_seeks_the_same(tmp_path, hualien, monkeypatch):
    """Issue 17: opening a long log freezes what the process holds (gc.freeze), so the full
    collections seeks set off walk only the sessions; the states shown are the same."""
    import gc

    from tabletop.replay import timeline

    loaded, actions = hualien
    live = play_live(loaded, actions, 5, str(tmp_path / "g.jsonl"), turns=3)
    seqs = sorted(random.Random(2).sample(range(live.records), 12))
    with Replay(live.log, progress=False, every=60) as replay:
        first = {seq: canonical.dumps(replay.dump_state(seq)) for seq in seqs}
    monkeypatch.setattr(timeline, "SETTLE_RECORDS", 0)
    try:
        with Replay(live.log, progress=False) as replay:
            assert gc.get_freeze_count() > 0
            for seq in reversed(seqs):
                replay.forget()
                assert canonical.dumps(replay.dump_state(seq)) == first[seq]
    finally:
        gc.unfreeze()


def test_a_restored_session_keeps_the_stored_snapshot_as_its_rollback_checkpoint(tmp_path, hualien, monkeypatch):
    """Issue 17: a seek's session takes the index's stored snapshot as its rollback checkpoint
    (``Session.adopt_checkpoint``): re-simulating from it encodes no state, and a command that
    fails midway on that session is undone from it, leaving the state exactly as it was."""
    from tabletop.core.session import Session

    loaded, actions = hualien
    live = play_live(loaded, actions, 6, str(tmp_path / "adopt.jsonl"))
    frozen: list[int] = []
    freeze = canonical.freeze
    monkeypatch.setattr(canonical, "freeze", lambda value: frozen.append(1) or freeze(value))
    with Replay(live.log, progress=False, every=40) as replay:
        snaps = replay.index.snapshot_seqs()
        # a record in the batch right after a snapshot: one command re-simulated from it
        targets = [(snap, seq) for snap in snaps[1:-1] for seq in (snap,) if replay.index.row(seq)[2] == snap
                   and replay.index.snapshot_seq_for(seq, snap) == snap]
        assert len(targets) > 3
        for snap, seq in targets[:6]:
            replay.forget()
            frozen.clear()
            session = replay.session_at(seq)
            assert session.seq > snap and not frozen, "re-simulated from the snapshot without encoding it again"
            first, last, truth, known = live.states[snap]
            assert canonical.dumps(replay.dump_state(seq)["truth"]) == truth
        # a fault midway through a command on a seek's session (restored, one command re-simulated
        # since): undone from the adopted checkpoint, the re-simulated command applied again
        replay.forget()
        session = replay.session_at(targets[0][1])
        assert session._checkpoint_ids is not None, "the seek's session holds the adopted checkpoint"
        replay.forget()  # the session is the test's now: the replay no longer reads it

    def plain(s):
        snap = json.loads(canonical.dumps(s.snapshot()))
        return {k: v for k, v in snap.items() if k not in ("seq", "last_hash")}

    before = plain(session)
    emit = Session.emit

    fault = {"armed": True}

    def faulty(self, kind, data):
        record = emit(self, kind, data)
        if kind == "exercise_state" and fault["armed"]:  # the lifecycle moved on: half-applied
            fault["armed"] = False  # once: the command re-applied by the rollback does not fault
            raise RuntimeError("injected fault")
        return record

    monkeypatch.setattr(Session, "strict", False)
    monkeypatch.setattr(Session, "emit", faulty)
    frozen.clear()
    out = session.submit(Command(None, None, "facilitator", "advance", {}))
    assert [r["kind"] for r in out] == ["advance", "command_rejected"] and out[-1]["data"]["rule"] == "internal"
    assert not frozen, "the rollback used the adopted checkpoint"
    assert plain(session) == before
