"""How messages travel between nodes (EOCs, township offices, stations, central).

Orders and reports are messages: a part of the engine calls ``session.send(...)``
and the message's ``kind`` names the receiver (a plugin's ``receivers`` entry)
that acts on it when it is delivered. Without a communications model, delivery
is immediate (this module). The communications plugin replaces the transport
with channels that have latency, capacity and failures; callers do not change.

Node names: ``eoc:<county>``, ``township:<id>``, ``warehouse:<id>``,
``station:<id>``, ``central``, ``control`` (exercise control).
"""

from __future__ import annotations

from typing import Any


def resolve(session: Any, to: str) -> str | None:
    """The node a destination names, or None if there is no such place.

    Accepts node names (``township:jian``), a seat (``hualien.commander`` -> the
    EOC), ``central``, or a bare township / warehouse / station id.
    """
    if ":" in to:
        kind, _, name = to.partition(":")
        return to if name in session.places.get(kind, ()) else None
    if to in ("central", "control"):
        return to
    county, _, role = to.partition(".")
    if role and county in session.counties:
        return f"eoc:{county}" if role in session.counties[county].roles else None
    for kind in ("township", "warehouse", "station"):
        if to in session.places.get(kind, ()):
            return f"{kind}:{to}"
    if to in session.counties:
        return f"eoc:{to}"
    return None


def message(session: Any, frm: str, to: str, kind: str, payload: dict[str, Any],
            channel: str | None = None, ident: str | None = None) -> dict[str, Any]:
    if ident is None:
        counter = session.counters.get("message", 0) + 1
        session.counters["message"] = counter
        ident = f"{kind}-{counter}"
    return {"id": ident, "from": frm, "to": to, "kind": kind, "payload": payload, "channel": channel,
            "sent_turn": session.turn}


class ImmediateTransport:
    """Delivers every message at once, over no particular channel."""

    name = "immediate"

    def send(self, session: Any, msg: dict[str, Any]) -> None:
        msg["to"] = resolve(session, msg["to"]) or msg["to"]
        session.emit("message_sent", {k: msg[k] for k in ("id", "from", "to", "kind", "channel")} | {"payload": msg["payload"]})
        session.emit("message_delivered", {"id": msg["id"], "channel": msg["channel"] or "direct", "latency": 0})
        session.receive(msg | {"channel_used": msg["channel"] or "direct"})
