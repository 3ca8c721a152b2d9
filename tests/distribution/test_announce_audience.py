"""An announcement's audience names townships exactly (by id, zh_TW or English name), never by
a part of a word."""

from dist_helpers import Driver, scenario
from tabletop.distribution.announcements import audience_townships


def _state():
    data = {"counties": [{
        "id": "c1", "name": {"zh_TW": "甲縣", "en": "County A"},
        "townships": [
            {"id": "ji", "name": {"zh_TW": "吉鄉", "en": "Ji"}, "population": 1000},
            {"id": "jian", "name": {"zh_TW": "吉安鄉", "en": "Ji'an"}, "population": 1000},
            {"id": "heping", "name": {"zh_TW": "和平區", "en": "Heping"}, "population": 1000},
        ],
        "warehouses": [{"id": "w1", "name": {"zh_TW": "倉", "en": "W"}, "township": "ji", "stock": {"rice": 10}}]}]}
    return Driver(scenario(distribution={"roads": [], "reserved_sites": []}, **data)).state


def test_audience_names_townships_exactly():
    state = _state()
    assert audience_townships(state, "c1", "吉安鄉、和平區") == ["heping", "jian"]
    assert audience_townships(state, "c1", "Ji'an and Heping") == ["heping", "jian"]
    assert audience_townships(state, "c1", "jian") == ["jian"]


def test_a_part_of_a_name_names_nothing_so_the_whole_county_hears():
    state = _state()
    # "吉安鄉" contains "吉" and "jian" contains "ji": neither names township ji.
    assert audience_townships(state, "c1", "吉安鄉") == ["jian"]
    assert audience_townships(state, "c1", "jian") == ["jian"]
    assert audience_townships(state, "c1", "全體縣民") == ["heping", "ji", "jian"]  # none named: everyone
