"""Stations have names (站名): screens name a station by its given name, its site's name or its
township and number (吉安鄉第2配售站), never by its bare id; the log keeps the ids."""

from __future__ import annotations

import re

import orjson
import pytest

from conftest import ACTIONS, SCENARIO, cli
from tabletop import api, i18n
from tabletop.runner import run
from tabletop.scenario.actions import load_actions

SITE = "    - {id: zhongzheng_gym, township: hualien_city, setup_minutes: 360}\n"
NAMED_SITE = ("    - {id: zhongzheng_gym, township: hualien_city, setup_minutes: 360, "
              "name: {zh_TW: 中正體育館配售站, en: Zhongzheng Gym station}}\n")
#: The Hualien script's open_station of st_jian, and the same with a name given.
JIAN = "args: {id: st_jian, township: jian, site: jian_market, type: type_II, staff: 34}"
NAMED_JIAN = "args: {id: st_jian, township: jian, site: jian_market, type: type_II, staff: 34, name: 吉安市場配售站}"


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    """The Hualien scenario with a named site, its script naming st_jian; played 6 turns."""
    folder = tmp_path_factory.mktemp("named")
    text = open(SCENARIO, encoding="utf-8").read()
    assert SITE in text
    (folder / "scenario.yaml").write_text(text.replace(SITE, NAMED_SITE), encoding="utf-8")
    script = open(ACTIONS, encoding="utf-8").read()
    assert JIAN in script
    (folder / "actions.yaml").write_text(script.replace(JIAN, NAMED_JIAN), encoding="utf-8")
    loaded = api.load_scenario_file(str(folder / "scenario.yaml"))
    assert loaded.ok, loaded.problems
    actions, problems = load_actions(str(folder / "actions.yaml"))
    assert not problems
    log = str(folder / "named.jsonl")
    run(loaded, 1, actions, log, turns=6)
    return log


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    loaded = api.load_scenario_file(SCENARIO)
    actions, _ = load_actions(ACTIONS)
    log = str(tmp_path_factory.mktemp("plain") / "plain.jsonl")
    run(loaded, 1, actions, log, turns=6)
    return log


def _records(log):
    with open(log, "rb") as handle:
        return [orjson.loads(line) for line in handle]


def _session(log):
    from tabletop.replay.timeline import Replay

    replay = Replay(log, progress=False)
    return replay, replay.session_at(replay.count - 1)


def _feed(session, records, lang):
    from tabletop.ui.describe import describe

    return [describe(session, r, lang) for r in records if r["type"] != "header"]


def test_derived_names_are_township_and_number_in_the_feed(plain):
    replay, session = _session(plain)
    with replay:
        records = _records(plain)
        zh, en = "\n".join(_feed(session, records, "zh_TW")), "\n".join(_feed(session, records, "en"))
    assert "規劃開設配售站：花蓮市第1配售站" in zh and "花蓮市第2配售站" in zh and "吉安鄉第1配售站" in zh
    assert "Hualien City station 1" in en and "Ji'an station 1" in en
    for ident in ("st_city", "st_city2", "st_jian", "st_yuli", "st_zhuoxi"):
        assert not re.search(rf"\b{ident}\b", zh + en), ident
    # engine messages by their kind, not by an internal id
    assert "station_order-" not in zh + en and "配售站開設命令送達" in zh and "Station order delivered" in en


def test_a_site_name_and_a_given_name_win_and_the_log_keeps_ids(named):
    replay, session = _session(named)
    with replay:
        records = _records(named)
        zh, en = "\n".join(_feed(session, records, "zh_TW")), "\n".join(_feed(session, records, "en"))
    assert "中正體育館配售站" in zh and "Zhongzheng Gym station" in en  # st_city: its site's name
    assert "吉安市場配售站" in zh and "吉安市場配售站" in en              # st_jian: the command's name (one language)
    assert "花蓮市第2配售站" in zh                                        # st_city2: derived
    body = b"".join(orjson.dumps(r) for r in records if r["type"] == "event")
    assert "中正體育館".encode() not in body and "花蓮市第".encode() not in body  # names are never logged
    opened = [r for r in records if r["kind"] == "station_state" and r["data"].get("reason") == "opened"]
    assert {r["data"]["station"] for r in opened} >= {"st_city", "st_jian"}
    assert all("name" not in r["data"] for r in opened)


def test_names_survive_a_snapshot_restore(plain):
    """Replay's fast seek rebuilds the session from a snapshot: the same names as the live session."""
    from tabletop.replay.timeline import Replay
    from tabletop.ui.describe import station_names

    with Replay(plain, progress=False) as replay:
        last = replay.session_at(replay.count - 1)
        again = replay.session_at(replay.count - 2)
        for ident in ("st_city", "st_city2", "st_jian", "st_yuli"):
            assert station_names(last, ident) == station_names(again, ident)
        assert station_names(last, "st_city2") == {"zh_TW": "花蓮市第2配售站", "en": "Hualien City station 2"}


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    """The Hualien script, and in turn 3 a station opened on st_jian's site: refused (site_in_use)."""
    folder = tmp_path_factory.mktemp("refused")
    extra = ("- {turn: 3, county: hualien, role: civil_affairs, do: open_station, args: {id: st_dup, "
             "township: jian, site: jian_market, type: type_III, staff: 5}}\n"
             "- {turn: 3, county: hualien, role: civil_affairs, do: open_station, args: {id: st_shelter, "
             "township: hualien_city, site: hc_shelter_1, type: type_III, staff: 5}}\n")
    (folder / "actions.yaml").write_text(open(ACTIONS, encoding="utf-8").read() + extra, encoding="utf-8")
    actions, problems = load_actions(str(folder / "actions.yaml"))
    assert not problems
    log = str(folder / "dup.jsonl")
    run(api.load_scenario_file(SCENARIO), 1, actions, log, turns=3)
    return log


def test_a_refusal_names_the_station_it_is_about(refused):
    """The refusal names the station on the site in the feed, the console's list and `rejections LOG`;
    the log keeps its id."""
    from tabletop.replay.rejections import refusals
    from tabletop.ui.describe import describe

    records = _records(refused)
    rejected = next(r for r in records if r["kind"] == "command_rejected" and r["data"]["rule"] == "site_in_use")
    assert rejected["data"]["params"]["station"] == "st_jian"
    replay, session = _session(refused)
    with replay:
        line = describe(session, rejected, "zh_TW")
        assert "吉安鄉第1配售站" in line and "st_jian" not in line
        assert "Ji'an station 1" in describe(session, rejected, "en")
    found, _ = refusals(records)  # the scenario read from the header
    dup = next(item for item in found if item.rule == "site_in_use")
    assert "吉安鄉第1配售站" in dup.reason("zh_TW") and "Ji'an station 1" in dup.reason("en")
    zh, en = cli("rejections", refused).stdout, cli("--lang", "en", "rejections", refused).stdout
    assert "吉安鄉第1配售站" in zh and "Ji'an station 1" in en
    assert "st_jian" not in zh + en


def test_seat_pictures_name_stations_not_ids(plain):
    """The EOC's stations panel and the form choices for a station name them, never by id."""
    from tabletop.distribution import seat_view

    replay, session = _session(plain)
    with replay:
        rows = seat_view.stations_picture(session, "hualien")
        choices = seat_view._stations(session, "hualien")
    text = " ".join(row.text[lang] for row in rows for lang in i18n.LANGS)
    assert "花蓮市第1配售站" in text and "Hualien City station 1" in text
    assert not re.search(r"\bst_(city|jian|yuli|zhuoxi)\b", text)
    labels = {choice.value: choice.label for choice in choices}
    assert labels["st_jian"] == {"zh_TW": "吉安鄉第1配售站", "en": "Ji'an station 1"}


def test_scoring_names_a_station_node_from_the_log(plain):
    from tabletop.scoring import logview, names

    view = logview.load(plain, progress=False)
    assert names.node(view, "station:st_city2", "zh_TW") == "花蓮市第2配售站"
    assert names.node(view, "station:st_jian", "en") == "Ji'an station 1"
    assert names.node(view, "station:nosuch", "en") == "nosuch"


def test_english_strings_use_half_width_punctuation():
    """No English text of the translation table carries full-width punctuation."""
    wide = re.compile("[（），：；、。「」！？【】［］　]")
    bad = {key: texts["en"] for key, texts in i18n.TABLE.items()
           if isinstance(texts, dict) and isinstance(texts.get("en"), str) and wide.search(texts["en"])}
    assert not bad, bad


def test_a_siting_refusal_names_the_shelter_not_its_id(refused):
    """A station refused on a shelter's site (R, station siting): the reason names the shelter
    (unnamed in the scenario: its township and number), in the feed and `rejections LOG`."""
    from tabletop.replay.rejections import refusals
    from tabletop.ui.describe import describe

    records = _records(refused)
    rejected = next(r for r in records if r["kind"] == "command_rejected"
                    and r["data"]["key"] == "dist.reject.site_shared" and r["data"]["params"]["site"] == "hc_shelter_1")
    replay, session = _session(refused)
    with replay:
        zh, en = describe(session, rejected, "zh_TW"), describe(session, rejected, "en")
    assert "花蓮市第1避難處所" in zh and "hc_shelter_1" not in zh
    assert "Hualien City shelter 1" in en and "hc_shelter_1" not in en
    found, _ = refusals(records)
    assert any("花蓮市第1避難處所" in item.reason("zh_TW") for item in found)
