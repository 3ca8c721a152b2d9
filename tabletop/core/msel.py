"""The master scenario events list (MSEL) at play: injects released, delivered, answered.

A session holds one :class:`Msel`. It keeps every inject's live record (one shared
``transitions`` machine, :mod:`tabletop.core.injects`), fires triggers and deck draws,
delivers due injects (at once, or as a message from their source), applies their effects,
matches each accepted command against the expected actions still open, and marks the ones
past their deadline missed. Everything it does is logged through the session's ``emit``.
"""

from __future__ import annotations

import weakref
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tabletop.core import injects as inj, transport
from tabletop.core.commands import Command

if TYPE_CHECKING:
    from tabletop.core.session import Session


class Msel:
    """The injects of one session and their delivery."""

    def __init__(self, session: Session, scenario: Any) -> None:
        # Held weakly: the session holds its MSEL, and a back-reference would make every session a
        # reference cycle, freed only by a full collection (a replay's seeks drop one each).
        self._session: weakref.ReferenceType[Session] = weakref.ref(session)
        self.specs: dict[str, Any] = {i.id: i for i in scenario.injects}
        self.machine = inj.new_machine()
        self.runs: dict[str, inj.InjectRun] = {}
        for order, spec in enumerate(scenario.injects):
            due = (spec.at_turn if spec.at_turn is not None
                   else session.clock.turn_at(datetime.fromisoformat(spec.at_time))
                   if spec.at_time is not None else None)
            run = inj.InjectRun(spec.id, spec.county, spec.role, due, order,
                                met=[None] * len(spec.expected), missed=[False] * len(spec.expected))
            self.machine.add(run)
            self.runs[spec.id] = run
        #: Open injects by county (None: all), kept until an inject changes state.
        self._open: dict[str | None, list[inj.InjectRun]] | None = None

    @property
    def session(self) -> Session:
        """The session this MSEL belongs to (alive while it is used)."""
        session = self._session()
        assert session is not None, "the session of this MSEL is gone"  # noqa: S101
        return session

    def changed(self) -> None:
        """Forget what is derived from the injects' states (after a restore)."""
        self._open = None

    def fire_triggers(self) -> None:
        """Make due this turn every triggered inject whose trigger now holds."""
        conditions = self.session.parts.conditions
        for run in sorted(self.runs.values(), key=lambda r: r.order):
            trigger = self.specs[run.id].trigger
            if trigger is None or run.state != "scheduled" or run.due_turn is not None or run.released_turn is not None \
                    or self.session.turn < trigger.not_before_turn:
                continue
            if trigger.when == "condition":
                spec = conditions[trigger.condition or ""]
                holds = spec.test(self.session, spec.args.model_validate(trigger.args))
            else:
                other = self.runs[trigger.inject or ""]
                flags = other.missed if trigger.when == "action_missed" else [m is not None for m in other.met]
                if trigger.index is not None:
                    holds = trigger.index < len(flags) and bool(flags[trigger.index])
                else:
                    holds = any(flags) if trigger.when == "action_missed" else bool(flags) and all(flags)
            if holds:
                self.session.emit("inject_triggered", {"inject": run.id, "when": trigger.when,
                                                       "source": trigger.inject or trigger.condition})
                run.due_turn = self.session.turn

    def draw_card(self, deck: str) -> inj.InjectRun | None:
        """Draw a card at random (the session's "deck" stream) from the cards left in ``deck``."""
        cards = sorted((r for r in self.runs.values()
                        if r.state == "scheduled" and r.released_turn is None and self.specs[r.id].deck == deck),
                       key=lambda r: r.order)
        if not cards:
            return None
        card: inj.InjectRun = self.session.rng("deck").choice(cards)
        self.session.emit("card_drawn", {"deck": deck, "inject": card.id, "left": len(cards) - 1})
        card.due_turn = self.session.turn
        self.release(card)
        return card

    def deliver_due(self) -> None:
        """Release every scheduled inject due by now, in MSEL order."""
        due = [run for run in self.runs.values()
               if run.state == "scheduled" and run.due_turn is not None and run.due_turn <= self.session.turn]
        for run in sorted(due, key=lambda r: (r.due_turn, r.order)):
            self.release(run)

    def release(self, run: inj.InjectRun) -> None:
        """The inject's event happens now. Its news reaches the players at once, or, when the
        inject names a ``source`` (a township office, station ...), as a message from there."""
        spec = self.specs[run.id]
        source = getattr(spec, "source", None)
        if source is None:
            self.deliver(run)
            return
        run.released_turn = self.session.turn
        run.due_turn = None
        self.session.emit("inject_released", {"inject": run.id, "source": source})
        self.apply_effects(run.id, spec)
        frm = transport.resolve(self.session, source) or source
        self.session.send(frm, f"eoc:{run.county}", "inject", {"inject": run.id})

    def deliver(self, run: inj.InjectRun, channel: str = "control", effects: bool = True) -> None:
        spec = self.specs[run.id]
        self._to(run, "deliver")
        run.delivered_turn = self.session.turn
        run.channel = channel
        self.session.emit("inject_delivered", {
            "inject": run.id, "county": run.county, "role": run.role, "phase": spec.phase, "channel": channel,
            "released_turn": run.released_turn if run.released_turn is not None else self.session.turn,
            "title": spec.title.model_dump(), "text": spec.text.model_dump(),
            "expected": [e.logged() | {"deadline_turn": self.session.turn + e.within_turns - 1} for e in spec.expected],
        })
        if effects:
            self.apply_effects(run.id, spec)

    def apply_effects(self, inject: str, spec: Any) -> None:
        registry = self.session.parts.effects
        for effect in spec.effects:
            effect_spec = registry[effect.type]
            params = dict(effect.model_extra or {})
            self.session.emit("effect_applied", {"inject": inject, "type": effect.type, "args": params})
            effect_spec.apply(self.session, effect_spec.args.model_validate(params), inject)

    def _to(self, run: inj.InjectRun, trigger: str) -> None:
        source = run.state
        self.machine.fire(run, trigger)
        self._open = None
        self.session.emit("inject_state", {"inject": run.id, "from": source, "to": run.state})

    def cancel(self, run: inj.InjectRun) -> None:
        """The facilitator withdraws a scheduled inject."""
        self._to(run, "cancel")

    def acknowledge(self, run: inj.InjectRun) -> None:
        self._to(run, "acknowledge")
        run.acknowledged_turn = self.session.turn
        self._maybe_resolve(run)

    def _maybe_resolve(self, run: inj.InjectRun) -> None:
        if run.state == "acknowledged" and all(seq is not None for seq in run.met):
            self._to(run, "resolve")

    def match_expected(self, command: Command, seq: int) -> None:
        """Mark met each open expected action the accepted ``command`` (log seq ``seq``) answers."""
        for run in self._open_injects(command.county):
            spec = self.specs[run.id]
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
                self.session.emit("expected_action_met", {
                    "inject": run.id, "index": index, "command": seq, "capability": expected.capability,
                    "turns_after_delivery": self.session.turn - (run.delivered_turn or 0)})
            self._maybe_resolve(run)

    def judge(self, county: str, role: str | None, capability: str, task: str | None, met: bool) -> list[str]:
        """An evaluator's judgement (``expected: [{judged_by: evaluator, ...}]``): the open
        expectations of ``county``'s injects for ``capability`` (and ``task`` where the
        expectation names one, ``role`` where the judgement names one) are met by the command
        being applied, or missed when ``met`` is false. Returns the injects it touched."""
        session = self.session
        seq = session.current_seq
        touched: list[str] = []
        for run in list(self._open_injects(county)):
            spec = self.specs[run.id]
            hit = False
            for index, expected in enumerate(spec.expected):
                if expected.judged_by is None or run.met[index] is not None or run.missed[index]:
                    continue
                if expected.capability != capability or (expected.task is not None and expected.task != task):
                    continue
                if role is not None and (expected.role or run.role) != role:
                    continue
                hit = True
                if met:
                    run.met[index] = seq
                    session.emit("expected_action_met", {
                        "inject": run.id, "index": index, "command": seq, "capability": capability,
                        "turns_after_delivery": session.turn - (run.delivered_turn or 0), "judged": True})
                else:
                    run.missed[index] = True
                    session.emit("expected_action_missed", {"inject": run.id, "index": index, "capability": capability,
                                                            "deadline_turn": session.turn, "judged": True})
            if not hit:
                continue
            touched.append(run.id)
            if any(run.missed):
                self._to(run, "expire")
            else:
                self._maybe_resolve(run)
        return touched

    def _open_injects(self, county: str | None) -> list[inj.InjectRun]:
        """Open injects a command may answer: its county's, or (for central) every county's.
        Kept per county until an inject changes state (:meth:`_to`)."""
        cache = self._open
        if cache is None:
            cache = {None: sorted((r for r in self.runs.values() if r.state in inj.OPEN), key=lambda r: r.order)}
            for run in cache[None]:
                cache.setdefault(run.county, []).append(run)
            self._open = cache
        return cache.get(county, [])

    def expire_overdue(self) -> None:
        """At turn end: expected actions past their deadline are missed, their injects expire."""
        for run in sorted(self.runs.values(), key=lambda r: r.order):
            if run.state not in inj.OPEN:
                continue
            spec = self.specs[run.id]
            for index, expected in enumerate(spec.expected):
                # "within N turns": by the end of the (N-1)th turn after the delivery turn.
                deadline = (run.delivered_turn or 0) + expected.within_turns - 1
                if run.met[index] is None and not run.missed[index] and self.session.turn >= deadline:
                    run.missed[index] = True
                    self.session.emit("expected_action_missed", {"inject": run.id, "index": index,
                                                                 "capability": expected.capability, "deadline_turn": deadline})
            if any(run.missed):
                self._to(run, "expire")
