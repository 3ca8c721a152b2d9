"""Every article issue 4 lists, allowed and rejected, table-driven; each rejection names its rule."""

from __future__ import annotations

import pytest
from rq_helpers import Game, events, rule
from tabletop import i18n

D = "2026-08-10"  # 27 days after the start (2026-07-14): enough lead for XP and IP orders


def req(ident="r1", resource="truck1", mode="use", days=10, date=D, place="甲鄉公所", **extra):
    args = {"id": ident, "plan": "plan1", "resource": resource, "mode": mode, "deliver_at": {"place": place, "date": date}}
    if days is not None:
        args["days"] = days
    args.update(extra)
    return args


def delivered(g: Game, ident="r1", resource="truck1", mode="use", days=10, price=None):
    """A requisition ordered for today's date in IP emergency mode... or, in XP, delivered on D."""
    assert rule(g.do("requisition", req(ident, resource, mode, days if mode == "use" else None))) is None
    while g.date < D:
        g.next_turn()
    assert rule(g.do("record_delivery", {"requisition": ident})) is None
    if price is not None:
        assert rule(g.do("assess_value", {"requisition": ident, "price": price})) is None


PLAN = ["truck1", "truck2", "truck3", "gen1", "wh1", "p1", "p3", "p4"]


def with_plan(**options) -> Game:
    g = Game(**options)
    g.approved_plan(PLAN)
    return g


# Each row: (rule it exercises, description, steps(g) -> records of the last command, expected rule or None)
def _art28_approved(g):
    return g.do("requisition", req())


def _art28_unapproved(g):
    g.do("submit_requisition_plan", {"id": "plan2", "items": ["truck1"], "purpose": "x"})
    return g.do("requisition", dict(req(), plan="plan2"))


def _art28_rejected_plan(g):
    g.do("submit_requisition_plan", {"id": "plan2", "items": ["truck1"], "purpose": "x"})
    g.do("reject_requisition_plan", {"plan": "plan2", "reason": "規模過大"}, role="central")
    return g.do("requisition", dict(req(), plan="plan2"))


def _art28_other_county_item(g):
    return g.do("requisition", req(resource="bus9"))


def _art28_not_in_plan(g):
    g.approved_plan(["truck1"], "plan2")
    return g.do("requisition", dict(req(resource="truck2"), plan="plan2"))


def _art28_other_county_plan(g):
    return g.do("requisition", req(), county="c2")


def _art28_deliver_early(g):
    g.do("requisition", req())
    return g.do("record_delivery", {"requisition": "r1"})


def _art28_deliver_on_date(g):
    g.do("requisition", req())
    g.next_turn(27)
    return g.do("record_delivery", {"requisition": "r1"})


def _art29_exempt_requisition(g):
    return g.do("requisition", req(resource="hosp_gen"))


def _art29_exempt_in_plan(g):
    return g.do("submit_requisition_plan", {"id": "plan2", "items": ["gen1", "hosp_gen"], "purpose": "供電"})


def _art29_not_exempt_plan(g):
    return g.do("submit_requisition_plan", {"id": "plan2", "items": ["gen1"], "purpose": "供電"})


def _art30_second_no_consent(g):
    g.do("requisition", req())
    return g.do("requisition", req("r2", "truck2"))


def _art30_second_with_consent(g):
    g.do("requisition", req())
    return g.do("requisition", req("r2", "truck2", consent=True))


def _art30_prior_this_year_no_alternative(g):
    return g.do("requisition", req(resource="truck3", exception="no_alternative"))


def _art30_prior_this_year_unfounded(g):
    return g.do("requisition", req(resource="truck3", exception="patent"))


def _art30_patent(g):
    g.do("requisition", req(resource="wh1", mode="purchase", days=None))
    return g.do("requisition", req("r2", "gen1", exception="patent"))


def _art30_use_without_term(g):
    return g.do("requisition", req(days=None))


def _art31_price_in_band(g):
    delivered(g)
    return g.do("assess_value", {"requisition": "r1", "price": 120000})


def _art31_purchase_off_market(g):
    g.do("requisition", req(mode="purchase", days=None))
    return g.do("assess_value", {"requisition": "r1", "price": 500000})


def _art31_release_unassessed(g):
    delivered(g)
    return g.do("release", {"requisition": "r1"})


def _art32_release(g):
    delivered(g, price=100000)
    return g.do("release", {"requisition": "r1"})


def _art32_release_purchase(g):
    delivered(g, mode="purchase", price=2000000)
    return g.do("release", {"requisition": "r1"})


def _art32_release_undelivered(g):
    g.do("requisition", req())
    g.do("assess_value", {"requisition": "r1", "price": 100000})
    return g.do("release", {"requisition": "r1"})


def _art33_repairable(g):
    delivered(g, price=100000)
    return g.do("report_damage", {"requisition": "r1", "severity": "repairable", "repair_cost": 30000})


def _art33_repairable_no_cost(g):
    delivered(g, price=100000)
    return g.do("report_damage", {"requisition": "r1", "severity": "repairable"})


def _art33_purchase(g):
    delivered(g, mode="purchase", price=2000000)
    return g.do("report_damage", {"requisition": "r1", "severity": "lost"})


def _xp_20_days(g):
    return g.do("requisition", req(date="2026-08-03"))


def _xp_19_days(g):
    return g.do("requisition", req(date="2026-08-02"))


def _xp_emergency(g):
    return g.do("requisition", req(date="2026-07-14", exception="emergency"))


def _ip_10_days(g):
    return g.do("requisition", req(date="2026-07-24"))


def _ip_9_days(g):
    return g.do("requisition", req(date="2026-07-23"))


def _ip_emergency(g):
    return g.do("requisition", req(date="2026-07-14", exception="emergency"))


def _ip_emergency_deliver_before_order(g):
    g.do("requisition", req(date="2026-07-14", exception="emergency"))
    return g.do("record_delivery", {"requisition": "r1"})


def _art34_ok(g):
    return g.do("requisition_manpower", {"id": "m1", "plan": "plan1", "person": "p1", "notice_on": "2026-07-14",
                                         "report_on": "2026-07-24"})


def _art34_short(g):
    return g.do("requisition_manpower", {"id": "m1", "plan": "plan1", "person": "p1", "notice_on": "2026-07-14",
                                         "report_on": "2026-07-23"})


def _art34_backdated(g):
    return g.do("requisition_manpower", {"id": "m1", "plan": "plan1", "person": "p1", "notice_on": "2026-07-13",
                                         "report_on": "2026-07-24"})


def _art34_exempt(g):
    return g.do("submit_requisition_plan", {"id": "plan2", "items": ["p2"], "purpose": "x"})


@pytest.mark.parametrize("person", ["p2", "p5", "p6"])
def test_art34_each_exemption_named(person):
    g = Game()
    out = g.do("submit_requisition_plan", {"id": "plan2", "items": [person], "purpose": "x"})
    assert rule(out) == "art.34"
    reason = [r for r in out if r["kind"] == "command_rejected"][0]["data"]; reason = i18n.reason_both(reason)
    assert "第 34 條" in reason["zh_TW"] and "Art 34" in reason["en"]


def _art34_replace_before_report(g):
    _art34_ok(g)
    return g.do("release_manpower", {"requisition": "m1"})


def _art36_not_reported(g):
    _art34_ok(g)
    return g.do("record_casualty", {"person": "p1", "outcome": "injury", "treatment_cost": 5000})


def _art36_reported(g):
    _art34_ok(g)
    g.next_turn(10)
    return g.do("record_casualty", {"person": "p1", "outcome": "disability_moderate", "treatment_cost": 5000})


def _art38_pay_in_time(g):
    _art34_ok(g)
    g.next_turn(2)  # weekly turns: reported by 2026-07-28
    out = g.do("record_casualty", {"person": "p1", "outcome": "injury", "treatment_cost": 5000})
    g.next_turn(100)  # about 1.9 years
    return g.do("pay_compensation", {"liability": events(out, "compensation_liability")[0]["id"]})


def _art38_pay_too_late(g):
    _art34_ok(g)
    g.next_turn(2)
    out = g.do("record_casualty", {"person": "p1", "outcome": "injury", "treatment_cost": 5000})
    g.next_turn(106)  # more than 2 years
    return g.do("pay_compensation", {"liability": events(out, "compensation_liability")[0]["id"]})


WEEKLY = {"minutes_per_turn": 7 * 24 * 60, "turns": 120}
ROWS = [
    ("art.28", "approved plan", _art28_approved, {}, None),
    ("art.28", "plan not yet approved", _art28_unapproved, {}, "art.28"),
    ("art.28", "plan rejected by central", _art28_rejected_plan, {}, "art.28"),
    ("art.28", "item not in the plan", _art28_not_in_plan, {}, "art.28"),
    ("art.28", "item of another county", _art28_other_county_item, {}, "registry"),
    ("art.28", "another county's plan", _art28_other_county_plan, {}, "registry"),
    ("art.28", "delivery before the set date", _art28_deliver_early, {}, "art.28"),
    ("art.28", "delivery on the set date", _art28_deliver_on_date, {}, None),
    ("art.29", "exempt item requisitioned", _art29_exempt_requisition, {}, "art.29"),
    ("art.29", "exempt item in a plan", _art29_exempt_in_plan, {}, "art.29"),
    ("art.29", "plan without exempt items", _art29_not_exempt_plan, {}, None),
    ("art.30", "same owner twice, no consent", _art30_second_no_consent, {}, "art.30"),
    ("art.30", "same owner twice, consent", _art30_second_with_consent, {}, None),
    ("art.30", "earlier this year, no alternative", _art30_prior_this_year_no_alternative, {}, None),
    ("art.30", "earlier this year, unfounded patent", _art30_prior_this_year_unfounded, {}, "art.30"),
    ("art.30", "same owner twice, patented item", _art30_patent, {}, None),
    ("art.30", "use without a period", _art30_use_without_term, {}, "art.30"),
    ("art.31", "price within the market band", _art31_price_in_band, {}, None),
    ("art.31", "purchase far below market", _art31_purchase_off_market, {}, "art.31"),
    ("art.31", "release before valuation", _art31_release_unassessed, {}, "art.31"),
    ("art.32", "release a held item", _art32_release, {}, None),
    ("art.32", "release a purchase", _art32_release_purchase, {}, "art.32"),
    ("art.32", "release an undelivered item", _art32_release_undelivered, {}, "art.32"),
    ("art.33", "repairable damage", _art33_repairable, {}, None),
    ("art.33", "repairable damage without a cost", _art33_repairable_no_cost, {}, "art.33"),
    ("art.33", "damage to purchased property", _art33_purchase, {}, "art.33"),
    ("xp.timing", "20 days before", _xp_20_days, {}, None),
    ("xp.timing", "19 days before", _xp_19_days, {}, "xp.timing"),
    ("ip.timing", "emergency in an exercise", _xp_emergency, {}, "ip.timing"),
    ("ip.timing", "10 days before", _ip_10_days, {"mobilization": "actual"}, None),
    ("ip.timing", "9 days before", _ip_9_days, {"mobilization": "actual"}, "ip.timing"),
    ("ip.timing", "emergency: requisition first", _ip_emergency, {"mobilization": "actual"}, None),
    ("ip.timing", "emergency: deliver before the order", _ip_emergency_deliver_before_order, {"mobilization": "actual"}, None),
    ("art.34", "10 days' written notice", _art34_ok, {}, None),
    ("art.34", "9 days' notice", _art34_short, {}, "art.34"),
    ("art.34", "backdated notice", _art34_backdated, {}, "art.34"),
    ("art.34", "exempt person", _art34_exempt, {}, "art.34"),
    ("art.34", "replaced before reporting", _art34_replace_before_report, {}, None),
    ("art.36", "casualty before reporting", _art36_not_reported, {}, "art.36"),
    ("art.36", "casualty after reporting", _art36_reported, {}, None),
    ("art.38", "paid within 2 years", _art38_pay_in_time, WEEKLY, None),
    ("art.38", "paid after 2 years", _art38_pay_too_late, WEEKLY, "art.38"),
]


@pytest.mark.parametrize("article,what,steps,options,expected", ROWS, ids=[f"{r[0]}:{r[1]}" for r in ROWS])
def test_article(article, what, steps, options, expected):
    g = with_plan(**options)
    out = steps(g)
    assert rule(out) == expected, [r["data"] for r in out if r["kind"] == "command_rejected"]
    if expected is not None:
        reason = [r for r in out if r["kind"] == "command_rejected"][0]["data"]; reason = i18n.reason_both(reason)
        assert reason["zh_TW"] and reason["en"]
        if expected.startswith("art."):
            number = expected.split(".")[1]
            assert f"第 {number} 條" in reason["zh_TW"] and f"rt {number}" in reason["en"]


def test_every_listed_article_has_both_cases():
    seen = {}
    for article, _, _, _, expected in ROWS:
        seen.setdefault(article, set()).add(expected is None)
    for article in ("art.28", "art.29", "art.30", "art.31", "art.32", "art.33", "xp.timing", "ip.timing", "art.34",
                    "art.36", "art.38"):
        assert seen[article] == {True, False}, article


def test_order_is_served_through_the_township_office_before_delivery():
    g = with_plan()
    g.do("requisition", req())
    assert not events(g.records, "requisition_order_served")  # sent in the orders phase, not yet delivered
    g.next_turn()
    served = events(g.records, "requisition_order_served")
    assert served and served[0]["requisition"] == "r1"
    assert g.state.cases["r1"]["served_turn"] is not None
