"""Actions files: scripted commands for headless runs, a YAML list of
``{turn, county, role, do, args}`` (county omitted for the facilitator and central).

:func:`read_actions` reads one (every value JSON-safe and within the caps, every
problem at its ``file:line:col``); :func:`check_actions` checks it against the scenario
it is played with, as ``validate SCENARIO --actions FILE`` and ``run`` do. Errors
(the run is refused): an unknown command kind, an unknown county or role (or a seat
the county does not have), a turn after the scenario's last. Warnings (the line is
issued and the engine rejects it, or the script is likely wrong): a role that may not
issue the kind, arguments that do not fit it, ids the scenario and the earlier lines do
not define, ids used twice, lifecycle controls the runner issues itself.
See docs/scenario-format.md, "Actions files".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, TypeAdapter, ValidationError

from tabletop import files
from tabletop.core import jsonsafe
from tabletop.core.commands import ANY_COUNTY_ROLE, Command
from tabletop.scenario.locate import near_param, validation_problems, value_path
from tabletop.core.roles import COUNTY_ROLES, GLOBAL_ROLES
from tabletop.scenario.yamlnodes import Limits, Located, Problem, load_located


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    turn: StrictInt = Field(ge=1)
    county: StrictStr | None = None
    role: StrictStr
    do: StrictStr
    args: dict[StrictStr, Any] = {}
    #: In a turn's orders phase (default) or at hotwash, after the last turn (``turn`` is then the last turn).
    when: Literal["orders", "hotwash"] = "orders"
    #: Minutes into the turn's discussion the line is issued at (its derived ``wall`` stamp).
    minute: Annotated[float, Field(ge=0, le=24 * 60, allow_inf_nan=False)] | None = None

    def command(self, wall: str | None = None) -> Command:
        return Command(turn=self.turn, county=self.county, role=self.role, kind=self.do, args=dict(self.args),
                       wall=wall)


_LIST = TypeAdapter(list[Action])
#: Most lines in one actions file (the file's size and value caps apply too).
MAX_ACTIONS = 200_000
#: Lifecycle controls the runner issues itself around each turn's orders phase.
RUNNER_CONTROLS = ("start", "advance", "pause", "resume", "end_exercise", "close")
WARNING = "warning"


@dataclass
class ActionsFile:
    """A read actions file: its actions (empty when it has problems), the located document, its problems."""

    path: str
    actions: list[Action] = field(default_factory=list)
    doc: Located | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def read_actions(path: str, limits: Limits | None = None) -> ActionsFile:
    limits = limits or Limits()
    try:
        if os.path.getsize(path) > limits.max_bytes:
            return ActionsFile(path, problems=[Problem.keyed(path, 1, 1, "file.too_large", {"limit": limits.max_bytes})])
        text = files.read_text(path)
    except (OSError, UnicodeDecodeError) as err:
        return ActionsFile(path, problems=[Problem.keyed(path, 1, 1, "file.cannot_read", {"reason": files.os_reason(err)})])
    # The list itself may hold up to MAX_ACTIONS lines; each line's args are held to
    # what a session accepts (jsonsafe.DEFAULT_CAPS) below.
    doc, problems = load_located(text, path, limits, caps=limits.json_caps(max_items=max(limits.max_items, MAX_ACTIONS)))
    if doc is None or problems:
        return ActionsFile(path, doc=doc, problems=problems)
    value = doc.value if doc.value is not None else []
    if isinstance(value, list) and len(value) > MAX_ACTIONS:
        return ActionsFile(path, doc=doc, problems=[doc.keyed((), "json.too_many_items", {
            "where": path, "length": len(value), "limit": MAX_ACTIONS})])
    if isinstance(value, list):
        for index, item in enumerate(value):
            args = item.get("args") if isinstance(item, dict) else None
            unsafe = jsonsafe.problem(args, jsonsafe.DEFAULT_CAPS) if args is not None else None
            if unsafe is not None:
                return ActionsFile(path, doc=doc, problems=[doc.unsafe(unsafe, prefix=(index, "args"))])
    try:
        return ActionsFile(path, _LIST.validate_python(value), doc)
    except ValidationError as err:
        return ActionsFile(path, doc=doc, problems=sorted(set(validation_problems(doc, err, model=list[Action]))))


def load_actions(path: str, limits: Limits | None = None) -> tuple[list[Action], list[Problem]]:
    """The actions of ``path`` and the problems reading it (no actions when there are any)."""
    read = read_actions(path, limits)
    return read.actions, read.problems


# ----- checked against the scenario ---------------------------------------------------------

#: Arguments naming something a creating command (``creates=True``) made earlier, by name.
_CREATED_REFS = ("station", "plan", "requisition")


def check_actions(read: ActionsFile, scenario: Any, commands: dict[str, Any]) -> list[Problem]:
    """Every error and warning of the actions in ``read`` against ``scenario`` and the engine's
    command kinds (``commands``: ``Parts.commands``), by position."""
    doc = read.doc
    if doc is None or not read.actions:
        return []
    registry = commands
    counties = {c.id: c for c in scenario.counties}
    last = scenario.clock.turns
    injects = {i.id: i for i in scenario.injects}
    due = _due_turns(scenario)
    decks = {i.deck for i in scenario.injects if i.deck}
    goods = {g.id for g in scenario.goods}
    known_ids = _scenario_ids(scenario)
    created: dict[str, int] = {}  # id -> line of the action that creates it
    out: list[Problem] = []

    def error(index: int, name: tuple[Any, ...], key: str, **params: Any) -> None:
        out.append(doc.keyed((index,) + name, key, params))

    def warn(index: int, name: tuple[Any, ...], key: str, at_key: bool = False, **params: Any) -> None:
        out.append(doc.keyed((index,) + name, key, params, at_key=at_key, severity=WARNING))

    # In the order the runner issues them: by turn, then file order.
    for index, action in sorted(enumerate(read.actions), key=lambda pair: (pair[1].turn, pair[0])):
        if action.turn > last:
            error(index, ("turn",), "actions.turn_after_last", turn=action.turn, last=last)
        elif action.when == "hotwash" and action.turn != last:
            error(index, ("turn",), "actions.hotwash_turn", turn=action.turn, last=last)
        spec = registry.get(action.do)
        if spec is None:
            error(index, ("do",), "actions.unknown_kind", kind=action.do, near=near_param(action.do, sorted(registry)))
        county = counties.get(action.county) if action.county is not None else None
        before = len(out)
        if action.role in GLOBAL_ROLES:
            if action.county is not None:
                error(index, ("county",), "actions.county_forbidden", role=action.role)
        elif action.role not in COUNTY_ROLES:
            error(index, ("role",), "actions.unknown_role", role=action.role,
                  known=", ".join(COUNTY_ROLES + GLOBAL_ROLES))
        elif action.county is None:
            error(index, ("role",), "actions.county_required", role=action.role)
        elif county is None:
            error(index, ("county",), "actions.unknown_county", county=action.county,
                  known=", ".join(sorted(counties)))
        elif action.role not in county.roles:
            error(index, ("role",), "actions.role_not_seated", county=action.county, role=action.role,
                  roles=", ".join(county.roles))
        seat_ok = len(out) == before  # a known seat: only then is "may this role issue it" worth saying
        if spec is None:
            continue
        if action.do in RUNNER_CONTROLS:
            warn(index, ("do",), "actions.lifecycle_control", kind=action.do)
        allowed = []
        for role in spec.roles:
            allowed += (list(county.roles) if county is not None else list(COUNTY_ROLES)) if role == ANY_COUNTY_ROLE else [role]
        if seat_ok and action.role not in allowed:
            warn(index, ("role",), "actions.role_not_allowed", role=action.role, kind=action.do,
                 allowed=", ".join(dict.fromkeys(allowed)))
        try:
            spec.args.model_validate(action.args)
        except ValidationError as err:
            for item in sorted(err.errors(), key=lambda e: (tuple(map(str, e["loc"])), e["type"])):
                loc = ("args",) + tuple(item["loc"])
                detail = {"key": f"schema.{item['type']}", "params": {"where": ".".join(map(str, loc)), "type": item["type"]}}
                if item["type"] == "extra_forbidden":
                    warn(index, loc, "actions.bad_args", at_key=True, detail=detail)
                elif item["type"] == "missing":
                    warn(index, ("args",), "actions.bad_args", detail=detail)
                else:
                    out.append(doc.keyed(value_path(doc, (index,) + loc), "actions.bad_args", {"detail": detail},
                                         severity=WARNING))
        args = action.args
        line = doc.where((index,))[0]
        inject = args.get("inject")
        if "inject" in spec.args.model_fields and isinstance(inject, str):
            run = injects.get(inject)
            if run is None:
                warn(index, ("args", "inject"), "actions.unknown_inject", inject=inject)
            elif action.do == "acknowledge":
                if action.county is not None and run.county != action.county:
                    warn(index, ("args", "inject"), "actions.inject_other_county", inject=inject,
                         target=f"{run.county}.{run.role}", county=action.county)
                elif due.get(inject) is not None and due[inject] > action.turn:
                    warn(index, ("args", "inject"), "actions.inject_not_yet", inject=inject, due=due[inject],
                         turn=action.turn)
        deck = args.get("deck")
        if "deck" in spec.args.model_fields and isinstance(deck, str) and deck not in decks:
            warn(index, ("args", "deck"), "actions.unknown_deck", deck=deck)
        township = args.get("township")
        if "township" in spec.args.model_fields and isinstance(township, str) and county is not None \
                and township not in {t.id for t in county.townships}:
            warn(index, ("args", "township"), "actions.unknown_township", county=county.id, township=township)
        for name in ("good", "goods"):
            value = args.get(name)
            if name not in spec.args.model_fields or value is None:
                continue
            named = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, dict)) else []
            for position, good in enumerate(named):
                if isinstance(good, str) and good not in goods:
                    where = (name,) if isinstance(value, str) else (name, good) if isinstance(value, dict) else (name, position)
                    warn(index, ("args",) + where, "actions.unknown_good", at_key=isinstance(value, dict), good=good)
        for name in _CREATED_REFS:
            value = args.get(name)
            if name in spec.args.model_fields and isinstance(value, str) and value not in created \
                    and value not in known_ids:
                warn(index, ("args", name), "actions.unknown_ref", id=value, arg=name)
        ident = args.get("id")
        if spec.creates and isinstance(ident, str):
            if ident in created:
                warn(index, ("args", "id"), "actions.duplicate_id", id=ident, line=created[ident])
            else:
                created[ident] = line
    return sorted(set(out))


def _due_turns(scenario: Any) -> dict[str, int]:
    """The turn each scheduled inject is delivered in (triggered and deck injects have none)."""
    from datetime import datetime

    from tabletop.core.clock import Clock

    clock = Clock.of(scenario)
    out: dict[str, int] = {}
    for inject in scenario.injects:
        if inject.at_turn is not None:
            out[inject.id] = inject.at_turn
        elif inject.at_time is not None:
            out[inject.id] = clock.turn_at(datetime.fromisoformat(inject.at_time))
    return out


def _scenario_ids(scenario: Any) -> set[str]:
    """Every ``id`` the scenario defines, in any section (stations, plans ... a scenario may list)."""
    out: set[str] = set()
    stack: list[Any] = [scenario.model_dump()]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("id"), str):
                out.add(item["id"])
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return out
