"""The ``serve`` subcommand: run the exercise room. Kept light: the server loads only when it runs."""

from __future__ import annotations

import os
from typing import Any


DEFAULT_PORT = 8765


def cli(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the exercise room: one session server, browsers as seats",
        description="Start the session server (Starlette under uvicorn, fully offline) and print one join link "
                    "per seat. Commands from every seat go through one queue into the session; each is "
                    "answered once its records are on disk. Exit codes: 0 stopped, 2 bad input.")
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    parser.add_argument("--seed", type=int, default=None, help="session seed (default 1; taken from the log with --resume)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1, this laptop only; give the LAN address of the "
                             "hotspot, e.g. 192.168.43.1, to seat other devices)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--log", help="where to write the log (default out/<scenario>-seed<N>-room.jsonl)")
    parser.add_argument("--resume", metavar="LOG", help="continue the session recorded in LOG (after a crash): "
                                                        "the same links, nothing lost, nothing applied twice")
    parser.add_argument("--seats-out", metavar="SEATS.json", help="also write the join links to this file")
    parser.add_argument("--facilitator-pin", metavar="PIN", default=os.environ.get("TABLETOP_FACILITATOR_PIN"),
                        help="facilitator commands need this PIN too (default: $TABLETOP_FACILITATOR_PIN)")
    parser.add_argument("--bots", metavar="POLICY[,SEAT=POLICY...]",
                        help="policy bots play these seats from what each seat sees (idle, by_the_book, late:N, "
                             "chaotic); a bare POLICY fills every seat not named; the other seats stay with people "
                             "(docs/batch.md)")
    parser.set_defaults(func=run)


def run(args: Any) -> int:
    from tabletop.server.serve import serve

    return serve(args)

