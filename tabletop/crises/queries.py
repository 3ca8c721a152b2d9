"""What other parts may ask of crises (``Plugin.queries``; ``session.query``)."""

from __future__ import annotations

from typing import Any, Callable


def alert_in_force(session: Any, township: str) -> bool:
    """An air-raid alert is in force in ``township`` (ADX art 9: traffic stops, people shelter)."""
    return township in session.domain("crises")["alerts"]


def blockade_share(session: Any, good: str) -> float:
    """The share of imports of ``good`` a blockade cuts (0.0 with no blockade)."""
    return float(session.domain("crises")["blockade"].get(good, 0.0))


def shelter_sites(session: Any, township: str) -> list[str]:
    """Sites of the air-raid shelters the scenario lists in ``township`` (``crises.shelters``):
    with the township's own disaster shelters, one shelter concept that no station may share."""
    return sorted(s.id for s in session.domain("crises").section.shelters if s.township == township)


def station(session: Any, ident: str) -> dict[str, Any] | None:
    """A care station's county, township, kind, state, site and number in its township (for its name), or None."""
    found = session.domain("crises")["stations"].get(ident)
    if found is None:
        return None
    return {"county": found["county"], "township": found["township"], "kind": found["kind"], "state": found["state"],
            "site": found.get("site"), "number": found.get("number", 0)}


QUERIES: dict[str, Callable[..., Any]] = {
    "crises.station": station,
    "crises.shelter_sites": shelter_sites,
    "crises.alert_in_force": alert_in_force,
    "crises.blockade_share": blockade_share,
}
