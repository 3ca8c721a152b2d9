"""Foundation commands: exercise control (facilitator), MSEL handling, acknowledgement,
announcements and plain messages (delivered at once until communications land)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictStr

from tabletop import i18n
from tabletop.core import transport
from tabletop.core.events import Event
from tabletop.core.commands import ANY_COUNTY_ROLE, PLAY_STATES, Args, Command, CommandSpec, NoArgs, Rejected
from tabletop.core.injects import InjectRun
from tabletop.core.parts import Choice, Plugin
from tabletop.scenario.model import Id, Positive

FACILITATOR = ("facilitator",)


class InjectArg(Args):
    #: The inject's id (`injects[].id` in the scenario).
    inject: Id


class DelayArgs(Args):
    #: The inject's id.
    inject: Id
    #: How many turns later than now (or than its due turn) it is delivered.
    turns: Positive = 1


class DeckArg(Args):
    #: A deck named by the scenario's injects (`injects[].deck`); one card left in it is drawn at random.
    deck: Id


class AnnounceArgs(Args):
    #: Free text naming who is addressed, e.g. 全體縣民 or 花蓮市、吉安鄉 (not an id).
    audience: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    #: The announcement as broadcast to the public; an official announcement lowers panic buying.
    message: Annotated[StrictStr, Field(min_length=1, max_length=2000)]


class MessageArgs(Args):
    #: A new id for this message (e.g. `m-001`).
    id: Id
    #: A seat (`hualien.commander`), `central`, a township office of the county (`jian`) or another county's EOC (`taitung`).
    to: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    #: The message text.
    body: Annotated[StrictStr, Field(min_length=1, max_length=4000)]
    #: A channel id (`landline`, `mobile`, `radio`, `satellite`, `runner`); none: the best working one.
    channel: StrictStr | None = None


def _trigger(trigger: str):
    def handler(session, command: Command, args) -> None:
        session.fire(trigger)
    return handler


def _inject(session, args) -> InjectRun:
    run = session.injects.get(args.inject)
    if run is None:
        raise Rejected("inject", "reject.unknown_inject", inject=args.inject)
    return run


def _inject_now(session, command: Command, args: InjectArg) -> None:
    run = _inject(session, args)
    if run.state != "scheduled" or run.released_turn is not None:
        raise Rejected("inject", "reject.inject_state", inject=run.id, state=run.state, kind=command.kind)
    session.emit("inject_forced", {"inject": run.id, "due_turn": run.due_turn})
    session.release(run)


def _delay(session, command: Command, args: DelayArgs) -> None:
    run = _inject(session, args)
    if run.state == "scheduled" and run.due_turn is None and run.released_turn is None:
        raise Rejected("inject", "reject.inject_unscheduled", inject=run.id)
    if run.state != "scheduled" or run.due_turn is None or run.released_turn is not None:
        raise Rejected("inject", "reject.inject_state", inject=run.id, state=run.state, kind=command.kind)
    new_turn = max(run.due_turn, session.turn) + args.turns
    if new_turn > session.clock.turns:
        raise Rejected("inject", "reject.last_turn", turn=new_turn, last=session.clock.turns)
    session.emit("inject_rescheduled", {"inject": run.id, "from_turn": run.due_turn, "to_turn": new_turn})
    run.due_turn = new_turn


def _cancel(session, command: Command, args: InjectArg) -> None:
    run = _inject(session, args)
    if run.state != "scheduled" or run.released_turn is not None:
        raise Rejected("inject", "reject.inject_state", inject=run.id, state=run.state, kind=command.kind)
    session.cancel(run)


def _draw_card(session, command: Command, args: DeckArg) -> None:
    if session.draw_card(args.deck) is None:
        raise Rejected("deck", "reject.deck_empty", deck=args.deck)


def _acknowledge(session, command: Command, args: InjectArg) -> None:
    run = _inject(session, args)
    if run.county != command.county:
        raise Rejected("inject", "reject.inject_not_for_you", inject=run.id, target=f"{run.county}.{run.role}")
    if run.state != "delivered":
        raise Rejected("inject", "reject.inject_state", inject=run.id, state=run.state, kind=command.kind)
    session.emit("inject_acknowledged", {"inject": run.id, "by": command.actor,
                                         "turns_after_delivery": session.turn - (run.delivered_turn or 0)})
    session.acknowledge(run)


def _announce(session, command: Command, args: AnnounceArgs) -> None:
    session.emit("announcement", {"county": command.county, "by": command.actor,
                                  "audience": args.audience, "message": args.message})


def _send_message(session, command: Command, args: MessageArgs) -> None:
    if transport.resolve(session, args.to) is None:
        raise Rejected("destination", "reject.unknown_destination", to=args.to)
    session.ids[args.id] = "message"
    session.send(session.node_of(command), args.to, "text",
                 {"by": command.actor, "body": args.body}, channel=args.channel, ident=args.id)


def _specs() -> tuple[CommandSpec, ...]:
    control = [
        CommandSpec(name, FACILITATOR, NoArgs, _trigger(name), trigger=name)
        for name in ("start", "advance", "pause", "resume", "end_exercise", "close")
    ]
    running = ("running_injects", "running_orders", "running_adjudication", "running_turnend")
    msel = [
        CommandSpec("inject_now", FACILITATOR, InjectArg, _inject_now, states=running),
        CommandSpec("delay_inject", FACILITATOR, DelayArgs, _delay, states=("briefing", "paused") + running),
        CommandSpec("draw_card", FACILITATOR, DeckArg, _draw_card, states=running),
        CommandSpec("cancel_inject", FACILITATOR, InjectArg, _cancel, states=("setup", "briefing", "paused") + running),
    ]
    play = [
        CommandSpec("acknowledge", (ANY_COUNTY_ROLE,), InjectArg, _acknowledge, states=PLAY_STATES),
        CommandSpec("announce", ("commander",), AnnounceArgs, _announce, states=PLAY_STATES),
        CommandSpec("send_message", (ANY_COUNTY_ROLE, "central"), MessageArgs, _send_message,
                    states=PLAY_STATES, creates=True),
    ]
    return tuple(control + msel + play)




def _destinations(session, county: str, role: str) -> list[Choice]:
    """Where a seat may send a text message: the seats of its EOC, central, the county's
    township offices and the other counties' EOCs."""
    out: list[Choice] = []
    spec = session.counties.get(county)
    if spec is not None:
        county_name = spec.name.model_dump()
        for other in spec.roles:
            if other != role:
                role_name = i18n.both(f"role.{other}")
                out.append(Choice(f"{county}.{other}", {lang: f"{county_name[lang]} {role_name[lang]}" for lang in i18n.LANGS}))
    out.append(Choice("central", i18n.both("role.central")))
    if spec is not None:
        for town in spec.townships:
            out.append(Choice(town.id, i18n.both("node.township_office", name=town.name.model_dump())))
    for other in session.scenario.counties:
        if other.id != county:
            out.append(Choice(other.id, i18n.both("node.eoc", county=other.name.model_dump())))
    return out


class InjectForced(Event):
    """`inject_now` by the facilitator; `inject_delivered` (or `inject_released`) follows (`due_turn`:
    the turn it was scheduled for, or null)."""

    inject: str
    due_turn: int | None


class InjectRescheduled(Event):
    """`delay_inject` by the facilitator."""

    inject: str
    from_turn: int | None
    to_turn: int


class InjectAcknowledged(Event):
    """An `acknowledge` was accepted (`by`: the actor)."""

    inject: str
    by: str
    turns_after_delivery: int


class Announcement(Event):
    """An `announce` was accepted: `message` to `audience` (everyone, or townships)."""

    county: str
    by: str
    audience: str
    message: str


EVENTS: dict[str, type[BaseModel]] = {
    "inject_forced": InjectForced,
    "inject_rescheduled": InjectRescheduled,
    "inject_acknowledged": InjectAcknowledged,
    "announcement": Announcement,
}

PLUGIN = Plugin(name="foundation", commands=_specs(), choices={"send_message.to": _destinations}, events=EVENTS)
