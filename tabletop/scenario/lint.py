"""Scenario lint: things that are legal but probably a mistake (warnings, not errors).

- capabilities the scoring section names that no inject exercises (and the reverse);
- injects with no expected player action (nothing to evaluate);
- triggers that can never fire (a missed/met action whose deadline falls after the last turn,
  ``not_before_turn`` after the last turn, cycles between triggered injects);
- overlapping alerts (two air-raid alerts over the same township at the same time);
- effects that name places the scenario does not have;
- no ``distribution.roads``: the links derived from the townships' coordinates, or none at all.
"""

from __future__ import annotations

from tabletop.core.messages import message
from tabletop.scenario.locate import near_param

from typing import Any


def lint(scenario: Any, effects: dict[str, Any]) -> list[tuple[tuple[Any, ...], Any]]:
    """Likely mistakes in ``scenario``; ``effects`` are the engine's inject effects (``Parts.effects``)."""
    out: list[tuple[tuple[Any, ...], Any]] = []
    turns = scenario.clock.turns
    injects = {i.id: (index, i) for index, i in enumerate(scenario.injects)}
    used = sorted({e.capability for i in scenario.injects for e in i.expected})
    declared = _declared_capabilities(scenario)
    for name in declared:
        if name not in used:
            out.append((("scoring",), message("lint.capability_unused", capability=name)))
    for index, inject in enumerate(scenario.injects):
        path = ("injects", index)
        if not inject.expected:
            out.append((path + ("id",), message("lint.no_expected", inject=inject.id)))
        trigger = inject.trigger
        if trigger is not None:
            if trigger.not_before_turn > turns:
                out.append((path + ("trigger", "not_before_turn"), message("lint.trigger_too_late")))
            if trigger.when in ("action_missed", "action_met") and trigger.inject in injects:
                other = injects[trigger.inject][1]
                first = _earliest_turn(other, injects)
                if first is not None and other.expected:
                    chosen = [other.expected[trigger.index]] if trigger.index is not None and trigger.index < len(other.expected) else other.expected
                    deadline = first + min(e.within_turns for e in chosen) - 1
                    if trigger.when == "action_missed" and deadline >= turns:
                        out.append((path + ("trigger",), message("lint.never_missed", inject=other.id, deadline=deadline)))
                if _cycle(inject.id, injects):
                    out.append((path + ("trigger",), message("lint.trigger_cycle")))
        out += _places(scenario, inject, path, effects)
    out += _overlapping_alerts(scenario)
    out += _derived_roads(scenario)
    return out


def _derived_roads(scenario: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """No ``distribution.roads``: say which counties get links derived from coordinates, and which
    cannot move goods between townships at all."""
    from tabletop.scenario.roads import ROAD_FACTOR, SPEED_KMH, derived_roads

    section = getattr(scenario, "distribution", None)
    if section is None or getattr(section, "roads", None):
        return []
    derived = derived_roads(scenario)
    out: list[tuple[tuple[Any, ...], Any]] = []
    for index, county in enumerate(scenario.counties):
        if county.id in derived:
            links = derived[county.id]
            out.append((("counties", index, "townships"), message(
                "lint.roads_derived", county=county.id, links=len(links), km=round(sum(r.km for r in links)),
                factor=ROAD_FACTOR, speed=int(SPEED_KMH))))
        elif len(county.townships) > 1:
            out.append((("counties", index, "townships"), message("lint.no_roads", county=county.id)))
    return out


def _declared_capabilities(scenario: Any) -> list[str]:
    section = getattr(scenario, "scoring", None)
    caps = getattr(section, "capabilities", None) if section is not None else None
    if isinstance(caps, dict):
        return sorted(caps)
    if isinstance(caps, list):
        return sorted(getattr(c, "id", getattr(c, "name", str(c))) for c in caps)
    return []


def _earliest_turn(inject: Any, injects: dict[str, tuple[int, Any]], depth: int = 0) -> int | None:
    at_turn: int | None = inject.at_turn
    if at_turn is not None:
        return at_turn
    if inject.trigger is not None and inject.trigger.inject in injects and depth < len(injects):
        before = _earliest_turn(injects[inject.trigger.inject][1], injects, depth + 1)
        return None if before is None else max(before + 1, inject.trigger.not_before_turn)
    return None  # at_time, deck cards and conditions: unknown in advance


def _cycle(start: str, injects: dict[str, tuple[int, Any]]) -> bool:
    seen: list[str] = []
    current = start
    while current in injects:
        trigger = injects[current][1].trigger
        if trigger is None or trigger.inject is None:
            return False
        if trigger.inject == start:
            return True
        if trigger.inject in seen:
            return False
        seen.append(trigger.inject)
        current = trigger.inject
    return False


def _places(scenario: Any, inject: Any, path: tuple[Any, ...], effects: dict[str, Any]) -> list[tuple[tuple[Any, ...], Any]]:
    out = []
    known = _ids(scenario.model_dump())
    for index, effect in enumerate(inject.effects):
        spec = effects.get(effect.type)
        if spec is None:
            continue
        params = dict(effect.model_extra or {})
        for name in spec.places:
            value = params.get(name)
            values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
            for place in values:
                bare = place.partition(":")[2] if ":" in place else place
                if place.startswith("station:") or bare in ("all", "*"):
                    continue
                if bare not in known:
                    out.append((path + ("effects", index, name), message("lint.unknown_place", effect=effect.type, place=place,
                                                                          near=near_param(bare, sorted(known)))))
    return out


def _ids(value: Any) -> set[str]:
    """Every ``id`` defined anywhere in the scenario (townships, warehouses, roads, sites ...)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("id"), str):
                found.add(item["id"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _overlapping_alerts(scenario: Any) -> list[tuple[tuple[Any, ...], Any]]:
    windows: list[tuple[int, int, set[str], int]] = []
    out = []
    for index, inject in enumerate(scenario.injects):
        if inject.at_turn is None:
            continue
        for effect in inject.effects:
            if effect.type != "air_raid_alert":
                continue
            params = dict(effect.model_extra or {})
            area = params.get("area") or []
            area = set(area if isinstance(area, list) else [area])
            end = inject.at_turn + int(params.get("duration") or 1) - 1
            for start2, end2, area2, index2 in windows:
                if inject.at_turn <= end2 and start2 <= end and (area & area2 or "all" in area | area2):
                    out.append((("injects", index), message("lint.alert_overlap", other=index2, area=", ".join(sorted(area & area2)) or "all")))
            windows.append((inject.at_turn, end, area, index))
    return out
