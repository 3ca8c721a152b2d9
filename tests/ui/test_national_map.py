"""The national console: 22 county outlines on the map, stations and aid convoys drawn at
national scale, a county filter that zooms ([ / ]), the stock panel in words (zh_TW), and the
layout at 1920x1080 and 1280x800."""

import os

import pygame
import pytest

from tabletop.api import load_scenario_file
from tabletop.scenario import national
from tabletop.scenario.actions import load_actions
from tabletop.ui import facilitator, gfx
from tabletop.ui.app import App
from tabletop.ui.console import Console
from tabletop.ui.main import play_to

pytestmark = pytest.mark.slow  # a national session played to turn 6 (about 4 s)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    folder = tmp_path_factory.mktemp("national-ui")
    scenario, actions_path = national.write(str(folder / "n"), injects_per_county=1, turns=8, full=True)
    loaded = load_scenario_file(scenario)
    actions, _ = load_actions(actions_path)
    console = Console.start(loaded, 1, str(folder / "n.jsonl"), "zh_TW")
    play_to(console, actions, 5)  # the islands' aid convoys are on the road (asked in turn 3, allocated in turn 4)
    made = App(console, "zh_TW")
    yield made
    console.close()


def _pixels(surface, rect, colour):
    count = 0
    for x in range(rect.left, rect.right, 2):
        for y in range(rect.top, rect.bottom, 2):
            if tuple(surface.get_at((x, y)))[:3] == colour:
                count += 1
    return count


def test_the_map_draws_all_22_county_outlines(app):
    view = app.screen.map
    assert {county for county, _ in view.outlines} == {c["id"] for c in national.build(full=True)["counties"]}
    app.draw()
    land = _pixels(app.surface, facilitator.MAP, view_land(view))
    assert land > 500  # Taiwan's land is on the map, not just dots on the sea
    assert view.many and len(view.townships) == 368


def view_land(view):
    from tabletop.ui.mapview import LAND

    return LAND


def test_aid_convoys_and_stations_are_on_the_map(app):
    scene = app.screen.map.scene()
    assert any(aid for _, _, aid, _ in scene.convoys), scene.convoys
    assert len(scene.stations) == 368  # one per township (open_stations in turn 1)


def test_the_county_filter_zooms_and_cycles(app):
    screen = app.screen
    whole = screen.map.project.scale
    screen.cycle_county(1)
    first = app.console.session.scenario.counties[0].id
    assert screen.county == first and screen.map.county == first
    assert {c.id for c, _ in screen.map.townships} == {first}
    assert screen.map.project.scale > 3 * whole  # zoomed to the county
    screen.cycle_county(-1)
    assert screen.county is None and screen.map.project.scale == whole
    screen.cycle_county(-1)  # backwards from the whole country: the last county
    assert screen.county == app.console.session.scenario.counties[-1].id
    screen.show_county(None)
    key = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHTBRACKET, mod=0, unicode="]", scancode=0)
    assert screen.key_action(key) == "county:1"


def test_the_stock_panel_speaks_zh_tw(app, monkeypatch):
    said = []
    real = gfx.blit

    def spy(target, text, *args, **kwargs):
        said.append(text)
        return real(target, text, *args, **kwargs)

    monkeypatch.setattr(gfx, "blit", spy)
    surface = pygame.Surface(gfx.SIZE)
    app.screen._stock(surface, facilitator.STOCK, "zh_TW")
    text = " ".join(said)
    assert "全國存量" in text and "米" in text and "日（" in text and "跨縣市支援" in text
    assert "announced" not in text and "closed_roads" not in text  # no raw counters
    said.clear()
    app.screen._stock(surface, facilitator.STOCK, "en")
    assert "mutual aid" in " ".join(said)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_readable_at_projector_sizes(app, size, tmp_path):
    try:
        app.resize(*size)
        app.step(0.05)
        app.draw()
        assert app.surface.get_size() == size
        assert facilitator.MAP.width >= 500 and facilitator.MAP.bottom <= size[1]
        app.screenshot(str(tmp_path / f"national-{size[0]}.png"))
        assert pygame.image.load(str(tmp_path / f"national-{size[0]}.png")).get_size() == size
    finally:
        app.resize(*gfx.DEFAULT_SIZE)


def test_docs_show_the_national_console():
    root = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "img")
    for name, size in (("national-1920x1080-zh.png", (1920, 1080)), ("national-1280x800-zh.png", (1280, 800))):
        assert pygame.image.load(os.path.join(root, name)).get_size() == size


def test_a_station_out_of_stock_is_drawn_short(tmp_path):
    # Stations open empty; once rice is rationed people queue and find no rice: each station
    # of that county is "short" on the truth map, and on the EOC map once its township reports.
    scenario, actions_path = national.write(str(tmp_path / "n"), injects_per_county=1, turns=8, full=True)
    loaded = load_scenario_file(scenario)
    actions, _ = load_actions(actions_path)
    console = Console.start(loaded, 1, str(tmp_path / "n.jsonl"), "zh_TW")
    try:
        play_to(console, actions, 5)
        county = loaded.scenario.counties[0].id
        for command in (("central", None, "declare_shortage", {"goods": ["rice"]}),
                        ("supply", county, "set_ration", {"good": "rice", "per_person_per_day": 0.25,
                                                          "purchases_per_month": 3})):
            outcome = console.play(command[1], command[0], command[2], command[3])
            assert outcome.rejected is None, outcome.rejected
        app = App(console, "zh_TW")
        assert "short" not in {state for _, _, state in app.screen.map.scene().stations}
        for _ in range(8):  # a day's turns: the purchase window opens, people queue, rice is out
            assert console.control("advance").rejected is None
        truth = app.screen.map.scene().stations
        mine = {town for c in loaded.scenario.counties if c.id == county for town in (t.id for t in c.townships)}
        short = {ident for ident, town, state in truth if state == "short"}
        assert short and all(town in mine for ident, town, state in truth if ident in short)
        out = {sid for sid, item in console.session.part_state("distribution")["stations"].items()
               if item["state"] == "open" and any(item["out"].values())}
        assert short == out
        app.step()
        app.draw()
        for ident in sorted(short)[:5]:  # dense in the north: count its colour in the dot, not one pixel
            rect = app.screen.map.placed[f"station:{ident}"]
            assert _pixels(app.surface, rect, gfx.WARN[:3]) + _pixels(app.surface, rect.move(1, 1), gfx.WARN[:3]) > 0
        app.view = "eoc"
        app.step()
        told = {ident for ident, _, state in app.screen.map.scene().stations if state == "short"}
        assert told and told <= short  # the EOC knows what reports have told it
    finally:
        console.close()
