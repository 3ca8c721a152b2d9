"""Screens without internal ids: what the facilitator reads names places and kinds."""

from __future__ import annotations

from conftest import cli


def test_compare_has_an_overall_row_and_names_its_sessions(played):
    first, second = played(seed=1, turns=3, name="first.jsonl"), played(seed=2, turns=3, name="second.jsonl")
    out = cli("compare", first, second).stdout
    assert "1: 花蓮縣 115 年城鎮韌性演習兵棋推演 種子 1（first.jsonl）" in out
    assert "2: 花蓮縣 115 年城鎮韌性演習兵棋推演 種子 2（second.jsonl）" in out
    assert any(line.startswith("總分 ") for line in out.splitlines())
    from tabletop.scoring import compare, engine, logview

    doc = compare.compare(engine.score(logview.load(first)), engine.score(logview.load(second)), (first, second))
    heads = compare.headers(doc, "en")
    assert heads[2] == "1: Hualien County 2026 Urban Resilience tabletop exercise, seed 1 (first.jsonl)"
    assert compare.rows(doc, "en")[0][0] == "Overall score"


def test_engine_messages_show_their_kind_not_an_id(default_scenario):
    from tabletop.api import new_session
    from tabletop.ui.describe import describe

    session, _ = new_session(default_scenario, 1)
    data = {"id": "station_directive-2", "kind": "station_directive", "from": "eoc:hualien", "to": "township:jian",
            "payload": {"station": "st_jian"}}
    text = describe(session, {"kind": "message_sent", "data": data, "type": "event"}, "zh_TW")
    assert "station_directive" not in text and "配售站指令" in text and "吉安鄉" in text


def test_the_replay_picture_speaks_words_not_debug_text():
    from tabletop.ui.replay.panels import _fact, _value

    assert _fact("base_station", "zh_TW") == "行動基地台" and _fact("grid_power", "en") == "grid power"
    assert _value(True, "zh_TW") == "是" and _value(False, "en") == "no"


import pytest  # noqa: E402


@pytest.mark.parametrize("lang", ["zh_TW", "en"])
def test_the_replay_timeline_has_a_legend_for_every_colour_it_draws(lang):
    """Inject, alert, refusal and note marks on the replay's timeline each have a swatch in its legend."""
    import pygame

    from tabletop.ui.replay.panels import MARK_COLOURS, W, _legend

    pygame.init()
    surface = pygame.Surface((W, 800))
    start = _legend(surface, lang, 766)
    assert W // 2 < start < W - 100  # right-aligned, clear of the key hint on the left
    colours = {tuple(surface.get_at((x, y)))[:3] for x in range(start, W) for y in range(766, 786)}
    for mark in ("inject", "alert", "rejection", "note"):
        assert tuple(MARK_COLOURS[mark])[:3] in colours, mark


def test_report_timeline_rows_are_inject_titles_with_the_id_in_the_tooltip(played):
    from tabletop.scoring import engine, logview
    from tabletop.scoring.report import timeline_block

    log = played(seed=1, turns=3)
    view = logview.load(log, progress=False)
    svg = timeline_block(view, engine.score(view), "zh_TW").svg
    assert "<title>聯合封鎖開始 (B01)</title>" in svg and ">B01 " not in svg


def test_every_engine_message_kind_has_a_name_in_both_languages():
    """Each kind a part receives (Plugin.receivers) is named in the feed (ui.msg.<kind>), never shown raw."""
    from tabletop import i18n, plugins

    kinds = {kind for plugin in plugins.all_plugins() for kind in plugin.receivers}
    assert "aid_request" in kinds and "report" in kinds
    for kind in sorted(kinds):
        entry = i18n.TABLE.get(f"ui.msg.{kind}")
        assert entry and entry.get("zh_TW") and entry.get("en"), kind
