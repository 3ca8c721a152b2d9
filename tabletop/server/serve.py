"""Open the room (new or resumed), print and write the join links, run uvicorn until stopped."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from typing import Any

from tabletop import api, i18n
from tabletop.server.journal import journal_path
from tabletop.server.room import Room, RoomError
from tabletop.server.seats import sidecar_path, write_atomic

OK, BAD_INPUT = 0, 2
WILDCARDS = ("0.0.0.0", "::", "")  # noqa: S104 - the addresses we warn about, not a default


def open_room(loaded: Any, seed: int | None, log: str, resume: str | None) -> Room:
    """A new room writing ``log``, or the session of ``resume`` (copied to ``log`` first if they differ)."""
    if resume:
        if os.path.abspath(resume) != os.path.abspath(log):
            for source, target in ((resume, log), (sidecar_path(resume), sidecar_path(log)),
                                   (journal_path(resume), journal_path(log))):
                if os.path.exists(source):
                    shutil.copyfile(source, target)
        return Room.resume(loaded, seed, log)
    if os.path.exists(log):
        raise RoomError("resume.log_exists", log=log)
    return Room.create(loaded, seed if seed is not None else 1, log)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before uvicorn starts (so port 0 gives a known free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def link_host(host: str) -> str:
    """The address the join links name: the bound one, or (bound everywhere) this laptop's LAN address."""
    if host not in WILDCARDS:
        return f"[{host}]" if ":" in host else host
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def serve(args: Any) -> int:
    import uvicorn

    from tabletop.server.app import make_app

    lang = getattr(args, "lang", i18n.DEFAULT_LANG)
    loaded = api.load_scenario_file(args.scenario)
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    if not loaded.ok:
        return BAD_INPUT
    seed = args.seed
    log = args.log or args.resume or os.path.join(
        "out", f"{api.scenario_of(loaded).scenario.id}-seed{seed if seed is not None else 1}-room.jsonl")
    bots = _bots(args, loaded, lang)
    if bots is None:
        return BAD_INPUT
    try:
        room = open_room(loaded, seed, log, args.resume)
    except (RoomError, OSError) as err:
        print(err.text(lang) if isinstance(err, RoomError) else err, file=sys.stderr)
        return BAD_INPUT
    try:
        sock = bind(args.host, args.port)
    except OSError as err:
        room.close()
        print(f"{args.host}:{args.port}: cannot listen: {err.strerror}", file=sys.stderr)
        return BAD_INPUT
    announce(room, sock, args.host, args.seats_out, log)
    if lang == "zh_TW":
        print("按 Ctrl+C 結束伺服器（紀錄已逐筆寫入磁碟）。", flush=True)
    app = make_app(room, pin=args.facilitator_pin)
    if bots:
        from tabletop.bots.live import attach

        app = attach(app, room, bots)
        print(i18n.t("batch.bots_seats", lang, seats=", ".join(f"{s}={p.text}" for s, p in bots.items())), flush=True)
    uvicorn.Server(uvicorn_config(app)).run(sockets=[sock])
    return OK


def _bots(args: Any, loaded: Any, lang: str) -> dict[str, Any] | None:
    """``--bots``: seat name -> policy (empty without it); None after printing why it cannot be used."""
    if not getattr(args, "bots", None):
        return {}
    from tabletop.bots.play import seats_of
    from tabletop.bots.policy import BotError, assign

    try:
        return assign(args.bots, seats_of(loaded))
    except BotError as err:
        print(err.text(lang), file=sys.stderr)
        return None


def announce(room: Room, sock: socket.socket, host: str, seats_out: str | None, log: str) -> dict[str, Any]:
    """The join links of ``room`` listening on ``sock``: written to ``seats_out`` (mode 0600) and printed
    (first line ``tabletop room: URL/  log: …  seats: …``). Used by ``serve`` and the console's ``--serve``."""
    base = f"http://{link_host(host)}:{sock.getsockname()[1]}"
    links = room.book.links(base)
    if seats_out:
        write_atomic(seats_out, links)
        os.chmod(seats_out, 0o600)
    print(f"tabletop room: {base}/  log: {log}  seats: {sidecar_path(log)}", flush=True)
    for entry in links["seats"]:
        print(f"  {entry['seat']:<28} {entry['url']}")
    print(f"  {'facilitator':<28} {links['facilitator']['url']}")
    print(f"  join sheet (print it):      {base}/sheet/{links['facilitator']['token']}", flush=True)
    return links


def uvicorn_config(app: Any) -> Any:
    """How uvicorn runs the room: no access log (join links hold tokens), websocket messages of
    at most 64 KiB, no proxy headers (no proxy in the room; a forged X-Forwarded-For is ignored)."""
    import uvicorn

    return uvicorn.Config(app, log_level="warning", access_log=False, ws_max_size=64 * 1024, lifespan="on",
                          proxy_headers=False, server_header=False, date_header=False, timeout_graceful_shutdown=3)
