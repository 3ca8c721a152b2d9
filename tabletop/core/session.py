"""The session: one exercise's state, advanced only by commands, emitting records.

This is the reducer at the heart of tabletop. ``Session.submit(command)`` checks
the command (schema, role, lifecycle state, then domain rules), applies it, and
returns the new log records: the command itself, then its events or one
``command_rejected``. Everything (CLI, pygame console, replay, verify) goes
through ``submit``; nothing else mutates a session.
"""

from __future__ import annotations

import copy
import weakref
from typing import Any, Callable

from pydantic import ValidationError

from tabletop.core import canonical, events, injects as inj, jsonsafe, transport, wallclock
from tabletop.core.clock import Clock
from tabletop.core.commands import ANY_COUNTY_ROLE, Command, CommandSpec, Rejected
from tabletop.core.ids import IdRegistry
from tabletop.core.lifecycle import Lifecycle
from tabletop.core.messages import message, ref, refs
from tabletop.core.msel import Msel
from tabletop.core.rng import Stream, Streams
from tabletop.core.parts import Parts
from tabletop.core.roles import COUNTY_ROLES, GLOBAL_ROLES



class Record(dict[str, Any]):
    """One log record: its fields, plus ``line``, the canonical bytes it is written as
    (encoded once, when the record is made; see :func:`canonical.encode_record`)."""

    __slots__ = ("line",)
    line: bytes


class BadCommand(ValueError):
    """A command whose arguments the log cannot hold (NaN, huge integers, non-string keys ...).

    Raised by :meth:`Session.submit` before anything is logged: input readers (actions
    files, console forms, seats) refuse such values with a located message first.
    """

    def __init__(self, unsafe: jsonsafe.Unsafe) -> None:
        super().__init__(str(unsafe))
        self.unsafe = unsafe


#: How far apart rollback checkpoints are: a new one once the records made since the last hold
#: CHECKPOINT_RATIO times its bytes. Freezing a byte of state costs far less than making a byte
#: of records (at 2,000 stations: 74 M instructions for a 1.9 MB state, about 300 M for a turn's
#: 1.1 MB of records), so checkpoints cost about 1% of the turns they cover whatever the scale,
#: and a rollback (an engine bug, never a player's error), which re-applies the commands since
#: the last one, re-applies at most what 16 checkpoints' worth of records took (27 national
#: turns at full size). After a rollback the next command takes a new checkpoint (see submit).
CHECKPOINT_RATIO = 16


class Session:
    """A running exercise. Construct with :meth:`begin` (new) or :meth:`resume_from_header`."""

    #: Re-raise engine bugs instead of logging them as "internal" rejections (tests set it).
    strict = False
    #: Check every emitted event against its kind's model (:mod:`tabletop.core.events`; tests set it).
    check_events = False

    def __init__(self, scenario: Any, seed: int, generated: dict[str, Any], parts: Parts) -> None:
        #: The parts this session runs with (given by ``tabletop.api``; the core never picks them).
        self.parts = parts
        self.scenario = scenario
        self.seed = seed
        self.generated = generated
        #: The scenario's clock; ``clock`` is it as seen from the current turn (its turn length).
        self.clock_of_scenario = Clock.of(scenario)
        self._clocks: dict[int, Clock] = {}
        self.streams = Streams(seed)
        self.turn = 0
        # The lifecycle asks the session through a weak reference: nothing the session holds refers
        # back to it, so a dropped session is freed at once by its reference count, not left as
        # cyclic garbage for a full collection to find (tests/test_session_freed.py).
        more = weakref.WeakMethod(self._has_more_turns)
        self.lifecycle = Lifecycle(lambda: more()())  # type: ignore[misc]
        #: Ids the players created -> what they name (keeps the journal the replay index reads).
        self.ids: IdRegistry = IdRegistry()
        self.counties = {c.id: c for c in scenario.counties}
        #: Named places by kind (eoc, township, warehouse; plugins add station ...), for message routing.
        self.places: dict[str, dict[str, str]] = {
            "eoc": {c.id: c.id for c in scenario.counties},
            "township": {t.id: c.id for c in scenario.counties for t in c.townships},
            "warehouse": {w.id: c.id for c in scenario.counties for w in c.warehouses},
            "station": {},
        }
        #: The MSEL: the injects, their delivery and the expected actions they wait for.
        self.msel = Msel(self, scenario)
        self.inject_specs = self.msel.specs
        self.injects: dict[str, inj.InjectRun] = self.msel.runs
        self.plugins = parts.all
        self.registry: dict[str, CommandSpec] = parts.commands
        self._listeners = parts.listeners
        self.domains: dict[str, Any] = {}
        for plugin in self.plugins:
            if plugin.init_state is not None:
                self.domains[plugin.name] = plugin.init_state(self)
        #: Counters for engine-made ids (messages ...), part of the state.
        self.counters: dict[str, int] = {}
        self.transport = transport_for(self, self.plugins)
        #: Pending timers: {"turn", "type", "data"}, run at the start of their turn (see schedule()).
        self.timers: list[dict[str, Any]] = []
        self.seq = 0
        self.last_hash = canonical.GENESIS
        self._out: list[Record] = []
        self._current_seq: int | None = None
        #: The wall-clock stamp of the command being applied (every record it makes carries it).
        self._wall: str | None = None
        #: All or nothing: the state at the start of the current turn and the commands since,
        #: so a command that fails midway can be undone (see :meth:`_rollback`).
        #: The checkpoint is the snapshot encoded (canonical.freeze: the state as JSON bytes, an
        #: order of magnitude cheaper than a deep copy) and the turn it was taken in.
        self._checkpoint: bytes | None = None
        #: The ids registry of a checkpoint frozen without it (:meth:`adopt_checkpoint`), else None.
        self._checkpoint_ids: dict[str, str] | None = None
        self._checkpoint_turn = -1
        self._since: list[Command] = []
        #: Bytes of the records made since the checkpoint (CHECKPOINT_RATIO).
        self._since_bytes = 0
        #: Rollbacks done (a new checkpoint follows each, see submit).
        self._rollbacks = 0
        self._time_cache: tuple[int, str] = (-1, "")

    # ----- construction ---------------------------------------------------------------
    @classmethod
    def begin(cls, scenario: Any, header: dict[str, Any], parts: Parts) -> tuple["Session", Record]:
        """Start a new session; returns it and its header record (seq 0)."""
        session = cls(scenario, header["seed"], header.get("generated", {}), parts)
        record = session._append("header", "session_header", "engine", header)
        session._out.clear()
        return session, record

    @classmethod
    def resume_from_header(cls, scenario: Any, header_record: dict[str, Any], parts: Parts) -> "Session":
        """A fresh session positioned after an existing header record (for replay and resume)."""
        data = header_record["data"]
        session = cls(scenario, data["seed"], data.get("generated", {}), parts)
        session.seq = header_record["seq"] + 1
        session.last_hash = header_record["hash"]
        return session

    # ----- public API -------------------------------------------------------------------
    def query(self, name: str, *args: Any, default: Any = None) -> Any:
        """Ask a part a declared question or service (``Plugin.queries``, "<part>.<name>"): how
        parts read or ask each other, never through each other's slices or modules. Returns
        ``default`` when no part of this session declares ``name`` (that part is absent)."""
        fn = self.parts.queries.get(name)
        return default if fn is None else fn(self, *args)

    def has_query(self, name: str) -> bool:
        return name in self.parts.queries

    @property
    def clock(self) -> Clock:
        """Game time as the current turn sees it: ``minutes_per_turn`` is this turn's length
        (``phases[].minutes_per_turn``), turn starts and dates follow every turn's own length."""
        clock = self._clocks.get(self.turn)
        if clock is None:
            clock = self._clocks[self.turn] = self.clock_of_scenario.for_turn(self.turn)
        return clock

    @property
    def state(self) -> str:
        state: str = self.lifecycle.state  # type: ignore[attr-defined]  # set by the machine
        return state

    @property
    def phase(self) -> str | None:
        return self.state.split("_", 1)[1] if self.state.startswith("running_") else None

    def submit(self, command: Command) -> list[Record]:
        """Apply one command, completely or not at all. Never raises for a bad command: it is
        rejected and logged. Raises :class:`BadCommand` (logging nothing) only for arguments
        the log cannot hold, which every input reader refuses first."""
        command = canonical_command(command)
        if self._checkpoint is None:
            self._checkpoint = canonical.freeze(self.snapshot(copied=False))
            self._checkpoint_ids = None
            self._checkpoint_turn = self.turn
            self._since, self._since_bytes = [], 0
        start, undone = len(self._out), self._rollbacks
        self._apply(command)
        self._since.append(command)
        out, self._out = self._out[start:], self._out[:start]
        self._since_bytes += sum([len(record.line) for record in out])
        if (self._rollbacks != undone or self.turn < self._checkpoint_turn
                or self._since_bytes >= CHECKPOINT_RATIO * len(self._checkpoint)):
            # The next command takes a new checkpoint. After a rollback at once: a command that
            # failed is never re-applied by the next rollback (each would undo it again inside,
            # doubling the work with every fault of a lasting engine bug).
            self._checkpoint = None
        return out

    def _apply(self, command: Command) -> None:
        self._wall = command.wall
        record = self._append("command", command.kind, command.actor, command.to_data())
        self._current_seq = record["seq"]
        try:
            spec, args = self._check(command)
            spec.handler(self, command, args)
            if command.role != "facilitator":
                self.msel.match_expected(command, record["seq"])
        except Rejected as rejection:
            self.reject(command, rejection)
        except Exception as error:  # noqa: BLE001  a bug must not end a live exercise
            if Session.strict:
                raise
            # All or nothing: undo what the handler had changed, then log the rejection
            # (deterministically: same input, same failure, same records on re-simulation).
            self._rollback(record)
            self._current_seq = record["seq"]
            self._wall = command.wall
            self.reject(command, Rejected("internal", "reject.internal", error=type(error).__name__))
        self._current_seq = None
        self._wall = None

    def _rollback(self, record: Record) -> None:
        """Restore the state just before ``record`` (the failing command) and keep its record.

        The last checkpoint (see CHECKPOINT_RATIO) is loaded and the commands
        accepted since are applied again (deterministic, so the state is exactly what it was);
        their records are dropped, as are the failing command's partial events.
        """
        checkpoint, registry, since = self._checkpoint, self._checkpoint_ids, list(self._since)
        if checkpoint is None:
            raise RuntimeError("no checkpoint to undo to")
        self._rollbacks += 1
        keep = self._out[:self._out.index(record)]
        state = canonical.thaw(checkpoint)
        if registry is not None:  # a checkpoint adopted from a snapshot without its registry
            state["ids"] = dict(registry)
        self._load(state, owned=True)
        # Re-entrant: an earlier command of the turn that failed the same way is undone again
        # by a nested rollback, from this same checkpoint and the commands re-applied so far.
        self._checkpoint, self._checkpoint_ids, self._since = checkpoint, registry, []
        self._out = []
        for earlier in since:
            self._apply(earlier)
            self._since.append(earlier)
        if self.seq != record["seq"] or self.last_hash != record["prev"]:
            raise RuntimeError("rollback did not reproduce the state before the failing command")
        self._out = keep
        self._out.append(record)
        self.seq, self.last_hash = record["seq"] + 1, record["hash"]

    def emit(self, kind: str, data: dict[str, Any]) -> Record:
        """Append an engine event to the log, then let the parts that listen for it react."""
        if Session.check_events:
            events.check(self.parts.events, kind, data)
        record = self._append("event", kind, "engine", data)
        for listener in self._listeners.get(kind, ()):
            listener(self, data)
        return record

    def reject(self, command: Command, rejection: Rejected) -> None:
        """Log a refusal as keys and parameters; readers render the reason (``i18n.reason``)."""
        self.emit("command_rejected", {
            "command": self._current_seq, "kind": command.kind, "rule": rejection.rule,
            "key": rejection.key, "params": rejection.params,
        })

    def rng(self, name: str) -> Stream:
        """The session's random stream ``name`` (state kept in the session)."""
        return self.streams.get(name)

    def domain(self, name: str) -> Any:
        return self.domains[name]

    def has_part(self, name: str) -> bool:
        """Whether part ``name`` runs in this session (holds state)."""
        return name in self.domains

    def part_names(self) -> list[str]:
        """The parts holding state, by name."""
        return sorted(self.domains)

    def part_state(self, name: str) -> Any:
        """Part ``name``'s state as plain data (what a snapshot holds), or None where the part is
        absent: for displays of the truth (the facilitator's console and map, the replay viewer).
        Rules never read it; parts ask each other through declared queries (:meth:`query`)."""
        return _plain(self.domains[name]) if name in self.domains else None

    def _has_more_turns(self) -> bool:
        """The lifecycle's ``has_more_turns`` condition: a turn after this one is in the scenario."""
        return self.turn < self.clock.turns

    def time(self) -> str:
        turn, text = self._time_cache
        if turn != self.turn:
            text = self.clock.iso(self.turn)
            self._time_cache = (self.turn, text)
        return text

    @staticmethod
    def node_of(command: Command) -> str:
        """The node a command's issuer sits at: its county's EOC, or central / control."""
        if command.county:
            return f"eoc:{command.county}"
        return "central" if command.role == "central" else "control"

    def allowed_roles(self, spec: CommandSpec, county: str | None) -> list[str]:
        roles: list[str] = []
        for role in spec.roles:
            if role == ANY_COUNTY_ROLE:
                roles.extend(self.counties[county].roles if county in self.counties else COUNTY_ROLES)
            else:
                roles.append(role)
        return roles

    def snapshot(self, copied: bool = True, ids: bool = True) -> dict[str, Any]:
        """The whole state as canonical-JSON-ready data (for replay, fork and tests). ``copied``
        False shares the live objects: only for encoding at once (the replay index). ``ids``
        False leaves the ids registry out (the replay index stores it from its journal,
        :attr:`IdRegistry.entered`, and puts it back before a restore)."""
        snap = {
            "seq": self.seq, "last_hash": self.last_hash, "turn": self.turn, "time": self.time(),
            "lifecycle": {"state": self.state, "paused_from": self.lifecycle.paused_from},
            "injects": {key: self.injects[key].to_data() for key in sorted(self.injects)},
            "stations": _sorted(self.places["station"]),
            "rng": self.streams.snapshot(), "timers": self.timers, "counters": _sorted(self.counters),
            "domains": {name: _plain(self.domains[name], live=not copied) for name in sorted(self.domains)},
        }
        if ids:  # keys sorted, not items: the same dict, in half the time (ids grow all session long)
            snap["ids"] = _sorted(self.ids)
        return copy.deepcopy(snap) if copied else snap

    @classmethod
    def from_snapshot(cls, scenario: Any, header_record: dict[str, Any], snap: dict[str, Any], parts: Parts,
                      owned: bool = False) -> "Session":
        """Rebuild a session from :meth:`snapshot` (replay's fast seek, forks).

        Each part restores its own slice through ``Plugin.restore(session, data)``; a part
        without one cannot be restored and this raises ``NotImplementedError``. ``owned``: the
        caller hands ``snap`` over (freshly parsed, used for nothing else), so it is not copied.
        """
        session = cls.resume_from_header(scenario, header_record, parts)
        session._load(snap, owned)
        return session

    def _load(self, snap: dict[str, Any], owned: bool = False) -> None:
        """Put this session in the state of :meth:`snapshot` ``snap`` (in place); ``snap`` is
        copied unless ``owned`` (then the session keeps its objects)."""
        keep: Callable[[Any], Any] = _same if owned else copy.deepcopy
        self.seq, self.last_hash, self.turn = snap["seq"], snap["last_hash"], snap["turn"]
        self.lifecycle.paused_from = snap["lifecycle"]["paused_from"]
        self.lifecycle.machine.set_state(snap["lifecycle"]["state"], model=self.lifecycle)
        for key, data in snap["injects"].items():
            run = self.injects[key]
            for name, value in data.items():
                if name != "state":
                    setattr(run, name, keep(value))
            self.msel.machine.set(run, data["state"])
        self.places["station"] = dict(snap["stations"])
        self.ids = IdRegistry(snap["ids"])
        self.streams = Streams(self.seed, snap["rng"])
        self.timers = keep(snap["timers"])
        self.counters = dict(snap["counters"])
        for plugin in self.plugins:
            if plugin.name not in snap["domains"]:
                continue
            if plugin.restore is None:
                raise NotImplementedError(f"part {plugin.name!r} cannot restore its state from a snapshot")
            self.domains[plugin.name] = plugin.restore(self, keep(snap["domains"][plugin.name]))
        self._checkpoint, self._checkpoint_ids, self._since, self._since_bytes = None, None, [], 0
        self.msel.changed()

    def adopt_checkpoint(self, frozen: bytes, ids: dict[str, str]) -> None:
        """Take ``frozen`` and ``ids`` as the rollback checkpoint instead of encoding the state again
        at the next command. Only right after the state was loaded from them: ``frozen`` is
        :meth:`snapshot` with ``ids=False``, encoded (a replay index's snapshot), and ``ids`` the
        registry it was loaded with (copied here, before a command adds to it). A cold seek in a
        2,000-station log saves the 6-8 ms of encoding a 1.9 MB state."""
        self._checkpoint, self._checkpoint_ids = frozen, dict(ids)
        self._checkpoint_turn = self.turn
        self._since, self._since_bytes = [], 0

    # ----- checks -----------------------------------------------------------------------
    def _check(self, command: Command) -> tuple[CommandSpec, Any]:
        spec = self.registry.get(command.kind)
        if spec is None:
            raise Rejected("schema", "reject.unknown_kind", kind=command.kind)
        try:
            args = spec.args.model_validate(command.args if isinstance(command.args, dict) else {"": command.args})
        except ValidationError as err:
            raise Rejected("schema", "reject.schema", detail=schema_errors(err)) from None
        self._check_role(command, spec)
        if spec.trigger is not None:
            if not self.lifecycle.can(spec.trigger):
                raise Rejected("phase", "reject.transition", kind=ref("command", command.kind), state=ref("state", self.state))
        elif spec.states and self.state not in spec.states:
            raise Rejected("phase", "reject.phase", kind=ref("command", command.kind), state=ref("state", self.state),
                           allowed=refs("state", spec.states))
        if command.turn is not None and command.turn != self.turn:
            raise Rejected("turn", "reject.turn", given=command.turn, current=self.turn)
        if spec.creates:
            ident = getattr(args, "id")  # noqa: B009  a creating command's args have an id (CommandSpec.creates)
            if ident in self.ids:
                raise Rejected("duplicate_id", "reject.duplicate_id", id=ident)
        return spec, args

    def _check_role(self, command: Command, spec: CommandSpec) -> None:
        if command.role in GLOBAL_ROLES:
            if command.county is not None:
                raise Rejected("role", "reject.county_forbidden", role=command.role)
        else:
            if command.county is None:
                raise Rejected("role", "reject.county_required", role=command.role)
            county = self.counties.get(command.county)
            if county is None:
                raise Rejected("role", "reject.unknown_county", county=command.county)
            if command.role not in county.roles:
                raise Rejected("role", "reject.unknown_role", county=command.county, role=command.role)
        allowed = self.allowed_roles(spec, command.county)
        if command.role not in allowed:
            raise Rejected("role", "reject.role", role=ref("role", command.role), kind=ref("command", command.kind),
                           allowed=refs("role", list(dict.fromkeys(allowed))))

    # ----- lifecycle --------------------------------------------------------------------
    def fire(self, trigger: str) -> None:
        """Fire a lifecycle trigger (already checked) and run what the new phase brings."""
        source, dest = self.lifecycle.fire(trigger)
        if trigger == "advance" and dest == "running_injects":
            self.turn += 1
        self.emit("exercise_state", {"from": source, "to": dest, "trigger": trigger})
        if trigger != "advance":
            return
        if dest == "running_injects":
            self.emit("turn_started", {"turn": self.turn, "time": self.time(), "day": self.clock.day(self.turn)})
            self._start_phases()
            self._run_timers()
            self.msel.fire_triggers()
            self.msel.deliver_due()
        elif dest == "running_turnend":
            self.msel.expire_overdue()
        phase = dest.split("_", 1)[1] if dest.startswith("running_") else dest
        for plugin in self.plugins:
            hook = plugin.hooks.get(phase)
            if hook is not None:
                hook(self)

    # ----- messages ---------------------------------------------------------------------
    def send(self, frm: str, to: str, kind: str, payload: dict[str, Any], channel: str | None = None,
             ident: str | None = None) -> str:
        """Send a message from node ``frm`` to node ``to``; its receiver acts when it is delivered."""
        msg = transport.message(self, frm, to, kind, payload, channel, ident)
        self.transport.send(self, msg)
        ident_sent: str = msg["id"]
        return ident_sent

    def receive(self, msg: dict[str, Any]) -> None:
        """Called by the transport when ``msg`` is delivered."""
        if msg["kind"] == "inject":
            run = self.injects[msg["payload"]["inject"]]
            if run.state == "scheduled":
                self.msel.deliver(run, channel=msg.get("channel_used") or "direct", effects=False)
            return
        handler = self.parts.receivers.get(msg["kind"])
        if handler is not None:
            handler(self, msg)

    # ----- timers, phases and triggers -----------------------------------------------------
    def schedule(self, turn: int, name: str, data: dict[str, Any]) -> None:
        """Run timer ``name`` (a plugin's ``timers`` handler) with ``data`` at the start of ``turn``."""
        self.timers.append({"turn": turn, "type": name, "data": data})

    def _run_timers(self) -> None:
        due = [t for t in self.timers if t["turn"] <= self.turn]
        if not due:
            return
        self.timers = [t for t in self.timers if t["turn"] > self.turn]
        handlers = self.parts.timers
        for timer in due:  # in the order they were scheduled
            handlers[timer["type"]](self, timer["data"])

    def _start_phases(self) -> None:
        for phase in self.scenario.phases:
            if phase.first_turn == self.turn:
                self.emit("phase_started", {"phase": phase.id, "name": phase.name.model_dump(),
                                            "briefing": phase.briefing.model_dump() if phase.briefing else None,
                                            "last_turn": phase.last_turn})

    # ----- injects (the MSEL: tabletop.core.msel) ------------------------------------------
    def draw_card(self, deck: str) -> inj.InjectRun | None:
        return self.msel.draw_card(deck)

    def release(self, run: inj.InjectRun) -> None:
        self.msel.release(run)

    def deliver(self, run: inj.InjectRun, channel: str = "control", effects: bool = True) -> None:
        self.msel.deliver(run, channel, effects)

    def cancel(self, run: inj.InjectRun) -> None:
        self.msel.cancel(run)

    def acknowledge(self, run: inj.InjectRun) -> None:
        self.msel.acknowledge(run)

    def judge_expected(self, county: str, role: str | None, capability: str, task: str | None,
                       met: bool) -> list[str]:
        """An evaluator's judgement of the expectations ``judged_by: evaluator`` (see
        :meth:`tabletop.core.msel.Msel.judge`)."""
        return self.msel.judge(county, role, capability, task, met)

    @property
    def current_seq(self) -> int | None:
        """The seq of the command being applied (None between commands)."""
        return self._current_seq

    # ----- records ----------------------------------------------------------------------
    def _append(self, type_: str, kind: str, actor: str, data: dict[str, Any]) -> Record:
        body = Record(seq=self.seq, turn=self.turn, time=self.time(), type=type_, kind=kind,
                      actor=actor, data=data, prev=self.last_hash)
        if self._wall is not None:
            body["wall"] = self._wall
        made, body.line = canonical.encode_record(self.last_hash, body)
        body["hash"] = made
        self.last_hash = made
        self.seq += 1
        self._out.append(body)
        return body


def transport_for(session: "Session", plugins: tuple[Any, ...]) -> Any:
    for plugin in plugins:
        if plugin.transport is not None:
            return plugin.transport(session)
    return transport.ImmediateTransport()


_MAX_NAME = 200
_FAST_BYTES = 65_536
_FAST_DEPTH = jsonsafe.DEFAULT_CAPS.max_depth


def canonical_command(command: Command) -> Command:
    """The command as the log holds it: arguments checked JSON-safe and in canonical form
    (sorted keys, plain lists), so the session sees exactly what re-simulation will see."""
    unsafe = None
    turn = command.turn
    if not (turn is None or (type(turn) is int and -jsonsafe.MAX_INT <= turn <= jsonsafe.MAX_INT)):
        unsafe = jsonsafe.Unsafe(("turn",), "json.bad_type", {"type": type(turn).__name__})
    for name in ("county", "role", "kind"):
        value = getattr(command, name)
        if unsafe is None and not (value is None or (type(value) is str and len(value) <= _MAX_NAME
                                                     and jsonsafe.is_safe(value))):
            unsafe = jsonsafe.Unsafe((name,), "json.bad_type", {"type": type(value).__name__})
    # Always rebuilt: handlers iterate mappings, and re-simulation reads them back sorted.
    args: Any = None
    if unsafe is None:
        try:
            raw = canonical.encode(command.args)
        except (canonical.EncodeError, TypeError):
            raw = None
        # Fast path: small, shallow, and read back equal (NaN, dates, tuples ... are not): safe.
        if raw is not None and len(raw) <= _FAST_BYTES and raw.count(b"[") + raw.count(b"{") <= _FAST_DEPTH:
            args = canonical.loads(raw)
            if args != command.args:
                args = None
        if args is None:
            unsafe = jsonsafe.problem(command.args)
            if unsafe is None:
                args = canonical.loads(canonical.encode(command.args))
    if unsafe is None and command.wall is not None and not wallclock.is_stamp(command.wall):
        unsafe = jsonsafe.Unsafe(("wall",), "json.bad_type", {"type": type(command.wall).__name__})
    if unsafe is not None:
        raise BadCommand(unsafe)
    return Command(command.turn, command.county, command.role, command.kind, args, command.wall)


def schema_errors(err: ValidationError) -> list[dict[str, Any]]:
    """Validation errors as messages (key + params), in canonical order (by field, then type)."""
    items = sorted({(".".join(str(p) for p in item["loc"]) or "args", item["type"]) for item in err.errors()})
    out = []
    for where, kind in items[:5]:
        out.append(message(f"schema.{kind}", where=where, type=kind))
    return out


def _sorted(mapping: dict[str, Any]) -> dict[str, Any]:
    """``mapping`` in key order (what ``dict(sorted(mapping.items()))`` gives, sorting the keys alone)."""
    return {key: mapping[key] for key in sorted(mapping)}


def _same(value: Any) -> Any:
    return value


def _plain(value: Any, live: bool = False) -> Any:
    """A part's slice as snapshot data: its ``to_data()``, or with ``live`` its ``live_data()``
    where it has one (the same data sharing live objects that orjson encodes as they are, for a
    snapshot encoded at once), or the slice itself if it is plain data already."""
    if live:
        live_data: Callable[[], Any] | None = getattr(value, "live_data", None)
        if live_data is not None:
            return live_data()
    to_data: Callable[[], Any] | None = getattr(value, "to_data", None)
    return to_data() if to_data is not None else value
