"""A read-only, indexed view of one log: what every metric reads, and nothing else.

The view is built in one pass over the JSON Lines file (with a progress bar on long
logs). It keeps the header, the scenario parsed from the header, the records grouped
by kind, the seqs of rejected commands and the accepted commands by (county, kind),
so each metric touches only the records it needs. ``prev`` and ``hash`` are dropped:
chain checking is ``verify``'s job, not scoring's.
"""

from __future__ import annotations

import json
import os

try:  # about twice as fast as the standard library on long logs
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a pinned dependency
    _fast_loads = json.loads
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

Record = dict[str, Any]
#: Files larger than this get a progress bar while they are read (when stderr is a terminal).
PROGRESS_BYTES = 8 * 1024 * 1024


class BadLog(Exception):
    """The file is not a readable tabletop log (no header, not JSON Lines, bad scenario)."""


@dataclass
class Township:
    id: str
    county: str
    name: dict[str, str]
    population: int
    villages: int
    remote: bool


@dataclass
class LogView:
    header: Record
    scenario: Any
    records: int = 0
    by_kind: dict[str, list[Record]] = field(default_factory=dict)
    #: seq -> the command record, for every command.
    commands: dict[int, Record] = field(default_factory=dict)
    #: seq of every rejected command -> its command_rejected event.
    rejected: dict[int, Record] = field(default_factory=dict)
    last_turn: int = 0
    last_state: str = "setup"
    #: Accepted county commands: (county, kind) -> [(seq, turn, role, args)] in seq order.
    accepted: dict[tuple[str, str], list[tuple[int, int, str, dict]]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)
    torn: str | None = None
    _last_command: int | None = None

    # ----- scenario facts -------------------------------------------------------------
    @property
    def minutes_per_turn(self) -> int:
        return int(self.scenario.clock.minutes_per_turn)

    @property
    def total_turns(self) -> int:
        return int(self.scenario.clock.turns)

    @property
    def start(self) -> datetime:
        return datetime.fromisoformat(self.scenario.clock.start)

    @property
    def ended(self) -> bool:
        """True when play is over (hotwash or closed): unfinished tasks are then failures at their deadline."""
        return self.last_state in ("hotwash", "closed")

    def minutes(self, from_turn: int, to_turn: int) -> int:
        """Game minutes between the starts of two turns (a log's clock resolution is one turn)."""
        return (to_turn - from_turn) * self.minutes_per_turn

    def counties(self) -> list[str]:
        return sorted(c.id for c in self.scenario.counties)

    def county_roles(self) -> list[tuple[str, str]]:
        return sorted((c.id, role) for c in self.scenario.counties for role in c.roles)

    def townships(self) -> dict[str, Township]:
        if "townships" not in self.cache:
            out: dict[str, Township] = {}
            for county in self.scenario.counties:
                for town in county.townships:
                    out[town.id] = Township(town.id, county.id, town.name.model_dump(), town.population,
                                            town.villages or 1, bool(town.remote or town.outlying))
            self.cache["townships"] = dict(sorted(out.items()))
        return self.cache["townships"]

    def goods(self) -> dict[str, Any]:
        return {g.id: g for g in sorted(self.scenario.goods, key=lambda g: g.id)}

    def scoring_section(self) -> Any:
        return getattr(self.scenario, "scoring", None)

    # ----- records --------------------------------------------------------------------
    def events(self, *kinds: str) -> list[Record]:
        """Events of the given kinds in log order."""
        if len(kinds) == 1:
            return self.by_kind.get(kinds[0], [])
        merged = [r for kind in kinds for r in self.by_kind.get(kind, [])]
        return sorted(merged, key=lambda r: r["seq"])

    def has(self, *kinds: str) -> bool:
        return any(self.by_kind.get(kind) for kind in kinds)

    def is_accepted(self, command: Record) -> bool:
        return command["type"] == "command" and command["seq"] not in self.rejected

    def cause_county(self, event: Record) -> str | None:
        """The county of the command whose handling produced ``event`` (None for engine-driven events)."""
        command = self.commands.get(event.get("_command", -1))
        return None if command is None else (command.get("data") or {}).get("county")

    def first_accepted(self, county: str, kinds: Iterable[str], after_seq: int) -> tuple[int, int, str, dict] | None:
        """The first accepted command of ``county`` of one of ``kinds`` after ``after_seq``."""
        best = None
        for kind in kinds:
            rows = self.accepted.get((county, kind))
            if not rows:
                continue
            index = bisect_right(rows, after_seq, key=lambda row: row[0])
            if index < len(rows) and (best is None or rows[index][0] < best[0]):
                best = rows[index]
        return best


def load(path: str, progress: bool | None = None) -> LogView:
    """Read a log file into a :class:`LogView`. ``progress`` None: a bar on long logs at a terminal."""
    if not os.path.isfile(path):
        raise BadLog(f"{path}: no such file")
    size = os.path.getsize(path)
    bar = None
    if progress or (progress is None and size >= PROGRESS_BYTES):
        from tqdm import tqdm

        bar = tqdm(total=size, unit="B", unit_scale=True, desc="reading log", disable=None if progress is None else False,
                   leave=False)
    try:
        with open(path, "rb") as handle:
            return _build(handle, bar, path)
    finally:
        if bar is not None:
            bar.close()


def from_records(records: list[Record]) -> LogView:
    """A view of records already in memory (tests, benchmarks)."""
    lines = [json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in records]
    return _build(lines, None, "<records>")


def _build(lines: Iterable[bytes], bar: Any, path: str) -> LogView:
    view: LogView | None = None
    loads = _fast_loads
    for number, line in enumerate(lines, 1):
        if bar is not None:
            bar.update(len(line))
        if not line.endswith(b"\n"):
            if view is not None:
                view.torn = f"line {number} is incomplete (ignored)"
            break
        try:
            record = loads(line)
        except ValueError as err:  # orjson.JSONDecodeError is a ValueError
            raise BadLog(f"{path}: line {number} is not a JSON record: {err}") from None
        if view is None:
            view = _start(record, path)
            continue
        _add(view, record)
    if view is None:
        raise BadLog(f"{path}: empty log (no header)")
    return view


def _start(record: Record, path: str) -> LogView:
    from tabletop import api

    if not isinstance(record, dict) or record.get("type") != "header":
        raise BadLog(f"{path}: the first record is not a session header")
    try:
        scenario = api.scenario_from_header(record)
    except api.BadLog as err:
        raise BadLog(f"{path}: {err}") from None
    return LogView(header=record, scenario=scenario, records=1)


def _add(view: LogView, record: Record) -> None:
    view.records += 1
    kind = record.get("kind", "")
    record.pop("prev", None)
    record.pop("hash", None)
    turn = record.get("turn") or 0
    if turn > view.last_turn:
        view.last_turn = turn
    if record.get("type") == "command":
        view.commands[record["seq"]] = record
        view._last_command = record["seq"]
        data = record.get("data") or {}
        county = data.get("county")
        if county is not None:
            # Appended now; a later command_rejected removes it (rejections follow their command).
            view.accepted.setdefault((county, kind), []).append(
                (record["seq"], turn, data.get("role", ""), data.get("args") or {}))
        return
    record["_command"] = view._last_command
    view.by_kind.setdefault(kind, []).append(record)
    if kind == "command_rejected":
        seq = (record.get("data") or {}).get("command")
        view.rejected[seq] = record
        command = view.commands.get(seq)
        if command is not None:
            county = (command.get("data") or {}).get("county")
            rows = view.accepted.get((county, command["kind"]))
            if rows and rows[-1][0] == seq:
                rows.pop()
    elif kind == "exercise_state":
        view.last_state = (record.get("data") or {}).get("to", view.last_state)
