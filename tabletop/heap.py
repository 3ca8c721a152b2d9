"""Keeping a session's long-lived objects out of the garbage collector's full passes.

A running exercise holds a large heap that only grows: the scenario, the modules, the
session's state and (in the seat server and the console) every record made so far. CPython's
cyclic collector walks every object it tracks on each full (generation-2) collection; on a
national session that is about 70,000 objects, 30-40 ms a pass, and a pass comes about every
4 turns. :func:`gc.freeze` moves every object alive now into a permanent generation the
collector no longer walks. Measured with a ``gc.callbacks`` timer over 200 turns of
bench_national's 2,000-station session: full passes 11.4 ms a turn without a keeper, none with
it (docs/architecture.md, "Speed of a national turn").

What freezing changes and what it does not:

- Only the collector's work. Reference counting still frees a frozen object the moment its
  last reference goes, so nothing that is dropped the ordinary way is kept.
- What it would keep is cyclic garbage: objects that only refer to each other, unreachable,
  and not yet collected when the freeze came. A running session makes none (measured over
  200 national turns: the memory stays flat with the keeper on, as without, and a collection
  after :func:`gc.unfreeze` finds nothing unreachable), and a dropped session is none either:
  nothing it holds refers back to it, so its reference count frees it, frozen or not
  (tests/test_session_freed.py; until 2026-12-08 every session was a cycle). What else a
  driver's objects may tie in cycles (its own, a library's: the lifecycle's ``transitions``
  machine, a few hundred objects) is why a driver that ends a session in a process that goes on
  (tests, benches, a console closed and another opened) still calls :meth:`HeapKeeper.release`,
  or uses the keeper as a context manager: :func:`gc.unfreeze` hands everything frozen back to
  the collector.
- The record stays the same: the collector never changes what a session computes
  (tests/test_heap.py: a run freezing every 50 records writes the same log byte for byte).

Young collections: with the collector's default threshold (a young pass once 700 more
containers were made than freed) a 2,000-station national turn makes some 200 young passes and
16 middle ones, about 3 ms a turn (6%), walking the turn's reports and records again and again
while they are alive. While a keeper keeps, the young threshold is :data:`YOUNG` (100,000): a
turn makes and frees far more than that, but keeps only what it hands to the next (the
stations' queue cohorts, the reports' station lines, the EOCs' picture: about five containers a
station), so a young pass comes every several turns, if at all before the next freeze (which
starts the count again), and walks at most that many objects. The threshold must stay above
what one turn keeps: at 20,000 (until 2026-12-08) an 8,000-station turn, which keeps about
40,000, walked them in two young passes every turn (32 passes in 16 turns, 11 ms a turn, a
tenth of it, by a ``gc.callbacks`` timer), and the cost per station grew with the stations.
At 100,000 there are none in those 16 turns; a pass that does come walks at most 100,000 young
objects (a few ms). The old thresholds come back when the last
keeper releases.

One permanent generation for the whole process: :func:`gc.unfreeze` hands back what every
freezer froze. So everything that freezes goes through :func:`hold` and :func:`let_go`, which
count holders: the heap is unfrozen only when the last holder lets go. A scoring view dropped
in the seat server (the evaluators' scores) no longer hands the room's heap back to the
collector, and a keeper released in a batch worker leaves the worker's own freeze alone.

Who uses it: the seat server's room (:mod:`tabletop.server.room`), the headless runner
(:func:`tabletop.runner.run`), the pygame console's own log (:meth:`tabletop.ui.console.Console.submit`)
and ``bench/bench_national.py``. A batch worker freezes once per process instead
(:mod:`tabletop.batch.run`): it plays many short sessions, each dropped when its row is made.
The young threshold alone (:func:`keep_young`, :func:`young`) is kept by what re-simulates a
whole log (``verify``, the replay index's build) and by an open replay
(:class:`tabletop.replay.timeline.Replay`), whose seeks each drop a session.
The core knows nothing of it: freezing is the driver's business, like writing the log.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from types import TracebackType

#: Records made between two freezes: few enough freezes that each moves thousands of objects,
#: often enough that a full pass never walks more than a few thousand records' worth.
EVERY = 5000
#: The collector's young threshold while a keeper keeps (the default is 700).
YOUNG = 100_000
#: Keepers alive (not released) and the thresholds from before the first of them.
_keepers = 0
_thresholds: tuple[int, ...] = ()


#: Holders of the process's frozen heap (:func:`hold`, :func:`let_go`).
_holders = 0


def hold() -> None:
    """Freeze every object alive now (:func:`gc.freeze`) and count one more holder of the frozen
    heap: it stays frozen until every holder has let go. A holder that never lets go (a batch
    worker, a replay process) keeps it frozen for the process's life."""
    global _holders
    gc.freeze()
    _holders += 1


def let_go() -> None:
    """One holder is done: the last one hands the frozen heap back to the collector (:func:`gc.unfreeze`)."""
    global _holders
    if _holders > 0:
        _holders -= 1
        if _holders == 0:
            gc.unfreeze()


def holders() -> int:
    return _holders


def keep_young() -> None:
    """Raise the collector's young threshold to :data:`YOUNG` (the first of its keepers; a
    threshold of 0, automatic collection off, stays off) until the last keeper lets go
    (:func:`let_young_go`). Every :class:`HeapKeeper` keeps it; so does whatever else drives a
    long re-simulation (:func:`young`: the replay index's build)."""
    global _keepers, _thresholds
    if _keepers == 0:
        _thresholds = gc.get_threshold()
        if _thresholds[0]:
            gc.set_threshold(max(YOUNG, _thresholds[0]), *_thresholds[1:])
    _keepers += 1


def let_young_go() -> None:
    """One keeper of the young threshold is done: the last one puts the old thresholds back."""
    global _keepers
    if _keepers > 0:
        _keepers -= 1
        if _keepers == 0:
            gc.set_threshold(*_thresholds)


@contextlib.contextmanager
def young() -> Iterator[None]:
    """The young threshold kept (:func:`keep_young`) for the ``with`` block."""
    keep_young()
    try:
        yield
    finally:
        let_young_go()


class HeapKeeper:
    """Freezes the heap (:func:`gc.freeze`) once ``every`` records (default :data:`EVERY`) were
    made since the last freeze.

    Tell it after each command or batch how many records were made (:meth:`after`);
    ``made`` counts records already held when the keeper starts (a resumed log's), so the first
    call freezes at once when they are ``every`` or more. :meth:`release` (or leaving a ``with``
    block) unfreezes when this keeper froze anything. From its making to its release the
    collector's young threshold is :data:`YOUNG`.
    """

    def __init__(self, every: int | None = None, made: int = 0) -> None:
        every = EVERY if every is None else every
        if every < 1:
            raise ValueError("every must be at least 1")
        self.every = every
        #: Records made since the last freeze (or since the start).
        self.pending = made
        #: Freezes done by this keeper.
        self.freezes = 0
        keep_young()
        self._kept = True

    def after(self, records_made: int) -> bool:
        """Count ``records_made`` more records; freeze if ``every`` were made since the last
        freeze. Returns whether it froze."""
        self.pending += records_made
        if self.pending < self.every:
            return False
        if self.freezes:
            gc.freeze()  # this keeper holds the frozen heap already: more of it
        else:
            hold()
        self.pending = 0
        self.freezes += 1
        return True

    def release(self) -> None:
        """The session is over: let go of the frozen heap (:func:`let_go`: the collector gets it
        back once no other holder, another room or a scoring view, holds it)."""
        if self.freezes:
            let_go()
            self.freezes = 0
        if self._kept:
            self._kept = False
            let_young_go()

    def __enter__(self) -> "HeapKeeper":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()
