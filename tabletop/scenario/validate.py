"""Scenario validation: every problem at once, each as ``file:line:col: message``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from tabletop.core.parts import Parts
from tabletop.scenario.locate import dotted, validation_problems
from tabletop.core.roles import COUNTY_ROLES, GLOBAL_ROLES
from tabletop.scenario.model import scenario_model
from tabletop.scenario.yamlnodes import Limits, Located, Problem, load_located


@dataclass
class Caps:
    """Entity caps: a scenario above them is refused before it can slow a session down."""

    counties: int = 64
    townships: int = 5_000
    warehouses: int = 20_000
    injects: int = 20_000
    #: Registry entries ``requisition.generate`` asks Faker for, over all counties
    #: (each county at most ``tabletop.requisition.model.MAX_GENERATED_PER_COUNTY``).
    generated: int = 100_000


@dataclass
class Loaded:
    scenario: Any | None
    text: str
    file: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.problems


def load_file(path: str, parts: Parts, limits: Limits | None = None, caps: Caps | None = None) -> Loaded:
    """Read and validate a scenario file for ``parts`` (the engine's: ``tabletop.api.load_scenario_file``);
    problems carry the path as given."""
    limits = limits or Limits()
    try:
        size = os.path.getsize(path)
        if size > limits.max_bytes:
            return Loaded(None, "", path, [Problem(path, 1, 1, f"file is larger than the limit of {limits.max_bytes} bytes")])
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError as err:
        return Loaded(None, "", path, [Problem(path, 1, 1, f"not UTF-8 text: {err.reason}")])
    except OSError as err:
        return Loaded(None, "", path, [Problem(path, 1, 1, f"cannot read: {err.strerror}")])
    loaded = load_text(text, path, parts, limits, caps)
    if loaded.scenario is not None:
        loaded.problems.extend(_file_refs(loaded, path))
        loaded.problems.sort()
        if loaded.problems:
            loaded.scenario = None
    return loaded


def load_text(text: str, file: str, parts: Parts, limits: Limits | None = None, caps: Caps | None = None) -> Loaded:
    """Validate scenario text for ``parts`` (the engine's: ``tabletop.api.load_scenario_text``)."""
    doc, problems = load_located(text, file, limits)
    if doc is None:
        return Loaded(None, text, file, problems)
    if not isinstance(doc.value, dict):
        return Loaded(None, text, file, problems + [doc.problem((), "a scenario must be a mapping of sections")])
    problems += _caps(doc, caps or Caps())
    if problems:
        # Tags, duplicates or caps: still run the schema to report everything else too.
        _schema(doc, problems, parts)
        return Loaded(None, text, file, sorted(set(problems)))
    scenario = _schema(doc, problems, parts)
    if scenario is not None:
        problems += [doc.problem(item[0], item[1], key=len(item) > 2 and item[2] == "key") for item in cross_check(scenario, parts)]
    problems = sorted(set(problems))
    return Loaded(scenario if not problems else None, text, file, problems)


def _schema(doc: Located, problems: list[Problem], parts: Parts) -> Any | None:
    try:
        return scenario_model(parts).model_validate(doc.value)
    except ValidationError as err:
        problems.extend(validation_problems(doc, err))
        return None


def _caps(doc: Located, caps: Caps) -> list[Problem]:
    data = doc.value
    found: list[Problem] = []
    counties = data.get("counties") if isinstance(data.get("counties"), list) else []
    counts = {
        "counties": (len(counties), caps.counties, ("counties",)),
        "townships": (sum(len(c.get("townships") or []) for c in counties if isinstance(c, dict)), caps.townships, ("counties",)),
        "warehouses": (sum(len(c.get("warehouses") or []) for c in counties if isinstance(c, dict)), caps.warehouses, ("counties",)),
        "injects": (len(data.get("injects") or []), caps.injects, ("injects",)),
    }
    for name, (count, cap, path) in counts.items():
        if count > cap:
            found.append(doc.problem(path, f"{count} {name} is more than the configured cap of {cap}"))
    generated = _generated(data, len(counties))
    if generated > caps.generated:
        found.append(doc.keyed(("requisition", "generate"), "limits.generated",
                               {"count": generated, "counties": len(counties), "limit": caps.generated}))
    return found


def _generated(data: dict[str, Any], counties: int) -> int:
    """Registry entries ``requisition.generate`` asks for in all counties (0 when it is malformed:
    the schema reports that)."""
    section = data.get("requisition")
    spec = section.get("generate") if isinstance(section, dict) else None
    if not isinstance(spec, dict):
        return 0
    per_county = 0
    for name in ("owners", "property", "people"):
        value = spec.get(name)
        numbers = value.values() if isinstance(value, dict) else [value]
        per_county += sum(n for n in numbers if type(n) is int and n > 0)
    return per_county * counties


def cross_check(scenario: Any, parts: Parts) -> list[tuple[Any, ...]]:
    """References and impossible values that a schema cannot see.

    Returns (path, message) items, or (path, message, "key") to point at a mapping key.
    """
    out: list[tuple[Any, ...]] = []
    seen_counties: set[str] = set()
    goods = {g.id for g in scenario.goods}
    seen_places: dict[str, tuple[Any, ...]] = {}
    for ci, county in enumerate(scenario.counties):
        here: tuple[Any, ...] = ("counties", ci)
        if county.id in seen_counties:
            out.append((here + ("id",), f"duplicate county id {county.id!r}"))
        seen_counties.add(county.id)
        for ri, role in enumerate(county.roles):
            if role not in COUNTY_ROLES:
                out.append((here + ("roles", ri), f"unknown role {role!r}; known roles: {', '.join(COUNTY_ROLES)}"))
        if len(set(county.roles)) != len(county.roles):
            out.append((here + ("roles",), "a role is listed twice"))
        townships = set()
        for ti, town in enumerate(county.townships):
            if town.id in seen_places:
                out.append((here + ("townships", ti, "id"), f"duplicate id {town.id!r}"))
            seen_places[town.id] = here
            townships.add(town.id)
            if town.households is not None and town.households > town.population:
                out.append((here + ("townships", ti, "households"), "more households than people"))
        if county.eoc_township is not None and county.eoc_township not in townships:
            out.append((here + ("eoc_township",), f"the EOC stands in township {county.eoc_township!r}, which {county.id!r} does not have"))
        for wi, house in enumerate(county.warehouses):
            path = here + ("warehouses", wi)
            if house.id in seen_places:
                out.append((path + ("id",), f"duplicate id {house.id!r}"))
            seen_places[house.id] = path
            if house.township not in townships:
                out.append((path + ("township",), f"warehouse {house.id!r} is in township {house.township!r}, which {county.id!r} does not have"))
            for good in house.stock:
                if good not in goods:
                    out.append((path + ("stock", good), f"unknown good {good!r}; declare it under goods", "key"))
    out += _unique(scenario.goods, ("goods",), "good")
    out += _unique(scenario.phases, ("phases",), "phase")
    out += _unique(scenario.injects, ("injects",), "inject")
    turns = scenario.clock.turns
    phases = {p.id for p in scenario.phases}
    for pi, phase in enumerate(scenario.phases):
        if phase.last_turn > turns:
            out.append((("phases", pi, "last_turn"), f"turn {phase.last_turn} is after the last turn ({turns})"))
    registry = parts.commands
    counties = {c.id: c for c in scenario.counties}
    for ii, inject in enumerate(scenario.injects):
        path = ("injects", ii)
        if inject.at_turn is not None and inject.at_turn > turns:
            out.append((path + ("at_turn",), f"turn {inject.at_turn} is after the last turn ({turns})"))
        if inject.at_time is not None:
            from tabletop.core.clock import Clock
            from datetime import datetime

            clock = Clock.of(scenario, turns)
            when = clock.turn_at(datetime.fromisoformat(inject.at_time))
            if when > turns:
                out.append((path + ("at_time",), f"{inject.at_time} falls in turn {when}, after the last turn ({turns})"))
        if inject.phase is not None and inject.phase not in phases:
            out.append((path + ("phase",), f"unknown phase {inject.phase!r}"))
        county = counties.get(inject.county)
        if county is None:
            out.append((path + ("county",), f"unknown county {inject.county!r}"))
        elif inject.role not in county.roles:
            out.append((path + ("role",), f"{inject.county!r} has no role {inject.role!r}"))
        for ei, expected in enumerate(inject.expected):
            spec = registry.get(expected.kind) if expected.kind is not None else None
            if spec is None and expected.judged_by is None:
                out.append((path + ("expected", ei, "kind"), f"unknown command kind {expected.kind!r}"))
            if expected.role is not None and county is not None and expected.role not in county.roles + list(GLOBAL_ROLES):
                out.append((path + ("expected", ei, "role"), f"unknown role {expected.role!r}"))
    out += _inject_links(scenario, parts)
    for plugin in parts.all:
        if plugin.check_scenario is not None:
            out += plugin.check_scenario(scenario)
    return out


def _unique(items: list[Any], path: tuple[Any, ...], what: str) -> list[tuple[Any, ...]]:
    seen: set[str] = set()
    out: list[tuple[Any, ...]] = []
    for index, item in enumerate(items):
        if item.id in seen:
            out.append((path + (index, "id"), f"duplicate {what} id {item.id!r}"))
        seen.add(item.id)
    return out


def _file_refs(loaded: Loaded, path: str) -> list[Problem]:
    """Files a scenario names must exist inside the scenario's own folder."""
    if loaded.scenario is None:
        return []
    meta = loaded.scenario.scenario
    out: list[Problem] = []
    if meta.default_actions:
        problem = inside_folder(path, meta.default_actions)
        if problem:
            doc, _ = load_located(loaded.text, path)
            out.append(doc.problem(("scenario", "default_actions"), problem) if doc else Problem(path, 1, 1, problem))
    return out


def inside_folder(scenario_path: str, ref: str) -> str | None:
    """None if ``ref`` names an existing file inside the scenario's folder, else what is wrong."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(scenario_path)))
    target = os.path.realpath(os.path.join(folder, ref))
    if os.path.isabs(ref) or os.path.commonpath([folder, target]) != folder:
        return f"{ref!r} is outside the scenario's folder; referenced files must stay inside it"
    if not os.path.isfile(target):
        return f"{ref!r} does not exist in the scenario's folder"
    return None


def resolve_ref(scenario_path: str, ref: str) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(scenario_path)), ref)


def _inject_links(scenario: Any, parts: Parts) -> list[tuple[Any, ...]]:
    """Triggers point at real injects, actions and conditions; effects are known, with valid parameters."""
    out: list[tuple[Any, ...]] = []
    injects = {i.id: i for i in scenario.injects}
    effects = parts.effects
    conditions = parts.conditions
    for ii, inject in enumerate(scenario.injects):
        path = ("injects", ii)
        trigger = inject.trigger
        if trigger is not None:
            tpath = path + ("trigger",)
            if trigger.when == "condition":
                condition = conditions.get(trigger.condition or "")
                if condition is None:
                    known = ", ".join(sorted(conditions)) or "none yet"
                    out.append((tpath + ("condition",), f"unknown condition {trigger.condition!r}; known: {known}"))
                else:
                    out += _args_problems(condition.args, trigger.args, tpath + ("args",))
            else:
                other = injects.get(trigger.inject or "")
                if other is None:
                    out.append((tpath + ("inject",), f"trigger refers to unknown inject {trigger.inject!r}"))
                elif other.id == inject.id:
                    out.append((tpath + ("inject",), "an inject cannot trigger itself"))
                elif not other.expected:
                    out.append((tpath + ("inject",), f"inject {other.id!r} has no expected actions to be met or missed"))
                elif trigger.index is not None and trigger.index >= len(other.expected):
                    out.append((tpath + ("index",), f"inject {other.id!r} has only {len(other.expected)} expected actions"))
        source = getattr(inject, "source", None)
        if source is not None and not source.startswith("station:"):
            places = {t.id for c in scenario.counties if c.id == inject.county for t in c.townships}
            places |= {w.id for c in scenario.counties if c.id == inject.county for w in c.warehouses}
            bare = source.partition(":")[2] if ":" in source else source
            if bare not in places:
                out.append((path + ("source",), f"source {source!r} is not a township or warehouse of {inject.county!r}"))
        for ei, effect in enumerate(inject.effects):
            spec = effects.get(effect.type)
            epath = path + ("effects", ei)
            if spec is None:
                known = ", ".join(sorted(effects)) or "none yet"
                out.append((epath + ("type",), f"unknown effect {effect.type!r}; known: {known}"))
            else:
                out += _args_problems(spec.args, dict(effect.model_extra or {}), epath)
    return out


def _args_problems(model: type[BaseModel], args: dict[str, Any], path: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    try:
        model.model_validate(args)
    except ValidationError as err:
        out: list[tuple[Any, ...]] = []
        for item in err.errors():
            loc = tuple(item["loc"])
            if item["type"] == "extra_forbidden":
                out.append((path + loc, f"unknown parameter {loc[-1]!r}", "key"))
            elif item["type"] == "missing":
                out.append((path, f"missing parameter {dotted(loc)!r}"))
            else:
                out.append((path + loc, f"{dotted(loc)}: {item['msg']}"))
        return out
    return []
