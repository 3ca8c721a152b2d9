"""A dropped session is freed by its reference count at once: nothing it holds refers back to it.

Until 2026-12-08 the MSEL held its session and the lifecycle's condition closed over it, so every
session was a reference cycle: dropped, its whole state (tens of thousands of objects on a
national session) waited for a full collection, which a replay's seeks (each drops one) paid for
again and again. The tests run with the cyclic collector off: what is freed here is freed by
reference counting alone.
"""

from __future__ import annotations

import gc
import os
import weakref

import pytest

from tabletop import api, runner
from tabletop.replay.timeline import Replay
from tabletop.scenario.actions import load_actions

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def collector_off():
    was = gc.isenabled()
    gc.disable()
    yield
    if was:
        gc.enable()


def played(name: str, turns: int):
    loaded = api.load_scenario_file(os.path.join(ROOT, "scenarios", name, "scenario.yaml"))
    assert loaded.ok, loaded.problems[:3]
    actions, problems = load_actions(os.path.join(ROOT, "scenarios", name, "actions.yaml"))
    assert not problems
    session, header = api.new_session(loaded, 7)
    total = api.scenario_of(loaded).clock.turns
    records = [header]
    for command in runner.plan(actions, turns, total, loaded.scenario):
        records += session.submit(command)
    return session, records


@pytest.mark.parametrize("name", ["hualien", "yilan"])
def test_a_played_session_is_freed_when_it_is_dropped(name, collector_off):
    session, _ = played(name, 3)
    assert session.turn == 3 and session.injects  # it played: injects, parts, a lifecycle
    assert session.lifecycle.has_more_turns() and session.msel.session is session
    msel, gone = weakref.ref(session.msel), weakref.ref(session)
    del session
    assert gone() is None and msel() is None


def test_a_replay_seek_frees_the_session_it_leaves(tmp_path, collector_off, monkeypatch):
    _, records = played("hualien", 4)
    log = str(tmp_path / "hualien.jsonl")
    from tabletop.logfile import LogWriter

    with LogWriter(log) as writer:
        writer.write(records)
    with Replay(log, progress=False, every=50) as replay:  # snapshots every 50 records or so
        assert replay.index.snapshot_seq_for(len(records) // 3, replay.index.row(len(records) // 3)[2])
        first = weakref.ref(replay.session_at(len(records) - 1))
        replay.forget()
        assert first() is None
        second = weakref.ref(replay.session_at(len(records) // 3))  # restored from a snapshot
        assert second() is not None
        assert second() is replay.session_at(len(records) // 3 + 1)  # the next record: from the one in hand
        alive_at_restore = []
        restore = api.session_from_snapshot
        monkeypatch.setattr(api, "session_from_snapshot",
                            lambda *a: (alive_at_restore.append(second() is not None), restore(*a))[1])
        third = weakref.ref(replay.session_at(len(records) // 5))  # back: a cold seek, from a snapshot
        assert alive_at_restore == [False]  # let go of, and freed, before the restore began
        assert third() is not None
        replay.forget()
        assert third() is None
