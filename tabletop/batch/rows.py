"""One session, one row: play a seed with a policy in every seat, score its log, keep the figures.

:func:`session_row` is a pure function of (scenario text, facilitator script, seed, policy):
the same arguments give the same row on any machine, in any process, in any order, which is
what lets a batch run on a Dask cluster and resume.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

from tabletop.bots.doctrine import Book, read_book
from tabletop.bots.play import play, seats_of
from tabletop.bots.policy import assign
from tabletop.scenario.actions import Action
from tabletop.api import load_scenario_text, scenario_of
from tabletop.scenario.validate import Loaded
from tabletop.scoring import engine, logview

#: Fixed columns, then one per capability (its 0-100 score), then the JSON columns.
FIXED = ("seed", "policy", "overall", "seal")
COUNTS = ("injects_met", "actions_met", "actions_expected", "commands", "rejected", "records")
#: JSON text columns: {rule: n}, {inject: share of its expected actions met}, delivered injects,
#: cards drawn, turns from delivery to each met action, turns from delivery to each acknowledgement.
JSON_COLUMNS = ("rejections", "inject_met", "fired", "cards", "act_turns", "ack_turns")

_cache: dict[str, tuple[Loaded, Book, list[str], list[Action]]] = {}


class Job:
    """What every task of a batch shares: the scenario text and the facilitator's script (picklable)."""

    def __init__(self, scenario_text: str, scenario_file: str, script: list[Action] | None = None,
                 keep_dir: str | None = None) -> None:
        self.scenario_text, self.scenario_file = scenario_text, scenario_file
        self.script = [a for a in script or [] if a.role == "facilitator"]
        self.keep_dir = keep_dir

    def prepared(self) -> tuple[Loaded, Book, list[str], list[Action]]:
        """The loaded scenario, its book, its seats and the facilitator's script, once per process."""
        key = f"{hash(self.scenario_text)}:{len(self.script)}:{hash(repr(self.script))}"
        if key not in _cache:
            loaded = load_scenario_text(self.scenario_text, self.scenario_file)
            if not loaded.ok:
                raise ValueError("; ".join(map(str, loaded.problems[:3])))
            _cache[key] = (loaded, read_book(loaded.scenario), seats_of(loaded), self.script)
        return _cache[key]

    def injects(self) -> list[dict[str, str]]:
        """Each inject and how it comes: ``scheduled``, ``trigger`` (a condition or a missed action) or ``deck``."""
        loaded = self.prepared()[0]
        return [{"id": spec.id, "how": "deck" if spec.deck else "trigger" if spec.trigger else "scheduled"}
                for spec in scenario_of(loaded).injects]


def session_row(job: Job, seed: int, policy: str, capabilities: list[str]) -> dict[str, Any]:
    loaded, book, seats, script = job.prepared()
    log = None
    if job.keep_dir:
        log = os.path.join(job.keep_dir, f"{policy.replace(':', '-')}-seed{seed}.jsonl")
    played = play(loaded, seed, assign(policy, seats), script, log_path=log, book=book)
    doc = engine.score(logview.from_records(played.records))
    row: dict[str, Any] = {"seed": seed, "policy": policy, "overall": doc["overall"]["score"], "seal": played.seal}
    for name in capabilities:
        row[name] = (doc["capabilities"].get(name) or {}).get("score")
    row.update(_facts(played.records))
    return row


def capabilities_of(job: Job) -> list[str]:
    """The scenario's capabilities, in the score document's order (one column each)."""
    loaded, book, seats, script = job.prepared()
    played = play(loaded, 0, {}, script, book=book)
    return sorted(engine.score(logview.from_records(played.records))["capabilities"])


def _facts(records: list[dict[str, Any]]) -> dict[str, Any]:
    rejections: Counter[str] = Counter()
    expected: dict[str, int] = {}
    met: Counter[str] = Counter()
    fired: list[str] = []
    cards: list[str] = []
    act_turns: list[int] = []
    ack_turns: list[int] = []
    delivered: dict[str, int] = {}
    commands = 0
    for record in records:
        kind, data = record["kind"], record["data"]
        if record["type"] == "command":
            commands += record["actor"] != "facilitator"
        elif kind == "command_rejected":
            rejections[data["rule"]] += 1
        elif kind == "inject_delivered":
            fired.append(data["inject"])
            expected[data["inject"]] = len(data.get("expected") or [])
            delivered[data["inject"]] = record["turn"]
        elif kind == "expected_action_met":
            met[data["inject"]] += 1
            act_turns.append(data["turns_after_delivery"])
        elif kind == "inject_acknowledged" and data.get("inject") in delivered:
            ack_turns.append(record["turn"] - delivered[data["inject"]])
        elif kind == "card_drawn":
            cards.append(data["inject"])
    share = {ident: (met[ident] / total if total else 1.0) for ident, total in expected.items()}
    return {
        "injects_met": sum(1 for ident, total in expected.items() if total and met[ident] >= total),
        "actions_met": sum(met.values()), "actions_expected": sum(expected.values()),
        "commands": commands, "rejected": sum(rejections.values()), "records": len(records),
        "rejections": _json(dict(sorted(rejections.items()))), "inject_met": _json(dict(sorted(share.items()))),
        "fired": _json(fired), "cards": _json(cards), "act_turns": _json(act_turns), "ack_turns": _json(ack_turns),
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
