"""Replay: everything that reads a session back from its log, with no display.

- :mod:`.resimulation` is the one re-simulation loop (:class:`Resimulation`) and what is
  built on it: ``verify`` (with the seal), ``reopen`` (both resumes), ``session_at``.
- :mod:`.source` opens a log without changing it: line offsets, the hash-chain check,
  the intact prefix and what is wrong after it.
- :mod:`.index` is the sidecar index (``LOG.replay-index``, SQLite): state snapshots
  placed by record count, per-record facts for filters and jumps, cached scores.
- :mod:`.timeline` seeks: nearest snapshot, then the few logged commands after it.
- :mod:`.notes` keeps reviewer bookmarks and annotations in ``LOG.notes.json``.
- :mod:`.marks` classifies records (injects, rejections, alerts).
- :mod:`.fork` starts a what-if session from any point.

The viewer that draws all this is :mod:`tabletop.ui.replay` (pygame); the after-action
report pieces live in :mod:`tabletop.scoring`. The log is never written to.
"""

from tabletop.replay.resimulation import (
    Divergence,
    Reopened,
    Resimulation,
    Verdict,
    known_view_at,
    reopen,
    resimulate,
    resimulate_path,
    session_at,
    stream,
    verify,
    verify_bytes,
)

__all__ = ["Divergence", "Reopened", "Resimulation", "Verdict", "known_view_at", "reopen", "resimulate",
           "resimulate_path", "session_at", "stream", "verify", "verify_bytes"]
