"""The crises part's events (their data models; see :mod:`tabletop.core.events`)."""

from __future__ import annotations


from pydantic import BaseModel, Field

from tabletop.core.events import Event


class AlertIssued(Event):
    """An air-raid alert (`air_raid_alert` effect) is in force in `area` (townships of `county`) until
    `until_turn`: no station there opens, resumes or serves."""

    area: list[str]
    county: str
    until_turn: int


class AlertRelayed(Event):
    """`relay_alert` accepted: the EOC relayed the alert to `township` over `channel`, `delay_turns`
    after it was issued."""

    channel: str
    delay_turns: int
    township: str


class AllClear(Event):
    """The alert ended in `area` (townships): stations there may open and serve again."""

    area: list[str]


class Blockade(Event):
    """A blockade (`blockade` effect) cut imports of `goods` by the share `import_cut`."""

    goods: list[str]
    import_cut: float


class CareStationOpened(Event):
    """`open_care_station` accepted: a care station of `kind` (shelter, medical ...) is set up at
    `site` in `township`, ready at `ready_turn`."""

    kind: str
    ready_turn: int
    site: str
    staff: int
    station: str
    township: str


class CareStationState(Event):
    """A care station changed state (`planned`, `setting_up`, `open`, `suspended`, `closing`,
    `closed`); `kind` is its kind, `reason` why."""

    station: str
    kind: str
    from_: str | None = Field(alias="from")
    to: str
    reason: str | None


class CasualtiesDied(Event):
    """Casualties waiting in `township` died untreated this turn (`waiting`: those still waiting)."""

    people: int
    township: str
    waiting: int


class CasualtiesTreated(Event):
    """Open medical stations in `township` treated `people` casualties this turn (`waiting`: those
    still waiting)."""

    people: int
    township: str
    waiting: int


class DisplacedRegistered(Event):
    """Open shelters in `township` registered `people` displaced residents this turn (`waiting`: those
    still waiting)."""

    people: int
    township: str
    waiting: int


class Displacement(Event):
    """A strike or disaster displaced `people` in `township` (`waiting`: all waiting for shelter there
    now)."""

    people: int
    township: str
    waiting: int


class MassCasualty(Event):
    """A strike caused `people` casualties in `township` (`waiting`: all waiting for treatment there
    now)."""

    people: int
    township: str
    waiting: int


class Rumour(Event):
    """Disinformation (`disinformation` effect): `rumour` spreads in the `audience` townships."""

    audience: list[str]
    rumour: str


class ShelterOccupancy(Event):
    """Air-raid and disaster shelters in `township` hold `people` of `capacity` (`over_capacity`: those
    without a place)."""

    capacity: int
    over_capacity: int
    people: int
    township: str


class StationsOnGenerator(Event):
    """During a power outage, requisitioned generators (`kw` in all) keep these `stations` of `county`
    running."""

    county: str
    kw: float
    stations: list[str]


class Strike(Event):
    """A strike hit `target` (`id`, with `severity` 0-1) and the townships of `area`; its damage events
    follow."""

    area: list[str]
    id: str
    severity: float
    target: str


class VehicleBreakdown(Event):
    """A vehicle (`resource`) broke down and is out of service."""

    resource: str


class VolunteersMissing(Event):
    """Volunteers did not show up at `station`: its staff went from `before` to `after` (both null when
    the station was not there)."""

    after: int
    before: int
    station: str


EVENTS: dict[str, type[BaseModel]] = {
    "alert_issued": AlertIssued,
    "alert_relayed": AlertRelayed,
    "all_clear": AllClear,
    "blockade": Blockade,
    "care_station_opened": CareStationOpened,
    "care_station_state": CareStationState,
    "casualties_died": CasualtiesDied,
    "casualties_treated": CasualtiesTreated,
    "displaced_registered": DisplacedRegistered,
    "displacement": Displacement,
    "mass_casualty": MassCasualty,
    "rumour": Rumour,
    "shelter_occupancy": ShelterOccupancy,
    "stations_on_generator": StationsOnGenerator,
    "strike": Strike,
    "vehicle_breakdown": VehicleBreakdown,
    "volunteers_missing": VolunteersMissing,
}
