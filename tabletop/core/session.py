"""The session: one exercise's state, advanced only by commands, emitting records.

This is the reducer at the heart of tabletop. ``Session.submit(command)`` checks
the command (schema, role, lifecycle state, then domain rules), applies it, and
returns the new log records: the command itself, then its events or one
``command_rejected``. Everything (CLI, pygame console, replay, verify) goes
through ``submit``; nothing else mutates a session.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from pydantic import ValidationError

from tabletop.core import canonical, injects as inj, jsonsafe, transport, wallclock
from tabletop.core.clock import Clock
from tabletop.core.commands import ANY_COUNTY_ROLE, Command, CommandSpec, Rejected
from tabletop.core.lifecycle import Lifecycle
from tabletop.core.messages import message, ref, refs
from tabletop.core.rng import Streams
from tabletop.core.parts import Parts
from tabletop.core.roles import COUNTY_ROLES, GLOBAL_ROLES



class Record(dict):
    """One log record: its fields, plus ``line``, the canonical bytes it is written as
    (encoded once, when the record is made; see :func:`canonical.encode_record`)."""

    __slots__ = ("line",)


class BadCommand(ValueError):
    """A command whose arguments the log cannot hold (NaN, huge integers, non-string keys ...).

    Raised by :meth:`Session.submit` before anything is logged: input readers (actions
    files, console forms, seats) refuse such values with a located message first.
    """

    def __init__(self, unsafe: jsonsafe.Unsafe) -> None:
        super().__init__(str(unsafe))
        self.unsafe = unsafe


class Session:
    """A running exercise. Construct with :meth:`begin` (new) or :meth:`resume_from_header`."""

    #: Re-raise engine bugs instead of logging them as "internal" rejections (tests set it).
    strict = False

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
        self.lifecycle = Lifecycle(lambda: self.turn < self.clock.turns)
        self.ids: dict[str, str] = {}
        self.counties = {c.id: c for c in scenario.counties}
        #: Named places by kind (eoc, township, warehouse; plugins add station ...), for message routing.
        self.places: dict[str, dict[str, str]] = {
            "eoc": {c.id: c.id for c in scenario.counties},
            "township": {t.id: c.id for c in scenario.counties for t in c.townships},
            "warehouse": {w.id: c.id for c in scenario.counties for w in c.warehouses},
            "station": {},
        }
        self.inject_specs = {i.id: i for i in scenario.injects}
        self.inject_machine = inj.new_machine()
        self.injects: dict[str, inj.InjectRun] = {}
        for order, spec in enumerate(scenario.injects):
            due = (spec.at_turn if spec.at_turn is not None
                   else self.clock.turn_at(_parse(spec.at_time)) if spec.at_time is not None else None)
            run = inj.InjectRun(spec.id, spec.county, spec.role, due, order,
                                met=[None] * len(spec.expected), missed=[False] * len(spec.expected))
            self.inject_machine.add_model(run)
            self.injects[spec.id] = run
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
        self._checkpoint: dict[str, Any] | None = None
        self._since: list[Command] = []
        self._time_cache: tuple[int, str] = (-1, "")
        self._open_cache: dict[str | None, list[inj.InjectRun]] | None = None

    # ----- construction ---------------------------------------------------------------
    @classmethod
    def begin(cls, scenario: Any, header: dict[str, Any], parts: Parts) -> tuple["Session", Record]:
        """Start a new session; returns it and its header record (seq 0)."""
        session = cls(scenario, header["seed"], header.get("generated", {}), parts)
        record = session._append("header", "session_header", "engine", header)
        session._out.clear()
        return session, record

    @classmethod
    def resume_from_header(cls, scenario: Any, header_record: Record, parts: Parts) -> "Session":
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
        return self.lifecycle.state  # type: ignore[attr-defined]

    @property
    def phase(self) -> str | None:
        return self.state.split("_", 1)[1] if self.state.startswith("running_") else None

    def submit(self, command: Command) -> list[Record]:
        """Apply one command, completely or not at all. Never raises for a bad command: it is
        rejected and logged. Raises :class:`BadCommand` (logging nothing) only for arguments
        the log cannot hold, which every input reader refuses first."""
        command = canonical_command(command)
        if self._checkpoint is None:
            self._checkpoint = self.snapshot()
            self._since = []
        start = len(self._out)
        self._apply(command)
        self._since.append(command)
        if self.turn != self._checkpoint["turn"]:
            self._checkpoint = None  # a new turn began: the next command takes a new checkpoint
        out, self._out = self._out[start:], self._out[:start]
        return out

    def _apply(self, command: Command) -> None:
        self._wall = command.wall
        record = self._append("command", command.kind, command.actor, command.to_data())
        self._current_seq = record["seq"]
        try:
            spec, args = self._check(command)
            spec.handler(self, command, args)
            if command.role != "facilitator":
                self._match_expected(command, record["seq"])
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

        The turn's checkpoint is loaded and the commands accepted since are applied again
        (deterministic, so the state is exactly what it was); their records are dropped, as
        are the failing command's partial events.
        """
        checkpoint, since = self._checkpoint, list(self._since)
        if checkpoint is None:
            raise RuntimeError("no checkpoint to undo to")
        keep = self._out[:self._out.index(record)]
        self._load(checkpoint)
        # Re-entrant: an earlier command of the turn that failed the same way is undone again
        # by a nested rollback, from this same checkpoint and the commands re-applied so far.
        self._checkpoint, self._since = checkpoint, []
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

    def rng(self, name: str):
        """The session's random stream ``name`` (state kept in the session)."""
        return self.streams.get(name)

    def domain(self, name: str) -> Any:
        return self.domains[name]

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

    def snapshot(self) -> dict[str, Any]:
        """The whole state as canonical-JSON-ready data (for replay, fork and tests)."""
        return copy.deepcopy({
            "seq": self.seq, "last_hash": self.last_hash, "turn": self.turn, "time": self.time(),
            "lifecycle": {"state": self.state, "paused_from": self.lifecycle.paused_from},
            "injects": {key: self.injects[key].to_data() for key in sorted(self.injects)},
            "stations": dict(sorted(self.places["station"].items())),
            "ids": dict(sorted(self.ids.items())), "rng": self.streams.snapshot(), "timers": self.timers,
            "counters": dict(sorted(self.counters.items())),
            "domains": {name: _plain(self.domains[name]) for name in sorted(self.domains)},
        })

    @classmethod
    def from_snapshot(cls, scenario: Any, header_record: Record, snap: dict[str, Any], parts: Parts) -> "Session":
        """Rebuild a session from :meth:`snapshot` (replay's fast seek, forks).

        Each part restores its own slice through ``Plugin.restore(session, data)``; a part
        without one cannot be restored and this raises ``NotImplementedError``.
        """
        session = cls.resume_from_header(scenario, header_record, parts)
        session._load(snap)
        return session

    def _load(self, snap: dict[str, Any]) -> None:
        """Put this session in the state of :meth:`snapshot` ``snap`` (in place)."""
        self.seq, self.last_hash, self.turn = snap["seq"], snap["last_hash"], snap["turn"]
        self.lifecycle.paused_from = snap["lifecycle"]["paused_from"]
        self.lifecycle.machine.set_state(snap["lifecycle"]["state"], model=self.lifecycle)
        for key, data in snap["injects"].items():
            run = self.injects[key]
            for name, value in data.items():
                if name != "state":
                    setattr(run, name, copy.deepcopy(value))
            self.inject_machine.set_state(data["state"], model=run)
        self.places["station"] = dict(snap["stations"])
        self.ids = dict(snap["ids"])
        self.streams = Streams(self.seed, snap["rng"])
        self.timers = copy.deepcopy(snap["timers"])
        self.counters = dict(snap["counters"])
        for plugin in self.plugins:
            if plugin.name not in snap["domains"]:
                continue
            if plugin.restore is None:
                raise NotImplementedError(f"part {plugin.name!r} cannot restore its state from a snapshot")
            self.domains[plugin.name] = plugin.restore(self, copy.deepcopy(snap["domains"][plugin.name]))
        self._checkpoint, self._since = None, []
        self._open_cache = None

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
            ident = args.id
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
            self._fire_triggers()
            self.deliver_due()
        elif dest == "running_turnend":
            self.expire_overdue()
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
        return msg["id"]

    def receive(self, msg: dict[str, Any]) -> None:
        """Called by the transport when ``msg`` is delivered."""
        if msg["kind"] == "inject":
            run = self.injects[msg["payload"]["inject"]]
            if run.state == "scheduled":
                self.deliver(run, channel=msg.get("channel_used") or "direct", effects=False)
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

    def _fire_triggers(self) -> None:
        conditions = self.parts.conditions
        for run in sorted(self.injects.values(), key=lambda r: r.order):
            trigger = self.inject_specs[run.id].trigger
            if trigger is None or run.state != "scheduled" or run.due_turn is not None or run.released_turn is not None \
                    or self.turn < trigger.not_before_turn:
                continue
            if trigger.when == "condition":
                spec = conditions[trigger.condition or ""]
                holds = spec.test(self, spec.args.model_validate(trigger.args))
            else:
                other = self.injects[trigger.inject or ""]
                flags = other.missed if trigger.when == "action_missed" else [m is not None for m in other.met]
                if trigger.index is not None:
                    holds = trigger.index < len(flags) and bool(flags[trigger.index])
                else:
                    holds = any(flags) if trigger.when == "action_missed" else bool(flags) and all(flags)
            if holds:
                self.emit("inject_triggered", {"inject": run.id, "when": trigger.when,
                                               "source": trigger.inject or trigger.condition})
                run.due_turn = self.turn

    def draw_card(self, deck: str) -> inj.InjectRun | None:
        """Draw a card at random (the session's "deck" stream) from the cards left in ``deck``."""
        cards = sorted((r for r in self.injects.values()
                        if r.state == "scheduled" and r.released_turn is None and self.inject_specs[r.id].deck == deck),
                       key=lambda r: r.order)
        if not cards:
            return None
        card = self.rng("deck").choice(cards)
        self.emit("card_drawn", {"deck": deck, "inject": card.id, "left": len(cards) - 1})
        card.due_turn = self.turn
        self.release(card)
        return card

    # ----- injects ----------------------------------------------------------------------
    def deliver_due(self) -> None:
        due = [run for run in self.injects.values()
               if run.state == "scheduled" and run.due_turn is not None and run.due_turn <= self.turn]
        for run in sorted(due, key=lambda r: (r.due_turn, r.order)):
            self.release(run)

    def release(self, run: inj.InjectRun) -> None:
        """The inject's event happens now. Its news reaches the players at once, or, when the
        inject names a ``source`` (a township office, station ...), as a message from there."""
        spec = self.inject_specs[run.id]
        source = getattr(spec, "source", None)
        if source is None:
            self.deliver(run)
            return
        run.released_turn = self.turn
        run.due_turn = None
        self.emit("inject_released", {"inject": run.id, "source": source})
        self._apply_effects(run.id, spec)
        self.send(transport.resolve(self, source) or source, f"eoc:{run.county}", "inject", {"inject": run.id})

    def deliver(self, run: inj.InjectRun, channel: str = "control", effects: bool = True) -> None:
        spec = self.inject_specs[run.id]
        self._inject_to(run, "deliver")
        run.delivered_turn = self.turn
        run.channel = channel
        self.emit("inject_delivered", {
            "inject": run.id, "county": run.county, "role": run.role, "phase": spec.phase, "channel": channel,
            "released_turn": run.released_turn if run.released_turn is not None else self.turn,
            "title": spec.title.model_dump(), "text": spec.text.model_dump(),
            "expected": [e.logged() | {"deadline_turn": self.turn + e.within_turns - 1} for e in spec.expected],
        })
        if effects:
            self._apply_effects(run.id, spec)

    def _apply_effects(self, inject: str, spec: Any) -> None:
        registry = self.parts.effects
        for effect in spec.effects:
            effect_spec = registry[effect.type]
            params = dict(effect.model_extra or {})
            self.emit("effect_applied", {"inject": inject, "type": effect.type, "args": params})
            effect_spec.apply(self, effect_spec.args.model_validate(params), inject)

    def _inject_to(self, run: inj.InjectRun, trigger: str) -> None:
        source = run.state
        getattr(run, trigger)()
        self._open_cache = None
        self.emit("inject_state", {"inject": run.id, "from": source, "to": run.state})

    def cancel(self, run: inj.InjectRun) -> None:
        """The facilitator withdraws a scheduled inject."""
        self._inject_to(run, "cancel")

    def acknowledge(self, run: inj.InjectRun) -> None:
        self._inject_to(run, "acknowledge")
        run.acknowledged_turn = self.turn
        self._maybe_resolve(run)

    def _maybe_resolve(self, run: inj.InjectRun) -> None:
        if run.state == "acknowledged" and all(seq is not None for seq in run.met):
            self._inject_to(run, "resolve")

    def _match_expected(self, command: Command, seq: int) -> None:
        for run in self._open_injects(command.county):
            spec = self.inject_specs[run.id]
            for index, expected in enumerate(spec.expected):
                if run.met[index] is not None or run.missed[index] or expected.kind != command.kind:
                    continue
                if expected.role is not None and expected.role != command.role:
                    continue
                if command.county is None and expected.role != command.role:
                    continue  # central answers only where the inject expects central
                if not inj.args_match(expected.args, command.args):
                    continue
                run.met[index] = seq
                self.emit("expected_action_met", {
                    "inject": run.id, "index": index, "command": seq, "capability": expected.capability,
                    "turns_after_delivery": self.turn - (run.delivered_turn or 0)})
            self._maybe_resolve(run)

    def judge_expected(self, county: str, role: str | None, capability: str, task: str | None,
                       met: bool) -> list[str]:
        """An evaluator's judgement (``expected: [{judged_by: evaluator, ...}]``): the open
        expectations of ``county``'s injects for ``capability`` (and ``task`` where the
        expectation names one, ``role`` where the judgement names one) are met, or missed when
        ``met`` is false. Returns the injects it touched."""
        touched: list[str] = []
        seq = self._current_seq
        for run in list(self._open_injects(county)):
            spec = self.inject_specs[run.id]
            for index, expected in enumerate(spec.expected):
                if expected.judged_by is None or run.met[index] is not None or run.missed[index]:
                    continue
                if expected.capability != capability or (expected.task is not None and expected.task != task):
                    continue
                if role is not None and (expected.role or run.role) != role:
                    continue
                touched.append(run.id)
                if met:
                    run.met[index] = seq
                    self.emit("expected_action_met", {
                        "inject": run.id, "index": index, "command": seq, "capability": capability,
                        "turns_after_delivery": self.turn - (run.delivered_turn or 0), "judged": True})
                else:
                    run.missed[index] = True
                    self.emit("expected_action_missed", {"inject": run.id, "index": index, "capability": capability,
                                                         "deadline_turn": self.turn, "judged": True})
            if run.state in inj.OPEN and any(run.missed):
                self._inject_to(run, "expire")
            else:
                self._maybe_resolve(run)
        return sorted(set(touched))

    def _open_injects(self, county: str | None) -> list[inj.InjectRun]:
        """Open injects a command may answer: its county's, or (for central) every county's.
        Kept per county until an inject changes state (:meth:`_inject_to`)."""
        cache = self._open_cache
        if cache is None:
            cache = {None: sorted((r for r in self.injects.values() if r.state in inj.OPEN), key=lambda r: r.order)}
            for run in cache[None]:
                cache.setdefault(run.county, []).append(run)
            self._open_cache = cache
        return cache.get(county, [])

    def expire_overdue(self) -> None:
        for run in sorted(self.injects.values(), key=lambda r: r.order):
            if run.state not in inj.OPEN:
                continue
            spec = self.inject_specs[run.id]
            for index, expected in enumerate(spec.expected):
                # "within N turns": by the end of the (N-1)th turn after the delivery turn.
                deadline = (run.delivered_turn or 0) + expected.within_turns - 1
                if run.met[index] is None and not run.missed[index] and self.turn >= deadline:
                    run.missed[index] = True
                    self.emit("expected_action_missed", {"inject": run.id, "index": index,
                                                         "capability": expected.capability, "deadline_turn": deadline})
            if any(run.missed):
                self._inject_to(run, "expire")

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


def transport_for(session: "Session", plugins: tuple) -> Any:
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


def _parse(text: str | None):
    from datetime import datetime

    return datetime.fromisoformat(text or "")


def _plain(value: Any) -> Any:
    to_data: Callable[[], Any] | None = getattr(value, "to_data", None)
    return to_data() if to_data is not None else value
