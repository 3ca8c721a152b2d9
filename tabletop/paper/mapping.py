"""The mapping file of ``msel import``: how the office's words stand for the scenario's ids.

    sheet: MSEL                 # default: a sheet named MSEL, else the first
    header_row: 1
    timezone: "+08:00"          # for times written without one (none: such a time is reported)
    columns: {Title zh_TW: 事件名稱}   # our header -> the office's header, where they differ
    phases: {聯合封鎖: blockade}
    to: {花蓮縣 指揮官: {county: hualien, role: commander}}
    from: {鳳林鎮: fenglin, 演習管制: null}   # null: no source, handed over by control
    actions: {對外發布: announce}  # free text of Expected Action -> command kind
    capabilities: {公共資訊與警報發布: public_information}

``msel export`` writes one beside the sheet. Every word the sheet uses must be here (or be
the id itself, for a command kind or one of the ids listed); nothing is guessed.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from tabletop import files
from tabletop.scenario.locate import validation_problems
from tabletop.scenario.model import Id
from tabletop.scenario.yamlnodes import Problem, load_located


class Seat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    county: Id
    role: StrictStr


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    sheet: StrictStr | None = None
    header_row: Annotated[int, Field(ge=1, le=1000)] = 1
    timezone: StrictStr | None = Field(default=None, pattern=r"^[+-]\d\d:\d\d$")
    columns: dict[str, str] = {}
    phases: dict[str, Id] = {}
    to: dict[str, Seat] = {}
    from_: dict[str, Id | None] = Field(default={}, alias="from")
    actions: dict[str, StrictStr] = {}
    capabilities: dict[str, Id] = {}


def _string_keys(value: Any) -> Any:
    """Keys as the sheet shows them: a number key (1: ...) is the text "1"."""
    if isinstance(value, dict):
        return {str(key) if not isinstance(key, str) else key: _string_keys(item) for key, item in value.items()}
    return value


def read(path: str) -> tuple[Mapping | None, list[Problem]]:
    try:
        if os.path.getsize(path) > 4 * 1024 * 1024:
            return None, [Problem.keyed(path, 1, 1, "paper.import.too_big", {"limit": "4 MB"})]
        text = files.read_text(path)
    except UnicodeDecodeError:
        return None, [Problem.keyed(path, 1, 1, "paper.import.not_utf8", {})]
    except OSError as err:
        return None, [Problem.keyed(path, 1, 1, "paper.import.cannot_read", {"reason": files.os_reason(err)})]
    doc, problems = load_located(text, path)
    if doc is None or problems:
        return None, problems
    if not isinstance(doc.value, dict):
        return None, [Problem.keyed(path, 1, 1, "paper.import.mapping_not_mapping", {})]
    try:
        for key in ("columns", "phases", "to", "from", "actions", "capabilities"):
            if isinstance(doc.value.get(key), dict):
                doc.value[key] = _string_keys(doc.value[key])
        return Mapping.model_validate(doc.value), []
    except ValidationError as err:
        return None, validation_problems(doc, err, model=Mapping)
