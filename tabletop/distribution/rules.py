"""Rules that cite law, in one place. Each raises :class:`Rejected` naming its basis.

R = 民生必需品短缺時期配給配售辦法 (rationing rules during shortages of daily
necessities, amended 2024-08-05); see domain.md section 2. Where the article
number of an R provision is not in our sources, the rule is named after R and
the provision (``R.lpg_not_at_station``) and docs/rules/distribution.md says so.
"""

from __future__ import annotations

from typing import Any

from tabletop.core.commands import Rejected
from tabletop.core.messages import ref

#: Rule names, as they appear in ``command_rejected.rule``.
SITING = "R.siting"                   # R, station siting (seed study 000 on the 2024 system): station sites: never with a shelter, relief or first-aid station
SHORTAGE = "shortage_not_declared"    # R: rationing starts only once a shortage is declared and announced
PURCHASES = "R.purchases_per_month"   # R: 1-3 purchases per household a month, LPG once
LPG = "R.lpg_not_at_station"          # R: LPG is never stored at a station
QUOTA = "R.quota"                     # R: quotas are fixed per person (2025 reform: per person, not per household)
PAID = "R.payment_settled"             # R, operating procedure: the last batch is paid in full before the next is drawn
ALERT = "ADX.art.9"                   # ADX art 9: during an air-raid alert stations suspend service until the all-clear


def check_site(township: Any, site: str, reserved: dict[str, str], stations_here: dict[str, str]) -> None:
    """R, station siting: a station may not share a site with a shelter, a relief station or a first-aid station.

    ``reserved`` maps a site to its use in this township (scenario shelters, reserved
    sites, and sites other parts of the engine reserved during play); ``stations_here``
    maps sites already used by live stations of this township to the station id.
    """
    if site in township.shelters:
        raise Rejected(SITING, "dist.reject.site_shared", site=site, use=ref("dist.use", "shelter"))
    use = reserved.get(site)
    if use is not None:
        raise Rejected(SITING, "dist.reject.site_shared", site=site, use=ref("dist.use", use))
    other = stations_here.get(site)
    if other is not None:
        raise Rejected("site_in_use", "dist.reject.site_in_use", site=site, station=other)




def check_shortage(declared: bool, good: str) -> None:
    """R: rationing (配售) applies only after the shortage period is declared."""
    if not declared:
        raise Rejected(SHORTAGE, "dist.reject.shortage_not_declared", good=good)


def check_purchases(good: str, purchases: int, maximum: int) -> None:
    """R: 1-3 purchases per household a month (LPG once); missed purchases are not made up."""
    if purchases < 1 or purchases > maximum:
        raise Rejected(PURCHASES, "dist.reject.purchases", good=good, purchases=purchases, maximum=maximum)


def check_quota(good: str, quota: float) -> None:
    """R: a quota is a fixed quantity per person per day, and must be positive."""
    if not quota > 0:
        raise Rejected(QUOTA, "dist.reject.quota", good=good)


def check_lpg(good: str, stored_at_station: bool) -> None:
    """R: LPG is never stored at a station; it is sold there and delivered from the depot."""
    if not stored_at_station:
        raise Rejected(LPG, "dist.reject.not_at_station", good=good)


def alert_in_force(session: Any, township: str) -> bool:
    """ADX art 9: an air-raid alert is in force in ``township`` (asked of the crises part)."""
    return bool(session.query("crises.alert_in_force", township, default=False))


def check_alert(session: Any, station: Any) -> None:
    """ADX art 9: no station opens, resumes or serves while an air-raid alert is in force there."""
    if alert_in_force(session, station.township):
        raise Rejected(ALERT, "dist.reject.alert", station=station.id, township=station.township)


def check_paid(unpaid_batch: str | None, amount: float) -> None:
    """R, operating procedure (貨款結清): a county pays for the last batch before collecting the next."""
    if unpaid_batch is not None:
        raise Rejected(PAID, "dist.reject.unpaid_batch", batch=unpaid_batch, amount=amount)


def planning_reference(township: Any) -> int:
    """R, station siting, planning reference: one station per village on the main island, one per outlying township."""
    if township.outlying:
        return 1
    return township.villages or 1
