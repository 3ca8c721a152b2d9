"""What every metric reads: :class:`LogView`, a read-only, indexed view of one log, and its
integrity stamp. Plain data: building a view from a log file is :mod:`tabletop.scoring.logview`'s
job (the one log reader, the chain check, re-simulation), so metrics depend on this alone.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable

from tabletop.logfile import BadLog

Record = dict[str, Any]
STATUSES = ("verified", "chain_ok", "broken", "unchecked")


def integrity(status: str, *, bad_seq: int | None = None, seal: str | None = None, message: str = "",
              problem: str | None = None, not_resimulated: str | None = None,
              engine: str | None = None) -> dict[str, Any]:
    """An integrity record: ``status`` (one of :data:`STATUSES`), the first bad ``seq``, the
    ``seal`` (last hash, when the chain holds to the end), a plain ``message``; ``problem``
    (broken: ``chain``, ``torn``, ``record``, ``header``, ``resimulation``, ``missing``), ``not_resimulated``
    (chain_ok: ``chain_only`` or ``format``) and the ``engine`` that re-simulates another format."""
    return {"status": status, "bad_seq": bad_seq, "seal": seal, "message": message, "problem": problem,
            "not_resimulated": not_resimulated, "engine": engine}


def _unchecked() -> dict[str, Any]:
    return integrity("unchecked", message="built from records in memory: nothing was checked")


class Broken(BadLog):
    """The log is not intact at ``seq`` (chain broken, torn, a record removed, or re-simulation
    disagrees); ``integrity`` says how. Raised by :func:`load` unless ``allow_broken``."""

    def __init__(self, record: dict[str, Any]) -> None:
        super().__init__(record["message"], record["bad_seq"])
        self.integrity = record


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
    #: Documents worked out of the view that a cache keeps beside the log (JSON values by name:
    #: ``score``, engine.warm), loaded with a cached view (scoring/viewcache.py, "results").
    results: dict[str, Any] = field(default_factory=dict)
    #: turn -> the last ``wall`` stamp of a record of that turn (wall-clock time in the room).
    turn_walls: dict[int, str] = field(default_factory=dict)
    torn: str | None = None
    #: What was checked of the log, see the module docstring and :func:`integrity`.
    integrity: dict[str, Any] = field(default_factory=_unchecked)
    _last_command: int | None = None
    #: One object per repeated string value of the records (logview's reader fills it).
    _strings: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def tampered(self) -> bool:
        """True when the log is not intact (the view then holds only the records before ``bad_seq``)."""
        return self.integrity["status"] == "broken"

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
        """Game minutes between the starts of two turns (a log's clock resolution is one turn;
        phases may set their own turn length)."""
        clock = self.cache.get("clock")
        if clock is None:
            from tabletop.core.clock import Clock

            clock = self.cache["clock"] = Clock.of(self.scenario)
        if not clock.lengths:  # every turn the same length
            return clock.minutes_per_turn * (max(to_turn - 1, 0) - max(from_turn - 1, 0))
        return clock.minutes(to_turn) - clock.minutes(from_turn)

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

    def kept(self, name: str, compute: Callable[[], Any]) -> Any:
        """A fact worked out once per log and kept in :attr:`results` (so a cache beside a long log
        carries it to the next reader: scoring/viewcache.py, "results"), as its JSON value (Python's
        json: tuples read back as lists, a NaN or an infinity as itself): the same value whether
        worked out now or read back, a fresh copy at every call."""
        found = self.results.get(name)
        if found is None:
            found = self.results[name] = json.loads(json.dumps(compute()))
        return json.loads(json.dumps(found))  # a copy: what a caller does with it stays with the caller

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
