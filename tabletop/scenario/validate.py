"""Scenario validation: every problem at once, each as ``file:line:col: message``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from tabletop import files
from tabletop.core.messages import message
from tabletop.core.parts import Parts
from tabletop.scenario.locate import dotted, field_names, near_param, validation_problems
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
        return self.scenario is not None and not any(p.is_error for p in self.problems)


def load_file(path: str, parts: Parts, limits: Limits | None = None, caps: Caps | None = None) -> Loaded:
    """Read and validate a scenario file for ``parts`` (the engine's: ``tabletop.api.load_scenario_file``);
    problems carry the path as given."""
    limits = limits or Limits()
    try:
        size = os.path.getsize(path)
        if size > limits.max_bytes:
            return Loaded(None, "", path, [Problem.keyed(path, 1, 1, "file.too_large", {"limit": limits.max_bytes})])
        text = files.read_text(path)
    except UnicodeDecodeError as err:
        return Loaded(None, "", path, [Problem.keyed(path, 1, 1, "file.not_utf8", {"reason": err.reason})])
    except OSError as err:
        if isinstance(err, FileNotFoundError):
            return Loaded(None, "", path, [Problem.keyed(path, 1, 1, "file.no_such_file_here", {})])
        return Loaded(None, "", path, [Problem.keyed(path, 1, 1, "file.cannot_read", {"reason": files.os_reason(err)})])
    loaded = load_text(text, path, parts, limits, caps)
    if loaded.scenario is not None:
        loaded.problems.extend(_file_refs(loaded, path))
        loaded.problems.sort()
        if any(p.is_error for p in loaded.problems):
            loaded.scenario = None
    return loaded


def load_text(text: str, file: str, parts: Parts, limits: Limits | None = None, caps: Caps | None = None) -> Loaded:
    """Validate scenario text for ``parts`` (the engine's: ``tabletop.api.load_scenario_text``)."""
    doc, problems = load_located(text, file, limits)
    if doc is None:
        return Loaded(None, text, file, problems)
    if not isinstance(doc.value, dict):
        return Loaded(None, text, file, problems + [doc.keyed((), "check.not_mapping")])
    problems += _caps(doc, caps or Caps())
    if problems:
        # Tags, duplicates or caps: still run the schema to report everything else too.
        _schema(doc, problems, parts)
        return Loaded(None, text, file, sorted(set(problems)))
    scenario = _schema(doc, problems, parts)
    if scenario is not None:
        problems += [located(doc, item) for item in cross_check(scenario, parts)]
    else:
        problems += _cross_check_repaired(doc, parts)
    problems = sorted(set(problems))
    return Loaded(scenario if not problems else None, text, file, problems)


def located(doc: Located, item: tuple[Any, ...]) -> Problem:
    """A cross-check finding ``(path, message[, "key"])`` as a located problem; the message is a
    translation (``message(key, **params)``) or, from an older check, English text."""
    path, text = item[0], item[1]
    at_key = len(item) > 2 and item[2] == "key"
    if isinstance(text, dict) and "key" in text:
        return doc.keyed(path, text["key"], text.get("params"), at_key=at_key)
    return doc.problem(path, text, key=at_key)


def _schema(doc: Located, problems: list[Problem], parts: Parts) -> Any | None:
    model = scenario_model(parts)
    try:
        return model.model_validate(doc.value)
    except ValidationError as err:
        problems.extend(validation_problems(doc, err, model=model))
        return None


def _cross_check_repaired(doc: Located, parts: Parts) -> list[Problem]:
    """Schema problems and cross-references in one pass: the values the schema refused are replaced
    by harmless stand-ins (defaults, or the least value their type takes) and the references are
    checked on the rest; findings at a replaced value are left out (the schema problem is there)."""
    from tabletop.scenario.repair import repaired

    found = repaired(scenario_model(parts), doc.value)
    if found is None:
        return []
    scenario, touched = found
    out = []
    for item in cross_check(scenario, parts):
        path = tuple(item[0])
        if any(path[:len(t)] == t for t in touched):
            continue
        out.append(located(doc, item))
    return out


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
            found.append(doc.keyed(path, "check.cap", {"count": count, "what": name, "cap": cap}))
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
            out.append((here + ("id",), message("check.duplicate_county", id=county.id)))
        seen_counties.add(county.id)
        for ri, role in enumerate(county.roles):
            if role not in COUNTY_ROLES:
                out.append((here + ("roles", ri), message("check.unknown_role", role=role, near=near_param(role, COUNTY_ROLES),
                                                          known=", ".join(COUNTY_ROLES))))
        if len(set(county.roles)) != len(county.roles):
            out.append((here + ("roles",), message("check.role_twice")))
        townships = set()
        for ti, town in enumerate(county.townships):
            if town.id in seen_places:
                out.append((here + ("townships", ti, "id"), message("check.duplicate_place", id=town.id)))
            seen_places[town.id] = here
            townships.add(town.id)
            if town.households is not None and town.households > town.population:
                out.append((here + ("townships", ti, "households"), message("check.households")))
        if county.eoc_township is not None and county.eoc_township not in townships:
            out.append((here + ("eoc_township",), message("check.eoc_township", township=county.eoc_township, county=county.id)))
        for wi, house in enumerate(county.warehouses):
            path = here + ("warehouses", wi)
            if house.id in seen_places:
                out.append((path + ("id",), message("check.duplicate_place", id=house.id)))
            seen_places[house.id] = path
            if house.township not in townships:
                out.append((path + ("township",), message("check.warehouse_township", warehouse=house.id, township=house.township,
                                                          county=county.id, near=near_param(house.township, sorted(townships)))))
            for good in house.stock:
                if good not in goods:
                    out.append((path + ("stock", good), message("check.unknown_good", good=good, near=near_param(good, sorted(goods))),
                                "key"))
    out += _unique(scenario.goods, ("goods",), "good")
    out += _unique(scenario.phases, ("phases",), "phase")
    out += _unique(scenario.injects, ("injects",), "inject")
    turns = scenario.clock.turns
    phases = {p.id for p in scenario.phases}
    for pi, phase in enumerate(scenario.phases):
        if phase.last_turn > turns:
            out.append((("phases", pi, "last_turn"), message("check.after_last_turn", turn=phase.last_turn, turns=turns)))
    registry = parts.commands
    counties = {c.id: c for c in scenario.counties}
    for ii, inject in enumerate(scenario.injects):
        path = ("injects", ii)
        if inject.at_turn is not None and inject.at_turn > turns:
            out.append((path + ("at_turn",), message("check.after_last_turn", turn=inject.at_turn, turns=turns)))
        if inject.at_time is not None:
            from tabletop.core.clock import Clock
            from datetime import datetime

            clock = Clock.of(scenario, turns)
            when = clock.turn_at(datetime.fromisoformat(inject.at_time))
            if when > turns:
                out.append((path + ("at_time",), message("check.time_after_last_turn", time=inject.at_time, turn=when, turns=turns)))
        if inject.phase is not None and inject.phase not in phases:
            out.append((path + ("phase",), message("check.unknown_phase", phase=inject.phase, near=near_param(inject.phase, sorted(phases)))))
        county = counties.get(inject.county)
        if county is None:
            out.append((path + ("county",), message("check.unknown_county", county=inject.county,
                                                    near=near_param(inject.county, list(counties)))))
        elif inject.role not in county.roles:
            out.append((path + ("role",), message("check.role_not_seated", county=inject.county, role=inject.role,
                                                  near=near_param(inject.role, county.roles), roles=", ".join(county.roles))))
        for ei, expected in enumerate(inject.expected):
            spec = registry.get(expected.kind) if expected.kind is not None else None
            if spec is None and expected.judged_by is None:
                out.append((path + ("expected", ei, "kind"), message("check.unknown_kind", kind=expected.kind,
                                                                     near=near_param(expected.kind or "", sorted(registry)))))
            if expected.role is not None and county is not None and expected.role not in county.roles + list(GLOBAL_ROLES):
                known = county.roles + list(GLOBAL_ROLES)
                out.append((path + ("expected", ei, "role"), message("check.unknown_role", role=expected.role,
                                                                     near=near_param(expected.role, known), known=", ".join(known))))
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
            out.append((path + (index, "id"), message("check.duplicate", what=message(f"check.what.{what}"), id=item.id)))
        seen.add(item.id)
    return out


def _file_refs(loaded: Loaded, path: str) -> list[Problem]:
    """Files a scenario names must stay inside the scenario's own folder (an error). A
    ``default_actions`` file not written yet is a warning: only the no-argument run plays it, and
    ``run --actions`` naming another file does not need it."""
    if loaded.scenario is None:
        return []
    meta = loaded.scenario.scenario
    out: list[Problem] = []
    if meta.default_actions:
        problem = inside_folder(path, meta.default_actions)
        if problem:
            severity = "warning" if problem["key"] == "check.missing_file" else "error"
            if severity == "warning":
                problem = message("check.missing_default_actions", ref=meta.default_actions)
            doc, _ = load_located(loaded.text, path)
            out.append(doc.keyed(("scenario", "default_actions"), problem["key"], problem["params"], severity=severity)
                       if doc else Problem.keyed(path, 1, 1, problem["key"], problem["params"], severity=severity))
    return out


def inside_folder(scenario_path: str, ref: str) -> dict[str, Any] | None:
    """None if ``ref`` names an existing file inside the scenario's folder, else what is wrong
    (a message: ``{key, params}``)."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(scenario_path)))
    target = os.path.realpath(os.path.join(folder, ref))
    if os.path.isabs(ref) or os.path.commonpath([folder, target]) != folder:
        return message("check.outside_folder", ref=ref)
    if not os.path.isfile(target):
        return message("check.missing_file", ref=ref)
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
                    known = ", ".join(sorted(conditions)) or "—"
                    out.append((tpath + ("condition",), message("check.unknown_condition", condition=trigger.condition,
                                                                near=near_param(trigger.condition or "", sorted(conditions)),
                                                                known=known)))
                else:
                    out += _args_problems(condition.args, trigger.args, tpath + ("args",))
            else:
                other = injects.get(trigger.inject or "")
                if other is None:
                    out.append((tpath + ("inject",), message("check.unknown_inject", inject=trigger.inject,
                                                             near=near_param(trigger.inject or "", sorted(injects)))))
                elif other.id == inject.id:
                    out.append((tpath + ("inject",), message("check.self_trigger")))
                elif not other.expected:
                    out.append((tpath + ("inject",), message("check.no_expected", inject=other.id)))
                elif trigger.index is not None and trigger.index >= len(other.expected):
                    out.append((tpath + ("index",), message("check.index_range", inject=other.id, count=len(other.expected))))
        source = getattr(inject, "source", None)
        if source is not None and not source.startswith("station:"):
            places = {t.id for c in scenario.counties if c.id == inject.county for t in c.townships}
            places |= {w.id for c in scenario.counties if c.id == inject.county for w in c.warehouses}
            bare = source.partition(":")[2] if ":" in source else source
            if bare not in places:
                out.append((path + ("source",), message("check.bad_source", source=source, county=inject.county,
                                                        near=near_param(bare, sorted(places)))))
        for ei, effect in enumerate(inject.effects):
            spec = effects.get(effect.type)
            epath = path + ("effects", ei)
            if spec is None:
                out.append((epath + ("type",), message("check.unknown_effect", effect=effect.type,
                                                       near=near_param(effect.type, sorted(effects)))))
            else:
                out += _args_problems(spec.args, dict(effect.model_extra or {}), epath)
    return out


def _args_problems(model: type[BaseModel], args: dict[str, Any], path: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    try:
        model.model_validate(args)
    except ValidationError as err:
        out: list[tuple[Any, ...]] = []
        from tabletop.scenario.locate import error_message

        valid = [name for name in field_names(model) if name != "type"]
        for item in err.errors():
            loc = tuple(item["loc"])
            if item["type"] == "extra_forbidden":
                out.append((path + loc, message("check.unknown_parameter", name=str(loc[-1]),
                                                near=near_param(str(loc[-1]), valid), valid=", ".join(valid) or "—"), "key"))
            elif item["type"] == "missing":
                out.append((path, message("check.missing_parameter", name=dotted(loc))))
            else:
                key, params = error_message(item, dotted(loc), model)
                out.append((path + loc, message(key, **params)))
        return out
    return []
