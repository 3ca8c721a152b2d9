"""The road graph between townships: shortest routes over open links (Dijkstra).

Ties are broken by township id, so routes never depend on dict or heap order.
Closing a link (an inject, or the facilitator) bumps the graph version, which
drops the cached travel-time table.
"""

from __future__ import annotations

import heapq
from typing import Any

Leg = list  # [link id ("" within a township), to township, minutes]


def adjacency(state: Any) -> dict[str, list[tuple[str, str, int]]]:
    """Township -> sorted [(neighbour, link, minutes)], built once per session (links never move)."""
    adj = getattr(state, "_adjacency", None)
    if adj is None:
        adj = {}
        for road in state.roads:
            adj.setdefault(road.a, []).append((road.b, road.id, road.minutes))
            adj.setdefault(road.b, []).append((road.a, road.id, road.minutes))
        adj = state._adjacency = {node: sorted(links) for node, links in adj.items()}
    return adj


def _dijkstra(state: Any, src: str, limit: int | None = None) -> tuple[dict[str, int], dict[str, tuple[str, str, int]]]:
    adj = adjacency(state)
    closed = state.closed_roads
    dist = {src: 0}
    back: dict[str, tuple[str, str, int]] = {}
    heap = [(0, src)]
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist[node]:
            continue
        for other, link, minutes in adj.get(node, ()):
            if link in closed:
                continue
            nd = d + minutes
            if limit is not None and nd > limit:
                continue
            if nd < dist.get(other, 1 << 60):
                dist[other] = nd
                back[other] = (node, link, minutes)
                heapq.heappush(heap, (nd, other))
    return dist, back


def route(state: Any, src: str, dst: str) -> tuple[int, list[Leg]] | None:
    """Minutes and legs of the shortest open route from township ``src`` to ``dst``, or None."""
    local = state.params.params.local_minutes
    if src == dst:
        return local, [["", dst, local]]
    dist, back = _dijkstra(state, src)
    if dst not in dist:
        return None
    legs: list[Leg] = []
    node = dst
    while node != src:
        prev, link, minutes = back[node]
        legs.append([link, node, minutes])
        node = prev
    legs.reverse()
    return dist[dst], legs


def nearby(state: Any) -> dict[str, list[tuple[int, str]]]:
    """For each township, the other townships within the travel limit: sorted [(minutes, township)]."""
    if state._distances is None:
        limit = state.params.params.max_travel_minutes
        table: dict[str, list[tuple[int, str]]] = {}
        for town in sorted(state.townships):
            dist, _ = _dijkstra(state, town, limit)
            table[town] = sorted((d, other) for other, d in dist.items() if other != town)
        state._distances = table
    return state._distances
