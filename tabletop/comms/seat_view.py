"""The communications part in the trainee seats: the EOC's links and outbox as it knows
them (role pictures), and the links, channels and field nodes its commands can name (form
choices).

What the EOC knows: the channel states announced on its links (``announced``: a channel
that stops working is announced down, one that comes back is announced up), grid power and
base stations as its townships last reported them (``known``), the channels it pinned and
the repairs it requested, and its own messages still waiting to go out or on their way.
Messages held up on the far side of a link (a township's report waiting for a channel) are
not in its picture: it only notices that no report came.
"""

from __future__ import annotations

from typing import Any, Callable

from tabletop import feed, i18n
from tabletop import pictures as pic
from tabletop.comms.picture import field_nodes
from tabletop.core.parts import Choice, PictureRow

LINKS = "comms.links"
QUEUE = "comms.queue"


def _state(session: Any) -> Any:
    return session.domain("comms") if session.has_part("comms") else None


def _eoc(county: str) -> str:
    return f"eoc:{county}"


def county_links(session: Any, county: str) -> list[str]:
    """Links with this county's EOC at one end, sorted by their far end: township offices in
    scenario order, warehouses, stations, then the rest (central)."""
    state = _state(session)
    if state is None or county not in session.counties:
        return []
    eoc = _eoc(county)
    order = {f"township:{t.id}": i for i, t in enumerate(pic.townships(session, county))}
    rank = {"township": 0, "warehouse": 1, "station": 2}

    def key(link: str) -> tuple:
        node = far_end(link, county)
        return (rank.get(node.partition(":")[0], 3), order.get(node, 0), node)

    return sorted((link for link in state.links if eoc in link.split("|")), key=key)


def far_end(link: str, county: str) -> str:
    ends = [n for n in link.split("|") if n != _eoc(county)]
    return ends[0] if ends else link


def node_name(session: Any, node: str) -> dict[str, str]:
    kind, _, name = node.partition(":")
    if kind == "township":
        return i18n.both("comms.pic.office", town=pic.town_name(session, name))
    if kind == "warehouse":
        for county in session.counties.values():
            for house in county.warehouses:
                if house.id == name:
                    return pic.text(house.name)
    if kind == "station":
        named = feed.known_station(session, name)  # a station by its name, never its id
        if named is not None:
            return named
        area = _state(session)["station_area"].get(name)
        if area:
            return i18n.both("comms.pic.station", town=pic.town_name(session, area))
    if kind == "eoc" and name in session.counties:
        return i18n.both("comms.pic.eoc", county=pic.text(session.counties[name].name))
    if node == "central":
        return i18n.both("comms.pic.central")
    return pic.text(node)


def channel_name(session: Any, channel: str) -> dict[str, str]:
    spec = _state(session).channels.get(channel)
    return pic.text(spec.name) if spec is not None else pic.text(channel)


def _by_rank(session: Any, channels: list[str]) -> list[str]:
    specs = _state(session).channels
    return sorted(channels, key=lambda c: (specs[c].rank if c in specs else 99, c))


def down_channels(session: Any, link: str) -> list[str]:
    """Channels announced down on a link, best first."""
    seen = _state(session)["announced"].get(link, {})
    return _by_rank(session, [c for c, s in seen.items() if s == "down"])


# ----- links ----------------------------------------------------------------------------------
def links_picture(session: Any, county: str) -> list[PictureRow]:
    """Links grouped by which channels are announced down; known outages; pins; repairs."""
    state = _state(session)
    links = county_links(session, county)
    if not links:
        return []
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for link in links:
        down = tuple(down_channels(session, link))
        if down:
            up = tuple(_by_rank(session, [c for c in state.links[link] if c not in down]))
            groups.setdefault((down, up), []).append(link)
    rows = []
    for (down, up), members in sorted(groups.items(), key=lambda g: (len(g[0][1]), -len(g[1]), g[0])):
        names = pic.joined([node_name(session, far_end(link, county)) for link in members], limit=4)
        params = {"down": pic.joined([channel_name(session, c) for c in down], limit=9), "count": len(members),
                  "nodes": names}
        if up:
            rows.append(pic.row("comms.pic.links_partly", "warn", up=pic.joined([channel_name(session, c) for c in up], limit=9),
                                **params))
        else:
            rows.append(pic.row("comms.pic.links_cut", "bad", **params))
    rows += _outage_rows(session, county)
    for link in links:
        pinned = state["pinned"].get(link)
        if pinned is not None:
            rows.append(pic.row("comms.pic.pinned", "text", node=node_name(session, far_end(link, county)),
                                channel=channel_name(session, pinned)))
    for ident in sorted(state["repairs"]):
        repair = state["repairs"][ident]
        target = repair.get("node") or far_end(repair.get("link", ""), county)
        if _county_of_target(session, repair) != county:
            continue
        rows.append(pic.row("comms.pic.repair", "text", id=ident, target=node_name(session, target),
                            crew=repair["crew"], done=repair["done"]))
    if not groups:
        rows.insert(0, pic.row("comms.pic.all_up", "ok", count=len(links)))
    return pic.capped(pic.urgent_first(rows))


def _county_of_target(session: Any, repair: dict[str, Any]) -> str | None:
    if "link" in repair:
        for node in repair["link"].split("|"):
            if node.startswith("eoc:"):
                return node.partition(":")[2]
        return None
    kind, _, name = repair["node"].partition(":")
    return session.places.get(kind, {}).get(name)


def _outage_rows(session: Any, county: str) -> list[PictureRow]:
    """Townships whose last report said grid power or the base station was out."""
    known = _state(session)["known"].get(county, {})
    rows = []
    for fact, key in (("grid_power", "comms.pic.power_out"), ("base_station", "comms.pic.base_down")):
        towns, turns = [], []
        for town in pic.townships(session, county):
            seen = known.get(f"township:{town.id}")
            if seen and seen["facts"].get(fact) is False:
                towns.append(pic.text(town.name))
                turns.append(seen["as_of"])
        if towns:
            rows.append(PictureRow(pic.concat([i18n.both(key, count=len(towns), towns=pic.joined(towns)),
                                               pic.reported(min(turns))]), "warn"))
    return rows


# ----- the outbox -----------------------------------------------------------------------------
def queue_picture(session: Any, county: str) -> list[PictureRow]:
    """The EOC's own messages still waiting for a channel, and those on their way (runners)."""
    state = _state(session)
    if state is None or county not in session.counties:
        return []
    eoc = _eoc(county)
    waiting: dict[str, list[dict[str, Any]]] = {}
    for link in sorted(state["queues"]):
        for msg in state["queues"][link]:
            if msg["from"] == eoc:
                waiting.setdefault(msg["to"], []).append(msg)
    rows = []
    for dest in sorted(waiting, key=lambda d: (min(m["sent_turn"] for m in waiting[d]), d)):
        msgs = waiting[dest]
        oldest = min(m["sent_turn"] for m in msgs)
        rows.append(pic.row("comms.pic.waiting", "bad" if session.turn - oldest >= 1 else "warn", dest=node_name(session, dest),
                            count=len(msgs), kinds=_kinds(msgs), turn=oldest))
    moving: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for entry in state["in_transit"]:
        msg = entry["message"]
        if msg["from"] == eoc:
            moving.setdefault((msg["to"], entry["channel"], entry["due"]), []).append(msg)
    for (dest, channel, due), msgs in sorted(moving.items(), key=lambda m: (m[0][2], m[0][0], m[0][1])):
        rows.append(pic.row("comms.pic.moving", "text", dest=node_name(session, dest), count=len(msgs), kinds=_kinds(msgs),
                            channel=channel_name(session, channel), due=due))
    if not rows:
        return [pic.row("comms.pic.outbox_empty", "ok")]
    return pic.capped(pic.urgent_first(rows))


def _kinds(msgs: list[dict[str, Any]]) -> dict[str, str]:
    counts: dict[str, int] = {}
    for msg in msgs:
        counts[msg["kind"]] = counts.get(msg["kind"], 0) + 1
    items = []
    for kind in sorted(counts):
        key = f"comms.kind.{kind}"
        name = i18n.both(key) if key in i18n.TABLE else pic.text(kind)
        items.append({lang: f"{name[lang]} ×{counts[kind]}" for lang in i18n.LANGS})
    return pic.joined(items, limit=9)


# ----- form choices ---------------------------------------------------------------------------
def _link_choice(session: Any, link: str, county: str) -> Choice:
    down = down_channels(session, link)
    name = node_name(session, far_end(link, county))
    if down:
        return pic.choice(link, "comms.choice.link_down", node=name, id=link,
                          down=pic.joined([channel_name(session, c) for c in down], limit=9))
    return pic.choice(link, "comms.choice.link", node=name, id=link)


def _links(session: Any, county: str, role: str) -> list[Choice]:
    return [_link_choice(session, link, county) for link in county_links(session, county)]


def _broken_links(session: Any, county: str, role: str) -> list[Choice]:
    """Links with a channel announced down (what a repair crew could fix)."""
    return [_link_choice(session, link, county) for link in county_links(session, county) if down_channels(session, link)]


def _channels(session: Any, county: str, role: str) -> list[Choice]:
    """Channels on the county's links, best first."""
    state = _state(session)
    used = {c for link in county_links(session, county) for c in state.links[link]}
    return [pic.choice(c, "comms.choice.channel", name=channel_name(session, c), id=c) for c in _by_rank(session, sorted(used))]


def _repair_nodes(session: Any, county: str, role: str) -> list[Choice]:
    """Township nodes (a crew repairs what is down in a township), known outages first."""
    state = _state(session)
    if state is None or county not in session.counties:
        return []
    known = state["known"].get(county, {})
    hit, rest = [], []
    for town in pic.townships(session, county):
        node = f"township:{town.id}"
        facts = (known.get(node) or {}).get("facts", {})
        link_down = bool(down_channels(session, "|".join(sorted((_eoc(county), node)))))
        if facts.get("base_station") is False or facts.get("grid_power") is False or link_down:
            hit.append(pic.choice(node, "comms.choice.node_hit", node=node_name(session, node), id=node))
        else:
            rest.append(pic.choice(node, "comms.choice.node", node=node_name(session, node), id=node))
    return hit + rest


def _report_nodes(session: Any, county: str, role: str) -> list[Choice]:
    """Field nodes that can be asked for a report, with the turn of their last one."""
    state = _state(session)
    if state is None or county not in session.counties:
        return []
    known = state["known"].get(county, {})
    out = []
    for node in field_nodes(session, county):
        seen = known.get(node)
        out.append(pic.choice(node, "comms.choice.report_node", node=node_name(session, node), id=node,
                              age=pic.reported(seen["as_of"] if seen else None)))
    return out


PICTURES: dict[str, Callable[[Any, str], list[PictureRow]]] = {LINKS: links_picture, QUEUE: queue_picture}

#: Which roles see each panel, and where in the role's tabs (0 first; tabletop.pictures.panel_names).
PANELS: dict[str, dict[str, int]] = {
    LINKS: {"commander": 2, "comms": 0},
    QUEUE: {"comms": 1},
}

CHOICES: dict[str, Callable[[Any, str, str], list[Choice]]] = {
    "set_channel.link": _links,
    "set_channel.channel": _channels,
    "request_repair.link": _broken_links,
    "request_repair.node": _repair_nodes,
    "request_report.from_": _report_nodes,
    "send_message.channel": _channels,
}
