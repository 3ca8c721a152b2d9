"""The effects library of issue 6. Each effect names its parameters (a pydantic model),
documented with an example in docs/injects.md."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StrictStr

from tabletop.core.commands import Args
from tabletop.scenario.model import Id, Positive

Share = Annotated[float, Field(ge=0, le=1)]


def county_of(session: Any, inject: str) -> str:
    return session.injects[inject].county


def towns(session: Any, inject: str, area: list[str]) -> list[str]:
    county = county_of(session, inject)
    every = [t.id for t in session.counties[county].townships]
    return [t for t in every if t in area] if area else every


def call(session: Any, effect: str, inject: str, **params: Any) -> bool:
    """Apply another part's effect (if that part is present), logged like any effect."""
    spec = session.parts.effects.get(effect)
    if spec is None:
        return False
    session.emit("effect_applied", {"inject": inject, "type": effect, "args": params, "via": "compound"})
    spec.apply(session, spec.args.model_validate(params), inject)
    return True


# ----- parameter models -------------------------------------------------------------------
class AlertArgs(Args):
    area: list[Id] = []
    duration: Positive = 1


class AllClearArgs(Args):
    area: list[Id] = []


class StrikeArgs(Args):
    target: Literal["warehouse", "road", "bridge", "base_station", "power_substation", "station"]
    id: Id | None = Field(default=None, description="The warehouse, road or station hit.")
    area: list[Id] = []
    severity: Share = 0.5
    casualties: Annotated[int, Field(ge=0)] = 0
    duration: Positive | None = None


class PanicBuyingArgs(Args):
    townships: list[Id] = []
    multiplier: Annotated[float, Field(gt=1, le=10)] = 1.5


class DisinformationArgs(Args):
    rumour: Annotated[StrictStr, Field(min_length=1)]
    audience: list[Id] = []
    multiplier: Annotated[float, Field(gt=1, le=10)] = 1.5


class CasualtyArgs(Args):
    township: Id
    casualties: Annotated[int, Field(ge=1)]


class DisplacementArgs(Args):
    township: Id
    people: Annotated[int, Field(ge=1)]


class BlockadeArgs(Args):
    goods: list[Id]
    import_cut: Share = 1.0


class DisasterArgs(Args):
    area: list[Id] = []
    severity: Share = 0.5
    duration: Positive = 2
    roads: list[Id] = []


class NoShowArgs(Args):
    station: Id
    share: Share


class BreakdownArgs(Args):
    resource: Id
