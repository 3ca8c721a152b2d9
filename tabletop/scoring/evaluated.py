"""What the room and its evaluators add to the score document (read from the log only):

- ``room``: the real-minute responsiveness per phase, seat and department
  (``tabletop.evaluation.metrics``), rated against the scenario's ``evaluation.responsiveness``;
- ``evaluation``: every evaluator rating beside the automatic rating of the same capability for
  the same county (and department), disagreement flagged; per capability the evaluators' mean,
  the automatic score and their combination; observations, response reports (every version),
  participant feedback and the improvement plan (each item's last version).

How they combine is in docs/scoring.md ("Evaluator ratings").
"""

from __future__ import annotations

from typing import Any

from tabletop.scoring.evaluation_facts import ACK_THRESHOLDS, ACTION_THRESHOLDS, RoomFact, median, room_facts
from tabletop.scoring.view import LogView
from tabletop.core import sums

#: An evaluator's rating as a score: the middle of its band (P 80-100, S 60-80, M 40-60, U 0-40).
RATING_SCORE = {"P": 90.0, "S": 70.0, "M": 50.0, "U": 20.0}
_ORDER = "PSMU"


def _band(score: float) -> str:
    return "P" if score >= 80 - 1e-9 else "S" if score >= 60 - 1e-9 else "M" if score >= 40 - 1e-9 else "U"


def _rate_minutes(value: float | None, not_reached: bool, thresholds: tuple[float, float, float]) -> str | None:
    if not_reached:
        return "U"
    if value is None:
        return None
    for rating, limit in zip("PSM", thresholds, strict=True):
        if value <= limit + 1e-12:
            return rating
    return "U"


def _measure(facts: list[RoomFact], attribute: str, thresholds: tuple[float, float, float]) -> dict[str, Any] | None:
    value = median(facts, attribute)
    if value is None:
        return None
    return {"median_min": value.value, "n": value.n, "done": value.detail["done"], "censored": value.detail["censored"],
            "not_reached": value.not_reached, "horizon_min": value.horizon,
            "rating": _rate_minutes(value.value, value.not_reached, thresholds), "thresholds": list(thresholds)}


def room(view: LogView) -> dict[str, Any]:
    facts = room_facts(view)
    if not facts:
        return {"phases": []}
    ack_t, action_t = ACK_THRESHOLDS(view.scenario), ACTION_THRESHOLDS(view.scenario)

    def block(group: list[RoomFact]) -> dict[str, Any]:
        return {"acknowledge": _measure(group, "ack", ack_t),
                "first_action": _measure([f for f in group if f.has_expected], "action", action_t)}

    phases = []
    names = {p.id: p.name.model_dump() for p in view.scenario.phases}
    for phase in [p.id for p in view.scenario.phases] + [None]:
        group = [f for f in facts if f.phase == phase]
        if not group:
            continue
        seats = sorted({f"{f.county}.{f.role}" for f in group})
        roles = sorted({role for f in group for role in f.roles})
        phases.append({"phase": phase, "name": names.get(phase or ""), **block(group),
                       "seats": {seat: block([f for f in group if f"{f.county}.{f.role}" == seat]) for seat in seats},
                       "roles": {role: block([f for f in group if role in f.roles]) for role in roles}})
    return {"phases": phases, "thresholds": {"acknowledge": list(ack_t), "first_action": list(action_t)}}


def _automatic(doc: dict[str, Any], county: str, role: str | None, capability: str) -> dict[str, Any] | None:
    scope = doc["roles"].get(f"{county}.{role}") if role else doc["counties"].get(county)
    found = ((scope or {}).get("capabilities") or {}).get(capability)
    return found if found and found.get("rating") is not None else None


def evaluation(view: LogView, doc: dict[str, Any]) -> dict[str, Any]:
    """The evaluators' section; ``doc`` is the automatic score document built so far."""
    ratings = []
    for record in view.events("rating_recorded"):
        data = record["data"]
        auto = _automatic(doc, data["county"], data.get("role"), data["capability"])
        auto_rating = auto["rating"] if auto else None
        distance = abs(_ORDER.index(auto_rating) - _ORDER.index(data["rating"])) if auto_rating else None
        ratings.append({"seq": record["seq"], "turn": record["turn"], "wall": record.get("wall"), "by": data.get("by"),
                        "county": data["county"], "role": data.get("role"), "capability": data["capability"],
                        "task": data.get("task"), "phase": data.get("phase"), "rating": data["rating"],
                        "rationale": data.get("rationale", ""), "automatic": auto_rating,
                        "automatic_score": auto["score"] if auto else None,
                        "disagree": distance is not None and distance >= 1, "distance": distance})
    capabilities: dict[str, Any] = {}
    total = weights = 0.0
    for name, cap in sorted(doc["capabilities"].items()):
        mine = [RATING_SCORE[r["rating"]] for r in ratings if r["capability"] == name]
        evaluator = sums.total(mine) / len(mine) if mine else None
        automatic = cap.get("score")
        parts = [s for s in (automatic, evaluator) if s is not None]
        combined = sums.total(parts) / len(parts) if parts else None
        capabilities[name] = {
            "automatic": {"score": automatic, "rating": cap.get("rating")},
            "evaluator": {"score": evaluator, "rating": _band(evaluator) if evaluator is not None else None, "n": len(mine)},
            "combined": {"score": combined, "rating": _band(combined) if combined is not None else None},
            "disagree": bool(mine) and cap.get("rating") is not None and _band(evaluator or 0) != cap.get("rating"),
        }
        if combined is not None:
            total += combined * float(cap.get("weight", 1.0))
            weights += float(cap.get("weight", 1.0))
    for name in sorted({r["capability"] for r in ratings} - set(capabilities)):
        mine = [RATING_SCORE[r["rating"]] for r in ratings if r["capability"] == name]
        evaluator = sums.total(mine) / len(mine)
        capabilities[name] = {"automatic": {"score": None, "rating": None},
                              "evaluator": {"score": evaluator, "rating": _band(evaluator), "n": len(mine)},
                              "combined": {"score": evaluator, "rating": _band(evaluator)}, "disagree": False}
        total += evaluator
        weights += 1.0
    combined_overall = total / weights if weights else None
    ip: dict[str, Any] = {}
    for record in view.events("ip_item_saved"):
        data = record["data"]
        ip[data["item"]] = {"item": data["item"], "version": data["version"], "by": data.get("by"),
                            "turn": record["turn"], "wall": record.get("wall"), **data.get("fields", {})}
    return {
        "ratings": ratings,
        "capabilities": capabilities,
        "combined": {"score": combined_overall,
                     "rating": _band(combined_overall) if combined_overall is not None else None},
        "observations": [{"seq": r["seq"], "turn": r["turn"], "wall": r.get("wall"), **r["data"]}
                         for r in view.events("observation_recorded")],
        "reports": [{"seq": r["seq"], "turn": r["turn"], "wall": r.get("wall"), "county": r["data"]["county"],
                     "role": r["data"]["role"], "phase": r["data"]["phase"], "version": r["data"]["version"],
                     "fields": r["data"]["fields"]} for r in view.events("report_submitted")],
        "feedback": [{"seq": r["seq"], "turn": r["turn"], "wall": r.get("wall"), "by": r["data"]["by"],
                      "fields": r["data"]["fields"]} for r in view.events("feedback_submitted")],
        "improvement_plan": [ip[key] for key in sorted(ip)],
    }
