"""The comms part's event feed lines (``Plugin.feed``; see :mod:`tabletop.feed`): each of its
event kinds -> the parameters of its ``ui.ev.<kind>`` line (strings in ``strings.yaml``)."""

from __future__ import annotations

from tabletop.feed import Params


FEED: dict[str, Params] = {
    "report_received": lambda n, d: {"county": n.county(d.get("county")), "src": n.node(d.get("from")),
                                     "as_of": d.get("as_of")},
    "channel_selected": lambda n, d: {"by": n.actor(d.get("by")), "link": n.link(d.get("link")),
                                      "channel": n.channel(d.get("channel"))},
    "channel_state": lambda n, d: {"link": n.link(d.get("link")), "channel": n.channel(d.get("channel")),
                                   "src": n.label("link_state", d.get("from")), "dst": n.label("link_state", d.get("to")),
                                   "cause": n.paren(n.label("cause", d.get("cause")) if d.get("cause") else "")},
    "repair_started": lambda n, d: {"id": d["id"], "crew": d.get("crew", ""), "done": d.get("done_turn"),
                                    "target": n.link(d["link"]) if d.get("link") else n.node(d.get("node"))},
    "repair_done": lambda n, d: {"id": d["id"]},
    "power_restored": lambda n, d: {"area": n.places(d.get("area"))},
    "message_queued": lambda n, d: {"id": d["id"], "link": n.link(d.get("link")), "channel": n.channel(d.get("channel"))},
    "message_lost": lambda n, d: {"id": d["id"], "link": n.link(d.get("link")), "channel": n.channel(d.get("channel"))},
}
