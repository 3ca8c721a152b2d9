"""Message transport over channels: queued while no channel works, sent over the best
working one (or the sender's pick), delayed by latency, capped per turn, lost only
where a channel is lossy, and always recorded."""

from __future__ import annotations

from typing import Any

from tabletop.comms.network import channel_works, link_id
from tabletop.core import transport as core_transport


class ChannelTransport:
    name = "channels"

    def send(self, session: Any, msg: dict[str, Any]) -> None:
        state = session.domain("comms")
        msg["to"] = core_transport.resolve(session, msg["to"]) or msg["to"]
        session.emit("message_sent", {"id": msg["id"], "from": msg["from"], "to": msg["to"], "kind": msg["kind"],
                                      "channel": msg["channel"], "payload": msg["payload"]})
        link = link_id(msg["from"], msg["to"])
        if msg["from"] == msg["to"] or link not in state.links:
            # Same node (a seat in the same EOC), or a pair the scenario does not model as a link.
            channel = "internal" if msg["from"] == msg["to"] else "direct"
            session.emit("message_delivered", {"id": msg["id"], "channel": channel, "latency": 0})
            session.receive(msg | {"channel_used": channel})
            return
        state["queues"].setdefault(link, []).append(msg | {"link": link, "queued": False})


def flush_queues(session: Any) -> None:
    """Adjudication: send what each link's working channels can carry this turn."""
    state = session.domain("comms")
    stream = session.rng("comms")
    # Nothing failing, powered off or without a base station: every channel works at full
    # capacity, so no link's status needs working out (the usual national turn).
    healthy = not (state["failures"] or state["power_off"] or state["base_down"])
    for link in sorted(state["queues"]):
        queue = state["queues"][link]
        if not queue:
            continue
        used = state["used"].setdefault(link, {})
        if healthy:
            full, best = _full(state, link)
            capacity = {c: n - used.get(c, 0) for c, n in full.items()} if used else dict(full)
        else:
            capacity = _capacities(session, state, link)
            for channel_id in capacity:
                capacity[channel_id] -= used.get(channel_id, 0)
            best = sorted(capacity, key=lambda c: (state.channels[c].rank, c))  # the order _pick falls back in
        waiting = []
        for msg in queue:
            channel = _pick(state, link, msg, capacity, best)
            if channel is None:
                if not msg["queued"]:
                    msg["queued"] = True
                    session.emit("message_queued", {"id": msg["id"], "link": link, "channel": msg["channel"]})
                waiting.append(msg)
                continue
            capacity[channel] -= 1
            used[channel] = used.get(channel, 0) + 1
            spec = state.channels[channel]
            if spec.loss > 0 and stream.chance(spec.loss):
                session.emit("message_lost", {"id": msg["id"], "link": link, "channel": channel})
                continue
            entry = {"message": msg, "due": session.turn + spec.latency_turns, "channel": channel}
            if spec.latency_turns == 0:
                _deliver(session, entry)
            else:
                state["in_transit"].append(entry)
        state["queues"][link] = waiting
    state["queues"] = {k: v for k, v in state["queues"].items() if v}


def deliver_due(session: Any) -> None:
    state = session.domain("comms")
    due = [e for e in state["in_transit"] if e["due"] <= session.turn]
    state["in_transit"] = [e for e in state["in_transit"] if e["due"] > session.turn]
    for entry in due:
        _deliver(session, entry)


def _deliver(session: Any, entry: dict[str, Any]) -> None:
    msg = entry["message"]
    session.emit("message_delivered", {"id": msg["id"], "channel": entry["channel"],
                                       "latency": session.turn - msg["sent_turn"]})
    clean = dict(msg)  # the message as sent: without the queue's marks, with the channel it went by
    clean.pop("link", None)
    clean.pop("queued", None)
    clean["channel_used"] = entry["channel"]
    session.receive(clean)


def _full(state: Any, link: str) -> tuple[dict[str, int], list[str]]:
    """Every channel of ``link`` at full capacity (what :func:`_capacities` gives when nothing
    fails), and the channels by rank then id (the order :func:`_pick` falls back in). Worked out
    once per link: channels and their ranks are the scenario's."""
    found = state.full.get(link)
    if found is None:
        full = {channel_id: max(1, int(state.channels[channel_id].capacity_per_turn)) for channel_id in state.links[link]}
        found = state.full[link] = (full, sorted(full, key=lambda c: (state.channels[c].rank, c)))
    return found


def _capacities(session: Any, state: Any, link: str) -> dict[str, int]:
    out = {}
    for channel_id in state.links[link]:
        works, _, factor = channel_works(session, state.data, link, state.channels[channel_id])
        if works:
            out[channel_id] = max(1, int(state.channels[channel_id].capacity_per_turn * factor))
    return out


def _pick(state: Any, link: str, msg: dict[str, Any], capacity: dict[str, int], best: list[str]) -> str | None:
    """The sender's channel (or the link's pinned one) while it has room, else the best-ranked
    channel with room (``best``: the link's channels by rank, then id); None if none has."""
    wanted = msg["channel"] or state["pinned"].get(link)
    if wanted is not None and capacity.get(wanted, 0) > 0:
        return wanted
    # A sender who insisted on a channel that is down falls back to the best working one too.
    for channel in best:
        if capacity[channel] > 0:
            return channel
    return None
