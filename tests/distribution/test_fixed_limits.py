"""R's fixed limits are law, not data: validate refuses a scenario that changes them, at the
value's file:line:col, citing the rule; what R leaves to the authorities stays scenario data."""

import copy

import yaml

from dist_helpers import BASE
from tabletop.api import load_scenario_text


def _load(goods: dict) -> tuple[object, str]:
    data = copy.deepcopy(BASE)
    data["distribution"]["goods"] = goods
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return load_scenario_text(text, "limits.yaml"), text


def _line(text: str, needle: str, after: str) -> int:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def test_what_r_leaves_to_the_authorities_is_scenario_data():
    loaded, _ = _load({"rice": {"weight_kg": 1.0, "max_purchases_per_month": 3},
                       "lpg": {"weight_kg": 30.0, "stored_at_station": False, "max_purchases_per_month": 1}})
    assert loaded.ok, loaded.problems


def test_changing_the_fixed_limits_is_refused_at_the_line_citing_the_rule():
    loaded, text = _load({"rice": {"max_purchases_per_month": 4},
                          "lpg": {"stored_at_station": True, "max_purchases_per_month": 2}})
    assert not loaded.ok
    found = {(p.line, p.message.split(":")[0]) for p in loaded.problems}
    assert (_line(text, "max_purchases_per_month", "rice:"), "R.purchases_per_month") in found
    assert (_line(text, "max_purchases_per_month", "lpg:"), "R.purchases_per_month") in found
    assert (_line(text, "stored_at_station", "lpg:"), "R.lpg_not_at_station") in found
    assert all(p.file == "limits.yaml" and p.col > 0 for p in loaded.problems)
