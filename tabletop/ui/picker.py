"""A scenario / log file picker (pygame_gui's file dialog in a small window)."""

from __future__ import annotations

import os

import pygame
import pygame_gui

from tabletop import i18n
from tabletop.ui import gfx


def pick_file(lang: str, start: str | None = None) -> str | None:
    """Let the facilitator choose a scenario .yaml (new session) or a log .jsonl (resume)."""
    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode(gfx.SIZE)
    pygame.display.set_caption(i18n.t("ui.picker_title", lang))
    manager = pygame_gui.UIManager(gfx.SIZE, gfx.theme(), enable_live_theme_updates=False)
    start = start or os.path.join(os.getcwd(), "scenarios")
    dialog = pygame_gui.windows.UIFileDialog(pygame.Rect(240, 120, 800, 560), manager,
                                             window_title=i18n.t("ui.picker_title", lang),
                                             initial_file_path=start, allow_picking_directories=False)
    clock = pygame.time.Clock()
    while True:
        dt = clock.tick(30) / 1000
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return None
            manager.process_events(event)
            if event.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED:
                return str(event.text)
            if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is dialog:
                return None
        manager.update(dt)
        surface.fill(gfx.BG)
        gfx.blit(surface, i18n.t("ui.picker_hint", lang), (40, 40), 22, gfx.TEXT, gfx.SIZE[0] - 80)
        manager.draw_ui(surface)
        pygame.display.flip()
