"""The score so far (issue 7's scoring on the log up to a record) and rating-changing points.

Scoring reads a log alone, so "the score at record N" is the score of the log's first N+1
records. A view of that prefix is built incrementally going forward (rebuilt when going
back) and only the overall and per-capability ratings are computed (not every county and
role, which is what makes ``score`` slow on national logs). Results are cached in the index.

Rating-changing points are evaluated at turn ends: the last record of every turn whose
overall or capability ratings differ from the previous turn end's. They are found once,
on the first request, and stored in the index as ``rating`` marks.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

try:  # scoring (issue 7) is optional for the viewer
    from tabletop.scoring import config as _config, engine as _engine, logview as _logview
    from tabletop.scoring.registry import Scope as _Scope
    from tabletop.plugins import all_metrics as _all_metrics
    _SCORING = True
except ImportError:  # pragma: no cover - exercised only without the scoring part
    _SCORING = False


#: Logs up to this many records are scored at every turn end at once (rating jumps, a resting viewer).
WHOLE_LOG = 200_000
#: On longer logs a rating jump scores at most this many turns ahead per request.
AHEAD = 8


def available() -> bool:
    return _SCORING


class ScoreKeeper:
    def __init__(self, replay: Any) -> None:
        self.replay = replay
        self._view: Any = None
        self._upto = -1
        self._lock = threading.Lock()

    def at(self, seq: int) -> dict[str, Any] | None:
        """{"score", "rating", "capabilities": {name: {"rating", "score"}}} of records 0..seq, or None."""
        if not _SCORING:
            return None
        cached = self.replay.index.score(seq)
        if cached is not None:
            return cached
        out = self.compute(seq)
        self.replay.index.put_score(seq, out)
        return out

    def compute(self, seq: int) -> dict[str, Any]:
        """The score of records 0..seq, without touching the index (safe in a worker thread)."""
        with self._lock:  # the viewer's worker thread and a rating jump may both score
            view = self._view_to(seq)
            view.cache.clear()
            metrics = _all_metrics()
            rated = _engine.rate_scope(view, _config.capabilities(view, metrics), metrics, _Scope())
        return _engine.tidy({"score": rated["score"], "rating": rated["rating"],
                             "capabilities": {name: {"rating": c["rating"], "score": c["score"]}
                                              for name, c in sorted(rated["capabilities"].items())}})

    def _view_to(self, seq: int) -> Any:
        if self._view is None or seq < self._upto:
            self._view = _logview._start(self.replay.record(0), self.replay.path)
            self._upto = 0
        for position in range(self._upto + 1, seq + 1):
            _logview._add(self._view, self.replay.record(position))
        self._upto = max(self._upto, seq)
        return self._view

    def rating_marks(self, progress: Callable[[int], None] | None = None) -> list[int]:
        """Turn ends where a rating changed, over the whole log (computed once, then read from the index)."""
        index = self.replay.index
        if not _SCORING:
            return []
        if index.meta.get("ratings_done"):
            return index.mark_seqs("rating")
        found = self._walk(0, self.replay.last_turn, progress, stop_at_first=False)
        index.db.execute("INSERT OR REPLACE INTO meta VALUES ('ratings_done', '1')")
        index.db.commit()
        index.meta["ratings_done"] = "1"
        return found

    def next_change(self, seq: int) -> tuple[int | None, int | None]:
        """(the next turn end after ``seq`` where a rating changed, the last turn end looked at).

        A short log is scored whole once. On a long log only the next ``AHEAD`` turns are
        scored (a few seconds); with no change there, the second value says how far it looked.
        """
        index = self.replay.index
        if not _SCORING:
            return None, None
        if index.meta.get("ratings_done") or self.replay.count <= WHOLE_LOG:
            self.rating_marks()
            return index.next_mark("rating", seq), None
        row = index.row(seq)
        turn = row[1] if row else 0
        last = min(self.replay.last_turn, turn + AHEAD)
        found = self._walk(max(0, turn - 1), last, None, stop_at_first=True, after=seq)
        known = index.next_mark("rating", seq)
        candidates = [s for s in (known, found[0] if found else None) if s is not None]
        if candidates:
            return min(candidates), None
        return None, index.turn_end(last)

    def _walk(self, first: int, last: int, progress: Callable[[int], None] | None, stop_at_first: bool,
              after: int = -1) -> list[int]:
        index = self.replay.index
        found: list[int] = []
        before: Any = None
        for turn in range(first, last + 1):
            end = index.turn_end(turn)
            if end is None or end >= self.replay.count:
                continue
            if progress is not None:
                progress(turn)
            now = _ratings(self.at(end))
            if before is not None and now != before:
                found.append(end)
                if stop_at_first and end > after:
                    break
            before = now
        index.add_marks("rating", found)
        return [s for s in found if s > after]


def _ratings(score: dict[str, Any] | None) -> tuple:
    if score is None:
        return ()
    return (score.get("rating"),) + tuple((name, c.get("rating")) for name, c in sorted(score["capabilities"].items()))
