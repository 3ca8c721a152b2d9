"""Pointing at the place in a file that a validation error is about.

Shared by scenario validation (:mod:`tabletop.scenario.validate`) and actions files
(:mod:`tabletop.scenario.actions`): pydantic error locations become dotted field names
(``counties[0].townships``) and positions in the :class:`~tabletop.scenario.yamlnodes.Located`
document.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from tabletop.scenario.yamlnodes import Located, Problem, dotted

__all__ = ["dotted", "value_path", "validation_problems"]


def value_path(doc: Located, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Pydantic adds union/type tags to ``loc``; keep only the parts that are in the document."""
    path: tuple[Any, ...] = ()
    for part in loc:
        if path + (part,) in doc.value_pos:
            path = path + (part,)
    return path


def validation_problems(doc: Located, err: ValidationError, prefix: tuple[Any, ...] = (),
                        severity: str = "error") -> list[Problem]:
    """One located problem per pydantic error; ``prefix`` is where the validated value sits in ``doc``."""
    out = []
    for item in err.errors():
        loc = tuple(item["loc"])
        here = prefix + loc
        if item["type"] == "extra_forbidden":
            out.append(doc.problem(here, f"unknown field {loc[-1]!r}", key=True, severity=severity))
        elif item["type"] == "missing":
            out.append(doc.problem(here[:-1], f"missing field {dotted(loc)!r}", severity=severity))
        else:
            out.append(doc.problem(value_path(doc, here), f"{dotted(loc)}: {item['msg']}", severity=severity))
    return out
