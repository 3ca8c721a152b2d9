"""What the comms part's metrics and the after-action report read from a log: the facts behind its
measures (the measures themselves are the part's, in tabletop/comms/metrics.py).

Communications metrics (issue 5), from its contract events; they apply only once that part
emits ``channel_state``, ``message_queued``, ``message_lost`` or ``report_received`` (the
foundation's immediate delivery has nothing to measure).

A channel counts as working unless its last ``channel_state`` put it in a state other than
``up`` / ``ok`` / ``working`` / ``degraded``; channels never mentioned are assumed working, so
a link is "without any working channel" only when every channel the scenario gives it (radio,
satellite and runner included) is down.
"""

from __future__ import annotations

from typing import Any

from tabletop.scoring.view import LogView


OWNERS = ("comms",)


PART_EVENTS = ("channel_state", "message_queued", "message_lost", "report_received")


WORKING = ("up", "ok", "working", "degraded")


def link_status(view: LogView) -> dict[str, list[tuple[int, bool]]]:
    """Link -> [(turn, has a working channel at the end of the turn)] for turns 1..last."""
    if "link_status" in view.cache:
        return view.cache["link_status"]
    events = view.events("channel_state")
    channels: dict[str, dict[str, bool]] = {}
    out: dict[str, list[tuple[int, bool]]] = {}
    position = 0
    for turn in range(1, view.last_turn + 1):
        while position < len(events) and events[position]["turn"] <= turn:
            data = events[position]["data"]
            link = str(data.get("link"))
            if link not in channels:
                # Every channel the scenario gives the link starts working: a link is down only
                # when all of them are (radio, satellite and runner included).
                channels[link] = {channel: True for channel in link_channels(view, link)}
            channels[link][str(data.get("channel"))] = data.get("to") in WORKING
            position += 1
        for link, states in sorted(channels.items()):
            out.setdefault(link, []).append((turn, any(states.values())))
    view.cache["link_status"] = out
    return out


def link_channels(view: LogView, link: str) -> list[str]:
    """The channels the scenario gives a link (``a|b``): a listed link's own, the central channels
    for an EOC's link to central, else the field channels; [] without a ``comms`` section."""
    section = getattr(view.scenario, "comms", None)
    if section is None:
        return []
    nodes = sorted(link.split("|"))
    for listed in getattr(section, "links", []):
        if sorted((listed.a, listed.b)) == nodes:
            return list(listed.channels)
    if "central" in nodes:
        return list(getattr(section, "central_channels", []))
    return list(getattr(section, "field_channels", []))


def node_county(view: LogView, node: str) -> str | None:
    """The county of a network node: ``eoc:C``, ``township:T``, ``warehouse:W``, ``station:S``, or a
    seat ``C.role``; None for ``central`` and nodes the scenario does not place."""
    kind, _, name = node.partition(":")
    if kind == "eoc":
        return name
    if kind == "township":
        town = view.townships().get(name)
        return town.county if town is not None else None
    if kind == "warehouse":
        if "warehouse_counties" not in view.cache:
            view.cache["warehouse_counties"] = {w.id: c.id for c in view.scenario.counties for w in c.warehouses}
        return view.cache["warehouse_counties"].get(name)
    if kind == "station":
        from tabletop.scoring.distribution_facts import station_townships

        town = view.townships().get(station_townships(view).get(name, ""))
        return town.county if town is not None else None
    head = node.split(".", 1)[0]
    return head if "." in node and head in view.counties() else None


def _link_in_county(link: str, county: str | None, view: LogView | None = None) -> bool:
    if county is None:
        return True
    if view is not None:
        return county in link_counties(view, link)
    return county in _named_in(link)


def _named_in(link: str) -> set[str]:
    return set(link.replace("|", " ").replace(".", " ").replace("-", " ").replace(":", " ").split())


def link_counties(view: LogView, link: str) -> frozenset[str]:
    """The counties a link touches: its ends' counties, and any county its name spells out.
    Resolved once per link per log (a national log has hundreds of thousands of messages)."""
    cache: dict[str, frozenset[str]] = view.cache.setdefault("link_counties", {})
    found = cache.get(link)
    if found is None:
        known = view.cache.get("county_set")
        if known is None:
            known = view.cache["county_set"] = frozenset(view.counties())
        ends = {node_county(view, node) for node in link.split("|")}
        found = cache[link] = frozenset(c for c in ends if c is not None) | (_named_in(link) & known)
    return found


def _loss_sets(view: LogView) -> dict[str | None, tuple[set[str], set[str], set[str]]]:
    """Sender county (None: every message) -> (delivered, lost, still queued) message ids, in one
    pass over the log's messages."""
    if "loss_sets" in view.cache:
        return view.cache["loss_sets"]
    sent_by: dict[str, str | None] = {}
    county_of: dict[str, str | None] = {}  # each sender's county resolved once per log
    for record in view.events("message_sent"):
        sender = str(record["data"].get("from") or "")
        county = county_of.get(sender, county_of)
        if county is county_of:
            county = county_of[sender] = sender.split(".", 1)[0] if "." in sender else node_county(view, sender)
        sent_by[str(record["data"].get("id"))] = county  # type: ignore[assignment]
    groups: dict[str | None, tuple[set[str], set[str], set[str]]] = {}

    def group(key: str | None) -> tuple[set[str], set[str], set[str]]:
        found = groups.get(key)
        if found is None:
            found = groups[key] = (set(), set(), set())
        return found

    for kind, event in enumerate(("message_delivered", "message_lost", "message_queued")):
        for record in view.events(event):
            ident = str(record["data"].get("id"))
            group(None)[kind].add(ident)
            county = sent_by.get(ident)
            if county is not None:
                group(county)[kind].add(ident)
    out = {}
    for key, (delivered, lost, queued) in groups.items():
        lost = lost - delivered
        out[key] = (delivered, lost, queued - delivered - lost)
    view.cache["loss_sets"] = out
    return out


#: Deliveries that never cross a link (a seat to its own EOC, or a pair the scenario does not link).
OFF_NETWORK = ("internal", "direct")


def message_links(view: LogView) -> dict[str, str]:
    """Message id -> link: the ``link`` of its ``message_queued`` / ``message_lost``, else its
    ``message_sent`` nodes joined the way the comms part names links (sorted, ``a|b``)."""
    if "message_links" in view.cache:
        return view.cache["message_links"]
    out: dict[str, str] = {}
    joined: dict[tuple[Any, Any], str] = {}  # each pair of ends named once per log
    for record in view.events("message_sent"):
        data = record["data"]
        pair = (data.get("from"), data.get("to"))
        link = joined.get(pair) if type(pair[0]) is str and type(pair[1]) is str else None
        if link is None:
            link = "|".join(sorted([str(pair[0] or ""), str(pair[1] or "")]))
            if type(pair[0]) is str and type(pair[1]) is str:
                joined[pair] = link
        out[str(data.get("id"))] = link
    for record in view.events("message_queued", "message_lost"):
        if record["data"].get("link"):
            out[str(record["data"].get("id"))] = str(record["data"]["link"])
    view.cache["message_links"] = out
    return out


def failure_episodes(view: LogView) -> list[dict[str, Any]]:
    """Each time a channel stops working on a link: {link, channel, start_seq, start_turn, end_seq,
    end_turn (None while still down at the end), in_use (it carried the link's last delivery
    before the failure), traffic (a message on the link was sent, queued or delivered while it was
    down), switch_turn (first delivery on the link over another channel while it was down)}."""
    if "failure_episodes" in view.cache:
        return view.cache["failure_episodes"]
    working: dict[tuple[str, str], bool] = {}
    open_: dict[tuple[str, str], dict[str, Any]] = {}
    episodes: list[dict[str, Any]] = []
    for record in view.events("channel_state"):
        data = record["data"]
        key = (str(data.get("link")), str(data.get("channel")))
        was, now = working.get(key, True), data.get("to") in WORKING
        working[key] = now
        if was and not now:
            episode = {"link": key[0], "channel": key[1], "start_seq": record["seq"], "start_turn": record["turn"],
                       "end_seq": None, "end_turn": None, "cause": data.get("cause")}
            open_[key] = episode
            episodes.append(episode)
        elif now and not was and key in open_:
            episode = open_.pop(key)
            episode["end_seq"], episode["end_turn"] = record["seq"], record["turn"]
    # The messages each link carried, walked only when some channel failed (a national log
    # without failures has hundreds of thousands of messages and no episode to place them in).
    deliveries: dict[str, list[tuple[int, int, str]]] = {}
    traffic: dict[str, list[int]] = {}
    if episodes:
        links = message_links(view)
        for record in view.events("message_delivered"):
            data = record["data"]
            link = links.get(str(data.get("id")))
            if link is not None and data.get("channel") not in OFF_NETWORK:
                deliveries.setdefault(link, []).append((record["seq"], record["turn"], str(data.get("channel"))))
        for record in view.events("message_sent", "message_queued"):
            link = links.get(str(record["data"].get("id")))
            if link is not None:
                traffic.setdefault(link, []).append(record["seq"])
    for episode in episodes:
        start, end = episode["start_seq"], episode["end_seq"]
        rows = deliveries.get(episode["link"], [])
        before = [row for row in rows if row[0] < start]
        during = [row for row in rows if row[0] > start and (end is None or row[0] < end)]
        episode["in_use"] = bool(before) and before[-1][2] == episode["channel"]
        switch = next((row for row in during if row[2] != episode["channel"]), None)
        episode["switch_turn"] = switch[1] if switch else None
        episode["switch_channel"] = switch[2] if switch else None
        episode["traffic"] = bool(during) or any(start < seq and (end is None or seq < end)
                                                 for seq in traffic.get(episode["link"], []))
    view.cache["failure_episodes"] = episodes
    return episodes


def _late_sets(view: LogView) -> dict[str | None, tuple[dict[str, int], set[str]]]:
    """County (None: every link) -> (message id -> latency beyond its allowance for deliveries over
    a channel, ids ever queued and not lost) for the messages on that county's links; each
    message's link and its counties resolved once, in one pass over the log's messages."""
    if "late_sets" in view.cache:
        return view.cache["late_sets"]
    links = message_links(view)
    scopes: dict[str | None, tuple[str | None, ...]] = {None: (None,)}  # by link: resolved once per link

    def keys(ident: str) -> tuple[str | None, ...]:
        link = links.get(ident)
        found = scopes.get(link)
        if found is None and link is not None:
            found = scopes[link] = (None,) + tuple(sorted(link_counties(view, link)))
        return found or (None,)

    allowed = {}  # scheduled reports go out at a turn's end and cross at the next turn's first flush
    for record in view.events("message_sent"):
        data = record["data"]
        if data.get("kind") == "report" and (data.get("payload") or {}).get("reason") == "schedule":
            allowed[str(data.get("id"))] = 1
    out: dict[str | None, tuple[dict[str, int], set[str]]] = {None: ({}, set())}

    def group(key: str | None) -> tuple[dict[str, int], set[str]]:
        found = out.get(key)
        if found is None:
            found = out[key] = ({}, set())
        return found

    # Each link's groups in the order of its keys, looked up once per link (made at its first
    # message, as looking them up message by message made them).
    groups_of: dict[str | None, list[tuple[dict[str, int], set[str]]]] = {}
    link_of = links.get

    def groups(ident: str) -> list[tuple[dict[str, int], set[str]]]:
        link = link_of(ident)
        found = groups_of.get(link)
        if found is None:
            found = groups_of[link] = [group(key) for key in keys(ident)]
        return found

    for record in view.events("message_delivered"):
        data = record["data"]
        if data.get("channel") in OFF_NETWORK:
            continue
        ident = str(data.get("id"))
        latency = int(data.get("latency") or 0) - allowed.get(ident, 0)
        for late, _ in groups(ident):
            late.setdefault(ident, latency)
    lost = {str(r["data"].get("id")) for r in view.events("message_lost")}
    for record in view.events("message_queued"):
        ident = str(record["data"].get("id"))
        if ident not in lost:
            for _, queued in groups(ident):
                queued.add(ident)
    view.cache["late_sets"] = out
    return out
