"""Acts arts 28 and 32: use compensation for every day actually held; holding past the term is an
overdue release on the paperwork panel and in the after-action report."""

from rq_helpers import Game, events
from tabletop import plugins
from tabletop.requisition import rules
from tabletop.scoring.requisition_facts import overdue_releases
from tabletop.scoring import logview

D = "2026-08-10"


def _held(g, ident, days):
    g.approved_plan(["truck1"])
    g.do("requisition", {"id": ident, "plan": "plan1", "resource": "truck1", "mode": "use", "days": days,
                         "deliver_at": {"place": "甲鄉公所", "date": D}})
    while g.date < D:
        g.next_turn()
    g.do("record_delivery", {"requisition": ident})
    g.do("assess_value", {"requisition": ident, "price": 70000})


def _cases(g):
    return [r for r in plugins.picture_registry()["requisition.cases"](g.session, "c1")]


def test_a_truck_held_29_days_on_a_7_day_term_is_owed_29_days():
    assert rules.art_28_use_compensation(70000, 7, 29) == 290000
    g = Game()
    _held(g, "r1", 7)
    g.next_turn(28)  # held 29 calendar days
    row = next(r for r in _cases(g) if "r1" in r.text["zh_TW"])
    assert row.tone == "bad" and "逾期未解除" in row.text["zh_TW"] and "overdue release" in row.text["en"]
    out = g.do("release", {"requisition": "r1"})
    released = events(out, "requisition_released")[0]
    assert (released["held_days"], released["term_days"], released["overdue_days"]) == (29, 7, 22)
    owed = events(out, "compensation_liability")[0]
    assert (owed["basis"], owed["amount"], owed["held_days"]) == ("art.28", 290000, 29)
    row = next(r for r in _cases(g) if "r1" in r.text["zh_TW"])
    assert row.tone == "bad" and "逾期解除" in row.text["zh_TW"]
    late = overdue_releases(logview.from_records([dict(r) for r in g.records]))
    assert [(r["id"], r["overdue_days"], r["state"]) for r in late] == [("r1", 22, "released")]


def test_a_release_within_the_term_is_not_overdue():
    g = Game()
    _held(g, "r1", 7)
    g.next_turn(3)
    row = next(r for r in _cases(g) if "r1" in r.text["zh_TW"])
    assert row.tone == "ok" and "逾期" not in row.text["zh_TW"]
    out = g.do("release", {"requisition": "r1"})
    assert events(out, "requisition_released")[0]["overdue_days"] == 0
    assert events(out, "compensation_liability")[0]["amount"] == 40000  # 4 of 7 days
    assert overdue_releases(logview.from_records([dict(r) for r in g.records])) == []
