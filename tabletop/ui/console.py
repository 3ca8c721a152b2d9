"""The console's model: one session, its log on disk, and what the screens read from it.

No pygame here. Every change goes through :meth:`Console.submit` (``Session.submit``
then an immediate write of the records, fsync'd on facilitator commands), so the
log on disk is always the whole exercise and a crash loses nothing accepted. When the
console serves the session to browsers (``--serve``), :attr:`Console.room` is the link to
the session server (:mod:`tabletop.ui.served`): ``submit`` goes through the room's one
command queue instead, and the screens read inside :meth:`Console.reading`.
The view data (MSEL groups, feed lines, inbox, forms) is derived from the session
and the records, recomputed only when the log grows.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tabletop import api, i18n
from tabletop.core.commands import Command
from tabletop.core.session import Record, Session
from tabletop.heap import HeapKeeper
from tabletop.logfile import BadLog, LogWriter, iter_records
from tabletop.replay import reopen

FACILITATOR = "facilitator"
FEED_FILTERS = ("all", "injects", "commands", "rejections", "messages", "system")
_INJECT_KINDS = {"inject_delivered", "inject_state", "inject_acknowledged", "expected_action_met",
                 "expected_action_missed", "card_drawn", "inject_forced", "inject_triggered",
                 "inject_rescheduled"}


def now_stamp() -> str:
    """The wall-clock time now, ISO 8601 with the machine's zone (a command's ``wall``)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


class ResumeFailed(Exception):
    pass


@dataclass
class Outcome:
    """What one submit did: the records, and the rejection reason if the engine refused."""

    records: list[Record]
    rejected: dict[str, str] | None = None


@dataclass
class Console:
    session: Session
    #: None where the console writes no log (the replay viewer, a served console whose room writes it).
    writer: LogWriter | None
    records: list[dict[str, Any]] = field(default_factory=list)
    lang: str = i18n.DEFAULT_LANG
    #: The session server this console drives (a :class:`tabletop.ui.served.RoomLink`), or None:
    #: then ``session``, ``writer`` and ``records`` are the room's, and the room applies commands.
    room: Any = None
    #: The moment the phase clock counts down from (None: the wall clock now). A scripted
    #: console (a screenshot) sets it to its last stamp, so the frame is the same every time.
    fixed_now: str | None = None
    #: Freezes the long-lived heap every 5,000 records this console's log holds (tabletop/heap.py),
    #: as the room does for a served console; the records of a resumed log count as made.
    heap: HeapKeeper = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.heap = HeapKeeper(made=len(self.records))

    # ----- opening ----------------------------------------------------------------------
    @classmethod
    def start(cls, loaded: Any, seed: int, log_path: str, lang: str = i18n.DEFAULT_LANG) -> "Console":
        """A new session writing a new log. An existing file is never truncated or appended
        to (:class:`tabletop.files.FileProblem` ``files.console_log_exists``: resume it or
        pick another name); a log that cannot be created is a FileProblem too, and leaves
        no file behind."""
        from tabletop import files

        files.refuse_existing(log_path, "files.console_log_exists")
        session, header = api.new_session(loaded, seed)
        try:
            writer = LogWriter(log_path)
        except OSError as err:
            raise files.problem(err, log_path) from err
        try:
            writer.write([header], sync=True)
        except OSError as err:  # not even the header went down: the file holds nothing accepted
            try:
                writer.close()
            except OSError:
                pass
            files.discard(log_path)
            raise files.problem(err, log_path) from err
        return cls(session, writer, [header], lang)

    @classmethod
    def resume(cls, log_path: str, lang: str = i18n.DEFAULT_LANG) -> "Console":
        """Rebuild the session from a log (after a crash) and keep appending to it.

        A torn last line is cut off; records the logged commands produce that never
        reached the disk are written again (as ``run --resume`` does).
        """
        if not os.path.exists(log_path):
            raise ResumeFailed(f"{log_path}: no such log")
        try:
            opened = reopen(log_path)
        except BadLog as err:
            raise ResumeFailed(f"{log_path}: {err}") from None
        records = [record for record, _ in iter_records(log_path, chain=False)]
        return cls(opened.session, opened.writer, records, lang)

    @property
    def log_path(self) -> str:
        """The log this console writes (the room's, when served)."""
        if self.writer is None:
            raise RuntimeError("this console writes no log")
        return self.writer.path

    def close(self) -> None:
        self.heap.release()
        if self.room is not None:
            self.room.stop()  # the room closes its log and journal
            return
        if self.writer is not None:
            self.writer.close()

    def reading(self) -> contextlib.AbstractContextManager:
        """Where the screens read the session: under the room's lock when served (its worker
        changes the session), else nothing to hold."""
        return self.room.reading() if self.room is not None else contextlib.nullcontext()

    # ----- the one way to change the session ----------------------------------------------
    def submit(self, command: Command) -> Outcome:
        if command.wall is None and self.room is None:
            # Received now: stamped with the wall clock (data no rule reads; replay keeps it).
            command = dataclasses.replace(command, wall=now_stamp())
        if self.room is not None:
            return self.room.submit(command)  # the room's queue; answered once durable
        if self.writer is None:
            raise RuntimeError("this console writes no log, so it takes no commands")
        records = self.session.submit(command)
        self.writer.write(records, sync=True)  # every accepted command is durable before the console shows it
        self.records.extend(records)
        self.heap.after(len(records))
        rejected = next((i18n.render_both(r["data"]["key"], r["data"]["params"])
                         for r in records if r["kind"] == "command_rejected"), None)
        return Outcome(records, rejected)

    def control(self, kind: str, **args: Any) -> Outcome:
        return self.submit(Command(turn=None, county=None, role=FACILITATOR, kind=kind, args=args))

    def play(self, county: str | None, role: str, kind: str, args: dict[str, Any]) -> Outcome:
        return self.submit(Command(turn=self.session.turn, county=county, role=role, kind=kind, args=args))

    # ----- what the screens read ---------------------------------------------------------
    def can(self, trigger: str) -> bool:
        return self.session.lifecycle.can(trigger)

    def seats(self) -> list[tuple[str, str]]:
        """Every (county, role) seat, in scenario order; central and the evaluators last."""
        out = [(county.id, role) for county in self.session.scenario.counties for role in county.roles]
        for role in ("central", "evaluator"):
            if any(role in spec.roles for spec in self.session.registry.values()):
                out.append(("", role))
        return out

    def form_seats(self) -> list[tuple[str, str]]:
        """The seats of the console's form screen: every seat, then the facilitator's forms
        (the improvement plan, the phase clock; never offered at the trainees' login)."""
        return self.seats() + [("", FACILITATOR)]

    def clock(self) -> dict[str, Any]:
        """The phase clock as the top bar shows it (see tabletop.evaluation.clockview)."""
        from tabletop.evaluation import clockview

        data = self.session.query("evaluation.clock")
        if data is None:
            return {"segment": None, "state": "idle", "minutes": 0, "remaining": None}
        now = datetime.fromisoformat(self.fixed_now or now_stamp())
        return clockview.view(data, now)

    def commands_for(self, county: str, role: str) -> list[str]:
        """Command kinds this seat may issue (facilitator controls excluded), sorted."""
        kinds = []
        for kind, spec in self.session.registry.items():
            if role == FACILITATOR and spec.trigger is not None:
                continue
            if role in self.session.allowed_roles(spec, county or None):
                kinds.append(kind)
        return sorted(kinds)

    def msel_groups(self) -> dict[str, list[Any]]:
        """Injects by what the facilitator must watch: overdue, delivered, acknowledged, upcoming, closed."""
        groups: dict[str, list[Any]] = {"overdue": [], "delivered": [], "acknowledged": [], "upcoming": [], "done": []}
        turn = self.session.turn
        for run in sorted(self.session.injects.values(), key=lambda r: r.order):
            if run.state == "scheduled":
                if run.due_turn is not None and run.due_turn < turn:
                    groups["overdue"].append(run)
                else:
                    groups["upcoming"].append(run)
            elif run.state in ("delivered", "acknowledged"):
                late = any(run.missed) or _past_deadline(self.session, run)
                groups["overdue" if late else run.state].append(run)
            elif run.state == "expired":
                groups["overdue"].append(run)
            else:
                groups["done"].append(run)
        groups["upcoming"].sort(key=lambda r: (r.due_turn is None, r.due_turn or 0, r.order))
        return groups

    def decks(self) -> dict[str, int]:
        """Cards left in each deck."""
        left: dict[str, int] = {}
        for run in self.session.injects.values():
            deck = getattr(self.session.inject_specs[run.id], "deck", None)
            if deck:
                left.setdefault(deck, 0)
                if run.state == "scheduled":
                    left[deck] += 1
        return dict(sorted(left.items()))

    def inbox(self, county: str, role: str) -> list[dict[str, Any]]:
        """Injects delivered to this seat and messages to its EOC, newest first."""
        items: list[dict[str, Any]] = []
        for run in self.session.injects.values():
            if run.county == county and run.role == role and run.delivered_turn is not None:
                spec = self.session.inject_specs[run.id]
                items.append({"type": "inject", "id": run.id, "state": run.state, "turn": run.delivered_turn,
                              "title": spec.title.model_dump(), "text": spec.text.model_dump(),
                              "deadline": min(((run.delivered_turn or 0) + e.within_turns - 1 for e in spec.expected), default=None),
                              "order": run.order})
        node = f"eoc:{county}" if county else "central"
        for record in self.records:
            if (record["kind"] == "message_sent" and record["data"].get("to") == node
                    and record["data"].get("kind") == "text"):
                data = record["data"]
                items.append({"type": "message", "id": data["id"], "turn": record["turn"], "from": data.get("from"),
                              "to": data.get("to"), "by": (data.get("payload") or {}).get("by", data.get("from")),
                              "body": (data.get("payload") or {}).get("body", ""), "order": record["seq"]})
        items.sort(key=lambda item: (-item["turn"], item["type"] != "inject", item["order"]))
        return items

    def feed(self, which: str = "all", limit: int = 200) -> list[dict[str, Any]]:
        out = []
        for record in reversed(self.records):
            if record["type"] == "header":
                continue
            if which == "all" or feed_category(record) == which:
                out.append(record)
                if len(out) >= limit:
                    break
        return out

    def stocks(self) -> dict[str, dict[str, float]]:
        """Current stock by warehouse: the distribution part's state where it has one, else the scenario's."""
        live = _domain_stocks(self.session.part_state("distribution"))
        out: dict[str, dict[str, float]] = {}
        for county in self.session.scenario.counties:
            for house in county.warehouses:
                out[house.id] = dict(live.get(house.id) or house.stock)
        return out

    def days_of_supply(self) -> dict[str, float | None]:
        """Per warehouse: days its stock would feed its whole county (the scarcest good decides)."""
        goods = {g.id: g for g in self.session.scenario.goods}
        stocks = self.stocks()
        out: dict[str, float | None] = {}
        for county in self.session.scenario.counties:
            people = sum(t.population for t in county.townships)
            for house in county.warehouses:
                days = [qty / (goods[g].per_person_per_day * people) for g, qty in stocks[house.id].items()
                        if g in goods and goods[g].per_person_per_day > 0 and people > 0]
                out[house.id] = min(days) if days else None
        return out

    def county_days(self, county_id: str) -> dict[str, float]:
        """Days of supply of each good for the county, all its warehouses pooled."""
        county = self.session.counties[county_id]
        people = sum(t.population for t in county.townships)
        stocks = self.stocks()
        out: dict[str, float] = {}
        for good in self.session.scenario.goods:
            if good.per_person_per_day > 0 and people > 0:
                total = sum(stocks[h.id].get(good.id, 0) for h in county.warehouses)
                out[good.id] = total / (good.per_person_per_day * people)
        return out

    def domain_summaries(self) -> list[tuple[str, str]]:
        """One line per domain part: its name and the sizes of its top-level collections."""
        out = []
        for name in self.session.part_names():
            data = self.session.part_state(name)
            if isinstance(data, dict):
                parts = [f"{key} {len(item)}" for key, item in sorted(data.items()) if isinstance(item, (dict, list))]
                out.append((name, ", ".join(parts[:6]) or "—"))
            else:
                out.append((name, type(data).__name__))
        return out

    def officer(self, county: str, role: str) -> str | None:
        header = self.records[0]["data"] if self.records else {}
        seats = header.get("participants") or {}
        if county:
            return (seats.get(county) or {}).get(role)
        return seats.get(role)

    def hotwash(self) -> dict[str, int]:
        runs = self.session.injects.values()
        return {"total": sum(1 for r in runs if r.delivered_turn is not None),
                "resolved": sum(1 for r in runs if r.state == "resolved"),
                "expired": sum(1 for r in runs if r.state == "expired"),
                "rejected": sum(1 for r in self.records if r["kind"] == "command_rejected")}


def feed_category(record: dict[str, Any]) -> str:
    kind = record["kind"]
    if record["type"] == "command":
        return "commands"
    if kind == "command_rejected":
        return "rejections"
    if kind in _INJECT_KINDS:
        return "injects"
    if kind.startswith("message") or kind == "announcement":
        return "messages"
    return "system"


def _past_deadline(session: Session, run: Any) -> bool:
    spec = session.inject_specs[run.id]
    for index, expected in enumerate(spec.expected):
        if run.met[index] is None and (run.delivered_turn or 0) + expected.within_turns - 1 < session.turn:
            return True
    return False


def _domain_stocks(state: Any) -> dict[str, dict[str, float]]:
    """Warehouse stocks from a distribution state, whatever its exact shape (best effort)."""
    if state is None:
        return {}
    data = state.to_data() if hasattr(state, "to_data") else state
    houses = data.get("warehouses") if isinstance(data, dict) else None
    out: dict[str, dict[str, float]] = {}
    if isinstance(houses, dict):
        for ident, house in houses.items():
            stock = house.get("stock") if isinstance(house, dict) else None
            if isinstance(stock, dict):
                out[ident] = {k: v for k, v in stock.items() if isinstance(v, (int, float))}
    return out
