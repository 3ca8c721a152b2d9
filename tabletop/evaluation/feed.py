"""The evaluation part's event feed lines (``Plugin.feed``; see :mod:`tabletop.feed`)."""

from __future__ import annotations

from typing import Any

from tabletop import i18n
from tabletop.feed import Names, Params


def _clock(n: Names, d: dict[str, Any]) -> dict[str, Any]:
    return {"segment": i18n.t(f"segment.{d.get('segment')}", n.lang), "minutes": d.get("minutes", "")}


def _seat(n: Names, d: dict[str, Any]) -> dict[str, Any]:
    """A department's report, or an evaluator's observation or rating of a county or department."""
    county, role = d.get("county"), d.get("role")
    seat = n.actor(f"{county}.{role}") if role and county else n.county(county)
    capability = str(d.get("capability", ""))
    key = f"score.cap.{capability}"
    return {"seat": seat, "version": d.get("version", ""), "rating": d.get("rating", ""),
            "capability": i18n.t(key, n.lang) if key in i18n.TABLE else capability}


def _by(n: Names, d: dict[str, Any]) -> dict[str, Any]:
    return {"by": n.actor(d.get("by", "")), "item": d.get("item", ""), "version": d.get("version", "")}


FEED: dict[str, Params] = {
    "clock_started": _clock, "clock_paused": _clock, "clock_extended": _clock, "clock_skipped": _clock,
    "report_submitted": _seat, "observation_recorded": _seat, "rating_recorded": _seat,
    "feedback_submitted": _by, "ip_item_saved": _by,
}
