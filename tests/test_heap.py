"""tabletop.heap.HeapKeeper: when it freezes, what it releases, and that the record never changes."""

from __future__ import annotations

import gc

import pytest

from tabletop import heap
from tabletop.heap import HeapKeeper


@pytest.fixture(autouse=True)
def nothing_frozen(monkeypatch):
    """No holder and nothing frozen (a test of another file in this process may hold)."""
    gc.unfreeze()
    monkeypatch.setattr(heap, "_holders", 0)
    monkeypatch.setattr(heap, "_keepers", 0)  # keepers of other files' tests never released
    thresholds = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_freezes_once_every_records_were_made():
    keeper = HeapKeeper(every=10)
    assert not keeper.after(4) and not keeper.after(5) and gc.get_freeze_count() == 0
    assert keeper.after(1) and gc.get_freeze_count() > 0 and keeper.pending == 0
    assert not keeper.after(9)
    assert keeper.after(30) and keeper.freezes == 2 and keeper.pending == 0


def test_records_already_held_count_as_made():
    assert HeapKeeper(every=10, made=12).after(0)
    assert not HeapKeeper(every=10, made=9).after(0)


def test_release_unfreezes_only_when_it_froze():
    gc.freeze()
    with HeapKeeper(every=10) as keeper:
        keeper.after(3)
    assert gc.get_freeze_count() > 0  # someone else's freeze (a batch worker's) is left alone
    with HeapKeeper(every=1) as keeper:
        assert keeper.after(1)
    assert gc.get_freeze_count() == 0 and keeper.freezes == 0


def test_every_must_be_positive():
    with pytest.raises(ValueError):
        HeapKeeper(every=0)


def test_the_runner_freezing_often_writes_the_same_log(tmp_path, default_scenario, default_actions, monkeypatch):
    """A freeze every 50 records changes nothing in the log, and the run leaves nothing frozen."""
    from tabletop.runner import run

    run(default_scenario, 7, default_actions, str(tmp_path / "plain.jsonl"), turns=3)
    freezes = []
    monkeypatch.setattr(heap, "EVERY", 50)
    real = gc.freeze
    monkeypatch.setattr(heap.gc, "freeze", lambda: (freezes.append(1), real())[1])
    run(default_scenario, 7, default_actions, str(tmp_path / "frozen.jsonl"), turns=3)
    assert freezes and gc.get_freeze_count() == 0
    assert (tmp_path / "plain.jsonl").read_bytes() == (tmp_path / "frozen.jsonl").read_bytes()


def test_young_threshold_raised_while_keepers_keep_and_restored_after_the_last():
    before = gc.get_threshold()
    first = HeapKeeper()
    assert gc.get_threshold() == (max(heap.YOUNG, before[0]), *before[1:])
    with HeapKeeper():
        assert gc.get_threshold()[0] == max(heap.YOUNG, before[0])
    assert gc.get_threshold()[0] == max(heap.YOUNG, before[0])  # the first keeper still keeps
    first.release()
    first.release()  # twice: counted once
    assert gc.get_threshold() == before == (700, 10, 10)
    gc.set_threshold(0, 10, 10)  # automatic collection off: a keeper leaves it off
    with HeapKeeper():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == (0, 10, 10)


def test_the_heap_stays_frozen_while_any_holder_holds():
    """A room's keeper and a scoring view (logview) both hold: the first to let go leaves the
    other's heap frozen; a holder for the process's life (a batch worker) keeps it frozen."""
    from tabletop.scoring import logview

    class View:  # what logview freezes for: any object it can watch die
        pass

    keeper = HeapKeeper(every=1)
    assert keeper.after(1) and heap.holders() == 1
    view = View()
    logview._freeze_while_alive(view)
    assert heap.holders() == 2
    keeper.release()
    assert gc.get_freeze_count() > 0 and heap.holders() == 1  # the view still holds
    del view
    gc.collect()
    assert gc.get_freeze_count() == 0 and heap.holders() == 0
    heap.hold()  # for the process's life
    with HeapKeeper(every=1) as keeper:
        keeper.after(1)
    assert gc.get_freeze_count() > 0 and heap.holders() == 1


def test_the_index_build_and_an_open_replay_keep_the_young_threshold_like_a_keeper(tmp_path, played, monkeypatch):
    """heap.young() shares the keepers' count; the replay index's build keeps it while it
    re-simulates and an open Replay while it is open; the thresholds come back after."""
    from tabletop.replay import index as ix
    from tabletop.replay.timeline import Replay

    with heap.young():
        with HeapKeeper():
            assert gc.get_threshold()[0] == heap.YOUNG
        assert gc.get_threshold()[0] == heap.YOUNG  # young() still keeps
    assert gc.get_threshold() == (700, 10, 10)
    seen = []
    fill = ix._replay_into  # the build's re-simulation
    monkeypatch.setattr(ix, "_replay_into", lambda *a: (seen.append(gc.get_threshold()[0]), fill(*a))[1])
    with Replay(played(turns=2), progress=False) as replay:
        assert replay.built and seen == [heap.YOUNG]
        assert gc.get_threshold()[0] == heap.YOUNG  # kept while open: its seeks drop sessions freed by refcount
    with heap.young():
        replay.close()  # twice: counted once, so another keeper's count is left alone
        assert gc.get_threshold()[0] == heap.YOUNG
    assert gc.get_threshold() == (700, 10, 10)
