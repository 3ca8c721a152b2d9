"""A full turn played through UI events (keys and clicks) writes the same log as the
same commands submitted to the headless engine."""

import pygame
import pytest

from ui_fixtures import loaded, shots  # noqa: F401  (fixtures)

from tabletop import api
from tabletop.core import canonical
from tabletop.core.commands import Command
from tabletop.logfile import read_records
from tabletop.ui.app import App
from tabletop.ui.console import Console

ANNOUNCE = {"audience": "全體縣民", "message": "本府已開設應變中心，存糧充足，請勿搶購。"}
REPORT = {"id": "m-001", "to": "hualien.commander", "body": "量販店搶購；米約 8 日。"}
REPEAT = {"id": "m-001", "to": "hualien.commander", "body": "重複。"}


class Driver:
    def __init__(self, app: App) -> None:
        self.app = app

    def settle(self, frames: int = 6) -> None:
        for _ in range(frames):
            self.app.step(0.05)
            self.app.draw()

    def key(self, key: int, mod: int = 0) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
        self.settle()

    def click(self, pos) -> None:
        pos = (int(pos[0]), int(pos[1]))
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
        self.settle()

    def type(self, text: str) -> None:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        self.settle()

    def choose(self, menu, label: str) -> None:
        selected = menu.selected_option[0] if isinstance(menu.selected_option, tuple) else menu.selected_option
        if selected == label:
            return  # already chosen, as a trainee would see
        self.click(menu.rect.center)
        options = menu.current_state.options_selection_list
        item = next(i for i in options.item_list if i["text"] == label)
        self.click(item["button_element"].rect.center)

    def fill(self, field: str, value: str) -> None:
        """Set a form field as a trainee would: pick the option whose value it is, or select
        what the text field holds (it may be prefilled) and type over it."""
        screen = self.app.screen
        widget = screen.inputs[field]
        if field in screen.options:
            label = next(label for label, v in screen.options[field].items() if v == value)
            self.choose(widget, label)
            return
        self.click(widget.rect.center)
        self.key(pygame.K_a, pygame.KMOD_CTRL)
        self.key(pygame.K_BACKSPACE)
        self.type(value)


def _ui_turn(console: Console) -> App:
    app = App(console, "zh_TW")
    ui = Driver(app)
    ui.settle()
    ui.key(pygame.K_s)            # start
    ui.key(pygame.K_n)            # briefing -> turn 1 injects
    ui.key(pygame.K_n)            # -> orders
    assert console.session.state == "running_orders"
    ui.key(pygame.K_t)            # trainee view: first seat, the commander
    screen = app.screen
    assert (screen.county, screen.role) == ("hualien", "commander")
    button = next(b for b, ident in screen.ack_buttons.items() if ident == "B01")
    ui.click(button.rect.center)  # acknowledge B01 with the mouse
    ui.choose(app.screen.kind_menu, "對外發布")
    ui.fill("audience", ANNOUNCE["audience"])
    ui.fill("message", ANNOUNCE["message"])
    submit = next(b for b, a in app.screen.buttons.items() if a == "submit")
    ui.click(submit.rect.center)
    assert app.screen.result[0] == "ok"
    ui.key(pygame.K_TAB)          # mobilization
    ui.key(pygame.K_TAB)          # supply
    assert app.screen.role == "supply"
    ui.key(pygame.K_a)            # acknowledge the first open inject (B02)
    ui.choose(app.screen.kind_menu, "傳送訊息")
    for field in ("id", "to", "body"):
        ui.fill(field, REPORT[field])
    ui.key(pygame.K_RETURN, pygame.KMOD_CTRL)
    assert app.screen.result[0] == "ok"
    assert "announce" not in app.screen.kinds  # the form offers only the role's commands
    for field in ("id", "to", "body"):  # the same id again: the engine refuses
        ui.fill(field, REPEAT[field])
    ui.key(pygame.K_RETURN, pygame.KMOD_CTRL)
    assert app.screen.result[0] == "rejected"
    assert "已被使用" in app.screen.result[1][0]["zh_TW"]
    ui.key(pygame.K_F2)           # back to the console
    ui.key(pygame.K_n)            # end the orders phase? (irreversible: asked first)
    assert app.confirm == "advance" and console.session.state == "running_orders"
    ui.key(pygame.K_y)            # yes -> adjudication
    ui.key(pygame.K_n)            # -> turn end
    assert console.session.state == "running_turnend"
    return app


def _headless_turn(loaded):
    session, header = api.new_session(loaded, 1)
    records = [header]
    control = lambda kind: Command(None, None, "facilitator", kind, {})  # noqa: E731
    play = lambda role, kind, args: Command(1, "hualien", role, kind, args)  # noqa: E731
    for command in [control("start"), control("advance"), control("advance"),
                    play("commander", "acknowledge", {"inject": "B01"}), play("commander", "announce", ANNOUNCE),
                    play("supply", "acknowledge", {"inject": "B02"}), play("supply", "send_message", REPORT),
                    play("supply", "send_message", REPEAT),
                    control("advance"), control("advance")]:
        records += session.submit(command)
    return records


def test_full_turn_through_ui_events_matches_headless(loaded, tmp_path):
    log = tmp_path / "ui.jsonl"
    console = Console.start(loaded, 1, str(log))
    _ui_turn(console)
    console.close()
    ui_records = read_records(str(log))
    headless = _headless_turn(loaded)
    # The console stamps what it receives with the wall clock (``wall``); the headless commands
    # carry none. Stamps are data: with them set aside (and the hashes over them), the records agree.
    assert all("wall" in r for r in ui_records[1:]) and not any("wall" in r for r in headless)

    def bare(record):
        return canonical.dumps({k: v for k, v in record.items() if k not in ("wall", "hash", "prev")})

    assert [bare(r) for r in ui_records] == [bare(r) for r in headless]


def test_language_switch_and_help_overlay(loaded, tmp_path):
    console = Console.start(loaded, 1, str(tmp_path / "l.jsonl"))
    app = App(console, "zh_TW")
    ui = Driver(app)
    ui.key(pygame.K_l)
    assert app.lang == "en"
    ui.key(pygame.K_h)
    assert app.help
    ui.key(pygame.K_ESCAPE)
    assert not app.help
    ui.key(pygame.K_v)
    assert app.view == "eoc"
    console.close()


def test_resume_after_crash_continues_the_same_log(loaded, tmp_path):
    log = tmp_path / "crash.jsonl"
    console = Console.start(loaded, 1, str(log))
    for kind in ("start", "advance", "advance"):
        console.control(kind)
    console.play("hualien", "commander", "acknowledge", {"inject": "B01"})
    # A crash: the writer never closes and the last line is torn.
    data = log.read_bytes()
    log.write_bytes(data[:-25])
    resumed = Console.resume(str(log))
    assert resumed.session.state == "running_orders"
    assert resumed.session.injects["B01"].state == "acknowledged"
    resumed.control("advance")
    resumed.close()
    from tabletop.replay import verify

    assert verify(str(log)).ok


def test_resume_refuses_a_tampered_log(loaded, tmp_path):
    from tabletop.ui.console import ResumeFailed

    log = tmp_path / "bad.jsonl"
    console = Console.start(loaded, 1, str(log))
    console.control("start")
    console.close()
    log.write_text(log.read_text(encoding="utf-8").replace("briefing", "hotwash"), encoding="utf-8")
    with pytest.raises(ResumeFailed):
        Console.resume(str(log))
