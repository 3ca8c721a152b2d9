"""The public API: how the CLI, the pygame console, replay and scoring drive the engine.

- :func:`new_session` starts a session from a validated scenario.
- :func:`session_from_header` rebuilds one from a log header (replay, verify, resume).
- ``Session.submit(Command)`` is the only way to change a session.
"""

from __future__ import annotations

import os
from typing import Any

from tabletop import __version__, generated
from tabletop.core import canonical
from tabletop.core.commands import Command, Rejected  # noqa: F401  (re-exported)
from tabletop.core.session import Record, Session
from tabletop.scenario.validate import Loaded, load_scenario_text

LOG_FORMAT = 1
# TABLETOP_STRICT=1 (the test suite sets it) makes engine bugs raise instead of becoming "internal" rejections.
Session.strict = bool(os.environ.get("TABLETOP_STRICT"))


class BadLog(Exception):
    """A log that cannot be opened: not JSON Lines, no header, or a scenario that no longer validates."""


def new_session(loaded: Loaded, seed: int, parent: dict[str, Any] | None = None) -> tuple[Session, Record]:
    """Start a session; returns it and its header record (seq 0)."""
    scenario = loaded.scenario
    header = {
        "format": LOG_FORMAT,
        "engine": {"name": "tabletop", "version": __version__},
        "scenario": {"file": _basename(loaded.file), "sha256": canonical.sha256_text(loaded.text),
                     "content": loaded.text, "id": scenario.scenario.id},
        "seed": seed,
        "generated": generated.generate_all(scenario, seed),
        "participants": generated.participants(scenario, seed),
        "parent": parent,
    }
    return Session.begin(scenario, header)


def scenario_from_header(header: Record) -> Any:
    data = header.get("data") or {}
    info = data.get("scenario") or {}
    text = info.get("content")
    if not isinstance(text, str):
        raise BadLog("the header holds no scenario content")
    if canonical.sha256_text(text) != info.get("sha256"):
        raise BadLog("the scenario content in the header does not match its SHA-256")
    loaded = load_scenario_text(text, info.get("file") or "scenario.yaml")
    if not loaded.ok:
        raise BadLog("the scenario in the header does not validate: " + "; ".join(map(str, loaded.problems[:3])))
    return loaded.scenario


def session_from_header(header: Record) -> Session:
    if header.get("type") != "header" or header.get("seq") != 0:
        raise BadLog("the first record is not a session header")
    return Session.resume_from_header(scenario_from_header(header), header)


def command_from_record(record: Record) -> Command:
    data = record.get("data") or {}
    return Command(turn=data.get("turn"), county=data.get("county"), role=data.get("role", ""),
                   kind=record.get("kind", ""), args=data.get("args") or {})


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]
