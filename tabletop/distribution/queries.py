"""What other parts may ask of distribution (``Plugin.queries``; ``session.query``)."""

from __future__ import annotations

from typing import Any, Callable


def _state(session: Any) -> Any:
    return session.domain("distribution")


def station(session: Any, ident: str) -> dict[str, Any] | None:
    """A distribution station's county, township, site, state, staff, number in its township and
    given name (None: derived, ``tabletop.scenario.names.station_name``), or None."""
    found = _state(session).stations.get(ident)
    if found is None:
        return None
    return {"county": found.county, "township": found.township, "site": found.site, "state": found.state,
            "staff": found.staff, "number": found.number, "name": found.name, "kind": "distribution"}


def active_in(session: Any, townships: set[str]) -> list[dict[str, Any]]:
    """Stations open or setting up in ``townships``, in id order: {"station", "county", "township"}."""
    stations = _state(session).stations
    return [{"station": sid, "county": stations[sid].county, "township": stations[sid].township}
            for sid in sorted(stations)
            if stations[sid].township in townships and stations[sid].state in ("open", "setting_up")]


def site_taken(session: Any, township: str, site: str) -> str | None:
    """The distribution station (not closed) using ``site`` in ``township``, if any."""
    stations = _state(session).stations
    return next((sid for sid in sorted(stations) if stations[sid].township == township
                 and stations[sid].site == site and stations[sid].state != "closed"), None)


def reserve_site(session: Any, township: str, site: str, use: str) -> None:
    """Another part (a care station) takes ``site``: distribution's siting rules see it as used."""
    _state(session).reserved.setdefault(township, {})[site] = use


def set_staff(session: Any, ident: str, staff: int) -> None:
    """A crisis changed a station's staff (volunteers who did not come)."""
    _state(session).stations[ident].staff = staff


def place_township(session: Any, ident: str) -> str | None:
    """The township a warehouse or distribution station stands in, or None."""
    return _state(session).place_township(ident)


def roads(session: Any) -> list[Any]:
    """The road links in play: the scenario's, or those derived from the townships' coordinates."""
    return list(session.domain("distribution").roads)


QUERIES: dict[str, Callable[..., Any]] = {
    "distribution.roads": roads,
    "distribution.place_township": place_township,
    "distribution.station": station,
    "distribution.active_in": active_in,
    "distribution.site_taken": site_taken,
    "distribution.reserve_site": reserve_site,
    "distribution.set_staff": set_staff,
}
