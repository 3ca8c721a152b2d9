"""The ``replay`` subcommand (registered by :mod:`tabletop.cli`). Kept light: the viewer and the
index load only when it runs."""

from __future__ import annotations

from typing import Any


def cli(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "replay", help="review a session's log: viewer, state dumps, screenshots, notes, what-if forks",
        description="Open a log read-only for after-action review. With no output option, opens the viewer "
                    "(or prints a summary where there is no display). The first open checks the hash chain and "
                    "builds a sidecar index (LOG.replay-index) for fast seeking. Exit codes: 0 ok, 1 the log "
                    "failed its integrity check (the intact prefix is still used), 2 bad input.")
    parser.add_argument("log", metavar="LOG", help="the session's JSON Lines log (never modified)")
    parser.add_argument("--at", metavar="SEQ|turn:N|end", help="the record to show: a seq, the last record of turn N, or end")
    parser.add_argument("--dump-state", metavar="OUT.json",
                        help="write the state at --at as canonical JSON: truth (Session.snapshot) and each EOC's known picture")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the viewer's frame at --at to a PNG and exit")
    parser.add_argument("--view", default="truth", metavar="truth|eoc:COUNTY",
                        help="with --screenshot: the truth, or a county EOC's known picture (default truth)")
    parser.add_argument("--filter", action="append", default=[], metavar="county=X|role=Y|kind=Z",
                        help="with --screenshot: filter the event list (repeatable)")
    parser.add_argument("--fork", metavar="NEW.jsonl",
                        help="what-if: write a new session log that starts at --at (its header names this log and seq)")
    parser.add_argument("--bookmark", action="store_true", help="bookmark --at in the notes file beside the log")
    parser.add_argument("--note", metavar="TEXT", help="annotate --at with TEXT in the notes file beside the log")
    parser.add_argument("--author", default="", help="with --note/--bookmark: who wrote it")
    parser.add_argument("--notes", action="store_true", help="print the reviewer notes of this log")
    parser.add_argument("--report", metavar="DIR", help="write the after-action report with the reviewer notes into DIR")
    parser.add_argument("--check", action="store_true", help="only check the log's integrity and print the verdict")
    parser.add_argument("--rebuild-index", action="store_true", help="rebuild the sidecar index even if it matches")
    parser.add_argument("--lang", dest="replay_lang", choices=("zh_TW", "en"), default=None,
                        help="language of the viewer and messages (default zh_TW, or the top-level --lang)")
    parser.set_defaults(func=run)


def run(args: Any) -> int:
    from tabletop.ui.replay.command import main

    return main(args)

