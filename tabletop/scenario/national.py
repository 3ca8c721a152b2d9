"""A national scenario: all 22 counties and 368 townships, built from a CSV.

The townships, populations, households and village counts are real (MOI
household registration, see ``scenarios/data/README.md``); the warehouses and
their stocks are fictional (the real sites are classified) and sized from each
county's population. The output is deterministic: the same CSV and parameters
give byte-identical YAML. Tests and benchmarks use it for national scale.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from typing import Any

import yaml

from tabletop import files
from tabletop.core.roles import REQUIRED_ROLES

#: The CSV shipped with the project.
DEFAULT_CSV = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           "scenarios", "data", "townships.csv")

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


def _county(name: str, rows: list[TownshipRow]) -> dict[str, Any]:
    cid, en = COUNTIES[name]
    townships = []
    for index, row in enumerate(rows, start=1):
        town: dict[str, Any] = _Flow({"id": f"{cid}_{index:02d}", "name": _text(row.township, row.township),
                                "population": row.population, "households": row.households, "villages": row.villages})
        if name in OUTLYING_COUNTIES or (name, row.township) in OUTLYING_TOWNSHIPS:
            town["outlying"] = True
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
          participants: bool = True) -> dict[str, Any]:
    """The national scenario as plain data (see :func:`scenario_yaml` for the file text)."""
    if turns < len(PHASES):
        raise ValueError(f"a national scenario needs at least {len(PHASES)} turns (one per phase)")
    if injects_per_county < 0:
        raise ValueError("injects_per_county must be 0 or more")
    rows = read_townships() if rows is None else rows
    counties = [_county(name, group) for name, group in _by_county(rows)]
    spans = _phase_spans(turns)
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
    return out


HEADER = """\
# 全國 22 縣市兵棋推演想定（由 tools/generate_national.py 產生，請勿手改）
# Taiwan national scenario, generated by tools/generate_national.py: do not edit by hand.
# Townships, populations, households, villages: scenarios/data/townships.csv (MOI, 2026-08).
# Warehouses and stocks are fictional.
"""


class _Flow(dict[str, Any]):
    """A mapping written on one line (townships, goods, actions), like hand-written scenarios."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))


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
