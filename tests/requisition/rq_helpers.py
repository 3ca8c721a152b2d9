"""A small requisition scenario and a driver for tests: one day a turn, hand-listed registry."""

from __future__ import annotations

import textwrap

from tabletop import api
from tabletop.core.commands import Command
from tabletop.api import load_scenario_text

REGISTRY = """
  owners:
    - {id: o1, kind: company, name: 洄瀾貨運有限公司, id_number: "12345675", township: t1}
    - {id: o2, kind: person, name: 林志明, id_number: U120000001, township: t1, requisitions_this_year: 1}
    - {id: o3, kind: company, name: 東岸電機股份有限公司, township: t2}
    - {id: o9, kind: company, name: 乙縣客運, township: u1}
  property:
    - {id: truck1, kind: truck, name: 3.5 噸貨車 ABC-1234, owner: o1, township: t1, market_value: 2000000, capacity_kg: 8000}
    - {id: truck2, kind: truck, name: 大貨車 ABC-5678, owner: o1, township: t1, market_value: 3000000, capacity_kg: 15000}
    - {id: truck3, kind: truck, name: 貨車 KLM-0001, owner: o2, township: t1, market_value: 1500000, capacity_kg: 5000, no_alternative: true}
    - {id: gen1, kind: generator, name: 柴油發電機 200kW, owner: o3, township: t2, market_value: 800000, power_kw: 200, patent: true, unit: 部}
    - {id: hosp_gen, kind: generator, name: 療養院發電機, owner: o3, township: t2, market_value: 900000, power_kw: 100, exemption: art.29.3, unit: 部}
    - {id: wh1, kind: warehouse, name: 冷藏倉庫, owner: o3, township: t2, market_value: 20000000, unit: 棟}
    - {id: bus9, kind: bus, name: 乙縣客車, owner: o9, township: u1, market_value: 4000000}
  people:
    - {id: p1, name: 陳建宏, township: t1, skill: driver, employer: 洄瀾貨運有限公司}
    - {id: p2, name: 黃美玲, township: t1, skill: machine_operator, sole_operator: true}
    - id: p3
      name: 張家豪
      township: t2
      skill: medic
      survivors: [{relation: spouse, name: 王淑芬}, {relation: child, name: 張小明}, {relation: parent, name: 張大同}]
    - {id: p4, name: 李文雄, township: t2, skill: repair_crew, job_benefit: 500000, survivors: [{relation: parent, name: 李老先生}]}
    - {id: p5, name: 吳志強, township: t2, skill: loader, unfit: true}
    - {id: p6, name: 蔡宗翰, township: t1, skill: rescuer, family_dependent: true}
"""


def scenario_text(mobilization: str = "exercise", minutes_per_turn: int = 1440, turns: int = 60, owners: float = 1.0,
                  people: float = 1.0, employers: float = 1.0, extra: str = "", generate: str = "") -> str:
    return textwrap.dedent(f"""\
        scenario:
          id: rq-test
          title: {{zh_TW: 徵用測試, en: Requisition test}}
        clock:
          start: "2026-07-14T08:00:00+08:00"
          minutes_per_turn: {minutes_per_turn}
          turns: {turns}
        counties:
          - id: c1
            name: {{zh_TW: 甲縣, en: County A}}
            townships:
              - {{id: t1, name: {{zh_TW: 甲鄉, en: A}}, population: 1000}}
              - {{id: t2, name: {{zh_TW: 乙鄉, en: B}}, population: 1000}}
          - id: c2
            name: {{zh_TW: 乙縣, en: County B}}
            townships:
              - {{id: u1, name: {{zh_TW: 丙鄉, en: C}}, population: 1000}}
        requisition:
          mobilization: {mobilization}
          compliance: {{owners: {owners}, people: {people}, employers: {employers}}}
        """) + extra + (generate and "  generate:\n" + generate) + REGISTRY


class Game:
    """Drive a session: start it, sit in the orders phase, submit, step turns."""

    def __init__(self, seed: int = 1, **options) -> None:
        self.loaded = load_scenario_text(scenario_text(**options), "rq.yaml")
        assert self.loaded.ok, self.loaded.problems
        self.session, header = api.new_session(self.loaded, seed)
        self.records = [header]
        self.control("start")
        self.control("advance")  # -> turn 1 injects
        self.control("advance")  # -> orders

    def control(self, kind: str) -> list[dict]:
        out = self.session.submit(Command(None, None, "facilitator", kind, {}))
        self.records += out
        return out

    def next_turn(self, count: int = 1) -> None:
        for _ in range(count):
            for _ in range(4):  # adjudication, turnend, next injects, orders
                self.control("advance")

    def do(self, kind: str, args: dict, role: str = "mobilization", county: str | None = "c1") -> list[dict]:
        out = self.session.submit(Command(None, None if role == "central" else county, role, kind, args))
        self.records += out
        internal = [r for r in out if r["kind"] == "command_rejected" and r["data"]["rule"] == "internal"]
        assert not internal, internal
        return out

    @property
    def date(self) -> str:
        return self.session.clock.turn_start(self.session.turn).date().isoformat()

    @property
    def state(self):
        return self.session.domain("requisition")

    def approved_plan(self, items, ident: str = "plan1") -> None:
        assert rule(self.do("submit_requisition_plan", {"id": ident, "items": items, "purpose": "測試"})) is None
        assert rule(self.do("approve_requisition_plan", {"plan": ident}, role="central")) is None


def rule(records: list[dict]) -> str | None:
    """The rule that rejected the command, or None if it was accepted."""
    for record in records:
        if record["kind"] == "command_rejected":
            return record["data"]["rule"]
    return None


def events(records: list[dict], kind: str) -> list[dict]:
    return [r["data"] for r in records if r["type"] == "event" and r["kind"] == kind]
