"""The ``comms:`` scenario section: channels, links and reporting. Every number has a default.

Defaults are planning assumptions (no official figures are public): see
docs/rules/communications.md.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, StrictStr

from tabletop.scenario.model import Id, Strict, Text

Turns = Annotated[StrictInt, Field(ge=0, le=1000)]


class Channel(Strict):
    #: The channel id (`send_message.channel`, `set_channel.channel`).
    id: Id
    #: Its name shown to players.
    name: Text
    #: Turns a message takes on it.
    latency_turns: Turns = 0
    #: Messages it carries a turn on one link.
    capacity_per_turn: Annotated[StrictInt, Field(ge=1)] = 50
    #: Fails in a power outage once its battery runs out.
    needs_power: StrictBool = False
    #: Turns it lasts on battery.
    battery_turns: Turns = 0
    #: Fails where the mobile base stations are down.
    needs_base_station: StrictBool = False
    #: Share of messages lost on it.
    loss: Annotated[float, Field(ge=0, le=1)] = 0.0
    #: Lower is preferred when the sender picks no channel.
    rank: Annotated[StrictInt, Field(ge=0)] = 0


def _ch(id_: str, zh: str, en: str, **kw) -> Channel:
    return Channel(id=id_, name=Text(zh_TW=zh, en=en), **kw)


DEFAULT_CHANNELS = [
    _ch("landline", "市話", "landline", capacity_per_turn=40, needs_power=True, battery_turns=2, rank=1),
    _ch("mobile", "行動電話", "mobile", capacity_per_turn=60, needs_power=True, battery_turns=1,
        needs_base_station=True, rank=2),
    _ch("radio", "無線電", "radio", capacity_per_turn=15, rank=3),
    _ch("satellite", "衛星電話", "satellite phone", capacity_per_turn=5, rank=4),
    _ch("runner", "傳令", "runner", latency_turns=1, capacity_per_turn=1000, rank=5),
]


class Link(Strict):
    """A link between two nodes (``eoc:hualien``, ``township:jian``, ``central``...) and its channels."""

    #: A node at one end (`eoc:hualien`, `township:jian`, `central`).
    a: StrictStr
    #: The node at the other end.
    b: StrictStr
    #: The channels the link has.
    channels: list[Id]


class CommsSection(Strict):
    """Communications (通信): channels, the links between nodes and reporting (docs/rules/communications.md)."""

    #: The channels messages travel on (default: landline, mobile, radio, satellite, runner).
    channels: list[Channel] = list(DEFAULT_CHANNELS)
    #: Channels of the links made automatically (EOC to each township office, warehouse and station).
    field_channels: list[Id] = ["landline", "mobile", "radio", "runner"]
    #: Channels of each EOC's link to the central authorities.
    central_channels: list[Id] = ["landline", "mobile", "satellite"]
    #: Links added to (or replacing, for the same pair) the automatic ones.
    links: list[Link] = []
    #: Field units report to their EOC every N turns (and on events).
    report_every_turns: Annotated[StrictInt, Field(ge=1)] = 1
    #: Turns a repair crew needs.
    repair_turns: Annotated[StrictInt, Field(ge=1)] = 2
