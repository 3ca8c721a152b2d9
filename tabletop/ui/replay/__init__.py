"""Replay for after-action reviewers (issue 9): a read-only viewer over a session's log.

- :mod:`.source` opens a log without changing it: line offsets, the hash-chain check
  (fast on bytes), the intact prefix and what is wrong after it.
- :mod:`.index` is the sidecar index beside the log (``LOG.replay-index``, SQLite):
  periodic state snapshots, per-record facts for filters and jumps, cached scores.
- :mod:`.timeline` seeks: nearest snapshot, then the few logged commands after it.
- :mod:`.notes` keeps reviewer bookmarks and annotations in ``LOG.notes.json``.
- :mod:`.marks` classifies records (injects, rejections, alerts) and scores.
- :mod:`.fork` starts a what-if session from any point.
- :mod:`.viewer` and :mod:`.panels` draw it with pygame (nothing else imports them).
- :mod:`.plugin` adds the ``replay`` subcommand.

The log is never written to; everything the viewer learns goes to its sidecar files.
"""
