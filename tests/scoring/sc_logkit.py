"""Hand-made logs for scoring tests: a small scenario and records built directly."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tabletop.core import canonical
from tabletop.scoring import logview

START = "2026-07-14T08:00:00+08:00"
MINUTES = 60

SMALL = f"""
scenario:
  id: small
  title: {{zh_TW: 小型測試想定, en: Small test scenario}}
clock: {{start: "{START}", minutes_per_turn: {MINUTES}, turns: 10}}
goods:
  - {{id: rice, name: {{zh_TW: 米, en: rice}}, unit: kg, per_person_per_day: 0.5}}
counties:
  - id: testc
    name: {{zh_TW: 測試縣, en: Test County}}
    townships:
      - {{id: a, name: {{zh_TW: 甲鄉, en: A}}, population: 1000, villages: 2}}
      - {{id: b, name: {{zh_TW: 乙鄉, en: B}}, population: 3000, villages: 1}}
      - {{id: r, name: {{zh_TW: 丙鄉, en: R}}, population: 1000, villages: 1, remote: true}}
    warehouses:
      - {{id: w1, name: {{zh_TW: 一號倉, en: W1}}, township: a, stock: {{rice: 5000}}}}
injects:
  - id: I1
    at_turn: 1
    county: testc
    role: commander
    title: {{zh_TW: 狀況一, en: One}}
    text: {{zh_TW: 一, en: one}}
    expected:
      - {{kind: announce, within_turns: 2, capability: cap_a}}
      - {{kind: send_message, within_turns: 2, capability: cap_b}}
  - id: I2
    at_turn: 3
    county: testc
    role: supply
    title: {{zh_TW: 狀況二, en: Two}}
    text: {{zh_TW: 二, en: two}}
    expected:
      - {{kind: send_message, within_turns: 1, capability: cap_a}}
"""


def header(text: str = SMALL) -> dict[str, Any]:
    return {"seq": 0, "turn": 0, "time": START, "type": "header", "kind": "session_header", "actor": "engine",
            "data": {"format": 1, "engine": {"name": "tabletop", "version": "test"}, "seed": 1, "generated": {},
                     "participants": {}, "parent": None,
                     "scenario": {"file": "small.yaml", "content": text, "sha256": canonical.sha256_text(text),
                                  "id": "small"}}}


class Log:
    """Append records in order; ``view()`` gives the :class:`LogView`."""

    def __init__(self, text: str = SMALL) -> None:
        self.records = [header(text)]

    def _add(self, turn: int, type_: str, kind: str, actor: str, data: dict[str, Any]) -> int:
        seq = len(self.records)
        time = (datetime.fromisoformat(START) + timedelta(minutes=MINUTES * max(turn - 1, 0))).isoformat()
        self.records.append({"seq": seq, "turn": turn, "time": time, "type": type_, "kind": kind, "actor": actor,
                             "data": data, "prev": "", "hash": ""})
        return seq

    def event(self, at: int, name: str, /, **data: Any) -> int:
        return self._add(at, "event", name, "engine", data)

    def command(self, turn: int, kind: str, role: str, /, county: str | None = "testc", rejected: str | None = None,
                **args: Any) -> int:
        actor = f"{county}.{role}" if county else role
        seq = self._add(turn, "command", kind, actor, {"turn": turn, "county": county, "role": role, "args": args})
        if rejected:
            # Log format 2: a rule, a message key and its parameters (no rendered text).
            self.event(turn, "command_rejected", command=seq, kind=kind, rule=rejected, key="schema.invalid",
                       params={})
        return seq

    def close(self, turn: int) -> None:
        self.event(turn, "exercise_state", **{"from": "hotwash", "to": "closed", "trigger": "close"})

    def deliver(self, turn: int, inject: str, county: str = "testc", role: str = "commander",
                expected: list[dict[str, Any]] | None = None) -> int:
        return self.event(turn, "inject_delivered", inject=inject, county=county, role=role, phase=None,
                          title={"zh_TW": inject, "en": inject}, text={"zh_TW": "", "en": ""}, expected=expected or [])

    def view(self) -> logview.LogView:
        return logview.from_records([dict(r) for r in self.records])


def exp(kind: str, capability: str, deadline: int, role: str | None = None) -> dict[str, Any]:
    return {"kind": kind, "args": {}, "within_turns": 1, "capability": capability, "role": role,
            "deadline_turn": deadline}


# Not imported from conftest: with several conftest.py files, "conftest" may name another folder's.
import os as _os
import subprocess as _subprocess
import sys as _sys

ROOT = _os.path.dirname(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))


from clirun import cli  # noqa: E402,F401 - the one CLI runner of the tests
