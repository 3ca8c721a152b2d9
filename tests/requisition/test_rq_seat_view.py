import pytest
"""Requisition in the trainee seats: cases, plans and liabilities panels (the county's own
paperwork) and the form choices of the requisition commands."""

from rq_helpers import Game, rule
from seat_helpers import check_deterministic, COUNTY, names_nothing, panel as _panel, part_choice_keys, Played, rows, submit_each, tried_choices, values
from tabletop import plugins
from tabletop.scenario.actions import load_actions

from conftest import ACTIONS


def _without(*kinds):
    return [a for a in load_actions(ACTIONS)[0] if a.do not in kinds]


def _choices(session, key, county=COUNTY, role="mobilization"):
    return [c.value for c in plugins.choice_registry()[key](session, county, role)]


def test_cases_panel_shows_what_is_due_next():
    played = Played(5)  # two trucks taken first (IP emergency): the orders must follow within 3 days
    assert _panel(played.session, "requisition.cases") == [
        ("rq-001 15 噸大貨車 KLA-3301（徵用）：草擬；應於 2026-07-18 前補發徵購徵用書", "warn"),
        ("rq-002 8.5 噸貨車 KLA-3302（徵用）：草擬；應於 2026-07-18 前補發徵購徵用書", "warn"),
    ]
    lines = rows(Played(7).session, "requisition.cases")
    assert lines == ["mp-001 陳志明（駕駛）：已通知；報到日 2026-07-25",
                     "rq-001 15 噸大貨車 KLA-3301（徵用）：使用中；徵用期至 2026-07-28",
                     "rq-002 8.5 噸貨車 KLA-3302（徵用）：使用中；徵用期至 2026-07-28",
                     "rq-004 500kW 柴油發電機（徵用）：使用中；徵用期至 2026-07-21"]
    panel = _panel(Played(12).session, "requisition.cases")
    assert panel[0] == ("rq-005 吉安冷藏倉庫（虛構）（徵購）：已發徵購徵用書；交付日 2026-07-26", "text")
    assert ("rq-001 15 噸大貨車 KLA-3301（徵用）：已補償結案", "dim") in panel
    english = rows(Played(7).session, "requisition.cases", lang="en")
    assert english[1] == "rq-001 15 噸大貨車 KLA-3301 (use): in use; term ends 2026-07-28"


def test_plans_panel_and_pending_plan_choices():
    played = Played(4)
    panel = _panel(played.session, "requisition.plans")
    assert panel[0] == ("rp-001：已核定（6 項，第 4 回合呈報）北區物資運補及配售站停電備援", "ok")
    assert [line.split("：")[0] for line, tone in panel[1:] if tone == "dim"] == [
        f"不得徵購徵用（全動法第 29 條第 {n} 款" for n in range(1, 6)]  # art 29 classes of the registry, named
    assert _choices(played.session, "approve_requisition_plan.plan", county=None, role="central") == []
    played = Played(4, actions=_without("approve_requisition_plan"))
    assert _panel(played.session, "requisition.plans")[0][1] == "warn"
    assert "待核定" in rows(played.session, "requisition.plans")[0]
    assert _choices(played.session, "approve_requisition_plan.plan", county=None, role="central") == ["rp-001"]
    assert _choices(played.session, "reject_requisition_plan.plan", county=None, role="central") == ["rp-001"]
    assert _choices(played.session, "requisition.plan") == []  # not approved yet
    assert rows(Played(3).session, "requisition.plans")[0] == "尚未呈報徵購徵用計畫"


def test_liabilities_panel_and_pay_choices():
    played = Played(11, actions=_without("pay_compensation"))  # 2026-07-16: rq-002 released today
    assert _panel(played.session, "requisition.liabilities") == [
        ("未付 1 筆，共 NT$ 10,000；逾期 0 筆", "warn"),
        ("rq-002-L1 洄瀾物流股份有限公司（虛構）：徵用補償 NT$ 10,000，期限 2026-07-16（art.28）", "warn")]  # due today
    played = Played(12, actions=_without("pay_compensation"))  # 2026-07-17: rq-002's is a day late
    assert _panel(played.session, "requisition.liabilities") == [
        ("未付 2 筆，共 NT$ 29,286；逾期 1 筆", "bad"),
        ("rq-002-L1 洄瀾物流股份有限公司（虛構）：徵用補償 NT$ 10,000，期限 2026-07-16（art.28）", "bad"),
        ("rq-001-L1 洄瀾物流股份有限公司（虛構）：徵用補償 NT$ 19,286，期限 2026-07-17（art.28）", "warn")]
    assert _choices(played.session, "pay_compensation.liability") == ["rq-002-L1", "rq-001-L1"]
    assert _panel(Played(12).session, "requisition.liabilities")[0] == ("未付 0 筆，共 NT$ 0；逾期 0 筆", "ok")
    assert _choices(Played(12).session, "pay_compensation.liability") == []


def test_overdue_and_long_running_paperwork():
    """One day a turn: a use term runs out, a liability falls overdue, a person reports for service."""
    g = Game()
    g.approved_plan(["truck1", "p3"])
    g.do("requisition", {"id": "r1", "plan": "plan1", "resource": "truck1", "mode": "use", "days": 3,
                         "deliver_at": {"place": "甲鄉公所", "date": "2026-08-14"}})
    g.do("requisition_manpower", {"id": "m1", "plan": "plan1", "person": "p3", "notice_on": "2026-07-14",
                                  "report_on": "2026-07-24"})
    assert _choices(g.session, "record_casualty.person", county="c1") == []
    while g.date < "2026-08-14":
        g.next_turn()
    assert _choices(g.session, "record_delivery.requisition", county="c1") == ["r1"]
    assert rule(g.do("record_delivery", {"requisition": "r1"})) is None
    assert rule(g.do("assess_value", {"requisition": "r1", "price": 30000})) is None
    g.next_turn(4)
    lines = [r.text["zh_TW"] for r in plugins.picture_registry()["requisition.cases"](g.session, "c1")]
    assert "r1 3.5 噸貨車 ABC-1234（徵用）：使用中；逾期未解除：徵用期已於 2026-08-16 屆滿，逾期 2 日（全動法第 32 條：應即解除）" in lines
    assert "m1 張家豪（醫護人員）：已報到；2026-07-24 報到" in lines
    assert _choices(g.session, "record_casualty.person", county="c1") == ["p3"]
    assert _choices(g.session, "release.requisition", county="c1") == ["r1"]
    assert rule(g.do("release", {"requisition": "r1"})) is None
    g.next_turn(2)
    panel = [(r.text["zh_TW"], r.tone) for r in plugins.picture_registry()["requisition.liabilities"](g.session, "c1")]
    assert panel[0] == ("未付 1 筆，共 NT$ 50,000；逾期 1 筆", "bad")  # 5 days held on a 3-day term: all 5 owed (art 28)
    assert panel[1][1] == "bad" and panel[1][0].startswith("r1-L1 洄瀾貨運有限公司：徵用補償 NT$ 50,000，期限 2026-08-18")
    assert _choices(g.session, "pay_compensation.liability", county="c1") == ["r1-L1"]
    assert _choices(g.session, "pay_compensation.liability", county="c2") == []


def test_resource_and_person_choices():
    played = Played(5)
    assert _choices(played.session, "requisition.resource") == ["hl-gen-01", "hl-truck-04", "hl-wh-01"]
    assert _choices(played.session, "requisition_manpower.person") == ["hl-driver-01"]
    assert _choices(played.session, "issue_requisition_order.requisition") == ["rq-001", "rq-002"]
    played = Played(7)
    assert _choices(played.session, "requisition_manpower.person") == []  # noticed already
    assert _choices(played.session, "release_manpower.requisition") == ["mp-001"]
    labels = {c.value: c.label["zh_TW"] for c in plugins.choice_registry()["requisition.resource"](Played(5).session, COUNTY, "mobilization")}
    assert labels["hl-gen-01"] == "500kW 柴油發電機，東岸機電工程有限公司（虛構）"  # the id only as the option's tooltip


def _args(key):
    def make(session, value):
        state = session.domain("requisition")
        today = session.clock.turn_start(session.turn).date().isoformat()
        plan = (values(session, "requisition.plan") or ["rp-001"])[0]
        if key == "requisition.plan":
            items = [i for i in state.plans[value]["items"] if i in state.registry["property"]
                     and state.active_case_for(i) is None]
            return {"id": "rq-new", "plan": value, "resource": items[0], "mode": "use", "days": 5,
                    "deliver_at": {"place": "x", "date": today}, "exception": "emergency", "consent": True} if items else None
        if key == "requisition.resource":
            return {"id": "rq-new", "plan": plan, "resource": value, "mode": "use", "days": 5,
                    "deliver_at": {"place": "x", "date": today}, "exception": "emergency", "consent": True}
        if key.startswith("requisition_manpower."):
            people = values(session, "requisition_manpower.person")
            if not people:
                return None
            args = {"id": "mp-new", "plan": plan, "person": people[0], "notice_on": today, "report_on": "2026-08-30"}
            args[key.split(".")[1]] = value
            return args
        if key == "assess_value.requisition":
            case = state.cases[value]
            price = state.registry["property"][case["resource"]]["market_value"] if case["mode"] == "purchase" else 1000
            return {"requisition": value, "price": price}
        if key == "report_damage.requisition":
            damaged = state.cases[value]["state"] == "damaged"  # a damaged item can only be found beyond repair
            return {"requisition": value, "severity": "lost" if damaged else "repairable", "repair_cost": 1000}
        if key == "record_casualty.person":
            return {"person": value, "outcome": "injury", "treatment_cost": 100}
        if key == "pay_compensation.liability":
            return {"liability": value}
        if key == "reject_requisition_plan.plan":
            return {"plan": value, "reason": "不符"}
        if key == "approve_requisition_plan.plan":
            return {"plan": value}
        return {"requisition": value}
    return make


#: Choices that no command of the scripted run can refuse (other args valid).
ACCEPTED = ("approve_requisition_plan.plan", "reject_requisition_plan.plan", "requisition.plan", "requisition.resource",
            "requisition_manpower.plan", "requisition_manpower.person", "requisition_manpower.operates",
            "issue_requisition_order.requisition", "assess_value.requisition", "release_manpower.requisition",
            "report_damage.requisition", "pay_compensation.liability")


def test_every_choice_names_something_the_command_knows():
    runs = [Played(t) for t in (4, 5, 6, 7, 10, 12)] + [Played(4, actions=_without("approve_requisition_plan")),
                                                       Played(12, actions=_without("pay_compensation"))]
    seen = tried_choices("requisition", runs, _args, lambda key: key in ACCEPTED)
    # Nobody in the 3-day default scenario reports for service (notice comes 10 days ahead);
    # test_overdue_and_long_running_paperwork covers that choice.
    assert seen == part_choice_keys("requisition") - {"record_casualty.person"}


@pytest.mark.slow
def test_deterministic_and_read_only():
    check_deterministic("requisition")
