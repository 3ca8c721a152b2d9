"""Actions files: scripted commands for headless runs, a YAML list of
``{turn, county, role, do, args}`` (county omitted for the facilitator and central)."""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, TypeAdapter, ValidationError

from tabletop.core.commands import Command
from tabletop.scenario.validate import _dotted, _value_path
from tabletop.scenario.yamlnodes import Limits, Problem, load_located


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    turn: StrictInt = Field(ge=1)
    county: StrictStr | None = None
    role: StrictStr
    do: StrictStr
    args: dict[StrictStr, Any] = {}

    def command(self) -> Command:
        return Command(turn=self.turn, county=self.county, role=self.role, kind=self.do, args=dict(self.args))


_LIST = TypeAdapter(list[Action])
MAX_ACTIONS = 200_000


def load_actions(path: str, limits: Limits | None = None) -> tuple[list[Action], list[Problem]]:
    limits = limits or Limits()
    try:
        if os.path.getsize(path) > limits.max_bytes:
            return [], [Problem(path, 1, 1, f"file is larger than the limit of {limits.max_bytes} bytes")]
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as err:
        return [], [Problem(path, 1, 1, f"cannot read: {err}")]
    doc, problems = load_located(text, path, limits)
    if doc is None or problems:
        return [], problems
    value = doc.value if doc.value is not None else []
    if isinstance(value, list) and len(value) > MAX_ACTIONS:
        return [], [Problem(path, 1, 1, f"{len(value)} actions is more than the cap of {MAX_ACTIONS}")]
    try:
        return _LIST.validate_python(value), []
    except ValidationError as err:
        out = []
        for item in err.errors():
            loc = tuple(item["loc"])
            if item["type"] == "extra_forbidden":
                out.append(doc.problem(loc, f"unknown field {loc[-1]!r}", key=True))
            elif item["type"] == "missing":
                out.append(doc.problem(loc[:-1], f"missing field {_dotted(loc)!r}"))
            else:
                out.append(doc.problem(_value_path(doc, loc), f"{_dotted(loc)}: {item['msg']}"))
        return [], sorted(set(out))
