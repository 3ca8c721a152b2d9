"""Typed scenario models (pydantic). Unknown fields are errors; types are strict.

Domain parts of the engine add their own top-level sections (``Plugin.scenario_sections``);
:func:`scenario_model` builds the full model for the parts it is given.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, field_validator, model_validator, create_model
from pydantic_core import PydanticCustomError

from tabletop.core.parts import Parts
from tabletop.core.roles import COUNTY_ROLES, GLOBAL_ROLES, REQUIRED_ROLES  # noqa: F401  (re-exported for scenario code)

Id = Annotated[StrictStr, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]
Count = Annotated[StrictInt, Field(ge=0)]
Positive = Annotated[StrictInt, Field(ge=1)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]



def iso_with_zone(value: str) -> str:
    """An ISO 8601 date-time with a time zone, else a validation error with our own message key."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("scenario.not_iso_time", "not an ISO 8601 date-time: {value}", {"value": value}) from None
    if when.tzinfo is None:
        raise PydanticCustomError("scenario.no_time_zone", "the date-time needs a time zone: {value}", {"value": value})
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A bilingual text: Traditional Chinese first, English second."""

    zh_TW: StrictStr
    en: StrictStr


class Name(Strict):
    """A display name: Traditional Chinese, English optional (the Chinese shows where it is missing)."""

    zh_TW: Annotated[StrictStr, Field(min_length=1)]
    en: StrictStr | None = None


class Meta(Strict):
    id: Id = Field(description="The scenario's id; it names the default run's log (`out/<id>-seed1.jsonl`).")
    title: Text = Field(description="Title shown to players and in summaries.")
    description: Text | None = Field(default=None, description="A longer description.")
    default_actions: StrictStr | None = Field(
        default=None, description="An actions file, relative to the scenario's folder, that the no-argument run "
        "(`python run_exercise.py`) plays; `run --actions` naming another file does not need it. It must stay inside "
        "the scenario's folder (an error); a file not written yet is a warning.")


class ClockSpec(Strict):
    start: StrictStr = Field(description="ISO 8601 date-time **with a time zone**, e.g. `\"2026-07-14T08:00:00+08:00\"`. Quote it. Turn 1 starts here.")
    minutes_per_turn: Annotated[StrictInt, Field(ge=1, le=7 * 24 * 60)] = Field(description="Game minutes per turn.")
    turns: Annotated[StrictInt, Field(ge=1, le=10_000)] = Field(description="Number of turns. Exercises may span several days; every record carries its turn and game time.")

    @field_validator("start")
    @classmethod
    def _iso_with_zone(cls, value: str) -> str:
        return iso_with_zone(value)


class Township(Strict):
    id: Id = Field(description="Unique across the **whole scenario**, and not shared with any warehouse id (townships and warehouses are one namespace: both are places messages can be sent to).")
    name: Text = Field(description="e.g. `{zh_TW: 吉安鄉, en: Ji'an}`.")
    population: Positive = Field(description="Registered population (人口). 0 is an impossible value.")
    households: Positive | None = Field(default=None, description="Households (戶數); may not exceed the population.")
    villages: Positive | None = Field(default=None, description="Villages and boroughs (村里數); distribution plans one station per village by default.")
    remote: StrictBool = Field(default=False, description="Remote area (偏遠地區), e.g. mountain townships.")
    outlying: StrictBool = Field(default=False, description="Outlying island (離島): one distribution station per township instead of per village.")
    coords: tuple[float, float] | None = Field(default=None, description="`[longitude, latitude]` of the township office. When a county's townships all have coordinates and the scenario gives no `distribution.roads`, a road graph is derived from them (see \"Derived roads\").")
    shelters: list[Id] = Field(default=[], description="Sites of disaster and air-raid shelters (避難處所); no distribution station may share one (rationing rules, station siting: rule `R.siting`).")


class Warehouse(Strict):
    id: Id = Field(description="Unique across the whole scenario (shared namespace with townships).")
    name: Text = Field(description="Use fictional names: real stockpile sites are classified.")
    township: Id = Field(description="A township **of the same county**.")
    stock: dict[Id, Amount] = Field(default={}, description="Stock per good, in the good's unit; every key must be a declared good. Negative, NaN and infinite amounts are refused.")


class County(Strict):
    id: Id = Field(description="County id, e.g. `hualien`. Unique.")
    name: Text = Field(description="e.g. `{zh_TW: 花蓮縣, en: Hualien County}`.")
    eoc: Text | None = Field(default=None, description="Name of the county's response centre.")
    eoc_township: Id | None = Field(default=None, description="The township the EOC stands in (its area for communications); default: the first township.")
    outline: Annotated[list[Annotated[list[tuple[float, float]], Field(min_length=3, max_length=5000)]], Field(max_length=200)] | None = Field(
        default=None, description="The county's outline for the map: rings of [longitude, latitude] (the national generator "
                                  "writes them from scenarios/data/counties_outline.json).")
    roles: list[StrictStr] = Field(default=list(REQUIRED_ROLES), description="The seats (席位) at this county's EOC. Known roles: `commander` 指揮官, `mobilization` 動員, `supply` 民生物資（經濟）, `civil_affairs` 民政, `social_affairs` 社會, `health` 衛生, `comms` 通信, `police` 警察, `fire` 消防, `reserve_command` 後備指揮部. No role twice.")
    townships: Annotated[list[Township], Field(min_length=1)] = Field(description="The county's townships.")
    warehouses: list[Warehouse] = Field(default=[], description="Stockpiles.")


class Good(Strict):
    id: Id = Field(description="e.g. `rice`, `edible_oil`, `salt`, `lpg`. Unique.")
    name: Text = Field(description="e.g. `{zh_TW: 食用油, en: edible oil}`.")
    unit: StrictStr = Field(description="e.g. `kg`, `L`, `cylinder`.")
    per_person_per_day: Amount = Field(default=0.0, description="Consumption, used to show stocks as days of supply. Per-person ration quantities are not public; treat this as a scenario parameter.")


class Phase(Strict):
    id: Id = Field(description="Unique.")
    name: Text = Field(description="e.g. `{zh_TW: 聯合封鎖, en: Joint Blockade}`.")
    first_turn: Positive = Field(description="First turn of the phase.")
    last_turn: Positive = Field(description="Last turn; not before `first_turn`, not after `clock.turns`.")
    briefing: Text | None = Field(default=None, description="Read out when the phase starts (logged in `phase_started`).")
    minutes_per_turn: Annotated[StrictInt, Field(ge=1, le=7 * 24 * 60)] | None = Field(
        default=None, description="Game minutes of each turn of this phase (default: `clock.minutes_per_turn`): a stage may "
        "run 2-hour turns and the next 48-hour ones. Turn starts, dates, deadlines and due dates follow every turn's own "
        "length; rules of a turn (convoy travel, station hours) use its length.")
    discussion_minutes: Annotated[StrictInt, Field(ge=1, le=24 * 60)] = Field(
        default=50, description="Real minutes the departments discuss and write their response report (the 2025 county "
        "format). The phase clock's default for `clock_start {segment: discussion}`; a scripted run's stamps use it.")
    brief_minutes: Annotated[StrictInt, Field(ge=1, le=24 * 60)] = Field(
        default=10, description="Real minutes of leadership's oral brief (`clock_start {segment: brief}`).")

    @model_validator(mode="after")
    def _ordered(self) -> "Phase":
        if self.last_turn < self.first_turn:
            raise PydanticCustomError("scenario.phase_order", "last_turn is before first_turn",
                                      {"first": self.first_turn, "last": self.last_turn})
        return self


class ExpectedAction(Strict):
    """What players should do about an inject (HSEEP's expected player action)."""

    kind: StrictStr | None = Field(default=None, description="A command kind (e.g. `announce`, `send_message`) that meets it; must be a known kind. Give it or `judged_by`.")
    args: dict[StrictStr, Any] = Field(default={}, description="Constraints on the command's arguments: each key must equal the value given, or be one of a list (`to: [zhuoxi, wanrong]`).")
    within_turns: Positive = Field(default=1, description="Deadline: by the end of turn `delivery turn + within_turns - 1` (1 = the delivery turn itself).")
    capability: Id = Field(description="The capability it evaluates (e.g. `public_information`, `supply_chain`, `mass_care`), for HSEEP-style P/S/M/U scoring.")
    role: StrictStr | None = Field(default=None, description="Only this seat's command counts. Must be a role of the target county.")
    judged_by: Literal["evaluator"] | None = Field(
        default=None, description="Met by an evaluator's rating of the capability (P or S), not by a command.")
    task: Id | None = Field(default=None, description="The capability's task an evaluator judges (judged_by).")

    @model_validator(mode="after")
    def _kind_or_judge(self) -> "ExpectedAction":
        if (self.kind is None) == (self.judged_by is None):
            raise PydanticCustomError("scenario.kind_or_judge", "give exactly one of kind or judged_by", {})
        if self.judged_by is not None and self.args:
            raise PydanticCustomError("scenario.judged_no_args", "an expectation judged by an evaluator takes no args", {})
        return self

    def logged(self) -> dict[str, Any]:
        """As ``inject_delivered`` logs it (the judged fields only where used)."""
        data = self.model_dump()
        for name in ("judged_by", "task"):
            if data[name] is None:
                del data[name]
        return data


class Effect(BaseModel):
    """One effect of an inject: ``{type: air_raid_alert, area: [...], duration: 2}``.

    The parameters beside ``type`` are checked against the effect's own schema
    (declared by the plugin that provides it) when the scenario is validated.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    type: Id


class Trigger(Strict):
    """When a triggered inject fires (checked at the start of every turn, before deliveries).

    - ``action_missed``: the expected action ``index`` (or any) of ``inject`` was missed
      (HSEEP contingency message).
    - ``action_met``: that expected action was done (a follow-up that depends on players).
    - ``condition``: a named condition on the truth holds, e.g. ``days_of_supply_below``
      with ``args: {good: rice, days: 3}``; conditions are provided by the engine's parts.
    """

    when: Literal["action_missed", "action_met", "condition"] = Field(description="`action_missed`: an expected action of `inject` was missed (HSEEP contingency). `action_met`: it was met (all of them, if no `index`). `condition`: a named condition on the truth holds.")
    inject: Id | None = Field(default=None, description="The inject watched (for `action_*`); must exist, have expected actions, and not be this inject.")
    index: Annotated[StrictInt, Field(ge=0)] | None = Field(default=None, description="Which expected action of `inject`.")
    condition: Id | None = Field(default=None, description="For `condition`: a registered condition, e.g. `days_of_supply_below`.")
    args: dict[StrictStr, Any] = Field(default={}, description="The condition's parameters, checked against its schema, e.g. `{good: rice, days: 3}`.")
    not_before_turn: Positive = Field(default=1, description="Not checked before this turn.")


class Inject(Strict):
    id: Id = Field(description="Unique.")
    phase: Id | None = Field(default=None, description="A declared phase.")
    at_turn: Positive | None = Field(default=None, description="Delivered at the start of this turn (not after `clock.turns`).")
    at_time: StrictStr | None = Field(default=None, description="ISO 8601 date-time with a zone; delivered in the first turn that starts at or after it (a time before the start means turn 1).")
    trigger: Trigger | None = Field(default=None, description="Delivered when the trigger fires.")
    deck: Id | None = Field(default=None, description="A card in this deck, delivered when the facilitator draws it (`draw_card {deck}`), at random from the cards left.")
    source: StrictStr | None = Field(
        default=None, description="Where the news comes from: a township or warehouse of the inject's county (`jian`, "
        "`township:jian`, `warehouse:wh_port`) or a station (`station:<id>`). When set, the inject's event happens at its "
        "scheduled time (effects applied, `inject_released` logged) but the players receive it only when the message "
        "from that place reaches their EOC, so a communications failure can delay it. Without it, exercise control "
        "hands the inject over at once.")
    county: Id = Field(description="The target county.")
    role: StrictStr = Field(description="The target seat; one of the county's `roles`.")
    title: Text = Field(description="Short title.")
    text: Text = Field(description="The message.")
    expected: list[ExpectedAction] = Field(default=[], description="Expected player actions (HSEEP).")
    effects: list[Effect] = Field(default=[], description="What delivering it does to the world.")

    @model_validator(mode="after")
    def _one_schedule(self) -> "Inject":
        given = [name for name in ("at_turn", "at_time", "trigger", "deck") if getattr(self, name) is not None]
        if len(given) != 1:
            raise PydanticCustomError("scenario.one_schedule", "give exactly one of at_turn, at_time, trigger or deck",
                                      {"given": ", ".join(given) or "—"})
        if self.at_time is not None:
            iso_with_zone(self.at_time)
        return self


class Deck(Strict):
    id: Id = Field(description="The deck id that injects' `deck` names.")
    name: Text = Field(description="What the room calls the deck (卡組名), shown wherever the deck is.")


class Participants(Strict):
    generate: StrictBool = Field(default=False, description="Generate a duty officer's name per seat with Faker (zh_TW), seeded from the session seed. The names go into the log header and are read back from there, never regenerated.")


class ScenarioBase(Strict):
    scenario: Meta = Field(description="Id, title, description, default actions file.")
    clock: ClockSpec = Field(description="Start date-time, minutes per turn, number of turns.")
    counties: Annotated[list[County], Field(min_length=1)] = Field(description="The counties playing, each a Joint Response Command and Control Center (聯合應變指揮管制中心, the EOC).")
    goods: list[Good] = Field(default=[], description="The goods catalogue that warehouse stocks refer to.")
    phases: list[Phase] = Field(default=[], description="Named spans of turns (for example 聯合封鎖 / 火力打擊 / 全面作戰).")
    injects: list[Inject] = Field(default=[], description="The MSEL.")
    decks: list[Deck] = Field(default=[], description="Names of the card decks injects are drawn from (a deck not listed is shown by its id).")
    participants: Participants = Field(default=Participants(), description="Whether to generate duty-officer names.")


def deck_name(scenario: Any, deck: str) -> dict[str, str]:
    """A deck's bilingual name (``decks:``), or its id in both languages where none is given."""
    for item in getattr(scenario, "decks", None) or ():
        if item.id == deck:
            return dict(item.name.model_dump())
    return {"zh_TW": deck, "en": deck}


@lru_cache(maxsize=None)
def scenario_model(parts: Parts) -> type[ScenarioBase]:
    """The scenario model with every part's top-level section added."""
    sections: dict[str, Any] = {name: (model, model()) for name, model in parts.sections.items()}
    if not sections:
        return ScenarioBase
    return create_model("Scenario", __base__=ScenarioBase, **sections)
