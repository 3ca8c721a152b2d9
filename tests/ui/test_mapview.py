"""The facilitator map: shelters, care stations and alerts drawn where the townships are, a legend,
markers that do not hide each other, caches that follow the state, and the MSEL list that stays
above the deck line."""

import ast
import math
import os

import pygame
import pytest

from ui_fixtures import ROOT, loaded  # noqa: F401  (fixtures)

from tabletop import i18n
from tabletop.scenario.actions import load_actions
from tabletop.ui import facilitator, gfx, mapview
from tabletop.ui.app import App
from tabletop.ui.console import Console
from tabletop.ui.main import play_to

ACTIONS = os.path.join(ROOT, "scenarios", "hualien", "actions.yaml")


@pytest.fixture
def console_at(loaded, tmp_path):
    actions, _ = load_actions(ACTIONS)
    made = []

    def make(turn, lang="zh_TW"):
        console = Console.start(loaded, 1, str(tmp_path / f"t{turn}-{lang}-{len(made)}.jsonl"), lang)
        play_to(console, actions, turn)
        made.append(console)
        return console

    yield make
    for console in made:
        console.close()
    gfx.caching(True)


def drawn(console, lang="zh_TW", view="truth"):
    app = App(console, lang)
    app.view = view
    app.step()
    app.draw()
    return app


def colour_at(app, point):
    return tuple(app.surface.get_at((int(point[0]), int(point[1]))))[:3]


def ring_share(app, centre, radius, colour):
    """The share of points on a circle around ``centre`` drawn in ``colour``."""
    hits = 0
    for step in range(72):
        angle = 2 * math.pi * step / 72
        point = (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))
        hits += colour_at(app, point) == colour
    return hits / 72


def test_shelters_and_alert_halos_are_drawn_at_the_townships(console_at):
    console = console_at(5)  # F01: air-raid alert over Hualien City, Ji'an and Xincheng; people shelter
    crises = console.session.domains["crises"].data
    assert crises["alerts"] and crises["sheltered"]
    app = drawn(console)
    view = app.screen.map
    section = console.session.scenario.crises
    for town in sorted(crises["alerts"]):
        coords = view.where[town]
        x, y = view.project(*coords)
        r = view.radius[town]
        # The halo: a red ring around the township (partly under neighbours and labels).
        assert ring_share(app, (x, y), mapview.halo_radius(r) - 1, gfx.BAD) > 0.2, town
        # The shelter glyph, upper left of the township, filled red: more people than room.
        capacity = sum(int(s.area_m2 / section.m2_per_person) for s in section.shelters if s.township == town)
        assert crises["sheltered"][town] > capacity
        dx, dy = mapview.shelter_offset(r)
        assert colour_at(app, (x + dx, y + dy + 2)) == gfx.BAD, town
        assert view.placed[f"shelter:{town}"].collidepoint(x + dx, y + dy)


def test_shelters_are_empty_and_no_halo_before_the_alert(console_at):
    console = console_at(4)
    assert not console.session.domains["crises"].data["alerts"]
    app = drawn(console)
    view = app.screen.map
    x, y = view.project(*view.where["hualien_city"])
    r = view.radius["hualien_city"]
    dx, dy = mapview.shelter_offset(r)
    assert colour_at(app, (x + dx, y + dy + 2)) == mapview.OUTLINE  # an empty house: outline only
    assert ring_share(app, (x, y), mapview.halo_radius(r) - 1, gfx.BAD) < 0.1  # only the red warehouse square


def test_a_station_state_change_redraws_its_marker(console_at):
    console = console_at(8)  # the relief station rl-hc-1 is setting up in Hualien City
    care = console.session.domains["crises"].data["stations"]["rl-hc-1"]
    assert care["state"] == "setting_up"
    app = drawn(console)
    view = app.screen.map
    rect = view.placed["care:rl-hc-1"]
    assert colour_at(app, rect.center) == mapview.STATE_COLOURS["setting_up"]
    renders = view.renders
    app.draw()  # nothing changed: the cached map is blitted
    assert view.renders == renders
    outcome = console.play("hualien", "social_affairs", "close_care_station", {"station": "rl-hc-1"})
    assert outcome.rejected is None, outcome.rejected
    assert care["state"] == "closing"
    app.draw()
    assert view.renders == renders + 1
    assert view.placed["care:rl-hc-1"] == rect
    assert colour_at(app, rect.center) == mapview.STATE_COLOURS["closing"]


def test_a_command_that_changes_nothing_on_the_map_keeps_the_map(console_at):
    console = console_at(3)
    app = drawn(console)
    view = app.screen.map
    renders = view.renders
    console.control("pause")
    console.control("resume")
    app.draw()
    assert view.renders == renders  # the log grew, the scene did not


def test_markers_in_one_township_do_not_overlap(console_at):
    console = console_at(12)  # two distribution stations and a relief station in Hualien City
    app = drawn(console)
    placed = app.screen.map.placed
    city = [placed[name] for name in ("station:st_city", "station:st_city2", "care:rl-hc-1")]
    for i, a in enumerate(city):
        for b in city[i + 1:]:
            assert not a.colliderect(b)
    scene = app.screen.map.scene()
    states = {f"station:{i}": state for i, _, state in scene.stations} | {f"care:{i}": state for i, _, _, state in scene.care}
    # By turn 12 both city stations are open and out of rice and water (drawn short).
    assert states["station:st_city"] == states["station:st_city2"] == "short"
    assert states["care:rl-hc-1"] == states["care:fa-jian-1"] == "open"
    for name in ("station:st_city", "station:st_city2", "care:rl-hc-1", "care:fa-jian-1"):
        assert colour_at(app, placed[name].center) == mapview.STATE_COLOURS[states[name]], name


def test_the_legend_keeps_off_the_county(console_at):
    app = drawn(console_at(5))
    view = app.screen.map
    legend = view.placed["legend"]
    assert view.rect.contains(legend)
    for town, (x, y) in view.xy.items():
        r = view.radius[town]
        disc = pygame.Rect(x - r, y - r, 2 * r, 2 * r).move(view.rect.topleft)
        assert not legend.colliderect(disc), town
    for name, rect in view.placed.items():
        if name != "legend" and not name.startswith("halo:"):
            assert not legend.colliderect(rect), name


@pytest.mark.parametrize("turn,view,lang", [(5, "truth", "zh_TW"), (8, "eoc", "zh_TW"), (12, "truth", "en")])
def test_cached_frames_equal_a_full_uncached_redraw(console_at, turn, view, lang):
    console = console_at(turn, lang)
    app = drawn(console, lang, view)
    console.control("pause")
    for _ in range(10):  # the panels and the map are recomposed from their caches (the feed
        app.draw()       # may take a frame or two for lines it never drew before)
    cached = app.surface.copy()
    gfx.caching(False)
    try:
        app.draw()
    finally:
        gfx.caching(True)
    assert pygame.image.tobytes(cached, "RGB") == pygame.image.tobytes(app.surface, "RGB")


def test_msel_list_stops_above_the_deck_line(console_at, monkeypatch):
    console = console_at(5)
    app = drawn(console)
    screen = app.screen
    shown: list[tuple[str, tuple]] = []
    real = gfx.blit

    def spy(target, value, pos, *args, **kwargs):
        shown.append((value, pos))
        return real(target, value, pos, *args, **kwargs)

    monkeypatch.setattr(gfx, "blit", spy)
    surface = pygame.Surface(facilitator.MSEL.size)
    screen._msel(surface, surface.get_rect(), "zh_TW")
    groups = console.msel_groups()
    ids = {run.id for runs in groups.values() for run in runs}
    deck = next(y for value, (x, y) in shown if value.startswith("卡組"))
    rows = [(value, y) for value, (x, y) in shown if value in ids]
    assert deck == facilitator.MSEL.height - 30
    assert rows and all(y + facilitator.ROW_H - 2 <= deck for _, y in rows)
    hidden = len(ids) - len(rows)
    assert hidden > 0
    more = i18n.t("ui.msel_more", "zh_TW", n=hidden)
    assert any(value == more and y < deck for value, (x, y) in shown)


def test_msel_without_overflow_shows_no_more_line(console_at, monkeypatch):
    console = console_at(1)
    app = drawn(console)
    groups = console.msel_groups()
    short = {name: runs[:2] for name, runs in groups.items()}
    monkeypatch.setattr(console, "msel_groups", lambda: short)
    shown = []
    real = gfx.blit
    monkeypatch.setattr(gfx, "blit", lambda t, v, p, *a, **k: shown.append(v) or real(t, v, p, *a, **k))
    surface = pygame.Surface(facilitator.MSEL.size)
    rows = app.screen._msel(surface, surface.get_rect(), "en")
    assert not any(v.startswith("…") for v in shown)
    assert {ident for _, ident in rows} == {run.id for run in short["upcoming"]}


def test_a_scenario_without_coordinates_says_so(loaded, tmp_path):
    for county in loaded.scenario.counties:
        for town in county.townships:
            object.__setattr__(town, "coords", None)
    console = Console.start(loaded, 1, str(tmp_path / "x.jsonl"))
    try:
        app = drawn(console)
        assert not app.screen.map.townships
        colours = {colour_at(app, (x, y)) for x in range(facilitator.MAP.left + 2, facilitator.MAP.right - 2, 3)
                   for y in range(facilitator.MAP.centery - 30, facilitator.MAP.centery + 30, 3)}
        assert len(colours) > 3  # the message is drawn on the empty sea
    finally:
        console.close()


def _reference_wrap(value, size, width):
    """The plain greedy wrap (the font measures every candidate), as gfx did before its estimate."""
    f = gfx.font(size)
    lines = []
    for paragraph in value.split("\n"):
        line = ""
        for token in gfx._tokens(paragraph):
            candidate = line + token
            if f.size(candidate)[0] <= width or not line:
                line = candidate
                continue
            if token and token[0] in gfx._NO_START:
                line = candidate
                continue
            lines.append(line.rstrip())
            line = token.lstrip()
        lines.append(line.rstrip())
    return lines


def _reference_fit(value, size, width):
    f = gfx.font(size)
    if f.size(value)[0] <= width:
        return value
    low, high = 0, len(value)
    while low < high:
        mid = (low + high + 1) // 2
        if f.size(value[:mid] + "…")[0] <= width:
            low = mid
        else:
            high = mid - 1
    return value[:low] + "…"


@pytest.mark.slow
def test_wrap_and_fit_match_the_font_measured_reference():
    pygame.font.init()
    texts = sorted({v for entry in i18n.TABLE.values() for v in entry.values() if isinstance(v, str)})
    gfx.clear_caches()
    for size, width in ((15, 348), (17, 200)):
        for value in texts:
            assert gfx.wrap(value, size, width) == _reference_wrap(value, size, width), value
            assert gfx.wrap(value, size, width, 2) == _reference_wrap(value, size, width)[:2], value
            assert gfx.fit(value, size, width // 2) == _reference_fit(value, size, width // 2), value


def test_text_cache_is_bounded():
    pygame.font.init()
    gfx.clear_caches()
    for i in range(gfx._lines.limit + 50):
        gfx.text(f"line {i}", 12)
    assert len(gfx._lines) == gfx._lines.limit
    assert gfx.text("line 0", 12) is not gfx.text("line 0", 12, gfx.DIM)


def test_map_and_console_read_state_without_importing_parts():
    for name in ("mapview.py", "facilitator.py", "gfx.py"):
        tree = ast.parse(open(os.path.join(ROOT, "tabletop", "ui", name), encoding="utf-8").read())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        for module in imported:
            assert not module.startswith(("tabletop.crises", "tabletop.distribution", "tabletop.comms",
                                          "tabletop.requisition")), (name, module)


def test_feed_spreads_new_lines_over_frames_and_completes(console_at):
    """With a tiny frame budget the feed draws what it can and completes in later frames;
    the finished frame is the same as one drawn with no budget."""
    console = console_at(5)
    app = drawn(console)
    app.frame_budget = None
    console.control("pause")
    app.draw()
    whole = pygame.image.tobytes(app.surface, "RGB")
    gfx.caching(False)
    gfx.caching(True)   # clears the text caches: every feed line is new again
    app.screen._feed_pass = 0
    app.frame_budget = 0.0
    passes = 0
    app.draw()
    while app.screen._feed_pass != passes and passes < 200:
        passes = app.screen._feed_pass
        app.draw()
    assert passes > 1  # it was spread over frames
    assert pygame.image.tobytes(app.surface, "RGB") == whole
