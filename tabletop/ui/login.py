"""Role login (hot-seat): a trainee picks their seat and sees only it until they log out;
the facilitator gets back to the console with their PIN (if one was set)."""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui

from tabletop import i18n
from tabletop.ui import gfx
from tabletop.ui.describe import seat_labels
from tabletop.ui.facilitator import top_bar

BOX = pygame.Rect(290, 150, 700, 470)


def relayout(width: int, height: int) -> None:
    """The login box, centred in the window."""
    global BOX
    BOX = pygame.Rect((width - 700) // 2, max(80, (height - 470) // 2), 700, 470)


class LoginScreen:
    """``mode`` "login": choose a seat and log in. "unlock": the facilitator's PIN to leave a
    logged-in seat for the console."""

    def __init__(self, app: Any, mode: str = "login") -> None:
        self.app = app
        self.console = app.console
        self.mode = mode
        self.widgets: list[Any] = []
        self.buttons: dict[Any, str] = {}
        self.seat_menu: Any = None
        self.pin_entry: Any = None
        self.labels: dict[str, tuple[str, str]] = {}
        self.chosen: tuple[str, str] = app.seat
        self.problem: str | None = None

    def build(self, manager: pygame_gui.UIManager) -> None:
        lang = self.app.lang
        y = BOX.y + 110
        if self.mode == "login":
            self.labels = seat_labels(self.console, lang)
            current = next((label for label, seat in self.labels.items() if seat == self.chosen), next(iter(self.labels)))
            self.chosen = self.labels[current]
            self.seat_menu = pygame_gui.elements.UIDropDownMenu(list(self.labels), current,
                                                                pygame.Rect(BOX.x + 40, y, BOX.width - 80, 42), manager,
                                                                object_id="#login_seat", expansion_height_limit=300)
            self.widgets.append(self.seat_menu)
        if self.mode == "unlock":
            self.pin_entry = pygame_gui.elements.UITextEntryLine(pygame.Rect(BOX.x + 40, y, BOX.width - 80, 42), manager,
                                                                 object_id="#pin")
            self.pin_entry.set_text_hidden(True)
            self.pin_entry.focus()
            self.widgets.append(self.pin_entry)
        row = (("ui.btn_do_login", "do_login"), ("ui.btn_console", "console")) if self.mode == "login" \
            else (("ui.btn_unlock", "unlock"), ("ui.btn_back", "back"))
        for i, (key, action) in enumerate(row):
            rect = pygame.Rect(BOX.x + 40 + i * ((BOX.width - 80) // 2 + 8), BOX.bottom - 70, (BOX.width - 80) // 2 - 8, 44)
            button = pygame_gui.elements.UIButton(rect, i18n.t(key, lang), manager, object_id=f"#{action}")
            self.buttons[button] = action
            self.widgets.append(button)

    def kill(self) -> None:
        for widget in self.widgets:
            widget.kill()
        self.widgets, self.buttons = [], {}

    # ----- input ------------------------------------------------------------------------
    def on_button(self, element: Any) -> str | None:
        return self.buttons.get(element)

    def on_dropdown(self, element: Any, text: str) -> str | None:
        if element is self.seat_menu:
            self.chosen = self.labels[text]
        return None

    def typing(self) -> bool:
        return self.pin_entry is not None and self.pin_entry.is_focused

    def pin_ok(self) -> bool:
        return not self.app.pin or (self.pin_entry is not None and self.pin_entry.get_text() == self.app.pin)

    # ----- drawing ----------------------------------------------------------------------
    def draw(self, target: pygame.Surface) -> None:
        lang = self.app.lang
        top_bar(target, self.console, lang, self.app.view)
        gfx.panel(target, BOX, i18n.t("ui.login_title" if self.mode == "login" else "ui.unlock_title", lang))
        hint = i18n.t("ui.login_hint" if self.mode == "login" else "ui.unlock_hint", lang)
        for i, line in enumerate(gfx.wrap(hint, 18, BOX.width - 80)[:3]):
            gfx.blit(target, line, (BOX.x + 40, BOX.y + 44 + 26 * i), 18, gfx.DIM)
        if self.mode == "login":
            county, role = self.chosen
            officer = self.console.officer(county, role)
            y = BOX.y + 180
            if officer:
                gfx.blit(target, i18n.t("ui.trainee_officer", lang, name=officer), (BOX.x + 40, y), 22, gfx.TEXT)
                y += 36
            count = len(self.console.commands_for(county, role))
            gfx.blit(target, i18n.t("ui.login_commands", lang, n=count), (BOX.x + 40, y), 18, gfx.DIM)
        if self.problem:
            gfx.blit(target, self.problem, (BOX.x + 40, BOX.bottom - 110), 18, gfx.BAD, BOX.width - 80)
