"""Trainee seats driven through UI events: role login and its lock, drop-down form fields,
the role picture, and the resizable window."""

import os

import pygame

from test_scripted_turn import Driver
from ui_fixtures import loaded, shots  # noqa: F401  (fixtures)

from tabletop.logfile import read_records
from tabletop.ui.app import App
from tabletop.ui.console import Console
from tabletop.ui.formfields import form_fields
from tabletop.ui.login import LoginScreen
from tabletop.ui.trainee import TraineeScreen

ACTIONS = os.path.join(os.path.dirname(__file__), "..", "..", "scenarios", "hualien", "actions.yaml")


def _running(loaded, tmp_path, name="t.jsonl"):
    console = Console.start(loaded, 1, str(tmp_path / name))
    for kind in ("start", "advance", "advance"):
        console.control(kind)
    assert console.session.state == "running_orders"
    return console


def _form(console, role, kind):
    """A window on seat hualien.<role> with the form for ``kind`` chosen from its menu."""
    app = App(console, "zh_TW")
    ui = Driver(app)
    app.seat = ("hualien", role)
    app.show("trainee")
    ui.settle()
    ui.choose(app.screen.kind_menu, next(label for label, k in app.screen.kind_names.items() if k == kind))
    return app, ui


def test_role_login_locks_the_window_to_one_seat(loaded, tmp_path):
    console = _running(loaded, tmp_path)
    app = App(console, "zh_TW", pin="2468")
    ui = Driver(app)
    ui.settle()
    ui.key(pygame.K_F3)                       # the facilitator opens the login screen
    assert isinstance(app.screen, LoginScreen)
    ui.choose(app.screen.seat_menu, "花蓮縣 動員")
    ui.key(pygame.K_RETURN)                   # the trainee logs in
    screen = app.screen
    assert isinstance(screen, TraineeScreen) and screen.locked
    assert (screen.county, screen.role) == ("hualien", "mobilization")
    assert screen.role_menu is None           # no way to other seats
    seq = console.session.seq
    for key in (pygame.K_n, pygame.K_SPACE, pygame.K_TAB, pygame.K_t, pygame.K_v):
        ui.key(key)                           # the facilitator's shortcuts do nothing
    assert console.session.seq == seq and app.view == "truth"
    assert app.screen.role == "mobilization"
    ui.key(pygame.K_F2)                       # the console needs the facilitator's PIN
    assert isinstance(app.screen, LoginScreen) and app.screen.mode == "unlock"
    ui.type("1111")
    ui.key(pygame.K_RETURN)
    assert app.screen.mode == "unlock" and app.screen.problem
    ui.type("2468")
    ui.key(pygame.K_RETURN)
    assert app.on_console and not app.guarded
    ui.key(pygame.K_n)                        # the facilitator's keys work again (ending orders: asked first)
    ui.key(pygame.K_RETURN)
    assert console.session.state == "running_adjudication"
    console.close()


def test_logout_hands_the_seat_to_the_next_trainee(loaded, tmp_path):
    console = _running(loaded, tmp_path)
    app = App(console, "en")
    ui = Driver(app)
    ui.key(pygame.K_F3)
    ui.choose(app.screen.seat_menu, "Hualien Supply (economic affairs)" if "Hualien Supply (economic affairs)"
              in app.screen.labels else next(label for label, seat in app.screen.labels.items() if seat[1] == "supply"))
    ui.click(next(b for b, a in app.screen.buttons.items() if a == "do_login").rect.center)
    assert app.screen.role == "supply" and app.screen.locked
    logout = next(b for b, a in app.screen.buttons.items() if a == "logout")
    ui.click(logout.rect.center)
    assert isinstance(app.screen, LoginScreen) and app.guarded
    ui.key(pygame.K_ESCAPE)                   # no PIN set: straight back to the console
    assert app.on_console and not app.guarded
    console.close()


def test_dropdown_fields_send_values_not_labels(loaded, tmp_path):
    from tabletop.scenario.actions import load_actions
    from tabletop.ui.main import play_to

    log = tmp_path / "form.jsonl"
    console = Console.start(loaded, 1, str(log))
    actions, _ = load_actions(ACTIONS)
    play_to(console, actions, 6)               # requisition cases exist by now
    app, ui = _form(console, "mobilization", "report_damage")
    fields = {f.name: f for f in app.screen.fields}
    assert fields["severity"].widget == "choice"
    assert [c.value for c in fields["severity"].choices] == ["repairable", "unrepairable", "lost"]
    if fields["requisition"].widget == "choice":
        label, case = [(label, v) for label, v in app.screen.options["requisition"].items() if v is not None][-1]
        ui.choose(app.screen.inputs["requisition"], label)
    else:
        case = "rq-001"
        ui.fill("requisition", case)
    ui.choose(app.screen.inputs["severity"], "滅失")
    ui.fill("repair_cost", "0")
    ui.key(pygame.K_RETURN, pygame.KMOD_CTRL)
    assert app.screen.result[0] in ("ok", "rejected")
    console.close()
    commands = [r for r in read_records(str(log)) if r["type"] == "command" and r["kind"] == "report_damage"]
    assert len(commands) == 1
    assert commands[0]["data"]["args"] == {"requisition": case, "severity": "lost", "repair_cost": 0}


def test_form_fields_know_literals_booleans_and_suggest_ids(loaded, tmp_path):
    console = _running(loaded, tmp_path)
    fields = {f.name: f for f in form_fields(console, "hualien", "mobilization", "requisition")}
    assert fields["mode"].widget == "choice" and [c.value for c in fields["mode"].choices] == ["purchase", "use"]
    assert fields["consent"].widget == "choice" and [c.value for c in fields["consent"].choices] == [True, False]
    assert fields["exception"].widget == "choice" and not fields["exception"].required
    assert fields["id"].widget == "text" and fields["id"].initial == "rq-hualien-001"
    console.play("hualien", "mobilization", "requisition", {"id": "rq-hualien-001"})  # refused, id unused
    assert form_fields(console, "hualien", "mobilization", "requisition")[0].initial == "rq-hualien-001"
    inbox = {f.name: f for f in form_fields(console, "hualien", "commander", "acknowledge")}
    assert inbox["inject"].widget == "choice" and [c.value for c in inbox["inject"].choices] == ["B01"]
    console.close()


def test_window_is_resizable_and_keeps_its_layout(loaded, tmp_path, shots):
    console = _running(loaded, tmp_path)
    app = App(console, "zh_TW")
    assert pygame.display.get_surface().get_flags() & pygame.RESIZABLE
    # (pygame.Window.from_display_module() would let the window be resized here, but that
    # wrapper destroys the display window when collected, so only the events are posted.)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(1920, 1080), w=1920, h=1080))
    ui = Driver(app)
    ui.settle()
    try:
        assert app.surface.get_size() == (1920, 1080)  # the layout reflows to the window
        ui.key(pygame.K_F11)                     # full screen and back
        ui.key(pygame.K_F11)
        app.screenshot(str(tmp_path / "resized.png"))
        assert pygame.image.load(str(tmp_path / "resized.png")).get_size() == (1920, 1080)
    finally:
        from tabletop.ui import gfx
        from tabletop.ui.app import relayout

        relayout(*gfx.DEFAULT_SIZE)
        console.close()


def test_scenario_or_log_as_the_first_argument(tmp_path, monkeypatch):
    from tabletop.cli import _file_first, _parser, main

    parser = _parser()
    assert _file_first(parser, ["s.yaml", "--seed", "2"]) == ["--scenario", "s.yaml", "--seed", "2"]
    assert _file_first(parser, ["--lang", "en", "x.jsonl"]) == ["--lang", "en", "--resume", "x.jsonl"]
    assert _file_first(parser, ["validate", "s.yaml"]) == ["validate", "s.yaml"]
    assert _file_first(parser, ["--log", "a.jsonl", "s.yaml"]) == ["--log", "a.jsonl", "--scenario", "s.yaml"]
    monkeypatch.chdir(tmp_path)
    from ui_fixtures import SCENARIO

    assert main([SCENARIO, "--seed", "4", "--headless"]) == 0     # plays that scenario headless
    assert (tmp_path / "out" / "hualien-2026-seed4.jsonl").exists()
    assert main([str(tmp_path / "out" / "hualien-2026-seed4.jsonl"), "--headless"]) == 2  # no window to resume in


def test_eoc_map_shows_stations_as_last_reported(loaded, tmp_path):
    """At turn 5 the air-raid alert has just suspended the city stations; the EOC's map still
    shows them open, as the last station reports said."""
    import pygame as pg

    from tabletop.scenario.actions import load_actions
    from tabletop.ui.main import play_to
    from tabletop.ui.mapview import MapView

    console = Console.start(loaded, 1, str(tmp_path / "fog.jsonl"))
    actions, _ = load_actions(ACTIONS)
    play_to(console, actions, 5)
    App(console, "zh_TW")
    view = MapView(console, pg.Rect(0, 0, 400, 400), "hualien")
    truth = {ident: state for ident, _, state in view.scene().stations}
    view.view = "eoc"
    known = {ident: state for ident, _, state in view.scene().stations}
    assert truth["st_city"] == "suspended" and known["st_city"] == "open"
    console.close()


def test_clicking_the_shown_option_closes_the_menu_and_keeps_it(loaded, tmp_path):
    console = _running(loaded, tmp_path)
    app, ui = _form(console, "supply", "send_message")
    menu = app.screen.inputs["to"]
    shown = menu.selected_option
    ui.click(menu.rect.center)
    item = menu.current_state.options_selection_list.item_list[0]
    assert item["text"] == shown[0]
    ui.click(item["button_element"].rect.center)
    assert menu.current_state is menu.menu_states["closed"] and menu.selected_option == shown
    console.close()
