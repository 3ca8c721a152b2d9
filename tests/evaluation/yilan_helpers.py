"""The Yilan 2026-format scenario played once per test process (the evaluation tests share it)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from tabletop import api
from tabletop.core.commands import Command
from tabletop.runner import plan
from tabletop.scenario.actions import load_actions

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
YILAN = os.path.join(ROOT, "scenarios", "yilan", "scenario.yaml")
YILAN_ACTIONS = os.path.join(ROOT, "scenarios", "yilan", "actions.yaml")


@lru_cache(maxsize=None)
def yilan_loaded() -> Any:
    loaded = api.load_scenario_file(YILAN)
    assert loaded.ok, loaded.problems
    return loaded


@lru_cache(maxsize=None)
def yilan_commands() -> tuple[Command, ...]:
    actions, problems = load_actions(YILAN_ACTIONS)
    assert not problems, problems
    total = yilan_loaded().scenario.clock.turns
    return tuple(plan(actions, total, total, yilan_loaded().scenario))


def play(commands: Any = None, seed: int = 1) -> tuple[Any, list[dict[str, Any]]]:
    """A fresh session of the Yilan scenario fed ``commands`` (default: the scripted run);
    returns it and every record, the header first."""
    session, header = api.new_session(yilan_loaded(), seed)
    records: list[dict[str, Any]] = [header]
    for command in commands if commands is not None else yilan_commands():
        records += session.submit(command)
    return session, records


@lru_cache(maxsize=None)
def played() -> tuple[Any, tuple[dict[str, Any], ...]]:
    session, records = play()
    return session, tuple(records)
