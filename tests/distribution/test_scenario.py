"""The distribution section's cross-references are reported at file:line:col; defaults are FEMA's."""

import copy

import yaml
from dist_helpers import BASE

from tabletop.distribution.params import DistributionSection
from tabletop.api import load_scenario_text


def test_bad_references_are_located():
    data = copy.deepcopy(BASE)
    data["distribution"]["roads"].append({"id": "xx", "a": "a", "b": "nowhere", "minutes": 5})
    data["distribution"]["fleets"].append({"county": "atlantis"})
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    loaded = load_scenario_text(text, "s.yaml")
    messages = [str(p) for p in loaded.problems]
    assert any("unknown township 'nowhere'" in m and m.startswith("s.yaml:") for m in messages), messages
    assert any("unknown county 'atlantis'" in m for m in messages), messages


def test_default_station_types_are_fema_pods():
    types = {t.id: (t.people_per_day, t.open_hours, t.staff) for t in DistributionSection().station_types}
    assert types == {"type_I": (20000, 12, 78), "type_II": (10000, 12, 34), "type_III": (5000, 12, 19)}


def test_default_scenario_shows_distribution(default_scenario):
    assert default_scenario.scenario.distribution.roads
