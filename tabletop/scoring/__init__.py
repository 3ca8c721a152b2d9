"""Scoring and the after-action report (AAR/IP), computed from a log file alone.

- :mod:`.logview` reads a log into an indexed, read-only view through the one streaming
  reader, checking the hash chain (and, for ``report`` / ``--verify``, re-simulating); its
  ``integrity`` goes on the report's first page and into the JSON. It keeps of the bulky
  record kinds only what their readers read (:mod:`.slim`), and on a long log runs the chain
  check or the re-simulation in a child process beside the reading (:mod:`.children`).
- :mod:`.registry` holds the named metric functions; each part of the engine has
  its own module (``metrics_injects`` for the core's; each part's in its package,
  ``tabletop/<part>/metrics.py``) and each metric returns ``None`` ("not applicable") when its
  part's events are absent, so parts light up as they land.
- :mod:`.config` is the optional ``scoring:`` scenario section (capabilities, metrics,
  thresholds) and its documented defaults; :mod:`.engine` rates capabilities (HSEEP
  P / S / M / U), counties and roles and computes the overall 0-100 score.
- :mod:`.report` writes ``index.html``, ``report.md`` and ``score.json``.

Nothing here drives a live session: scoring a log twice gives byte-identical output.
"""
