"""A console that forgives: irreversible controls ask first, nothing that cannot act stays
enabled after close, Esc closes an overlay before a window, bad --screen / --at are refused."""

import os

import pygame
import pytest

from ui_fixtures import loaded, shots  # noqa: F401  (fixtures)

from tabletop.scenario.actions import load_actions
from tabletop.ui.app import App
from tabletop.ui.console import Console
from tabletop.ui.main import play_to

ACTIONS = os.path.join(os.path.dirname(__file__), "..", "..", "scenarios", "hualien", "actions.yaml")


def press(app: App, key: int, mod: int = 0) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
    app.step(0.05)
    app.draw()


@pytest.fixture
def app_at(loaded, tmp_path):  # noqa: F811
    made = []

    def make(turn):
        actions, _ = load_actions(ACTIONS)
        console = Console.start(loaded, 1, str(tmp_path / f"t{turn}-{len(made)}.jsonl"), "zh_TW")
        play_to(console, actions, turn)
        app = App(console, "zh_TW")
        made.append(console)
        return app

    yield make
    for console in made:
        console.close()


def test_ending_the_orders_phase_asks_first(app_at, shots):  # noqa: F811
    app = app_at(1)
    session = app.console.session
    assert session.state == "running_orders"
    seq = session.seq
    press(app, pygame.K_n)
    assert app.confirm == "advance" and session.seq == seq  # nothing submitted yet
    app.screenshot(os.path.join(shots, "confirm-advance.png"))
    press(app, pygame.K_ESCAPE)  # no: the question closes, the console stays
    assert app.confirm is None and app.running and session.state == "running_orders" and session.seq == seq
    press(app, pygame.K_n)
    press(app, pygame.K_y)
    assert session.state == "running_adjudication"
    press(app, pygame.K_n)  # adjudication -> turn end is not irreversible: no question
    assert app.confirm is None and session.state == "running_turnend"


def test_end_and_close_ask_first_then_every_dead_control_is_disabled(app_at):
    app = app_at(2)
    session = app.console.session
    press(app, pygame.K_e)
    assert app.confirm == "end_exercise" and session.state == "running_orders"
    press(app, pygame.K_n)  # N: no
    assert app.confirm is None and session.state == "running_orders"
    press(app, pygame.K_e)
    press(app, pygame.K_RETURN)
    assert session.state == "hotwash"
    press(app, pygame.K_c)
    assert app.confirm == "close"
    press(app, pygame.K_y)
    assert session.state == "closed"
    enabled = [action for button, action in app.screen.buttons.items()
               if action in ("start", "advance", "pause", "resume", "end_exercise", "close", "inject_now", "draw_card")
               and button.is_enabled]
    assert enabled == []
    seq = session.seq
    for key in (pygame.K_i, pygame.K_d, pygame.K_n, pygame.K_s):
        press(app, key)
    assert session.seq == seq


def test_tools_are_enabled_only_when_they_can_act(app_at):
    app = app_at(1)
    buttons = {action: button for button, action in app.screen.buttons.items()}
    assert buttons["draw_card"].is_enabled  # Hualien's deck has cards in turn 1
    app.screen.refresh()
    assert buttons["inject_now"].is_enabled == app.screen.tool_active("inject_now")


def test_esc_closes_an_overlay_before_the_window(app_at):
    app = app_at(1)
    press(app, pygame.K_h)
    assert app.help
    press(app, pygame.K_ESCAPE)
    assert not app.help and app.running and app.on_console
    press(app, pygame.K_x)
    assert app.refusals
    press(app, pygame.K_ESCAPE)
    assert not app.refusals and app.running


def test_the_replay_viewer_closes_its_help_before_itself(tmp_path, loaded):  # noqa: F811
    from tabletop.replay.timeline import Replay
    from tabletop.runner import run
    from tabletop.ui import gfx
    from tabletop.ui.replay.viewer import Viewer

    actions, _ = load_actions(ACTIONS)
    log = str(tmp_path / "r.jsonl")
    run(loaded, 1, actions, log, turns=1)
    replay = Replay(log, progress=False)
    viewer = Viewer(replay, 0, "zh_TW", surface=pygame.Surface(gfx.SIZE))
    viewer.act("help")
    viewer.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode=""))
    assert not viewer.help and viewer.running
    viewer.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode=""))
    assert not viewer.running
    replay.close()


@pytest.mark.parametrize("argv,says", [
    (["--screen", "trainee:hualien.nosuch"], "沒有「hualien.nosuch」這個席位"),
    (["--screen", "tranee"], "是不是要寫「trainee」"),
    (["--at", "99"], "--at 99 不在演習的回合內（0 到 12"),
    (["--at", "-1"], "--at -1 不在演習的回合內"),
])
def test_screens_and_turns_that_do_not_exist_are_refused(tmp_path, capsys, argv, says):
    from tabletop.cli import main

    path = tmp_path / "x.png"
    assert main(["--screenshot", str(path), *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and not path.exists()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800), (1600, 900), (1920, 1080)])
def test_the_layout_reflows_to_the_window(app_at, shots, size):
    from tabletop.ui import facilitator, gfx, trainee
    from tabletop.ui.app import relayout

    app = app_at(3)
    try:
        app.resize(*size)
        app.step(0.05)
        app.draw()
        assert app.surface.get_size() == size and gfx.SIZE == size
        width, height = size
        panels = [facilitator.MAP, facilitator.STOCK, facilitator.MSEL, facilitator.FEED]
        for rect in panels:
            assert rect.left >= 0 and rect.right <= width and rect.bottom <= facilitator.BUTTONS_Y, (size, rect)
        assert facilitator.FEED.right == width - 8 and facilitator.MSEL.width >= 0.2 * width
        for one in panels:
            assert all(not one.colliderect(other) for other in panels if other is not one)
        buttons = [button.rect for button in app.screen.buttons]
        assert all(r.right <= width and r.bottom <= height for r in buttons)
        assert max(r.right for r in buttons) > width - 40  # the rows span the window, not 1280 pixels
        app.screenshot(os.path.join(shots, f"console-{width}x{height}.png"))
        press(app, pygame.K_t)  # the trainee view reflows too
        assert trainee.FORM.right == width - 8 and app.on_trainee
        app.screenshot(os.path.join(shots, f"trainee-{width}x{height}.png"))
    finally:
        relayout(*gfx.DEFAULT_SIZE)


def test_a_window_smaller_than_the_minimum_keeps_the_minimum_layout(app_at):
    from tabletop.ui import facilitator, gfx
    from tabletop.ui.app import relayout

    app = app_at(1)
    try:
        app.handle(pygame.event.Event(pygame.VIDEORESIZE, w=800, h=600, size=(800, 600)))
        assert gfx.SIZE == gfx.MIN_SIZE and facilitator.FEED.right == gfx.MIN_SIZE[0] - 8
    finally:
        relayout(*gfx.DEFAULT_SIZE)


@pytest.mark.parametrize("lang", ["zh_TW", "en"])
def test_feed_tab_labels_fit_their_tabs(app_at, lang):
    from tabletop.ui import gfx
    from tabletop.ui.app import relayout

    app = app_at(1)
    try:
        for size in ((1024, 768), (1280, 800)):
            app.lang = lang
            app.resize(*size)
            for button, action in app.screen.buttons.items():
                if action.startswith("filter:"):
                    assert gfx.text(button.text, 16).get_width() <= button.rect.width - 4, (size, button.text)
    finally:
        relayout(*gfx.DEFAULT_SIZE)
