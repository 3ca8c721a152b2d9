"""Shared helpers for the role-picture and form-choice tests of every part (``seat_view``):
play the default scenario to a turn, read panels and choices, submit a choice and see why
it was refused, and check that the functions are deterministic and read-only."""

from __future__ import annotations

from typing import Any, Callable

import orjson
import yaml

from conftest import ACTIONS, SCENARIO
from tabletop import api, plugins
from tabletop.core.commands import ANY_COUNTY_ROLE, Command
from tabletop.core.session import Session
from tabletop.runner import plan
from tabletop.scenario.actions import load_actions
from tabletop.api import load_scenario_file, load_scenario_text

SEED = 7
COUNTY = "hualien"

#: Refusals that mean "the value named nothing the command knows" (or a form that cannot work).
BAD_RULES = ("schema", "role", "phase", "turn", "duplicate_id", "internal")


def loaded(extra_injects: list[dict[str, Any]] | None = None) -> Any:
    """The default scenario, with extra injects appended when given."""
    if not extra_injects:
        result = load_scenario_file(SCENARIO)
    else:
        with open(SCENARIO, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        data["injects"] = list(data["injects"]) + list(extra_injects)
        result = load_scenario_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), SCENARIO)
    assert result.ok, result.problems
    return result


#: Played default sessions by (turn, seed): the session's snapshot, header and records.
_PLAYED: dict[tuple[int, int], tuple[Any, dict[str, Any], Any, list[dict[str, Any]]]] = {}


class Played:
    """A session of the default scenario played to turn ``at``'s orders phase, that turn's scripted
    actions issued (as ``tabletop.ui.main.play_to`` does).

    The default scenario and script are played once per (turn, seed) in a test process; later
    instances start from that session's snapshot (the path ``fork`` and resume already take).
    ``fresh=True`` plays again from the start (the determinism checks)."""

    def __init__(self, at: int, seed: int = SEED, scenario: Any = None, actions: list | None = None,
                 fresh: bool = False) -> None:
        shared = scenario is None and actions is None and not fresh
        if shared and (at, seed) in _PLAYED:
            self.loaded, self.header, snapshot, records = _PLAYED[(at, seed)]
            self.session = Session.from_snapshot(self.loaded.scenario, self.header, orjson.loads(snapshot), plugins.parts())
            self.records = list(records)
            return
        self.loaded = scenario or loaded()
        self.session, self.header = api.new_session(self.loaded, seed)
        self.records: list[dict[str, Any]] = []
        if actions is None:
            actions = load_actions(ACTIONS)[0]
        total = self.session.clock.turns
        for command in plan(actions, total, total):
            if (self.session.turn == at and self.session.state == "running_orders" and command.role == "facilitator"
                    and command.kind == "advance"):
                break
            self.records += self.session.submit(command)
        if shared:
            _PLAYED[(at, seed)] = (self.loaded, self.header, orjson.dumps(self.session.snapshot()), list(self.records))

    def fork(self) -> Session:
        """An independent copy of the session as it is now."""
        return Session.from_snapshot(self.loaded.scenario, self.header, self.session.snapshot(), self.session.parts)

    def advance_to(self, turn: int, phase: str = "orders") -> None:
        while not (self.session.turn == turn and self.session.state == f"running_{phase}"):
            self.records += self.session.submit(Command(None, None, "facilitator", "advance", {}))

    def events(self, kind: str) -> list[dict[str, Any]]:
        return [r["data"] for r in self.records if r.get("type") == "event" and r["kind"] == kind]


#: An extra inject that cuts every link to Ji'an from turn 8 for 3 turns (fog-of-war tests).
CUT_JIAN = {"id": "X01", "at_turn": 8, "county": COUNTY, "role": "comms",
            "title": {"zh_TW": "吉安通信中斷", "en": "Ji'an cut off"},
            "text": {"zh_TW": "吉安鄉對外通信全部中斷。", "en": "Every link to Ji'an is down."},
            "effects": [{"type": "comms_failure", "area": ["jian"], "duration": 3}]}


def panel(session: Any, name: str, county: str = COUNTY) -> list[tuple[str, str]]:
    """A picture panel's rows as (zh_TW text, tone)."""
    return [(r.text["zh_TW"], r.tone) for r in plugins.picture_registry()[name](session, county)]


def rows(session: Any, name: str, county: str = COUNTY, lang: str = "zh_TW") -> list[str]:
    return [r.text[lang] for r in plugins.picture_registry()[name](session, county)]


def role_for(session: Any, key: str) -> tuple[str | None, str]:
    """(county, role) of a seat that may issue the key's command."""
    kind = key.split(".", 1)[0]
    roles = session.registry[kind].roles
    role = "commander" if roles[0] == ANY_COUNTY_ROLE else roles[0]
    return (None, role) if role == "central" else (COUNTY, role)


def choices(session: Any, key: str, county: str | None = COUNTY, role: str | None = None) -> list[Any]:
    default_county, default_role = role_for(session, key)
    return plugins.choice_registry()[key](session, default_county if county == COUNTY else county, role or default_role)


def values(session: Any, key: str, **kw: Any) -> list[Any]:
    return [c.value for c in choices(session, key, **kw)]


def refusals(session: Any, command: Command) -> list[tuple[str, str]]:
    """Submit ``command``; the (rule, translation key) of each refusal (none when accepted)."""
    found: list[tuple[str, str]] = []
    original = session.reject

    def reject(cmd: Command, rejection: Any) -> None:
        found.append((rejection.rule, rejection.key))
        original(cmd, rejection)

    session.reject = reject
    try:
        session.submit(command)
    finally:
        del session.reject
    return found


def names_nothing(refused: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The refusals that say the value was not a known id (or the form could not work)."""
    return [(rule, key) for rule, key in refused
            if rule in BAD_RULES or "unknown" in key or key.endswith(".no_plan") or "no_such_channel" in key]


def submit_each(played: Played, key: str, make_args: Callable[[Any, Any], dict[str, Any] | None]) -> list[tuple[Any, list]]:
    """Submit every choice of ``key`` (each on a fresh copy of the session) with the other args
    from ``make_args(session, value)``; returns (value, refusals) for each."""
    out = []
    county, role = role_for(played.session, key)
    kind = key.split(".", 1)[0]
    for value in values(played.session, key):
        session = played.fork()
        args = make_args(session, value)
        if args is None:
            continue
        out.append((value, refusals(session, Command(None, county, role, kind, args))))
    return out


def tried_choices(part: str, runs: list[Played], make_args: Callable[[str], Callable],
                  must_accept: Callable[[str], bool] = lambda key: True) -> set[str]:
    """Submit every choice of every ``tabletop.<part>.seat_view`` key in each run: none may be
    refused for naming nothing, and those ``must_accept`` keeps may not be refused at all.
    Returns the keys that offered at least one choice somewhere."""
    keys = sorted(part_choice_keys(part))
    seen = set()
    for played in runs:
        for key in keys:
            for value, refused in submit_each(played, key, make_args(key)):
                seen.add(key)
                assert not names_nothing(refused), (played.session.turn, key, value, refused)
                if must_accept(key):
                    assert refused == [], (played.session.turn, key, value, refused)
    return seen


def part_choice_keys(part: str) -> set[str]:
    return {k for k, fn in plugins.choice_registry().items() if fn.__module__ == f"tabletop.{part}.seat_view"}


def outputs(session: Any, names: list[str], keys: list[str]) -> list[Any]:
    """Every named panel and choice list (as plain data) for the default county."""
    out: list[Any] = []
    for name in names:
        out.append([(r.text, r.tone) for r in plugins.picture_registry()[name](session, COUNTY)])
    for key in keys:
        out.append([(c.value, c.label) for c in choices(session, key)])
    return out


def check_deterministic(part: str, turns: tuple[int, ...] = (2, 5, 7, 9, 12)) -> None:
    """Same seed, same turn -> the same rows and choices of ``part`` (its ``seat_view`` module);
    calling them changes nothing; panels keep to 1-12 rows; choice values are unique."""
    module = f"tabletop.{part}.seat_view"
    names = sorted(n for n, fn in plugins.picture_registry().items() if fn.__module__ == module)
    keys = sorted(k for k, fn in plugins.choice_registry().items() if fn.__module__ == module)
    assert names and keys
    for turn in turns:
        first, second = Played(turn, fresh=True), Played(turn, fresh=True)
        before = first.session.snapshot()
        a = outputs(first.session, names, keys)
        assert first.session.snapshot() == before, "a picture or choice function changed the session"
        assert a == outputs(first.session, names, keys)
        assert a == outputs(second.session, names, keys)
        for panel in a[: len(names)]:
            assert 1 <= len(panel) <= 12
            for text, tone in panel:
                assert tone in ("text", "ok", "warn", "bad", "dim")
                assert set(text) == {"zh_TW", "en"} and all(text.values())
                assert "{" not in text["zh_TW"] and "{" not in text["en"]
        for options in a[len(names):]:
            assert len({value for value, _ in options}) == len(options)
            for _, label in options:
                assert set(label) == {"zh_TW", "en"} and all(label.values())
