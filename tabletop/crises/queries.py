"""What other parts may ask of crises (``Plugin.queries``; ``session.query``)."""

from __future__ import annotations

from typing import Any


def alert_in_force(session: Any, township: str) -> bool:
    """An air-raid alert is in force in ``township`` (ADX art 9: traffic stops, people shelter)."""
    return township in session.domain("crises")["alerts"]


def blockade_share(session: Any, good: str) -> float:
    """The share of imports of ``good`` a blockade cuts (0.0 with no blockade)."""
    return float(session.domain("crises")["blockade"].get(good, 0.0))


QUERIES = {
    "crises.alert_in_force": alert_in_force,
    "crises.blockade_share": blockade_share,
}
