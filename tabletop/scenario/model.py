"""Typed scenario models (pydantic). Unknown fields are errors; types are strict.

Domain parts of the engine add their own top-level sections (``Plugin.scenario_sections``);
:func:`scenario_model` builds the full model for the parts it is given.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, field_validator, model_validator, create_model

from tabletop.core.parts import Parts
from tabletop.core.roles import COUNTY_ROLES, GLOBAL_ROLES, REQUIRED_ROLES  # noqa: F401  (re-exported for scenario code)

Id = Annotated[StrictStr, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]
Count = Annotated[StrictInt, Field(ge=0)]
Positive = Annotated[StrictInt, Field(ge=1)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]



class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A bilingual text: Traditional Chinese first, English second."""

    zh_TW: StrictStr
    en: StrictStr


class Meta(Strict):
    id: Id
    title: Text
    description: Text | None = None
    default_actions: StrictStr | None = Field(
        default=None, description="Actions file (relative to the scenario's folder) the no-argument run plays.")


class ClockSpec(Strict):
    start: StrictStr
    minutes_per_turn: Annotated[StrictInt, Field(ge=1, le=7 * 24 * 60)]
    turns: Annotated[StrictInt, Field(ge=1, le=10_000)]

    @field_validator("start")
    @classmethod
    def _iso_with_zone(cls, value: str) -> str:
        try:
            when = datetime.fromisoformat(value)
        except ValueError as err:
            raise ValueError(f"not an ISO 8601 date-time: {value!r}") from err
        if when.tzinfo is None:
            raise ValueError("the start needs a time zone, e.g. 2026-07-14T08:00:00+08:00")
        return value


class Township(Strict):
    id: Id
    name: Text
    population: Positive
    households: Positive | None = None
    villages: Positive | None = None
    remote: StrictBool = False
    outlying: StrictBool = False
    coords: tuple[float, float] | None = Field(default=None, description="Longitude, latitude of the township office.")
    shelters: list[Id] = Field(default=[], description="Sites of disaster and air-raid shelters (no distribution station may share one: R, station siting).")


class Warehouse(Strict):
    id: Id
    name: Text
    township: Id
    stock: dict[Id, Amount] = {}


class County(Strict):
    id: Id
    name: Text
    eoc: Text | None = None
    eoc_township: Id | None = Field(default=None, description="The township the EOC stands in (its area for communications); default: the first township.")
    outline: Annotated[list[Annotated[list[tuple[float, float]], Field(min_length=3, max_length=5000)]], Field(max_length=200)] | None = Field(
        default=None, description="The county's outline for the map: rings of [longitude, latitude] (the national generator "
                                  "writes them from scenarios/data/counties_outline.json).")
    roles: list[StrictStr] = list(REQUIRED_ROLES)
    townships: Annotated[list[Township], Field(min_length=1)]
    warehouses: list[Warehouse] = []


class Good(Strict):
    id: Id
    name: Text
    unit: StrictStr
    per_person_per_day: Amount = 0.0


class Phase(Strict):
    id: Id
    name: Text
    first_turn: Positive
    last_turn: Positive
    briefing: Text | None = None
    minutes_per_turn: Annotated[StrictInt, Field(ge=1, le=7 * 24 * 60)] | None = Field(
        default=None, description="Game minutes of each turn of this phase (default: clock.minutes_per_turn).")
    discussion_minutes: Annotated[StrictInt, Field(ge=1, le=24 * 60)] = Field(
        default=50, description="Real minutes the departments discuss and write their report (2025 format: 50).")
    brief_minutes: Annotated[StrictInt, Field(ge=1, le=24 * 60)] = Field(
        default=10, description="Real minutes of leadership's oral brief (2025 format: 10).")

    @model_validator(mode="after")
    def _ordered(self) -> "Phase":
        if self.last_turn < self.first_turn:
            raise ValueError("last_turn is before first_turn")
        return self


class ExpectedAction(Strict):
    """What players should do about an inject (HSEEP's expected player action)."""

    kind: StrictStr | None = Field(default=None, description="The command kind that meets it (or judged_by).")
    args: dict[StrictStr, Any] = {}
    within_turns: Positive = 1
    capability: Id
    role: StrictStr | None = None
    judged_by: Literal["evaluator"] | None = Field(
        default=None, description="Met by an evaluator's rating of the capability (P or S), not by a command.")
    task: Id | None = Field(default=None, description="The capability's task an evaluator judges (judged_by).")

    @model_validator(mode="after")
    def _kind_or_judge(self) -> "ExpectedAction":
        if (self.kind is None) == (self.judged_by is None):
            raise ValueError("give exactly one of kind or judged_by")
        if self.judged_by is not None and self.args:
            raise ValueError("an expectation judged by an evaluator takes no args")
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

    when: Literal["action_missed", "action_met", "condition"]
    inject: Id | None = None
    index: Annotated[StrictInt, Field(ge=0)] | None = None
    condition: Id | None = None
    args: dict[StrictStr, Any] = {}
    not_before_turn: Positive = 1


class Inject(Strict):
    id: Id
    phase: Id | None = None
    at_turn: Positive | None = None
    at_time: StrictStr | None = None
    trigger: Trigger | None = None
    deck: Id | None = Field(default=None, description="A card in this deck: delivered when the facilitator draws it.")
    source: StrictStr | None = Field(
        default=None, description="Where the news comes from (a township, warehouse or station): it travels to the EOC as a message.")
    county: Id
    role: StrictStr
    title: Text
    text: Text
    expected: list[ExpectedAction] = []
    effects: list[Effect] = []

    @model_validator(mode="after")
    def _one_schedule(self) -> "Inject":
        given = [name for name in ("at_turn", "at_time", "trigger", "deck") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of at_turn, at_time, trigger or deck")
        if self.at_time is not None:
            try:
                when = datetime.fromisoformat(self.at_time)
            except ValueError as err:
                raise ValueError(f"at_time is not an ISO 8601 date-time: {self.at_time!r}") from err
            if when.tzinfo is None:
                raise ValueError("at_time needs a time zone")
        return self


class Participants(Strict):
    generate: StrictBool = Field(default=False, description="Generate a duty officer name per seat with Faker zh_TW.")


class ScenarioBase(Strict):
    scenario: Meta
    clock: ClockSpec
    counties: Annotated[list[County], Field(min_length=1)]
    goods: list[Good] = []
    phases: list[Phase] = []
    injects: list[Inject] = []
    participants: Participants = Participants()


@lru_cache(maxsize=None)
def scenario_model(parts: Parts) -> type[ScenarioBase]:
    """The scenario model with every part's top-level section added."""
    sections: dict[str, Any] = {name: (model, model()) for name, model in parts.sections.items()}
    if not sections:
        return ScenarioBase
    return create_model("Scenario", __base__=ScenarioBase, **sections)
