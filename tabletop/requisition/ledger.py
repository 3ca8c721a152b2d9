"""The compensation ledger per county, computed from a log's records alone.

Who is owed what, by when, on which article; what was paid (and whether late);
the fines the law allows against owners, people and employers; and what the
organizer spent on repairs. The after-action report reads the same function.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable


def build(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    counties: dict[str, dict[str, Any]] = {}
    liabilities: dict[str, dict[str, Any]] = {}
    as_of = None

    def county(name: str) -> dict[str, Any]:
        return counties.setdefault(name, {"liabilities": [], "penalties": [], "repairs": []})

    for record in records:
        if record.get("time"):
            as_of = record["time"][:10]
        if record.get("type") != "event":
            continue
        kind, data = record.get("kind"), record.get("data") or {}
        if kind == "compensation_liability":
            row = {key: data.get(key) for key in ("id", "payee", "payee_name", "amount", "due_by", "basis", "about",
                                                   "kind", "units", "base", "expires_on", "relation")}
            row.update(paid_on=None, late=None, seq=record.get("seq"))
            liabilities[data["id"]] = row
            county(data["county"])["liabilities"].append(row)
        elif kind == "compensation_paid" and data.get("liability") in liabilities:
            liabilities[data["liability"]].update(paid_on=data.get("paid_on"), late=data.get("late"))
        elif kind == "penalty_assessed":
            county(data["county"])["penalties"].append({key: data.get(key) for key in (
                "party", "party_name", "amount_min", "amount_max", "basis", "violated", "about", "on")})
        elif kind == "requisition_damage" and data.get("repair_cost"):
            county(data["county"])["repairs"].append({"requisition": data["requisition"], "cost": data["repair_cost"],
                                                   "basis": "art.33", "on": data.get("settled_on")})
    today = date.fromisoformat(as_of) if as_of else None
    for name in counties:
        rows = counties[name]["liabilities"]
        for row in rows:
            row["status"] = _status(row, today)
        counties[name]["totals"] = {
            "owed": sum(r["amount"] for r in rows), "paid": sum(r["amount"] for r in rows if r["paid_on"]),
            "outstanding": sum(r["amount"] for r in rows if not r["paid_on"]),
            "overdue": sum(r["amount"] for r in rows if r["status"] == "overdue"),
            "repairs": sum(r["cost"] for r in counties[name]["repairs"]),
            "fines_max": sum(p["amount_max"] or 0 for p in counties[name]["penalties"]),
        }
    return {"as_of": as_of, "counties": {name: counties[name] for name in sorted(counties)}}


def _status(row: dict[str, Any], today: date | None) -> str:
    if row["paid_on"]:
        return "paid_late" if row["late"] else "paid"
    if today is not None and today > date.fromisoformat(row["due_by"]):
        return "overdue"
    return "open"


def render(ledger: dict[str, Any], lang: str = "zh_TW") -> str:
    """A plain-text ledger, one block per county."""
    from tabletop import i18n

    lines = [i18n.t("requisition.ledger.title", lang, as_of=ledger["as_of"] or "-")]
    if not ledger["counties"]:
        lines.append(i18n.t("requisition.ledger.empty", lang))
    for name, block in ledger["counties"].items():
        totals = block["totals"]
        lines.append("")
        lines.append(i18n.t("requisition.ledger.county", lang, county=name, **totals))
        for row in block["liabilities"]:
            lines.append(f"  {row['id']:<18} {row['basis']:<7} {row['amount']:>12,} {row['due_by']}  "
                         f"{row['status']:<9} {row['payee_name'] or row['payee']} ({row['kind']})")
        for fine in block["penalties"]:
            lines.append(f"  {i18n.t('requisition.ledger.fine', lang)} {fine['basis']:<7} "
                         f"{fine['amount_min']:,}-{fine['amount_max']:,}  {fine['party_name'] or fine['party']} ({fine['violated']})")
        for repair in block["repairs"]:
            lines.append(f"  {i18n.t('requisition.ledger.repair', lang)} {repair['basis']:<7} {repair['cost']:>12,} {repair['requisition']}")
    return "\n".join(lines) + "\n"
