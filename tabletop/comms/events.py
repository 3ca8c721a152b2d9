"""The communications part's events (their data models; see :mod:`tabletop.core.events`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from tabletop.core.events import Event


class ChannelSelected(Event):
    """`set_channel` accepted: orders and reports over `link` go by `channel` first (`by`: the actor)."""

    link: str
    channel: str
    by: str


class ChannelState(Event):
    """A channel of a link changed state (`up`, `degraded`, `down` ...) at the start of a turn;
    `cause` names the effect, strike or outage, or `restored`."""

    link: str
    channel: str
    from_: str = Field(alias="from")
    to: str
    cause: str


class MessageQueued(Event):
    """No channel of `link` can carry message `id` this turn: it waits in the link's queue (logged
    once per message; `channel`: the one asked for, or null)."""

    id: str
    link: str
    channel: str | None


class MessageLost(Event):
    """Message `id` was lost on `channel` of `link` (the channel's loss rate, the session's
    random stream)."""

    id: str
    link: str
    channel: str


class PowerRestored(Event):
    """A power outage ended in `area` (townships): the channels that need power come back."""

    area: list[str]


class RepairStarted(Event):
    """`request_repair` accepted: `crew` works on a `link` or a `node` until `done_turn`."""

    id: str
    crew: str
    done_turn: int
    link: str | None = None
    node: str | None = None


class RepairDone(Event):
    """Repair `id` finished; `cleared` lists the damage it removed."""

    id: str
    cleared: list[Any]


class ReportReceived(Event):
    """A field node's report reached the EOC of `county`: what `from` knew as of turn `as_of`
    (`facts`, merged from every part's ``facts``). A township's scheduled report also carries
    its stations' facts (`stations`: station node -> facts; format 5). The EOC's picture comes
    only from these."""

    county: str
    from_: str = Field(alias="from")
    facts: dict[str, Any]
    as_of: int
    stations: dict[str, dict[str, Any]] | None = None


EVENTS: dict[str, type[BaseModel]] = {
    "channel_selected": ChannelSelected,
    "channel_state": ChannelState,
    "message_queued": MessageQueued,
    "message_lost": MessageLost,
    "power_restored": PowerRestored,
    "repair_started": RepairStarted,
    "repair_done": RepairDone,
    "report_received": ReportReceived,
}
