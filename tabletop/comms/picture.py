"""Fog of war: each EOC's known picture is built only from delivered reports.

The session keeps the truth; ``known_view`` is what a county's players see,
``truth_view`` what the facilitator sees beside it, ``difference`` the gap.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any


def field_nodes(session: Any, county: str) -> list[str]:
    spec = session.counties[county]
    nodes = [f"township:{t.id}" for t in spec.townships] + [f"warehouse:{w.id}" for w in spec.warehouses]
    state = session.domain("comms")
    nodes += [f"station:{s}" for s, c in sorted(session.places["station"].items()) if c == county
              and s in state["station_area"]]
    return nodes


def facts_of(session: Any, node: str) -> dict[str, Any]:
    """The truth about ``node`` now, from every part that knows something about nodes of its kind."""
    facts: dict[str, Any] = {}
    for fn in session.parts.facts_for(node.partition(":")[0]):
        facts.update(fn(session, node))
    return dict(sorted(facts.items())) if facts else facts


def facts_of_all(session: Any, nodes: list[str]) -> dict[str, dict[str, Any]]:
    """``{node: facts_of(session, node)}``; for nodes of one kind (a township's stations) that one
    part alone knows, asked of it at once (``Plugin.facts_many``: the per-turn path)."""
    if not nodes:
        return {}
    kind = nodes[0].partition(":")[0]
    many = session.parts.facts_many_for(kind)
    if many is not None and all(map(str.startswith, nodes, repeat(kind + ":"))):
        return many(session, nodes)  # new dicts, keys sorted, in the order of ``nodes``
    return {node: facts_of(session, node) for node in nodes}


def truth_view(session: Any, county: str) -> dict[str, Any]:
    return {node: {"facts": facts_of(session, node), "as_of": session.turn} for node in field_nodes(session, county)}


def known_view(session: Any, county: str) -> dict[str, Any]:
    return dict(sorted(session.domain("comms")["known"][county].items()))


def difference(session: Any, county: str) -> dict[str, Any]:
    """Facts the EOC has wrong or lacks, node by node, with how old its knowledge is."""
    known = known_view(session, county)
    out: dict[str, Any] = {}
    for node, truth in truth_view(session, county).items():
        seen = known.get(node)
        if seen is None:
            out[node] = {"missing": True, "truth": truth["facts"]}
            continue
        wrong = {k: {"known": seen["facts"].get(k), "truth": v} for k, v in truth["facts"].items() if seen["facts"].get(k) != v}
        if wrong:
            out[node] = {"age_turns": session.turn - seen["as_of"], "facts": wrong}
    return out
