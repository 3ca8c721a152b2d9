"""Batch runs and the balance report: many seeded sessions played by policy bots.

- :mod:`.rows`: one session -> one row (a pure function of scenario, script, seed, policy).
- :mod:`.run`: every seed × policy, in this process or on Dask (LocalCluster or a scheduler).
- :mod:`.store`: the batch folder: part files (resume), the manifest, results.parquet / .csv.
- :mod:`.analysis`, :mod:`.charts`, :mod:`.report`: the balance report and its findings.
- :mod:`.cli`: ``batch``, ``balance`` (registered in ``tabletop.cli.SUBCOMMANDS``), ``lint --balance``, ``run --bots``.
"""
