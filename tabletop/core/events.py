"""Event records and their data models: the core's own events, and the base every part's models use.

Every event kind has one shape, declared once, by the core or by the one part that emits it
(``Plugin.events``: kind -> model). A model's docstring says when the event is logged; its
fields are the event's ``data``. ``docs/log-format.md``'s event table is generated from these
models (``python tools/make_event_docs.py``). Sessions check every event they emit against its
model when :attr:`tabletop.core.session.Session.check_events` is on (the test suite turns it on):
strict types, no field the model does not name.

Models describe the log; the engine never builds them on its hot path (it emits plain dicts).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Event(BaseModel):
    """Base of event data models: strict types, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class Text(BaseModel):
    """A bilingual text from the scenario (never rendered engine text)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    zh_TW: str
    en: str


class BadEvent(ValueError):
    """An event whose data does not fit its kind's model (an engine bug)."""


def check(models: dict[str, type[BaseModel]], kind: str, data: dict[str, Any]) -> None:
    """Raise :class:`BadEvent` unless ``data`` fits the model declared for ``kind``."""
    model = models.get(kind)
    if model is None:
        raise BadEvent(f"event kind {kind!r} is declared by no part (Plugin.events)")
    try:
        model.model_validate(data)
    except ValidationError as err:
        raise BadEvent(f"event {kind!r} does not fit {model.__name__}: {err}") from None


# ----- the core's events ------------------------------------------------------------------
class ExerciseState(Event):
    """Every lifecycle transition: `start`, `advance`, `pause`, `resume`, `end_exercise`, `close`.
    States: `setup`, `briefing`, `running_injects`, `running_orders`, `running_adjudication`,
    `running_turnend`, `paused`, `hotwash`, `closed`."""

    from_: str = Field(alias="from")
    to: str
    trigger: str


class TurnStarted(Event):
    """On `advance` into `running_injects`; `day` is the exercise day (1-based, calendar days from
    the start date)."""

    turn: int
    time: str
    day: int


class PhaseStarted(Event):
    """At the start of a scenario phase's first turn."""

    phase: str
    name: Text
    briefing: Text | None
    last_turn: int


class InjectTriggered(Event):
    """A triggered inject's trigger held at the start of a turn (`source`: the watched inject or
    the condition)."""

    inject: str
    when: str
    source: str | None


class InjectReleased(Event):
    """An inject with a `source`: its event happens now (its effects follow) and its news leaves
    `source` as a message of kind `inject`; `inject_delivered` follows when that message arrives."""

    inject: str
    source: str


class InjectDelivered(Event):
    """An inject reaches its seat. Deadlines count from this turn. `channel` is `control` when
    exercise control hands it over, else the channel its message came by; `released_turn` is the
    turn its event happened; `expected` lists each expected action with `kind`, `args`,
    `within_turns`, `capability`, `role` and `deadline_turn` (and `judged_by`, `task` for an
    expectation judged by an evaluator, whose `kind` is null)."""

    inject: str
    county: str
    role: str
    phase: str | None
    channel: str
    released_turn: int
    title: Text
    text: Text
    expected: list[dict[str, Any]]


class InjectState(Event):
    """Every inject transition: `scheduled→delivered`, `delivered→acknowledged`,
    `acknowledged→resolved`, `delivered|acknowledged→expired`, `scheduled→cancelled`."""

    inject: str
    from_: str = Field(alias="from")
    to: str


class CardDrawn(Event):
    """`draw_card`: the card chosen with the session's `deck` random stream; `inject_delivered`
    (or `inject_released`) follows."""

    deck: str
    inject: str
    left: int


class EffectApplied(Event):
    """Each effect of an inject, when it is delivered (or released, for an inject with a
    `source`), before the effect's own events; `via: compound` when a compound effect applies
    another part's effect."""

    inject: str
    type: str
    args: dict[str, Any]
    via: str | None = None


class ExpectedActionMet(Event):
    """An accepted command matched an expected action (`command`: its seq); `judged: true` when an
    evaluator's `rate` (P or S) met an expectation `judged_by: evaluator`."""

    inject: str
    index: int
    command: int
    capability: str
    turns_after_delivery: int
    judged: bool | None = None


class ExpectedActionMissed(Event):
    """At turn end, an expected action's deadline passed unmet; the inject then expires. `judged:
    true` when an evaluator rated an expectation `judged_by: evaluator` M or U (at once)."""

    inject: str
    index: int
    capability: str
    deadline_turn: int
    judged: bool | None = None


class MessageSent(Event):
    """A message left its sender (`send_message`, or orders and reports the engine's parts send);
    `from` and `to` are nodes (`eoc:hualien`, `township:jian`, `central` ...)."""

    id: str
    from_: str = Field(alias="from")
    to: str
    kind: str
    channel: str | None
    payload: dict[str, Any]


class MessageDelivered(Event):
    """It arrived. With no communications model it arrives at once (`channel: "direct"`,
    `latency: 0`); the communications part replaces the transport, so delivery may come turns
    later, over a named channel, or fail."""

    id: str
    channel: str
    latency: int


class CommandRejected(Event):
    """The command was refused; the session goes on. `key` is the translation-table key of the
    reason and `params` its parameters; readers render it (`tabletop.i18n.reason(data, lang)`)."""

    command: int
    kind: str
    rule: str
    key: str
    params: dict[str, Any]


#: The core's event kinds (the parts declare theirs in ``Plugin.events``).
EVENTS: dict[str, type[BaseModel]] = {
    "exercise_state": ExerciseState,
    "turn_started": TurnStarted,
    "phase_started": PhaseStarted,
    "inject_triggered": InjectTriggered,
    "inject_released": InjectReleased,
    "inject_delivered": InjectDelivered,
    "inject_state": InjectState,
    "card_drawn": CardDrawn,
    "effect_applied": EffectApplied,
    "expected_action_met": ExpectedActionMet,
    "expected_action_missed": ExpectedActionMissed,
    "message_sent": MessageSent,
    "message_delivered": MessageDelivered,
    "command_rejected": CommandRejected,
}
