"""The file picker (``run_exercise.py --pick``) driven headless by real pygame events: clicks on
the dialog's list and buttons, typing a path, cancelling; then the whole path through
``open_console`` with the events posted before it is called."""

import os
import shutil

import pygame
import pytest

from ui_fixtures import ROOT, SCENARIO, loaded, shots  # noqa: F401  (fixtures)

from tabletop import i18n
from tabletop.ui.picker import Picker

SCENARIOS = os.path.join(ROOT, "scenarios")


# ----- driving the dialog ---------------------------------------------------------------
def _down_up(pos) -> None:
    pos = (int(pos[0]), int(pos[1]))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))


def _key(key: int, mod: int = 0, unicode: str = "") -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0))


def item_rect(picker: Picker, name: str) -> pygame.Rect:
    """Where the file list draws ``name`` (found from the dialog's own widgets)."""
    items = picker.dialog.file_selection_list.item_list
    item = next((i for i in items if i["text"] == name), None)
    assert item is not None, [i["text"] for i in items]
    assert item["button_element"] is not None, f"{name} is scrolled out of view"
    return item["button_element"].rect


class Driver:
    def __init__(self, picker: Picker) -> None:
        self.picker = picker
        pygame.event.clear()  # window events from set_mode

    def settle(self, frames: int = 4) -> None:
        for _ in range(frames):
            if self.picker.done:
                return
            self.picker.step(0.05)
            self.picker.draw()

    def click(self, target, double: bool = False) -> None:
        pos = target.center if isinstance(target, pygame.Rect) else target
        _down_up(pos)
        if double:
            _down_up(pos)
        self.settle()

    def item(self, name: str, double: bool = False) -> None:
        self.click(item_rect(self.picker, name), double)

    def key(self, key: int, mod: int = 0) -> None:
        _key(key, mod)
        self.settle()

    def type(self, text: str) -> None:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        self.settle()


@pytest.fixture
def picker():
    made = []

    def make(lang: str = "zh_TW", start: str = SCENARIOS) -> Driver:
        made.append(Picker(lang, start))
        return Driver(made[-1])

    yield make
    for one in made:
        one.close()
    pygame.event.clear()


@pytest.fixture
def logs(tmp_path, loaded):  # noqa: F811
    """A folder holding a real console log (two turns played) and a note that is not a log."""
    from tabletop.runner import run

    folder = tmp_path / "logs"
    folder.mkdir()
    run(loaded, 3, [], str(folder / "hualien-2026-seed3-console.jsonl"), turns=2)
    (folder / "notes.txt").write_text("not a log\n", encoding="utf-8")
    return folder


# ----- the dialog -----------------------------------------------------------------------
def test_click_folder_file_and_ok_picks_the_scenario(picker):
    ui = picker()
    ui.item("hualien", double=True)             # into scenarios/hualien
    assert os.path.samefile(ui.picker.dialog.current_directory_path, os.path.dirname(SCENARIO))
    ui.item("scenario.yaml")
    assert not ui.picker.done
    ui.click(ui.picker.dialog.ok_button.rect)
    assert ui.picker.done
    assert os.path.samefile(ui.picker.result, SCENARIO)


def test_typing_the_path_then_enter_and_ok_picks_it(picker):
    ui = picker("en")
    ui.click(ui.picker.dialog.file_path_text_line.rect)
    ui.key(pygame.K_a, pygame.KMOD_CTRL)          # select what is there
    ui.type(SCENARIO)
    ui.key(pygame.K_RETURN)
    assert str(ui.picker.dialog.current_file_path) == SCENARIO
    assert not ui.picker.done                      # Enter only fills the path in
    ui.click(ui.picker.dialog.ok_button.rect)
    assert ui.picker.result == SCENARIO


@pytest.mark.parametrize("how", ["close_button", "cancel_button", "escape", "quit"])
def test_cancel_gives_none(picker, how):
    ui = picker()
    ui.item("hualien", double=True)
    ui.item("scenario.yaml")                       # a file chosen, then given up
    dialog = ui.picker.dialog
    if how == "close_button":
        ui.click(dialog.close_window_button.rect)
    elif how == "cancel_button":
        ui.click(dialog.cancel_button.rect)
    elif how == "escape":
        ui.key(pygame.K_ESCAPE)
    else:
        pygame.event.post(pygame.event.Event(pygame.QUIT))
        ui.settle()
    assert ui.picker.done
    assert ui.picker.result is None


@pytest.mark.parametrize("double", [False, True], ids=["click_and_ok", "double_click"])
def test_pick_a_log_to_resume(picker, logs, double):
    ui = picker("zh_TW", str(logs))
    names = [i["text"] for i in ui.picker.dialog.file_selection_list.item_list]
    assert names == ["hualien-2026-seed3-console.jsonl"]  # notes.txt is not offered
    ui.item("hualien-2026-seed3-console.jsonl", double=double)
    if not double:
        ui.click(ui.picker.dialog.ok_button.rect)
    assert ui.picker.result == str(logs / "hualien-2026-seed3-console.jsonl")


def test_ok_without_a_file_does_nothing(picker):
    ui = picker()
    ui.item("hualien")                             # a folder is selected, not a file
    ui.click(ui.picker.dialog.ok_button.rect)
    assert not ui.picker.done


def test_no_delete_button_and_our_strings(picker, shots):  # noqa: F811
    for lang in ("zh_TW", "en"):
        ui = picker(lang, os.path.dirname(SCENARIO))
        dialog = ui.picker.dialog
        assert not dialog.delete_button.visible    # a picker never deletes a log
        assert dialog.ok_button.text == i18n.t("ui.file_dialog.ok", lang)
        assert dialog.cancel_button.text == i18n.t("ui.file_dialog.cancel", lang)
        assert dialog.window_display_title == i18n.t("ui.picker_title", lang)
        # The buttons are laid out side by side inside the window, not over each other.
        assert dialog.ok_button.rect.right < dialog.cancel_button.rect.left
        assert dialog.rect.contains(dialog.cancel_button.rect)
        ui.settle(2)
        path = os.path.join(shots, f"picker-{lang}.png")
        ui.picker.screenshot(path)
        assert os.path.getsize(path) > 5000


def test_input_after_the_pick_is_left_for_the_console(picker):
    ui = picker("en", os.path.dirname(SCENARIO))
    rect = item_rect(ui.picker, "scenario.yaml")
    _down_up(rect.center)
    _down_up(ui.picker.dialog.ok_button.rect.center)
    _key(pygame.K_s)                               # the facilitator already presses S (start)
    ui.picker.step(0.05)
    assert ui.picker.result == SCENARIO
    ui.picker.close()
    left = pygame.event.get()
    assert [e.key for e in left if e.type == pygame.KEYDOWN] == [pygame.K_s]
    assert not any(hasattr(e, "ui_element") for e in left)


# ----- the whole path: run_exercise.py --pick -------------------------------------------
def _positions(start: str) -> dict:
    """Where the dialog that open_console will open puts the folder, the file and OK."""
    probe = Picker("zh_TW", start)
    inside = Picker("zh_TW", os.path.join(start, "hualien"))
    try:
        return {"folder": item_rect(probe, "hualien").center, "file": item_rect(inside, "scenario.yaml").center,
                "ok": probe.dialog.ok_button.rect.center}
    finally:
        probe.close()
        inside.close()
        pygame.event.clear()


def test_open_console_with_pick_starts_a_session(tmp_path, monkeypatch):
    from tabletop.ui.main import open_console

    shutil.copytree(os.path.dirname(SCENARIO), tmp_path / "scenarios" / "hualien")
    monkeypatch.chdir(tmp_path)                    # the picker opens ./scenarios; the log goes to ./out
    where = _positions(str(tmp_path / "scenarios"))
    for name, double in (("folder", True), ("file", False), ("ok", False)):
        _down_up(where[name])
        if double:
            _down_up(where[name])
    console = open_console(None, None, None, 5, "zh_TW", pick=True)
    try:
        assert console is not None
        assert console.session.scenario.scenario.id == "hualien-2026"
        assert os.path.samefile(console.writer.path, tmp_path / "out" / "hualien-2026-seed5-console.jsonl")
        assert console.records[0]["type"] == "header"
        assert console.control("start").rejected is None
        # The picker opened the console's own window (scaled, resizable), which the console keeps.
        assert pygame.display.get_surface().get_flags() & pygame.RESIZABLE
    finally:
        if console is not None:
            console.close()


def test_open_console_with_pick_resumes_a_log(tmp_path, monkeypatch, loaded):  # noqa: F811
    from tabletop.runner import run
    from tabletop.ui.main import open_console

    (tmp_path / "scenarios").mkdir()
    log = tmp_path / "scenarios" / "hualien-2026-seed3-console.jsonl"
    run(loaded, 3, [], str(log), turns=2)
    before = log.read_bytes()
    monkeypatch.chdir(tmp_path)
    probe = Picker("en")
    at = item_rect(probe, log.name).center
    probe.close()
    pygame.event.clear()
    _down_up(at)
    _down_up(at)                                   # double-click opens it
    console = open_console(None, None, None, 1, "en", pick=True)
    assert console is not None
    try:
        assert console.records[0]["data"]["seed"] == 3
        assert len(console.records) == before.count(b"\n")
        assert log.read_bytes() == before
    finally:
        console.close()


def test_open_console_with_pick_cancelled_returns_none(tmp_path, monkeypatch):
    from tabletop.ui.main import open_console

    monkeypatch.chdir(tmp_path)
    pygame.display.init()
    _key(pygame.K_ESCAPE)
    assert open_console(None, None, None, 1, "zh_TW", pick=True) is None
    assert not (tmp_path / "out").exists()
