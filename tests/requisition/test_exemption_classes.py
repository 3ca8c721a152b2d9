"""Art 29: the generated registry holds property of every exemption class (1 to 5), each refused
when requisitioned, and the plans panel names the class."""

from rq_helpers import Game, rule
from tabletop import plugins

GENERATE = "    owners: 3\n    property: {truck: 4, generator: 2}\n    people: {driver: 1}\n"


def test_every_class_of_art_29_is_in_the_registry_and_named_in_the_panel():
    g = Game(seed=5, generate=GENERATE)
    made = g.records[0]["data"]["generated"]["requisition"]["property"]
    for county in ("c1", "c2"):
        classes = {p["exemption"] for p in made if p["id"].startswith(county + "-") and p["exemption"]}
        assert classes == {f"art.29.{n}" for n in range(1, 6)}, (county, classes)
    lines = [r.text["zh_TW"] for r in plugins.picture_registry()["requisition.plans"](g.session, "c1")]
    for n, name in ((1, "外交豁免"), (2, "執行公務"), (3, "慈善機構"), (4, "日常基本生活"), (5, "行政院指定")):
        assert any(f"第 29 條第 {n} 款" in line and name in line for line in lines), (n, lines)


def test_exempt_property_is_refused_and_free_property_allowed():
    g = Game(seed=5, generate=GENERATE)
    made = g.records[0]["data"]["generated"]["requisition"]["property"]
    exempt = next(p for p in made if p["id"].startswith("c1-") and p["exemption"] == "art.29.1")
    free = next(p for p in made if p["id"].startswith("c1-") and not p["exemption"])
    assert rule(g.do("submit_requisition_plan", {"id": "bad", "items": [exempt["id"]], "purpose": "測試"})) == "art.29"
    assert rule(g.do("submit_requisition_plan", {"id": "ok", "items": [free["id"]], "purpose": "測試"})) is None
