"""The public API: how the CLI, the pygame console, replay and scoring drive the engine.

- :func:`load_scenario_file` / :func:`load_scenario_text` read and validate a scenario for
  the engine's parts (:func:`tabletop.plugins.parts`), which this module hands to the
  scenario loader and to every session: the core and the loader never pick them.
- :func:`new_session` starts a session from a validated scenario.
- :func:`session_from_header` rebuilds one from a log header (replay, verify, resume).
- ``Session.submit(Command)`` is the only way to change a session.
"""

from __future__ import annotations

import os
import re
from typing import Any

from tabletop import __version__, generated, plugins
from tabletop.core import canonical
from tabletop.core.commands import Command, Rejected  # noqa: F401  (re-exported)
from tabletop.core.session import BadCommand, Record, Session  # noqa: F401  (re-exported)
from tabletop.logfile import BadLog
from tabletop.scenario import actions as _actions, lint as _lint, validate as _validate
from tabletop.scenario.validate import Caps, Loaded  # noqa: F401  (re-exported)
from tabletop.scenario.yamlnodes import Limits

#: The log format this engine writes and re-simulates. Any change to what a session produces
#: (the bytes of any record for the same scenario, seed and commands) bumps it, with
#: regenerated goldens (tests/golden/) and a line in docs/log-format.md, "Format history".
LOG_FORMAT = 6
#: Formats and the engine release that re-simulates each (verify names it for older logs).
FORMAT_ENGINES = {1: "0.1.0", 2: "0.2.0", 3: "0.3.0", 4: "0.4.0", 5: "0.5.0", 6: __version__}
# TABLETOP_STRICT=1 (the test suite sets it) makes engine bugs raise instead of becoming "internal" rejections.
Session.strict = bool(os.environ.get("TABLETOP_STRICT"))
# ... and checks every event it emits against its declared model (tabletop/core/events.py).
Session.check_events = Session.strict
HEADER_FIELDS = ("format", "engine", "scenario", "seed", "generated", "participants", "parent")
SCENARIO_FIELDS = ("content", "file", "id", "sha256")
PARENT_FIELDS = ("hash", "header_hash", "log", "seq", "state_after_seq")
MAX_FILE_NAME = 255
_VERSION = re.compile(r"[0-9][0-9A-Za-z.+-]{0,31}")
#: The scenario the bare command plays (README's first command).
DEFAULT_SCENARIO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "scenarios", "hualien", "scenario.yaml")
#: Session seeds: what every JSON reader holds exactly.
MAX_SEED = 2**53 - 1


class OtherFormat(BadLog):
    """A log whose chain and header hold, written in another log format: another engine release
    re-simulates it (``engine``)."""

    def __init__(self, message: str, fmt: Any, engine: str) -> None:
        super().__init__(message, 0)
        self.format, self.engine = fmt, engine


def load_scenario_file(path: str, limits: Limits | None = None, caps: Caps | None = None) -> Loaded:
    """Read and validate a scenario file (every problem as ``file:line:col``)."""
    return _validate.load_file(path, plugins.parts(), limits, caps)


def load_scenario_text(text: str, file: str, limits: Limits | None = None, caps: Caps | None = None) -> Loaded:
    """Validate scenario text read from ``file``."""
    return _validate.load_text(text, file, plugins.parts(), limits, caps)


def check_actions(read: Any, scenario: Any) -> list[Any]:
    """Every problem of an actions file (``scenario.actions.read_actions``) against ``scenario``."""
    return _actions.check_actions(read, scenario, plugins.parts().commands)


def lint(scenario: Any) -> list[tuple[tuple, str]]:
    """Likely mistakes in a valid scenario, as (path, message) warnings."""
    return _lint.lint(scenario, plugins.parts().effects)


def all_diagrams() -> dict[str, str]:
    """Diagram name -> mermaid source: the core's machines and every part's (``Plugin.diagrams``),
    kept in docs/diagrams/ (tools/make_diagrams.py)."""
    from tabletop import diagrams

    out = {"lifecycle": diagrams.lifecycle_diagram(), "inject": diagrams.inject_diagram()}
    for plugin in plugins.parts().all:
        for name, draw in sorted(plugin.diagrams.items()):
            out[name] = draw()
    return out


def event_table() -> str:
    """The generated event table of docs/log-format.md (every kind's data model, by part)."""
    from tabletop import eventdoc

    return eventdoc.table(plugins.parts())


def new_session(loaded: Loaded, seed: int, parent: dict[str, Any] | None = None) -> tuple[Session, Record]:
    """Start a session; returns it and its header record (seq 0). ``seed`` is 0 to 2^53 − 1."""
    if type(seed) is not int or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"the seed must be an integer from 0 to {MAX_SEED}")
    scenario = scenario_of(loaded)
    header = {
        "format": LOG_FORMAT,
        "engine": {"name": "tabletop", "version": __version__},
        "scenario": {"file": _basename(loaded.file), "sha256": canonical.sha256_text(loaded.text),
                     "content": loaded.text, "id": scenario.scenario.id},
        "seed": seed,
        "generated": generated.generate_all(scenario, seed, plugins.parts()),
        "participants": generated.participants(scenario, seed),
        "parent": parent,
    }
    return Session.begin(scenario, header, plugins.parts())


def scenario_of(loaded: Loaded) -> Any:
    """The scenario ``loaded`` holds; ``ValueError`` when it did not validate (check ``loaded.ok`` first)."""
    if loaded.scenario is None:
        raise ValueError(f"{loaded.file}: the scenario did not validate")
    return loaded.scenario


def scenario_from_header(header: dict[str, Any]) -> Any:
    data = header.get("data") or {}
    info = data.get("scenario") or {}
    text = info.get("content")
    if not isinstance(text, str):
        raise BadLog("the header holds no scenario content", 0)
    if canonical.sha256_text(text) != info.get("sha256"):
        raise BadLog("the scenario content in the header does not match its SHA-256", 0)
    loaded = load_scenario_text(text, info.get("file") or "scenario.yaml")
    if not loaded.ok:
        raise BadLog("the scenario in the header does not validate: " + "; ".join(map(str, loaded.problems[:3])), 0)
    return loaded.scenario


def session_from_header(header: dict[str, Any], check: bool = True) -> Session:
    """A session positioned after ``header``. With ``check`` (always, except where the
    header was checked already) every header field is checked first (:func:`check_header`)."""
    if check:
        scenario = check_header(header)
    else:
        if header.get("type") != "header" or header.get("seq") != 0:
            raise BadLog("the first record is not a session header", 0)
        scenario = scenario_from_header(header)
    return Session.resume_from_header(scenario, header, plugins.parts())


def session_after_header(scenario: Any, header: dict[str, Any]) -> Session:
    """A fresh session after ``header`` whose scenario was read from it already (replay)."""
    return Session.resume_from_header(scenario, header, plugins.parts())


def session_from_snapshot(scenario: Any, header: dict[str, Any], snap: dict[str, Any]) -> Session:
    """A session in the state of ``Session.snapshot`` ``snap`` (replay's seeks, forks). ``snap`` is
    handed over (replay parses it fresh from the index): the session keeps its objects."""
    return Session.from_snapshot(scenario, header, snap, plugins.parts(), owned=True)


def check_header(header: dict[str, Any]) -> Any:
    """Check every field of a log header against what the session is rebuilt from; returns
    the scenario. Raises :class:`BadLog` for a forged or damaged header and
    :class:`OtherFormat` for a sound header of another log format."""
    def bad(message: str) -> BadLog:
        return BadLog(f"header: {message}", 0)

    if header.get("type") != "header" or header.get("seq") != 0 or header.get("kind") != "session_header":
        raise bad("the first record is not a session header")
    if header.get("actor") != "engine" or type(header.get("turn")) is not int or header.get("turn") != 0 \
            or type(header.get("seq")) is not int:
        raise bad("actor must be engine and turn 0")
    body = {key: value for key, value in header.items() if key != "hash"}
    try:
        canonical_hash = canonical.encode_record(canonical.GENESIS, body)[0]
    except (canonical.EncodeError, TypeError):
        raise bad("not JSON the log can hold") from None
    if canonical_hash != header.get("hash"):
        raise bad("not in canonical form (re-encoded by another tool?)")
    data = header.get("data")
    if not isinstance(data, dict):
        raise bad("data is not an object")
    unknown = sorted(set(data) - set(HEADER_FIELDS))
    if unknown:
        raise bad(f"unknown field(s) {', '.join(unknown)}")
    missing = [name for name in HEADER_FIELDS if name not in data]
    if missing:
        raise bad(f"missing field(s) {', '.join(missing)}")
    engine = data["engine"]
    if not (isinstance(engine, dict) and sorted(engine) == ["name", "version"] and engine["name"] == "tabletop"
            and isinstance(engine["version"], str) and _VERSION.fullmatch(engine["version"])):
        raise bad("engine must be {name: tabletop, version} with a release number as version")
    fmt = data["format"]
    if fmt != LOG_FORMAT:
        release = FORMAT_ENGINES.get(fmt) if isinstance(fmt, int) and not isinstance(fmt, bool) else None
        if release is None:
            raise bad(f"unknown log format {fmt!r}")
        raise OtherFormat(f"written in log format {fmt} by tabletop {engine['version']}; this engine "
                          f"({__version__}) writes format {LOG_FORMAT}; re-simulate it with tabletop {release}",
                          fmt, release)
    info = data["scenario"]
    if not (isinstance(info, dict) and sorted(info) == list(SCENARIO_FIELDS)):
        raise bad(f"scenario must have exactly {', '.join(SCENARIO_FIELDS)}")
    name = info["file"]
    if not (isinstance(name, str) and 0 < len(name) <= MAX_FILE_NAME and name == _basename(name)
            and name.endswith((".yaml", ".yml")) and name.isprintable()):
        raise bad("scenario.file must be a file name (no folder) ending in .yaml or .yml")
    seed = data["seed"]
    if type(seed) is not int or not 0 <= seed <= MAX_SEED:
        raise bad("seed must be an integer from 0 to 2^53 - 1")
    scenario = scenario_from_header(header)
    if info["id"] != scenario.scenario.id:
        raise bad(f"scenario.id {info['id']!r} is not the id in the scenario text ({scenario.scenario.id!r})")
    if time_of_turn_zero(scenario) != header.get("time"):
        raise bad("time is not the scenario's start")
    for key, made in (("generated", generated.generate_all(scenario, seed, plugins.parts())),
                      ("participants", generated.participants(scenario, seed))):
        if canonical.encode(made) != canonical.encode(data[key]):
            raise bad(f"{key} is not what this scenario and seed generate")
    _check_parent(data["parent"], bad)
    return scenario


def _check_parent(parent: Any, bad: Any) -> None:
    if parent is None:
        return
    if not (isinstance(parent, dict) and sorted(parent) == list(PARENT_FIELDS)):
        raise bad(f"parent must be null or have exactly {', '.join(PARENT_FIELDS)}")
    for key in ("hash", "header_hash"):
        value = parent[key]
        if not (isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)):
            raise bad(f"parent.{key} is not a SHA-256")
    for key in ("seq", "state_after_seq"):
        if not isinstance(parent[key], int) or isinstance(parent[key], bool) or parent[key] < 0:
            raise bad(f"parent.{key} is not a record number")
    if parent["state_after_seq"] < parent["seq"]:
        raise bad("parent.state_after_seq is before parent.seq")
    log = parent["log"]
    if not (isinstance(log, str) and 0 < len(log) <= MAX_FILE_NAME and log == _basename(log) and log.isprintable()):
        raise bad("parent.log must be a file name (no folder)")


def time_of_turn_zero(scenario: Any) -> str:
    from tabletop.core.clock import Clock

    return Clock.of(scenario).iso(0)


def command_from_record(record: dict[str, Any]) -> Command:
    data = record.get("data") or {}
    return Command(turn=data.get("turn"), county=data.get("county"), role=data.get("role", ""),
                   kind=record.get("kind", ""), args=data["args"] if "args" in data else {},
                   wall=record.get("wall"))


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]
