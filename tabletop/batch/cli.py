"""The ``batch`` and ``balance`` subcommands, ``lint --balance`` and ``run --bots``.

Exit codes as everywhere: 0 done, 2 bad input (an unknown policy or seat, seeds like 5-1, a
folder of another batch), with a message from the translation table and never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from tabletop import i18n

OK, BAD_INPUT, INTERRUPTED = 0, 2, 130
MAX_SEEDS = 1_000_000
#: lint --balance: a small batch in this process.
LINT_SEEDS, LINT_POLICIES = 20, "by_the_book,late:2,idle"


class SeedError(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text_given = text


def parse_seeds(text: str) -> list[int]:
    """``1-1000``, ``7`` or ``1-10,20,30-32``: ascending ranges of seeds from 0 to 2^53 − 1."""
    from tabletop.api import MAX_SEED

    seeds: list[int] = []
    for part in text.split(","):
        low, sep, high = part.strip().partition("-")
        if not low.isdigit() or (sep and not high.isdigit()):
            raise SeedError(text)
        first, last = int(low), int(high) if sep else int(low)
        if first > last or last > MAX_SEED or len(seeds) + last - first + 1 > MAX_SEEDS:
            raise SeedError(text)
        seeds.extend(range(first, last + 1))
    if len(set(seeds)) != len(seeds):
        raise SeedError(text)
    return seeds


def cli(sub: Any) -> None:
    """Register ``batch`` and ``balance`` (tabletop.cli.SUBCOMMANDS)."""
    batch = sub.add_parser(
        "batch", help="play many seeded sessions with policy bots (Dask) and keep one row per session",
        description="Play every seed × policy with bots in every seat, on a local Dask cluster (LocalCluster) "
                    "or any Dask cluster (--scheduler). Rows (seed, policy, overall, seal, one column per "
                    "capability, injects met, rejections by rule ...) go to DIR/results.parquet and DIR/results.csv; "
                    "an interrupted batch run again with the same DIR skips the rows it has. See docs/batch.md.")
    batch.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    batch.add_argument("--seeds", required=True, help="seeds: 1-1000, 7, or 1-10,20 (ascending ranges)")
    batch.add_argument("--policy", default="by_the_book,idle",
                       help="comma-separated policies, each in every seat: by_the_book, idle, late:N, chaotic "
                            "(default by_the_book,idle)")
    batch.add_argument("--out", required=True, metavar="DIR", help="the batch folder (results, parts, logs, report)")
    where = batch.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2,
                       help="local Dask worker processes (default 2); 0 plays in this process without Dask")
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask cluster instead")
    batch.add_argument("--actions", help="the facilitator's script (its facilitator lines only; default: the "
                                         "scenario's default_actions file, e.g. its card draws)")
    batch.add_argument("--keep-logs", action="store_true", help="keep every session's log in DIR/logs (else none is written)")
    batch.add_argument("--report", action="store_true", help="then write the balance report DIR/balance.html")
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.set_defaults(func=cmd_batch)

    balance = sub.add_parser("balance", help="write the balance report of a batch folder",
                             description="Write DIR/balance.html (offline, inline SVG charts) from DIR/results.parquet "
                                         "and print the headline findings.")
    balance.add_argument("folder", metavar="DIR")
    balance.set_defaults(func=cmd_balance)


def cmd_batch(args: argparse.Namespace) -> int:
    from tabletop.batch.report import build
    from tabletop.batch.run import run_batch
    from tabletop.batch.store import StoreError
    from tabletop.bots.policy import BotError, parse_policies

    lang = args.lang
    try:
        seeds = parse_seeds(args.seeds)
        policies = [p.text for p in parse_policies(args.policy)]
    except SeedError as err:
        return _bad(i18n.t("batch.err.seeds", lang, text=err.text_given))
    except BotError as err:
        return _bad(err.text(lang))
    if args.workers < 0:
        return _bad(i18n.t("batch.err.workers", lang, workers=args.workers))
    job = _job(args.scenario, args.actions, lang)
    if job is None:
        return BAD_INPUT
    bar = _bar(args.quiet, lang)
    try:
        outcome = run_batch(job, seeds, policies, args.out, workers=args.workers, scheduler=args.scheduler,
                            keep_logs=args.keep_logs, progress=bar.update, total=bar.reset)
    except StoreError as err:
        return _bad(i18n.t(err.key, lang, **err.params))
    except (OSError, ValueError, RuntimeError) as err:  # no scheduler there, a cluster that cannot start, a folder that cannot be written
        return _bad(i18n.t("batch.err.run", lang, error=f"{type(err).__name__}: {err}"))
    except KeyboardInterrupt:
        bar.close()
        print(i18n.t("batch.interrupted", lang, out=args.out), file=sys.stderr)
        return INTERRUPTED
    finally:
        bar.close()
    print(i18n.t("batch.done", lang, played=outcome.played, skipped=outcome.skipped, rows=len(outcome.rows),
                 parquet=outcome.parquet, csv=outcome.csv))
    if args.report:
        path, lines = build(args.out, lang)
        for line in lines:
            print(line)
        print(i18n.t("batch.report_written", lang, path=path))
    return OK


def cmd_balance(args: argparse.Namespace) -> int:
    from tabletop.batch.report import build
    from tabletop.batch.store import StoreError

    try:
        path, lines = build(args.folder, args.lang)
    except StoreError as err:
        return _bad(i18n.t(err.key, args.lang, **err.params))
    for line in lines:
        print(line)
    print(i18n.t("batch.report_written", args.lang, path=path))
    return OK


def lint_balance(path: str, lang: str) -> None:
    """``lint --balance``: a small batch in this process (no Dask, no files kept), then the findings."""
    import tempfile

    from tabletop.batch.analysis import analyse, findings
    from tabletop.batch.run import run_batch

    job = _job(path, None, lang)
    if job is None:
        return
    with tempfile.TemporaryDirectory(prefix="tabletop-balance-") as folder:
        policies = LINT_POLICIES.split(",")
        outcome = run_batch(job, list(range(1, LINT_SEEDS + 1)), policies, folder, workers=0)
        result = analyse(outcome.rows, policies, outcome.capabilities, job.injects())
    print(i18n.t("batch.lint_head", lang, path=path, seeds=LINT_SEEDS, policies=LINT_POLICIES))
    for key, params in findings(result):
        print(f"{path}: balance: {i18n.t(key, lang, **params)}")


def run_with_bots(args: argparse.Namespace, loaded: Any, actions: list[Any]) -> int:
    """``run --bots``: bots in the named seats; the actions file plays the facilitator and the other seats."""
    from tabletop.bots.play import play, seats_of
    from tabletop.bots.policy import BotError, assign

    if args.resume:
        return _bad(i18n.t("batch.err.bots_resume", args.lang))
    try:
        bots = assign(args.bots, seats_of(loaded))
    except BotError as err:
        return _bad(err.text(args.lang))
    seed = args.seed if args.seed is not None else 1
    try:
        played = play(loaded, seed, bots, actions, log_path=args.log, turns=args.turns)
    except OSError as err:  # the disk refused the log: what was accepted is in it
        from tabletop import files

        print(files.problem(err, args.log, "files.log_write_failed").text(args.lang), file=sys.stderr)
        return BAD_INPUT
    if not args.quiet:
        print(i18n.t("batch.bots_seats", args.lang, seats=", ".join(f"{s}={p.text}" for s, p in bots.items())))
        print(i18n.t("cli.final_state", args.lang, state=i18n.t(f"state.{played.state}", args.lang)))
        print(i18n.t("cli.seal", args.lang, seal=played.seal))
    print(i18n.t("cli.log_written", args.lang, path=args.log, records=len(played.records)))
    return OK


def _job(path: str, actions_path: str | None, lang: str) -> Any:
    from tabletop.batch.rows import Job
    from tabletop.scenario.actions import read_actions
    from tabletop.api import load_scenario_file, scenario_of
    from tabletop.scenario.validate import resolve_ref

    loaded = load_scenario_file(path)
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    if not loaded.ok:
        return None
    defaults = scenario_of(loaded).scenario.default_actions
    if actions_path is None and defaults:
        actions_path = resolve_ref(path, defaults)
    script = []
    if actions_path:
        read = read_actions(actions_path)
        for problem in read.problems:
            print(problem.text(lang), file=sys.stderr)
        if not read.ok:
            return None
        script = read.actions
    return Job(loaded.text, os.path.basename(path), script)


class _NoBar:
    def update(self, n: int) -> None:
        return None

    def reset(self, total: int) -> None:
        return None

    def close(self) -> None:
        return None


def _bar(quiet: bool, lang: str) -> Any:
    if quiet:
        return _NoBar()
    from tabletop.progress import bar

    return bar(total=0, desc=i18n.t("batch.progress", lang), unit=i18n.t("batch.unit", lang), file=sys.stderr)


def _bad(message: str) -> int:
    print(message, file=sys.stderr)
    return BAD_INPUT
