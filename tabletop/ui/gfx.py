"""Fonts, colours, cached text rendering, CJK-aware wrapping and cached panel surfaces for the console."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Hashable

import pygame

from tabletop import fonts as _chain

FONT_PATH = _chain.PRIMARY  # the complete Noto Sans CJK TC; DejaVu Sans after it (tabletop/fonts.py)
SIZE = (1280, 800)
#: The layout reflows to the window between these sizes (smaller windows show the minimum, cut).
MIN_SIZE = (1024, 768)
DEFAULT_SIZE = (1280, 800)


def set_size(width: int, height: int) -> tuple[int, int]:
    """The window's size for every layout (at least :data:`MIN_SIZE`); returns what was set."""
    global SIZE
    SIZE = (max(MIN_SIZE[0], int(width)), max(MIN_SIZE[1], int(height)))
    return SIZE

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
_fallbacks: dict[tuple[int, int], pygame.font.Font] = {}


class LRU:
    """A bounded least-recently-used cache (a dict kept in use order)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        found = self.data.get(key, _MISSING)
        if found is not _MISSING:
            self.data.move_to_end(key)
        return found

    def put(self, key: Hashable, value: Any) -> Any:
        self.data[key] = value
        if len(self.data) > self.limit:
            self.data.popitem(last=False)
        return value

    def clear(self) -> None:
        self.data.clear()

    def __len__(self) -> int:
        return len(self.data)


_MISSING = object()
#: Rendered lines keyed by (text, size, colour, max width): a frame draws a few hundred lines,
#: almost all the same as the frame before. Bounded (a line is at most ~30 kB).
_lines = LRU(2000)
_fits = LRU(4000)     # (text, size, width) -> the text cut with … to fit
_wraps = LRU(2000)    # (text, size, width) -> lines
_caching = True


def caching(on: bool | None = None) -> bool:
    """Whether the console's caches are used (rendered text here, panel and map surfaces in the
    screens). ``caching(False)`` makes every frame a full uncached redraw: the baseline that
    ``bench/bench_ui.py`` compares against, and what tests compare cached frames with."""
    global _caching
    if on is not None:
        _caching = on
        if not on:
            clear_caches()
    return _caching


def clear_caches() -> None:
    for cache in (_lines, _fits, _wraps):
        cache.clear()


def font(size: int) -> pygame.font.Font:
    found = _fonts.get(size)
    if found is None:
        found = _fonts[size] = pygame.font.Font(str(FONT_PATH), size)
    return found


def _render(shown: str, size: int, colour: tuple) -> pygame.Surface:
    """One line in the first font; characters it has no glyph for come from the next font of
    the chain that has them (tabletop/fonts.py), run by run, on one surface."""
    primary = _chain.cmap(_chain.PRIMARY)
    if all(ord(char) in primary for char in shown):
        return font(size).render(shown, True, colour)
    runs: list[tuple[pygame.font.Font, str]] = []
    for char in shown:
        face = font(size) if ord(char) in primary else _fallback(char, size)
        if runs and runs[-1][0] is face:
            runs[-1] = (face, runs[-1][1] + char)
        else:
            runs.append((face, char))
    parts = [face.render(run, True, colour) for face, run in runs]
    surface = pygame.Surface((sum(p.get_width() for p in parts), max(p.get_height() for p in parts)), pygame.SRCALPHA)
    x = 0
    for part in parts:
        surface.blit(part, (x, surface.get_height() - part.get_height()))
        x += part.get_width()
    return surface


def _fallback(char: str, size: int) -> pygame.font.Font:
    """The chain's first font after the primary that has ``char`` (the primary, drawing its box, when none has it)."""
    for index, path in enumerate(_chain.CHAIN[1:], 1):
        if ord(char) in _chain.cmap(path):
            found = _fallbacks.get((index, size))
            if found is None:
                found = _fallbacks[(index, size)] = pygame.font.Font(str(path), size)
            return found
    return font(size)


def text(value: str, size: int = 18, colour: tuple = TEXT, max_width: int | None = None) -> pygame.Surface:
    """A rendered line (cut with … to ``max_width``), cached: the same strings are drawn every frame."""
    key = (value, size, tuple(colour), max_width)
    if _caching:
        cached = _lines.get(key)
        if cached is not _MISSING:
            return cached
    shown = fit(value, size, max_width) if max_width is not None else value
    surface = _render(shown, size, colour)
    if _caching:
        _lines.put(key, surface)
    return surface


def has_text(value: str, size: int = 18, colour: tuple = TEXT, max_width: int | None = None) -> bool:
    """Whether ``text`` would come from the cache (no font rendering)."""
    return _caching and _lines.get((value, size, tuple(colour), max_width)) is not _MISSING


def blit(target: pygame.Surface, value: str, pos: tuple[int, int], size: int = 18, colour: tuple = TEXT,
         max_width: int | None = None) -> int:
    """Draw one line (cut with … to ``max_width``); returns its width."""
    surface = text(value, size, colour, max_width)
    target.blit(surface, pos)
    return surface.get_width()


def fit(value: str, size: int, width: int) -> str:
    key = (value, size, width)
    if _caching:
        cached = _fits.get(key)
        if cached is not _MISSING:
            return cached
    found = _fit(value, size, width)
    if _caching:
        _fits.put(key, found)
    return found


def _fit(value: str, size: int, width: int) -> str:
    f = font(size)
    if _estimate(value, size) <= width - _margin(_latin(value)) or f.size(value)[0] <= width:
        return value
    # The longest prefix that fits with "…": the estimate bounds it, the font decides within.
    _estimate(value + "…", size)
    table = _advances[size]
    ellipsis = table["…"]
    sure, low, high, total, latin = 0, 0, len(value), ellipsis, 0
    for i, char in enumerate(value, start=1):
        total += table[char]
        latin += ord(char) < 0x2E80
        margin = _margin(latin)
        if total <= width - margin:
            sure = i
        if total > width + margin:
            high = i - 1
            break
    low = sure
    while low < high:
        mid = (low + high + 1) // 2
        if f.size(value[:mid] + "…")[0] <= width:
            low = mid
        else:
            high = mid - 1
    return value[:low] + "…"


def wrap(value: str, size: int, width: int, limit: int | None = None) -> list[str]:
    """Break text into lines no wider than ``width``: anywhere between CJK characters,
    at spaces in Latin text, never before closing punctuation (cached). With ``limit``, only
    the first ``limit`` lines are worked out."""
    key = (value, size, width, limit)
    if _caching:
        cached = _wraps.get(key)
        if cached is not _MISSING:
            return list(cached)
    found = tuple(_wrap(value, size, width, limit))
    if _caching:
        _wraps.put(key, found)
    return list(found)


#: Per font size, each character's advance: a cheap estimate of a text's width. For CJK text it
#: is exact; Latin text can differ from ``Font.size`` by a pixel or so every few characters
#: (kerning, rounding), so near the limit the font decides (``_margin``). Asking the font less
#: matters because each new glyph it lays out costs ~50 µs (SDL_ttf's glyph cache is small).
_advances: dict[int, dict[str, int]] = {}


def _estimate(value: str, size: int) -> int:
    table = _advances.get(size)
    if table is not None:
        try:
            return sum(map(table.__getitem__, value))
        except KeyError:
            pass
    table = _advances.setdefault(size, {})
    missing = [c for c in set(value) if c not in table]
    for char, metrics in zip(missing, font(size).metrics("".join(missing)), strict=True):
        table[char] = metrics[4] if metrics else 0
    return sum(map(table.__getitem__, value))


def _latin(value: str) -> int:
    return sum(c < "\u2e80" for c in value)


def _margin(latin: int) -> int:
    """How far the estimate may be from the font's width, for a text with ``latin`` characters
    below the CJK range (measured on every string of the tables and a played log: at most 7 px
    over 60 Latin characters)."""
    return 2 + latin // 3


def _wrap(value: str, size: int, width: int, limit: int | None = None) -> list[str]:
    f = font(size)
    lines: list[str] = []

    def fits(candidate: str, estimate: int, latin: int) -> bool:
        margin = _margin(latin)
        if estimate <= width - margin:
            return True
        if estimate > width + margin:
            return False
        return f.size(candidate)[0] <= width

    for paragraph in value.split("\n"):
        line, line_w, line_l = "", 0, 0
        for token in _tokens(paragraph):
            if limit is not None and len(lines) >= limit:
                return lines
            candidate = line + token
            token_w, token_l = _estimate(token, size), _latin(token)
            if not line or fits(candidate, line_w + token_w, line_l + token_l):
                line, line_w, line_l = candidate, line_w + token_w, line_l + token_l
                continue
            if token and token[0] in _NO_START:
                line, line_w, line_l = candidate, line_w + token_w, line_l + token_l  # keep 。，」 with the previous character
                continue
            lines.append(line.rstrip())
            line = token.lstrip()
            line_w, line_l = _estimate(line, size), _latin(line)
        lines.append(line.rstrip())
        if limit is not None and len(lines) >= limit:
            return lines[:limit]
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


class Layer:
    """One screen area drawn into its own surface and redrawn only when its key changes (every
    frame when caching is off). ``paint(surface, rect)`` draws in the layer's own coordinates
    (``rect`` is the area moved to 0, 0) on the window background; what it returns is kept
    with the surface."""

    def __init__(self, rect: pygame.Rect, background: tuple = BG) -> None:
        self.rect = pygame.Rect(rect)
        self.background = background
        self.surface: pygame.Surface | None = None
        self.key: Any = _MISSING
        self.result: Any = None
        self.redraws = 0

    def draw(self, target: pygame.Surface, key: Hashable, paint: Callable[[pygame.Surface, pygame.Rect], Any]) -> Any:
        if self.surface is None or not _caching or key != self.key:
            if self.surface is None:
                self.surface = pygame.Surface(self.rect.size)
            self.surface.fill(self.background)
            self.result = paint(self.surface, self.surface.get_rect())
            self.key = key
            self.redraws += 1
        target.blit(self.surface, self.rect.topleft)
        return self.result


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
    # Taller rows in lists and drop-downs: easier to hit with a mouse and to read on a projector.
    out["selection_list"]["misc"] = {"list_item_height": "30"}
    out["drop_down_menu"]["misc"] = {"list_item_height": "30"}
    return out
