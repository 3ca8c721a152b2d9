"""A scenario / log file picker (pygame_gui's file dialog in the console window).

:class:`Picker` is the dialog as a screen that is driven from outside, like the console's
``App``: ``handle(event)`` for one pygame event, ``step(dt)`` to take the queued events and
advance the widgets, ``draw()``; it is ``done`` once the facilitator picked a file (``result``
is its path) or gave up (``result`` is None). :func:`pick_file` runs it in a window until then.
Tests drive it headless by posting real mouse and keyboard events.

pygame_gui's own strings (OK, Cancel, the tool tips of the small buttons) come from its
locale files, whose "zh" is Simplified Chinese, so the manager stays on "en" and those
buttons get our table's text instead.
"""

from __future__ import annotations

import os

import pygame
import pygame_gui
from pygame_gui.windows import UIFileDialog

from tabletop import i18n
from tabletop.ui import gfx

#: What the picker lists besides folders: scenarios and logs.
SUFFIXES = {".yaml", ".yml", ".jsonl"}
DIALOG_RECT = pygame.Rect(240, 120, 800, 560)
BUTTON_WIDTH = 96


def theme() -> dict:
    """The console's theme; in the list, folders in the accent colour and rows tall enough for our font."""
    out = gfx.theme()
    folder = {"font": out["button"]["font"], "colours": dict(out["button"]["colours"], normal_text="#60b0ff",
                                                              hovered_text="#9fd0ff")}
    out["file_dialog.#file_display_list.#directory_list_item"] = folder
    out["file_dialog.#file_display_list"] = {"misc": {"list_item_height": "26"}}  # room for descenders
    return out


class Picker:
    def __init__(self, lang: str = i18n.DEFAULT_LANG, start: str | None = None,
                 surface: pygame.Surface | None = None) -> None:
        pygame.display.init()
        pygame.font.init()
        if surface is None:
            from tabletop.ui.app import open_window

            surface = open_window()  # the console's own window (scaled, resizable), which it then keeps
            pygame.display.set_caption(i18n.t("ui.picker_title", lang))
        self.surface = surface
        self.lang = lang
        self.done = False
        self.result: str | None = None
        self.manager = pygame_gui.UIManager(gfx.SIZE, theme(), enable_live_theme_updates=False)
        start = start or os.path.join(os.getcwd(), "scenarios")
        self.dialog = UIFileDialog(DIALOG_RECT, self.manager, window_title=i18n.t("ui.picker_title", lang),
                                   initial_file_path=start, allow_picking_directories=False,
                                   allow_existing_files_only=True, allowed_suffixes=set(SUFFIXES))
        self._localize()

    def _localize(self) -> None:
        """Our strings on the dialog's own buttons; no delete button (a picker must never delete a log)."""
        dialog, t = self.dialog, lambda key: i18n.t(key, self.lang)  # noqa: E731
        dialog.cancel_button.set_text(t("ui.file_dialog.cancel"))
        dialog.ok_button.set_text(t("ui.file_dialog.ok"))
        dialog.home_button.set_tooltip(t("ui.file_dialog.home"))
        dialog.parent_directory_button.set_tooltip(t("ui.file_dialog.parent"))
        dialog.refresh_button.set_tooltip(t("ui.file_dialog.refresh"))
        dialog.delete_button.hide()
        dialog.parent_directory_button.set_relative_position(dialog.delete_button.relative_rect.topleft)
        dialog.refresh_button.set_relative_position((dialog.delete_button.relative_rect.x + 22, 10))
        for button in (dialog.cancel_button, dialog.ok_button):
            button.set_dimensions((BUTTON_WIDTH, button.relative_rect.height))
            button.set_relative_position((-(BUTTON_WIDTH + 10), button.relative_rect.y))  # from the right edge
            button.rebuild()  # re-centre the text in the new size
        self.manager.update(0.0)  # lay the re-sized buttons out before the first event

    # ----- events -----------------------------------------------------------------------
    def finish(self, path: str | None) -> None:
        self.done, self.result = True, path

    def handle(self, event: pygame.event.Event) -> None:
        if self.done:
            return
        if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
            self.finish(None)
            return
        self.manager.process_events(event)
        dialog = self.dialog
        if event.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and event.ui_element is dialog:
            self.finish(str(event.text))
        elif event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is dialog:
            self.finish(None)  # the title bar's close button, or Cancel
        elif (event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION
              and event.ui_element is dialog.file_selection_list):
            path = os.path.join(dialog.current_directory_path, event.text)
            if os.path.isfile(path):
                self.finish(os.path.abspath(path))  # a double-click on a file opens it

    def step(self, dt: float = 1 / 30) -> None:
        """Handle the queued events, each followed at once by what the widgets posted in reply
        (so a click's selection is in place before the next click), then advance the widgets."""
        pending = pygame.event.get()
        while pending and not self.done:
            self.handle(pending.pop(0))
            pending[0:0] = pygame.event.get()
        if self.done:
            _requeue(pending)  # input after the choice is the console's
        else:
            self.manager.update(dt)

    # ----- frames -----------------------------------------------------------------------
    def draw(self) -> None:
        self.surface.fill(gfx.BG)
        gfx.blit(self.surface, i18n.t("ui.picker_hint", self.lang), (40, 40), 22, gfx.TEXT, gfx.SIZE[0] - 80)
        self.manager.draw_ui(self.surface)

    def screenshot(self, path: str) -> None:
        self.manager.update(0.01)
        self.draw()
        pygame.image.save(self.surface, path)

    def close(self) -> None:
        """Take the dialog down without leaving its window events behind for the next screen."""
        if self.dialog.alive():
            self.dialog.kill()
        _requeue(pygame.event.get())


def _requeue(events: list[pygame.event.Event]) -> None:
    """Put input events back in the queue; drop the dialog's own widget events."""
    for event in events:
        if not hasattr(event, "ui_element"):
            pygame.event.post(event)


def pick_file(lang: str, start: str | None = None) -> str | None:
    """Let the facilitator choose a scenario .yaml (new session) or a log .jsonl (resume); None if cancelled."""
    picker = Picker(lang, start)
    clock = pygame.time.Clock()
    while not picker.done:
        picker.step(clock.tick(30) / 1000)
        picker.draw()
        pygame.display.flip()
    picker.close()
    return picker.result
