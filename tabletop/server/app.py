"""The Starlette application of the exercise room (the HTTP contract is in docs/server.md).

Routes are data (:func:`make_app`): the seat and facilitator pages, the four endpoints of
the contract (``POST /api/command``, ``GET /api/seat``, ``GET /api/events``, websocket
``/ws``), the printable join sheet, the page strings and the static files, all served from
the package (no CDN). Every answer is JSON or a plain page, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from tabletop import files, fonts as _fonts, i18n
from tabletop.core.session import BadCommand
from tabletop.server import views
from tabletop.server.room import Room, Unavailable
from tabletop.server.seats import Seat

STATIC = Path(__file__).resolve().parent / "static"
#: The shipped fonts (tabletop/fonts.py; licences in assets/fonts), served when the device lacks a character:
#: URL path -> (file, media type).
FONTS = {"/font/noto-sans-cjk-tc.otf": (_fonts.CHAIN[0], "font/otf"), "/font/dejavu-sans.ttf": (_fonts.CHAIN[1], "font/ttf")}
BODY_KEYS = {"kind", "args", "client_id", "turn", "county", "role"}
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the join link is the key: never send it on
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
}


@dataclass
class Limits:
    """Per-seat rate limits (token buckets) and request size limits."""

    commands_per_second: float = 20.0
    command_burst: int = 40
    reads_per_second: float = 30.0
    read_burst: int = 60
    body_bytes: int = 64 * 1024
    sockets_per_seat: int = 8
    events_page: int = 500


@dataclass
class _Bucket:
    rate: float
    burst: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def take(self) -> float:
        """0 when a request may pass, else the seconds to wait (rate limiting reads the wall clock; the log never does)."""
        now = time.monotonic()
        if self.tokens < 0:
            self.tokens = self.burst
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class Problem(Exception):
    def __init__(self, status: int, error: str, detail: str = "", headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or error)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers or {}


def problem(status: int, error: str, detail: str = "", headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def make_app(room: Room, pin: str | None = None, limits: Limits | None = None) -> Starlette:
    limits = limits or Limits()
    buckets: dict[tuple[str, str], _Bucket] = {}

    def limit(seat: Seat, what: str) -> None:
        rate, burst = ((limits.commands_per_second, limits.command_burst) if what == "command"
                       else (limits.reads_per_second, limits.read_burst))
        bucket = buckets.setdefault((seat.name, what), _Bucket(rate, burst))
        wait = bucket.take()
        if wait > 0:
            raise Problem(429, "rate_limited", f"too many requests from {seat.name}",
                          {"Retry-After": str(max(1, round(wait)))})

    def seat_of(request: Request) -> Seat:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        seat = room.book.find(token.strip()) if scheme.lower() == "bearer" else None
        if seat is None:
            raise Problem(401, "unauthorized", "send Authorization: Bearer TOKEN (the token of your join link)",
                          {"WWW-Authenticate": "Bearer"})
        return seat

    # ----- pages ------------------------------------------------------------------------------
    async def index(request: Request) -> Response:
        return _page("index.html")

    async def join(request: Request) -> Response:
        seat = room.book.find(request.path_params["token"])
        if seat is None:
            return _page("badlink.html", 404)
        return _page("facilitator.html" if seat.is_facilitator else "seat.html")

    async def sheet(request: Request) -> Response:
        seat = room.book.find(request.path_params["token"])
        if seat is None or not seat.is_facilitator:
            return _page("badlink.html", 404)
        from tabletop.server.sheet import sheet_html

        lang = request.query_params.get("lang", i18n.DEFAULT_LANG)
        base = f"{request.url.scheme}://{request.url.netloc}"
        return HTMLResponse(sheet_html(room, base, lang if lang in i18n.LANGS else i18n.DEFAULT_LANG),
                            headers=SECURITY_HEADERS | {"Content-Security-Policy": "default-src 'self'; style-src 'self'; img-src 'self' data:"})

    async def strings(request: Request) -> Response:
        table = {key[len("server.page."):]: texts for key, texts in i18n.TABLE.items() if key.startswith("server.page.")}
        return JSONResponse(table, headers={"Cache-Control": "max-age=60"})

    async def font(request: Request) -> Response:
        path, media = FONTS[request.url.path]
        if not path.exists():
            return problem(404, "not_found", "no bundled font in this installation")
        return FileResponse(path, media_type=media, headers={"Cache-Control": "max-age=86400"})

    # ----- the contract --------------------------------------------------------------------------
    async def seat_api(request: Request) -> Response:
        seat = seat_of(request)
        limit(seat, "read")
        async with room.lock:
            payload = views.seat_payload(room, seat)
        return JSONResponse(payload, headers={"Cache-Control": "no-store"})

    async def events_api(request: Request) -> Response:
        seat = seat_of(request)
        limit(seat, "read")
        raw = request.query_params.get("after", "0")
        if not raw.isdigit() or len(raw) > 12:
            raise Problem(400, "bad_after", "after must be a record number (0 or more)")
        after = int(raw)
        async with room.lock:
            events = room.events(seat, after, limits.events_page + 1)
            last = room.durable_seq
        more = len(events) > limits.events_page
        events = events[:limits.events_page]
        return JSONResponse({"events": events, "last": events[-1]["seq"] if more else last, "more": more},
                            headers={"Cache-Control": "no-store"})

    async def command_api(request: Request) -> Response:
        seat = seat_of(request)
        limit(seat, "command")
        body = await _json_body(request, limits.body_bytes)
        kind, args, client_id, turn = _command_fields(body, seat)
        if seat.is_facilitator and pin and request.headers.get("x-facilitator-pin") != pin:
            raise Problem(403, "pin_required", "facilitator commands need the PIN (X-Facilitator-Pin)")
        try:
            answer = await room.submit(seat, kind, args, client_id, turn)
        except BadCommand as err:
            raise Problem(400, "bad_value", str(err)) from None
        except Unavailable as err:
            raise Problem(503, "unavailable", f"the log cannot be written: {err}") from None
        return JSONResponse(answer)

    async def socket(websocket: WebSocket) -> None:
        await _serve_socket(room, websocket, limits)

    async def on_problem(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, Problem):
            raise exc
        return problem(exc.status, exc.error, exc.detail, exc.headers)

    async def on_http(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, HTTPException):
            raise exc
        return problem(exc.status_code, "not_found" if exc.status_code == 404 else "http_error", str(exc.detail))

    async def on_error(request: Request, exc: Exception) -> Response:
        return problem(500, "internal", "the server could not answer; the session goes on")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        room.start()
        try:
            yield
        finally:
            room.close()

    routes = [
        Route("/", index),
        Route("/join/{token}", join),
        Route("/sheet/{token}", sheet),
        Route("/api/strings", strings),
        Route("/api/seat", seat_api),
        Route("/api/events", events_api),
        Route("/api/command", command_api, methods=["POST"]),
        *(Route(url, font) for url in FONTS),
        WebSocketRoute("/ws", socket),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan,
                     exception_handlers={Problem: on_problem, HTTPException: on_http, Exception: on_error})


def _page(name: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(files.read_text(STATIC / name), status_code=status, headers=SECURITY_HEADERS)


async def _json_body(request: Request, cap: int) -> Any:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > cap):
        raise Problem(413, "too_large", f"a command body is at most {cap} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise Problem(413, "too_large", f"a command body is at most {cap} bytes")
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks).decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise Problem(400, "bad_json", f"the body is not JSON: {type(err).__name__}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _command_fields(body: Any, seat: Seat) -> tuple[str, dict[str, Any], str, int | None]:
    """Check the body's shape. County and role come from the token: a body naming another is refused (403)."""
    if not isinstance(body, dict):
        raise Problem(400, "bad_body", "the body must be a JSON object {kind, args, client_id}")
    unknown = sorted(set(body) - BODY_KEYS)
    if unknown:
        raise Problem(400, "bad_body", f"unknown field(s): {', '.join(unknown)}")
    for name, own in (("county", seat.county), ("role", seat.role)):
        if name in body and body[name] != own:
            raise Problem(403, "forbidden", f"this token acts only as {seat.name}; {name} comes from the token")
    kind, args, client_id, turn = body.get("kind"), body.get("args", {}), body.get("client_id"), body.get("turn")
    if not isinstance(kind, str) or not 0 < len(kind) <= 64:
        raise Problem(400, "bad_body", "kind must be a command kind (text)")
    if not isinstance(args, dict):
        raise Problem(400, "bad_body", "args must be an object")
    if not isinstance(client_id, str) or not 0 < len(client_id) <= 128:
        raise Problem(400, "bad_body", "client_id must be text of 1 to 128 characters")
    if turn is not None and (not isinstance(turn, int) or isinstance(turn, bool)):
        raise Problem(400, "bad_body", "turn must be a whole number or null")
    return kind, args, client_id, turn


# ----- the websocket ---------------------------------------------------------------------------
def _same_origin(websocket: WebSocket) -> bool:
    """A browser always sends Origin; it must be this server. (Other clients send none.)"""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    host = websocket.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()


async def _serve_socket(room: Room, websocket: WebSocket, limits: Limits) -> None:
    """Pushes the seat's events and payload: at connect, then after every durable batch that concerns it.

    The token comes as ``?token=`` or as the first message ``{"token", "after"}``.
    """
    if not _same_origin(websocket):
        await websocket.close(code=4403)
        return
    await websocket.accept()
    token = websocket.query_params.get("token")
    after_text = websocket.query_params.get("after", "0")
    try:
        if token is None:
            first = json.loads(await asyncio.wait_for(websocket.receive_text(), timeout=10))
            token = first.get("token") if isinstance(first, dict) else None
            after_text = str(first.get("after", 0)) if isinstance(first, dict) else "0"
    except (asyncio.TimeoutError, ValueError, WebSocketDisconnect, RuntimeError):
        token = None
    seat = room.book.find(token if isinstance(token, str) else None)
    if seat is None:
        await _close(websocket, 4401)
        return
    if room.connected.get(seat.name, 0) >= limits.sockets_per_seat:
        await _close(websocket, 4429)
        return
    after = int(after_text) if after_text.isdigit() and len(after_text) <= 12 else 0
    dirty = asyncio.Event()
    dirty.set()

    def notify(touched: set[str]) -> None:
        if seat.is_facilitator or "*" in touched or seat.name in touched:
            dirty.set()

    room.connected[seat.name] = room.connected.get(seat.name, 0) + 1
    room.subscribers.append(notify)
    _wake_facilitators(room)
    link = _Link(dirty)
    receiver = asyncio.get_running_loop().create_task(_receive(websocket, link))
    try:
        await websocket.send_json({"type": "hello", "seat": seat.name})
        while not receiver.done():
            waiter = asyncio.get_running_loop().create_task(dirty.wait())
            await asyncio.wait({waiter, receiver}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            if receiver.done():
                break
            dirty.clear()
            await asyncio.sleep(0.05)  # coalesce a burst of batches into one push
            if link.resync is not None:
                after, link.resync = link.resync, None
            async with room.lock:
                events = room.events(seat, after, limits.events_page)
                payload = views.seat_payload(room, seat)
            if events:
                after = events[-1]["seq"]
                await websocket.send_json({"type": "events", "events": events})
            await websocket.send_json({"type": "seat", "seat": payload})
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    finally:
        receiver.cancel()
        room.subscribers.remove(notify)
        room.connected[seat.name] -= 1
        if room.connected[seat.name] <= 0:
            room.connected.pop(seat.name)
        _wake_facilitators(room)


@dataclass
class _Link:
    """One open websocket: something to push, and a catch-up the client asked for."""

    dirty: asyncio.Event
    resync: int | None = None


async def _receive(websocket: WebSocket, link: _Link) -> None:
    """Client messages after the token: ``{"after": SEQ}`` asks for a catch-up from SEQ."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        try:
            data = json.loads(message.get("text") or "{}")
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("after"), int) and data["after"] >= 0:
            link.resync = data["after"]
            link.dirty.set()


def _wake_facilitators(room: Room) -> None:
    for notify in list(room.subscribers):
        notify({"facilitator"})


async def _close(websocket: WebSocket, code: int) -> None:
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close(code=code)
