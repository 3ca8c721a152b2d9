"""The ``distribution:`` scenario section: every number the distribution rules read.

Each field has a documented default (see docs/rules/distribution.md for sources);
figures marked *assumption* have no official source and are meant to be tuned.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr, model_validator

from tabletop.scenario.model import Amount, Count, Id, Name, Positive, Strict, Text

Fraction = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Minutes = Annotated[StrictInt, Field(ge=0, le=7 * 24 * 60)]
Clock = Annotated[StrictStr, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class StationType(Strict):
    """A point-of-distribution type: people served a day over its open hours, staff it needs."""

    #: The type id `open_station.type` names.
    id: Id
    #: Its name shown to players.
    name: Text | None = None
    #: People a fully staffed station serves a day over its open hours.
    people_per_day: Positive
    #: Hours a day it is open, from `params.opens_at`.
    open_hours: Annotated[StrictInt, Field(ge=1, le=24)] = 12
    #: Staff it needs; fewer slow its set-up and service.
    staff: Positive


#: FEMA Point of Distribution types I / II / III (FEMA POD guidance; domain.md section 2).
FEMA_POD_TYPES = (
    StationType(id="type_I", name=Text(zh_TW="第一型配售站", en="POD type I"), people_per_day=20_000, open_hours=12, staff=78),
    StationType(id="type_II", name=Text(zh_TW="第二型配售站", en="POD type II"), people_per_day=10_000, open_hours=12, staff=34),
    StationType(id="type_III", name=Text(zh_TW="第三型配售站", en="POD type III"), people_per_day=5_000, open_hours=12, staff=19),
)


class GoodRules(Strict):
    """How a good moves and is sold (the per-person need itself is in the base ``goods`` catalog)."""

    weight_kg: Amount = Field(default=1.0, description="Shipping weight of one unit, for vehicle capacity.")
    stored_at_station: StrictBool = Field(default=True, description="False for LPG: R forbids storing it at a station.")
    #: Purchases a person may make a month (R: 1 to 3; LPG once); `set_ration` may not exceed it.
    max_purchases_per_month: Annotated[StrictInt, Field(ge=1, le=31)] = 3


#: Defaults for the standard goods (R section 2; weights are *assumptions*).
DEFAULT_GOOD_RULES: dict[str, GoodRules] = {
    "rice": GoodRules(weight_kg=1.0),
    "edible_oil": GoodRules(weight_kg=0.92),
    "salt": GoodRules(weight_kg=1.0),
    "lpg": GoodRules(weight_kg=36.0, stored_at_station=False, max_purchases_per_month=1),
    "water": GoodRules(weight_kg=1.0),
    "infant_formula": GoodRules(weight_kg=0.9),
}


class Road(Strict):
    """An undirected road link between two townships, with travel minutes by truck."""

    #: The link id (`road_closed {road: ID}` closes it).
    id: Id
    #: A township at one end.
    a: Id
    #: The township at the other end.
    b: Id
    #: Truck travel minutes along the link.
    minutes: Annotated[StrictInt, Field(ge=1, le=7 * 24 * 60)]
    #: Closed from the start.
    closed: StrictBool = False


class Fleet(Strict):
    """County transport for moving goods (trucks the county itself commands)."""

    #: The county whose trucks these are.
    county: Id
    #: Trucks it commands.
    vehicles: Count = 10
    #: Load of one truck, kg.
    capacity_kg: Amount = 3500.0


class ReservedSite(Strict):
    """A site that a distribution station may not share (R, station siting): a relief or first-aid station."""

    #: The township of the site.
    township: Id
    #: The site id.
    site: Id
    #: What it is used for.
    use: Literal["shelter", "relief_station", "first_aid_station"]


class Site(Strict):
    """A surveyed station site: overrides the default set-up time."""

    #: The site id `open_station.site` names.
    id: Id
    #: Its township.
    township: Id
    #: Its set-up time (default `params.setup_minutes`).
    setup_minutes: Minutes | None = None
    #: The name (站名) of a station opened here, e.g. `{zh_TW: 中正體育館配售站, en: Zhongzheng Gym station}`; without it a station is named after its township and number (吉安鄉第2配售站, "Ji'an station 2"), unless `open_station.name` names it.
    name: Name | None = None


class AidPool(Strict):
    """What a county can lend other counties besides goods and trucks (docs/rules/mutual-aid.md)."""

    county: Id
    medical_teams: Count = Field(default=0, description="Medical teams (醫療隊) the county can send (assumption: scenario data).")
    shelter_places: Count = Field(default=0, description="Shelter places the county can offer evacuees of another county.")


class AidSection(Strict):
    """Mutual aid between counties (跨縣市支援): what central may allocate from lenders."""

    pools: list[AidPool] = []
    lender_floor_days: Annotated[float, Field(ge=0.0, le=365.0, allow_inf_nan=False)] = Field(
        default=3.0, description="Central may not lend a good below this many days of the lender's own supply "
                                 "(assumption: the 3-day low end of the household reserve advice, domain.md section 1).")

    @model_validator(mode="after")
    def _unique(self) -> "AidSection":
        counties = [pool.county for pool in self.pools]
        if len(counties) != len(set(counties)):
            raise ValueError("a county has two aid pools")
        return self

    def pool(self, county: str) -> AidPool:
        for pool in self.pools:
            if pool.county == county:
                return pool
        return AidPool(county=county)


class Params(Strict):
    """Tunable numbers of the model."""

    setup_minutes: Minutes = Field(default=720, description="Set-up lead time of a fully staffed station (assumption: 12 h).")
    max_setup_factor: Annotated[float, Field(ge=1.0, le=10.0)] = Field(
        default=3.0, description="An understaffed station takes required/staff times longer to set up, at most this factor.")
    closing_minutes: Minutes = Field(default=60, description="Time from closing to closed (assumption).")
    opens_at: Clock = Field(default="08:00", description="Daily opening time; stations stay open for their type's open hours.")
    #: Days in a rationing month (purchases a month are counted over it).
    days_per_month: Annotated[StrictInt, Field(ge=28, le=31)] = 30
    queue_patience_minutes: Minutes = Field(default=480, description="People leave a queue after waiting this long (assumption).")
    max_travel_minutes: Minutes = Field(default=60, description="Beyond this, people do not travel to another township's station (assumption).")
    remote_access: Fraction = Field(default=0.0, description="Share of a remote township's people who travel to a station outside it (assumption).")
    local_minutes: Minutes = Field(default=15, description="Truck minutes within one township (assumption).")
    loading_minutes: Minutes = Field(default=60, description="Loading time before a convoy leaves (assumption).")
    specific_persons_share: Fraction = Field(
        default=0.03, description="Non-registered and foreign residents as a share of population, added when the county includes them (assumption).")
    #: The highest the panic multiplier on demand can go.
    panic_max: Annotated[float, Field(ge=1.0, le=10.0)] = 3.0
    panic_decay: Fraction = Field(default=0.1, description="Each turn panic falls this share of the way back to 1.")
    announce_relief: Fraction = Field(default=0.5, description="An official announcement removes this share of the panic above 1.")


class DistributionSection(Strict):
    """Distribution (配售): station types, road links, fleets, prices and the model's tunable numbers
    (docs/rules/distribution.md)."""

    #: Tunable numbers of the model (set-up times, opening hours, queues, panic).
    params: Params = Params()
    #: Station types that ``open_station.type`` names (default: FEMA POD types I, II, III).
    station_types: list[StationType] = list(FEMA_POD_TYPES)
    #: Per-good rules (weight, stored at stations, purchases a month); goods not listed use the defaults.
    goods: dict[Id, GoodRules] = {}
    #: Road links between townships. Left empty, roads are derived from the townships' coordinates
    #: (nearest neighbours; lint says so); without coordinates no convoy can move between townships.
    roads: list[Road] = []
    #: Trucks each county commands.
    fleets: list[Fleet] = []
    default_fleet: Fleet | None = Field(default=Fleet(county="any"), description="Fleet of a county not listed in fleets (null: none).")
    #: Sites a distribution station may not share (besides the townships' shelters).
    reserved_sites: list[ReservedSite] = []
    #: Surveyed station sites with their own set-up time.
    sites: list[Site] = []
    aid: AidSection = AidSection()
    #: NT$ per unit the county pays the regional supply station (R: prices set by the supply agencies).
    prices: dict[Id, Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]] = {}

    @model_validator(mode="after")
    def _unique(self) -> "DistributionSection":
        for name, items in (("station type", self.station_types), ("road", self.roads), ("site", self.sites)):
            ids = [item.id for item in items]
            if len(ids) != len(set(ids)):
                raise ValueError(f"a {name} id is used twice")
        return self

    def good_rules(self, good: str) -> GoodRules:
        return self.goods.get(good) or DEFAULT_GOOD_RULES.get(good) or GoodRules()

    def station_type(self, type_id: str) -> StationType | None:
        for item in self.station_types:
            if item.id == type_id:
                return item
        return None

    def fleet(self, county: str) -> Fleet | None:
        for fleet in self.fleets:
            if fleet.county == county:
                return fleet
        return self.default_fleet.model_copy(update={"county": county}) if self.default_fleet else None


def section(scenario) -> DistributionSection:
    """The scenario's distribution section (defaults if absent)."""
    return getattr(scenario, "distribution", None) or DistributionSection()
