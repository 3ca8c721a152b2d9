"""Arithmetic and deadlines: art 36 units, art 37 shares, due dates (20 days, 6 months, 2 years),
compensation on release, penalties by seeded compliance, and the state machine's path."""

from __future__ import annotations

from datetime import date

import pytest
from rq_helpers import Game, events, rule

from tabletop.requisition import capacity, dates, rules

D = "2026-08-10"


@pytest.mark.parametrize("start,days,months,years,expect", [
    (date(2026, 7, 14), 20, 0, 0, date(2026, 8, 3)),
    (date(2026, 12, 20), 20, 0, 0, date(2027, 1, 9)),           # across the year end
    (date(2028, 2, 20), 20, 0, 0, date(2028, 3, 11)),           # leap February (29 days)
    (date(2027, 2, 20), 20, 0, 0, date(2027, 3, 12)),           # common February
    (date(2026, 8, 31), 0, 6, 0, date(2027, 2, 28)),            # month end: no 31 February
    (date(2027, 8, 31), 0, 6, 0, date(2028, 2, 29)),            # ... in a leap year, the 29th
    (date(2026, 3, 31), 0, 6, 0, date(2026, 9, 30)),
    (date(2026, 7, 14), 0, 6, 0, date(2027, 1, 14)),
    (date(2028, 2, 29), 0, 0, 2, date(2030, 2, 28)),            # leap day + 2 years
    (date(2026, 7, 14), 0, 0, 2, date(2028, 7, 14)),
    (date(2027, 2, 28), 0, 0, 1, date(2028, 2, 28)),
])
def test_due_dates(start, days, months, years, expect):
    if days:
        assert dates.add_days(start, days) == expect == rules.purchase_due(start)
    elif months:
        assert dates.add_months(start, months) == expect == rules.art_33_due(start)
    else:
        assert dates.add_years(start, years) == expect
        if years == 2:
            assert rules.art_38_expires(start) == expect


@pytest.mark.parametrize("outcome,paid,benefit,units,amount", [
    ("disability_severe", 0, 0, 36, 36 * 38000),
    ("disability_moderate", 0, 0, 18, 18 * 38000),
    ("disability_mild", 0, 0, 8, 8 * 38000),
    ("death", 0, 0, 90, 90 * 38000),
    ("death", 36, 0, 54, 54 * 38000),               # topped up to 90 after a severe disability
    ("death", 8, 0, 82, 82 * 38000),
    ("disability_severe", 8, 0, 28, 28 * 38000),    # mild, then found severe: the difference
    ("disability_moderate", 0, 500000, 18, 18 * 38000 - 500000),  # job scheme paid part: top up
    ("disability_mild", 0, 10**7, 8, 0),            # job scheme paid more: nothing owed
    ("injury", 0, 0, 0, 0),
])
def test_art36_arithmetic(outcome, paid, benefit, units, amount):
    assert rules.art_36_benefit(outcome, 38000, paid, benefit) == (units, amount)


def test_art37_survivors_order_and_equal_shares():
    person = {"survivors": [{"relation": "parent", "name": "父"}, {"relation": "spouse", "name": "妻"},
                            {"relation": "child", "name": "子"}, {"relation": "child", "name": "女"}]}
    shares = rules.art_37_survivors(person, 100)
    assert [(s["name"], s["amount"]) for s in shares] == [("妻", 34), ("子", 33), ("女", 33)]
    assert [s["name"] for s in rules.art_37_survivors({"survivors": [{"relation": "sibling", "name": "兄"},
                                                                       {"relation": "grandparent", "name": "祖"}]}, 10)] == ["祖"]
    assert rules.art_37_survivors({"survivors": person["survivors"], "will": ["父"]}, 90)[0]["name"] == "父"
    assert rules.art_37_survivors({"survivors": []}, 90)[0]["relation"] == "estate"


def _plan(g, items=("truck1", "truck2", "gen1", "wh1", "p1", "p3", "p4")):
    g.approved_plan(list(items))


def _to(g, when):
    while g.date < when:
        g.next_turn()


def test_use_requisition_full_path_and_payment_on_release():
    g = Game()
    _plan(g)
    g.do("requisition", {"id": "r1", "plan": "plan1", "resource": "truck1", "mode": "use", "days": 10,
                         "deliver_at": {"place": "甲鄉公所", "date": D}})
    order = events(g.records, "requisition_order_issued")[0]
    for key in ("document_no", "owner", "purpose", "legal_basis", "item", "term_days", "deliver_at", "issuing_agency",
                "appeal", "county_order_on", "owner_served_on"):
        assert order[key] is not None, key
    assert order["owner"]["name"] == "洄瀾貨運有限公司" and order["document_no"].startswith("甲縣府動徵字第115")
    _to(g, D)
    g.do("record_delivery", {"requisition": "r1"})
    receipt = events(g.records, "requisition_receipt")[0]
    assert receipt["item"] == "truck1" and receipt["quantity"] == 1
    assert receipt["condition"] == "good" and receipt["term_days"] == 10 and receipt["assessed_price"] is None
    g.do("assess_value", {"requisition": "r1", "price": 100000})
    assert events(g.records, "requisition_receipt")[-1]["assessed_price"] == 100000
    assert capacity.vehicle_capacity_kg(g.session, "c1") == 8000
    g.next_turn(3)  # held 2026-08-10 .. 08-13: 4 days of 10
    out = g.do("release", {"requisition": "r1"})
    assert events(out, "requisition_released")[0]["return_to"] == "甲鄉公所"
    owed = events(out, "compensation_liability")[0]
    assert (owed["amount"], owed["basis"], owed["due_by"]) == (40000, "art.28", "2026-08-13")
    assert capacity.vehicle_capacity_kg(g.session, "c1") == 0
    g.do("pay_compensation", {"liability": owed["id"]})
    path = [(e["from"], e["to"]) for e in events(g.records, "requisition_state")]
    assert path == [(None, "drafted"), ("drafted", "order_issued"), ("order_issued", "delivered"),
                    ("delivered", "in_use"), ("in_use", "released"), ("released", "compensated")]
    assert rule(g.do("pay_compensation", {"liability": owed["id"]})) == "requisition"


def test_purchase_price_due_within_20_days_of_receipt_and_overdue_flag():
    g = Game()
    _plan(g)
    g.do("requisition", {"id": "r1", "plan": "plan1", "resource": "wh1", "mode": "purchase",
                         "deliver_at": {"place": "乙鄉倉庫", "date": D}})
    g.do("assess_value", {"requisition": "r1", "price": 19000000})
    _to(g, D)
    out = g.do("record_delivery", {"requisition": "r1"})
    owed = events(out, "compensation_liability")[0]
    assert (owed["amount"], owed["basis"], owed["due_by"]) == (19000000, "art.31", "2026-08-30")
    _to(g, "2026-08-31")
    assert events(g.records, "compensation_overdue")[0]["liability"] == owed["id"]
    paid = events(g.do("pay_compensation", {"liability": owed["id"]}), "compensation_paid")[0]
    assert paid["late"] is True
    assert g.state.cases["r1"]["state"] == "compensated"


def test_repair_overrun_and_loss_compensation():
    g = Game()
    _plan(g)
    for ident, item in (("r1", "truck1"), ("r2", "truck2")):
        g.do("requisition", {"id": ident, "plan": "plan1", "resource": item, "mode": "use", "days": 2,
                             "deliver_at": {"place": "甲鄉公所", "date": D}, "consent": ident == "r2"})
    _to(g, D)
    for ident in ("r1", "r2"):
        g.do("record_delivery", {"requisition": ident})
        g.do("assess_value", {"requisition": ident, "price": 20000})
    g.do("report_damage", {"requisition": "r1", "severity": "repairable", "repair_cost": 30000})
    g.next_turn(4)  # repair keeps it 5 days on a 2-day term
    out = g.do("release", {"requisition": "r1"})
    owed = events(out, "compensation_liability")
    assert [(o["basis"], o["amount"]) for o in owed] == [("art.28", 20000), ("art.33", 30000)]
    assert owed[1]["due_by"] == "2027-02-14"
    assert [(e["from"], e["to"]) for e in events(out, "requisition_state")] == [("damaged", "repaired"), ("repaired", "released")]
    out = g.do("report_damage", {"requisition": "r2", "severity": "lost"})
    loss = [o for o in events(out, "compensation_liability") if o["kind"] == "loss"][0]
    assert (loss["amount"], loss["basis"], loss["due_by"]) == (3000000, "art.33", "2027-02-14")
    assert events(out, "requisition_released")[0]["return_to"] is None
    assert rule(g.do("release", {"requisition": "r2"})) == "art.32"


def test_emergency_order_must_follow_within_3_days():
    g = Game(mobilization="actual")
    _plan(g)
    g.do("requisition", {"id": "r1", "plan": "plan1", "resource": "gen1", "mode": "use", "days": 5,
                         "deliver_at": {"place": "乙鄉公所", "date": "2026-07-14"}, "exception": "emergency"})
    assert g.state.cases["r1"]["state"] == "drafted" and not events(g.records, "requisition_order_issued")
    g.do("record_delivery", {"requisition": "r1"})
    assert capacity.generator_kw(g.session, "c1") == 200
    g.next_turn(3)
    assert not events(g.records, "requisition_order_overdue")
    g.next_turn(1)
    assert events(g.records, "requisition_order_overdue")[0]["due_by"] == "2026-07-17"
    out = g.do("issue_requisition_order", {"requisition": "r1"})
    assert events(out, "requisition_order_issued")[0]["late"] is True
    assert rule(g.do("issue_requisition_order", {"requisition": "r1"})) == "ip.timing"


def test_auto_approval_after_the_scenario_delay():
    g = Game(extra="  auto_approve_after_turns: 2\n")
    g.do("submit_requisition_plan", {"id": "plan1", "items": ["truck1"], "purpose": "x"})
    g.next_turn()
    assert g.state.plans["plan1"]["state"] == "submitted"
    g.next_turn()
    assert g.state.plans["plan1"]["state"] == "approved" and g.state.plans["plan1"]["decided_by"] == "auto"
    assert rule(g.do("approve_requisition_plan", {"plan": "plan1"}, role="central")) == "art.28"


def test_owner_refuses_art41_and_person_fails_art43():
    g = Game(owners=0.0, people=0.0)
    _plan(g)
    g.do("requisition", {"id": "r1", "plan": "plan1", "resource": "truck1", "mode": "use", "days": 3,
                         "deliver_at": {"place": "甲鄉公所", "date": D}})
    g.do("requisition_manpower", {"id": "m1", "plan": "plan1", "person": "p3", "notice_on": "2026-07-14",
                                  "report_on": "2026-07-24"})
    _to(g, D)
    out = g.do("record_delivery", {"requisition": "r1"})
    fine = events(out, "penalty_assessed")[0]
    assert (fine["basis"], fine["amount_max"], fine["violated"], fine["party"]) == ("art.41", 3_000_000, "art.28.3", "o1")
    assert g.state.cases["r1"]["state"] == "refused"
    fines = [f for f in events(g.records, "penalty_assessed") if f["basis"] == "art.43"]
    assert (fines[0]["amount_min"], fines[0]["amount_max"]) == (20_000, 100_000)
    assert g.state.manpower["m1"]["state"] == "failed"


def test_employer_refusing_leave_art41():
    g = Game(employers=0.0)
    _plan(g)
    g.do("requisition_manpower", {"id": "m1", "plan": "plan1", "person": "p1", "notice_on": "2026-07-14",
                                  "report_on": "2026-07-24"})
    _to(g, "2026-07-24")
    fine = events(g.records, "penalty_assessed")[0]
    assert (fine["basis"], fine["violated"], fine["party_name"]) == ("art.41", "art.35.2", "洄瀾貨運有限公司")


def test_art35_support_and_art32_operator_released_with_property():
    g = Game()
    _plan(g)
    g.do("requisition", {"id": "r1", "plan": "plan1", "resource": "truck1", "mode": "use", "days": 30,
                         "deliver_at": {"place": "甲鄉公所", "date": D}})
    g.do("requisition_manpower", {"id": "m1", "plan": "plan1", "person": "p1", "notice_on": "2026-07-14",
                                  "report_on": "2026-07-24", "operates": "r1"})
    _to(g, D)
    g.do("record_delivery", {"requisition": "r1"})
    g.do("assess_value", {"requisition": "r1", "price": 300000})
    out = g.do("release", {"requisition": "r1"})
    assert events(out, "requisition_released")[0]["operators"] == ["m1"]
    support = [o for o in events(out, "compensation_liability") if o["basis"] == "art.35"][0]
    assert (support["person_days"], support["amount"]) == (18, 18 * 1200)  # 07-24 .. 08-10


def test_death_after_disability_tops_up_and_splits_among_survivors():
    g = Game()
    _plan(g)
    g.do("requisition_manpower", {"id": "m1", "plan": "plan1", "person": "p3", "notice_on": "2026-07-14",
                                  "report_on": "2026-07-24"})
    _to(g, "2026-07-24")
    out = g.do("record_casualty", {"person": "p3", "outcome": "disability_severe", "treatment_cost": 80000})
    owed = events(out, "compensation_liability")
    assert [(o["kind"], o["amount"], o["units"]) for o in owed] == [("treatment", 80000, None), ("benefit", 36 * 38000, 36)]
    assert owed[1]["expires_on"] == "2028-07-24" and owed[1]["base"] == 38000
    out = g.do("record_casualty", {"person": "p3", "outcome": "death"})
    shares = events(out, "compensation_liability")
    assert [(s["payee_name"], s["units"]) for s in shares] == [("王淑芬", 54), ("張小明", 54)]
    assert sum(s["amount"] for s in shares) == 54 * 38000
    assert rule(g.do("record_casualty", {"person": "p3", "outcome": "death"})) == "art.36"


def test_job_scheme_benefit_is_topped_up_only():
    g = Game()
    _plan(g)
    g.do("requisition_manpower", {"id": "m1", "plan": "plan1", "person": "p4", "notice_on": "2026-07-14",
                                  "report_on": "2026-07-24"})
    _to(g, "2026-07-24")
    out = g.do("record_casualty", {"person": "p4", "outcome": "disability_moderate"})
    assert events(out, "compensation_liability")[0]["amount"] == 18 * 38000 - 500000


def test_case_machine_has_no_shortcuts_and_draws():
    from tabletop.requisition.state import case_diagram

    g = Game()
    g.approved_plan(["truck1"])
    g.do("requisition", {"id": "r1", "plan": "plan1", "resource": "truck1", "mode": "use", "days": 3,
                         "deliver_at": {"place": "甲", "date": D}})
    model = g.state._models["r1"]
    assert not hasattr(model, "to_compensated") and not g.state.may("r1", "settle")
    text = case_diagram()
    for edge in ("drafted --> delivered: deliver [is_emergency]", "released --> compensated: settle",
                 "damaged --> repaired: repair", "order_issued --> refused: refuse"):
        assert edge in text
