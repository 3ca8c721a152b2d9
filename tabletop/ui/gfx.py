"""Fonts, colours, cached text rendering and CJK-aware wrapping for the console."""

from __future__ import annotations

from pathlib import Path

import pygame

FONT_PATH = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "NotoSansCJKtc-Regular-subset.otf"
SIZE = (1280, 800)

# Colours chosen for a projector: dark background, high-contrast text, state colours that
# differ in lightness as well as hue (readable for colour-blind viewers too).
BG = (18, 24, 33)
PANEL = (30, 38, 50)
PANEL_EDGE = (64, 78, 96)
TEXT = (236, 240, 245)
DIM = (160, 172, 188)
ACCENT = (96, 176, 255)
OK = (88, 200, 120)
WARN = (255, 196, 64)
BAD = (255, 96, 88)
LAND = (40, 56, 48)
SEA = (20, 34, 52)
STATE_COLOURS = {"scheduled": DIM, "delivered": WARN, "acknowledged": ACCENT, "resolved": OK,
                 "expired": BAD, "cancelled": (110, 110, 110)}

_fonts: dict[int, pygame.font.Font] = {}
_cache: dict[tuple, pygame.Surface] = {}


def font(size: int) -> pygame.font.Font:
    found = _fonts.get(size)
    if found is None:
        found = _fonts[size] = pygame.font.Font(str(FONT_PATH), size)
    return found


def text(value: str, size: int = 18, colour: tuple = TEXT) -> pygame.Surface:
    """A rendered line, cached (the same strings are drawn every frame)."""
    key = (value, size, colour)
    surface = _cache.get(key)
    if surface is None:
        if len(_cache) > 4000:
            _cache.clear()
        surface = _cache[key] = font(size).render(value, True, colour)
    return surface


def blit(target: pygame.Surface, value: str, pos: tuple[int, int], size: int = 18, colour: tuple = TEXT,
         max_width: int | None = None) -> int:
    """Draw one line (cut with … to ``max_width``); returns its width."""
    if max_width is not None:
        value = fit(value, size, max_width)
    surface = text(value, size, colour)
    target.blit(surface, pos)
    return surface.get_width()


def fit(value: str, size: int, width: int) -> str:
    f = font(size)
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


def wrap(value: str, size: int, width: int) -> list[str]:
    """Break text into lines no wider than ``width``: anywhere between CJK characters,
    at spaces in Latin text, never before closing punctuation."""
    f = font(size)
    lines: list[str] = []
    for paragraph in value.split("\n"):
        line = ""
        tokens = _tokens(paragraph)
        for token in tokens:
            candidate = line + token
            if f.size(candidate)[0] <= width or not line:
                line = candidate
                continue
            if token and token[0] in _NO_START:
                line = candidate  # keep 。，」 with the previous character
                continue
            lines.append(line.rstrip())
            line = token.lstrip()
        lines.append(line.rstrip())
    return lines


_NO_START = "，。、；：？！」』）】》〉…,.;:?!)"


def _tokens(value: str) -> list[str]:
    out: list[str] = []
    word = ""
    for char in value:
        if ord(char) < 0x2E80 and not char.isspace():
            word += char
            continue
        if word:
            out.append(word)
            word = ""
        out.append(char)
    if word:
        out.append(word)
    return out


def panel(target: pygame.Surface, rect: pygame.Rect, title: str | None = None) -> int:
    """Draw a panel box with an optional title; returns the y where content starts."""
    pygame.draw.rect(target, PANEL, rect, border_radius=6)
    pygame.draw.rect(target, PANEL_EDGE, rect, 1, border_radius=6)
    if title:
        blit(target, title, (rect.x + 10, rect.y + 6), 20, ACCENT, rect.width - 20)
        return rect.y + 38
    return rect.y + 8


def theme() -> dict:
    """pygame_gui theme: our font for every widget (its own 'zh' font is Simplified Chinese)."""
    face = {"name": "notosanstc", "size": "16", "regular_path": str(FONT_PATH), "bold_path": str(FONT_PATH)}
    colours = {"normal_bg": "#2c3a4c", "hovered_bg": "#3d5270", "active_bg": "#4f6d96", "disabled_bg": "#20262e",
               "normal_text": "#eef2f6", "hovered_text": "#ffffff", "disabled_text": "#6c7684",
               "normal_border": "#5a6e88", "dark_bg": "#1c2430", "selected_bg": "#4f6d96", "text_cursor": "#ffffff"}
    out = {name: {"font": face, "colours": colours}
           for name in ("button", "label", "text_entry_line", "drop_down_menu", "text_box", "selection_list",
                        "window", "file_dialog", "drop_down_menu.#expand_direction_button",
                        "drop_down_menu.#selected_option", "selection_list.@selection_list_item",
                        "tool_tip")}
    out["button"]["misc"] = {"border_width": "1", "shape": "rounded_rectangle", "shape_corner_radius": "4"}
    return out
