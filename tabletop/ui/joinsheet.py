"""The room on the projector (``--serve``): the join sheet (one QR code per seat), the seats
that are connected, and the count of them in the top bar.

QR codes come from :func:`tabletop.server.sheet.qr_matrix` (the ``qrcode`` package) and are
drawn here module by module as rectangles. One page layout serves the screen (4 × 2 cards,
codes large enough to scan from the projector) and the print (A4 portrait at 150 dpi, 3 × 4
cards), written as PNG files beside the log (:func:`write_sheet`). The printed pages carry no
state: who is connected shows only on the screen.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from typing import Any

import pygame

from tabletop import i18n
from tabletop.ui import gfx
from tabletop.ui.describe import seat_name

PAPER = (255, 255, 255)
INK = (0, 0, 0)
GREY = (90, 90, 90)
CARD_EDGE = (170, 170, 170)
ON = (20, 140, 60)
OFF = (150, 150, 150)
WARNING = (190, 40, 30)


@dataclass(frozen=True)
class Page:
    """A sheet page: its size in pixels, the cards' grid and the text sizes."""

    size: tuple[int, int]
    cols: int
    rows: int
    margin: int
    gap: int
    header: int
    footer: int
    title: int       # font sizes
    label: int
    small: int

    @property
    def per_page(self) -> int:
        return self.cols * self.rows


#: On the projector: the window's 1280 × 800, eight cards a page.
SCREEN = Page(gfx.SIZE, 4, 2, 20, 14, 70, 38, 24, 20, 13)
#: On paper: A4 portrait at 150 dpi (210 × 297 mm), twelve cards a page.
A4 = Page((1240, 1754), 3, 4, 60, 24, 130, 70, 34, 24, 17)

_qr_cache = gfx.LRU(64)   # (url, module px) -> the code's surface


def qr_surface(url: str, module: int) -> pygame.Surface:
    """The QR code of ``url``: each dark module a ``module`` × ``module`` black rectangle on white
    (the matrix includes its quiet zone)."""
    key = (url, module)
    found = _qr_cache.get(key)
    if isinstance(found, pygame.Surface):
        return found
    from tabletop.server.sheet import qr_matrix

    matrix = qr_matrix(url)
    surface = pygame.Surface((len(matrix[0]) * module, len(matrix) * module))
    surface.fill(PAPER)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                surface.fill(INK, pygame.Rect(x * module, y * module, module, module))
    return _qr_cache.put(key, surface)


def qr_modules(url: str) -> int:
    """How many modules (with the quiet zone) the code of ``url`` has on a side."""
    from tabletop.server.sheet import qr_matrix

    return len(qr_matrix(url))


def page_count(entries: list[Any], page: Page) -> int:
    return max(1, math.ceil(len(entries) / page.per_page))


@dataclass
class Card:
    """Where one seat's card went on a page: the card, its QR code and the module size."""

    entry: dict[str, Any]
    rect: pygame.Rect
    qr: pygame.Rect
    module: int


def layout(entries: list[dict[str, Any]], page: Page, number: int) -> list[Card]:
    """The cards of page ``number`` (from 0), in page coordinates."""
    width, height = page.size
    card_w = (width - 2 * page.margin - (page.cols - 1) * page.gap) // page.cols
    card_h = (height - page.header - page.footer - (page.rows - 1) * page.gap) // page.rows
    text_h = page.label + 3 * page.small + 36
    cards = []
    for index, entry in enumerate(entries[number * page.per_page:(number + 1) * page.per_page]):
        col, row = index % page.cols, index // page.cols
        rect = pygame.Rect(page.margin + col * (card_w + page.gap), page.header + row * (card_h + page.gap), card_w, card_h)
        modules = qr_modules(entry["url"])
        module = max(1, min(card_w - 24, card_h - text_h - 16) // modules)
        side = module * modules
        qr = pygame.Rect(rect.centerx - side // 2, rect.y + 10, side, side)
        cards.append(Card(entry, rect, qr, module))
    return cards


def draw_page(target: pygame.Surface, session: Any, entries: list[dict[str, Any]], page: Page, number: int,
              lang: str, officers: dict[str, str | None] | None = None, connected: dict[str, int] | None = None,
              note: tuple[str, bool] | None = None) -> list[Card]:
    """Draw page ``number`` of the sheet on ``target`` (the page's size): heading, cards, footer.
    ``connected`` (seat -> open pages; the screen only) marks each card connected or not; ``note``
    (text, whether it went well) replaces the footer."""
    width, height = page.size
    target.fill(PAPER)
    title = i18n.pick(session.scenario.scenario.title.model_dump(), lang)
    pages = page_count(entries, page)
    gfx.blit(target, i18n.t("ui.sheet_title", lang, scenario=title), (page.margin, page.margin // 3), page.title, INK,
             width - 2 * page.margin)
    sub = i18n.t("ui.sheet_page", lang, page=number + 1, pages=pages, seats=len(entries))
    if connected is not None:
        sub += "　" + i18n.t("ui.sheet_keys", lang)
    gfx.blit(target, sub, (page.margin, page.margin // 3 + page.title + 10), page.small + 2, GREY,
             width - 2 * page.margin)
    cards = layout(entries, page, number)
    for card in cards:
        _card(target, session, card, page, lang, officers or {}, connected)
    if note:
        footer, colour = note[0], ON if note[1] else WARNING
    elif entries and loopback(entries[0]["url"]):  # other devices cannot reach 127.0.0.1: say how to fix it
        footer, colour = i18n.t("ui.sheet_loopback", lang), WARNING
    else:
        footer, colour = i18n.t("ui.sheet_footer", lang), GREY
    gfx.blit(target, footer, (page.margin, height - page.footer + (page.footer - page.small) // 2 - 4), page.small + 1,
             colour, width - 2 * page.margin)
    return cards


def _card(target: pygame.Surface, session: Any, card: Card, page: Page, lang: str, officers: dict[str, str | None],
          connected: dict[str, int] | None) -> None:
    entry, rect = card.entry, card.rect
    pygame.draw.rect(target, CARD_EDGE, rect, 2, border_radius=8)
    target.blit(qr_surface(entry["url"], card.module), card.qr.topleft)
    x, y, w = rect.x + 12, card.qr.bottom + 6, rect.width - 24
    gfx.blit(target, seat_name(session, entry["county"], entry["role"], lang), (x, y), page.label, INK, w)
    y += page.label + 8
    officer = officers.get(entry["seat"])
    line = f"{entry['seat']}　{i18n.t('ui.sheet_officer', lang, name=officer)}" if officer else entry["seat"]
    gfx.blit(target, line, (x, y), page.small, GREY, w)
    y += page.small + 6
    base, _, token = entry["url"].partition("/join/")
    mark_w = 0
    if connected is not None:  # the screen only: a mark right of the link's first line (never over the code)
        count = connected.get(entry["seat"], 0)
        mark = i18n.t("ui.seat_on" if count else "ui.seat_off", lang)
        colour = ON if count else OFF
        mark_w = gfx.text(mark, page.small, colour).get_width() + 20
        mark_x = rect.right - 10 - mark_w
        pygame.draw.circle(target, colour, (mark_x + 7, y + page.small // 2 + 3), 6, 0 if count else 2)
        gfx.blit(target, mark, (mark_x + 18, y), page.small, colour)
        if count:
            pygame.draw.rect(target, colour, rect, 4, border_radius=8)
    gfx.blit(target, base + "/join/", (x, y), page.small, INK, w - mark_w - 4)
    gfx.blit(target, token, (x, y + page.small + 4), page.small, INK, w)


def loopback(url: str) -> bool:
    """Whether ``url`` names this laptop only (a rehearsal: no other device can open it)."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host == "localhost" or host == "::1" or host.startswith("127.")


def sheet_files(log_path: str, pages: int) -> list[str]:
    """Where the printed pages go: beside the log, ``<log name>-join-sheet-<n>.png``."""
    stem = os.path.splitext(log_path)[0]
    return [f"{stem}-join-sheet-{n}.png" for n in range(1, pages + 1)]


def write_sheet(console: Any, lang: str) -> list[str]:
    """Write every page of the printable sheet (A4) as PNG beside the log; each file atomically
    (temp file, fsync, rename) and readable by this user only (the links are the seats' keys)."""
    from tabletop import files

    entries = console.room.trainee_links()
    officers = officer_names(console, entries)
    paths = sheet_files(console.writer.path, page_count(entries, A4))
    surface = pygame.Surface(A4.size)
    for number, path in enumerate(paths):
        draw_page(surface, console.session, entries, A4, number, lang, officers)
        data = io.BytesIO()
        pygame.image.save(surface, data, "sheet.png")
        files.write_atomic(path, data.getvalue())
        os.chmod(path, 0o600)
    return paths


def officer_names(console: Any, entries: list[dict[str, Any]]) -> dict[str, str | None]:
    return {entry["seat"]: console.officer(entry["county"] or "", entry["role"]) for entry in entries}


class RoomOverlay:
    """The console's room overlays: ``sheet`` (the join sheet) or ``seats`` (who is connected);
    cached surfaces, redrawn when the page, the language, the connections or the note change."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self.which: str | None = None
        self.page = 0
        self.note: tuple[str, bool] | None = None
        self._layer = gfx.Layer(pygame.Rect((0, 0), gfx.SIZE), PAPER)
        self._seats_layer = gfx.Layer(pygame.Rect(40, 60, gfx.SIZE[0] - 80, gfx.SIZE[1] - 120))
        self.cards: list[Card] = []                      # the sheet page's cards, as drawn
        self.spots: dict[str, tuple[int, int]] = {}     # the seats panel: each seat's mark, as drawn

    def toggle(self, which: str) -> None:
        self.which = None if self.which == which else which
        self.page, self.note = 0, None

    def pages(self) -> int:
        entries = self.console.room.trainee_links()
        return page_count(entries, SCREEN) if self.which == "sheet" else max(1, math.ceil(len(entries) / SEATS_PER_PAGE))

    def turn_page(self, step: int) -> None:
        self.page = (self.page + step) % self.pages()

    def write(self, lang: str) -> None:
        from tabletop.files import FileProblem

        try:
            paths = write_sheet(self.console, lang)
        except FileProblem as err:  # a full disk or a read-only folder: say so, the console goes on
            self.note = (err.text(lang), False)
            return
        self.note = (i18n.t("ui.sheet_written", lang, path=paths[0], pages=len(paths)), True)

    def draw(self, target: pygame.Surface, lang: str) -> None:
        connected = self.console.room.connections()
        entries = self.console.room.trainee_links()
        marks = tuple(connected.get(entry["seat"], 0) for entry in entries)
        if self.which == "sheet":
            officers = officer_names(self.console, entries)
            self.cards = self._layer.draw(target, ("sheet", self.page, lang, marks, self.note), lambda surface, rect:
                                          draw_page(surface, self.console.session, entries, SCREEN, self.page, lang,
                                                    officers, connected, self.note))
        elif self.which == "seats":
            shade = pygame.Surface(gfx.SIZE, pygame.SRCALPHA)
            shade.fill((0, 0, 0, 170))
            target.blit(shade, (0, 0))
            spots = self._seats_layer.draw(target, ("seats", self.page, lang, marks), lambda surface, rect:
                                           self._seats(surface, rect, entries, connected, lang))
            offset = self._seats_layer.rect.topleft
            self.spots = {seat: (x + offset[0], y + offset[1]) for seat, (x, y) in spots.items()}

    def _seats(self, target: pygame.Surface, box: pygame.Rect, entries: list[dict[str, Any]],
               connected: dict[str, int], lang: str) -> dict[str, tuple[int, int]]:
        """The panel (in its own coordinates); returns where each shown seat's mark is."""
        rows = seat_rows(self.console.session, entries, connected, lang)
        on = sum(1 for row in rows if row[2])
        y = gfx.panel(target, box, i18n.t("ui.seats_title", lang, on=on, total=len(rows)))
        pages = max(1, math.ceil(len(rows) / SEATS_PER_PAGE))
        gfx.blit(target, i18n.t("ui.seats_keys", lang, page=self.page + 1, pages=pages), (box.x + 10, box.bottom - 30), 16,
                 gfx.DIM, box.width - 20)
        shown = rows[self.page * SEATS_PER_PAGE:(self.page + 1) * SEATS_PER_PAGE]
        col_w = (box.width - 20) // SEATS_COLUMNS
        per_col = math.ceil(SEATS_PER_PAGE / SEATS_COLUMNS)
        spots: dict[str, tuple[int, int]] = {}
        for index, (seat, label, count) in enumerate(shown):
            x = box.x + 10 + (index // per_col) * col_w
            row_y = y + 4 + (index % per_col) * 28
            colour = gfx.OK if count else gfx.DIM
            pygame.draw.circle(target, colour, (x + 10, row_y + 12), 7, 0 if count else 2)
            spots[seat] = (x + 10, row_y + 12)
            state = i18n.t("ui.seat_on_count", lang, n=count) if count else i18n.t("ui.seat_off", lang)
            state_w = gfx.text(state, 16, colour).get_width()
            gfx.blit(target, f"{label}  {seat}", (x + 26, row_y + 1), 17, gfx.TEXT if count else gfx.DIM,
                     col_w - state_w - 48)
            gfx.blit(target, state, (x + col_w - state_w - 14, row_y + 2), 16, colour)
        return spots


SEATS_COLUMNS = 2
SEATS_PER_PAGE = 36


def seat_rows(session: Any, entries: list[dict[str, Any]], connected: dict[str, int], lang: str) -> list[tuple[str, str, int]]:
    """(seat, its label, open pages) for every trainee seat, in scenario order."""
    return [(entry["seat"], seat_name(session, entry["county"], entry["role"], lang), connected.get(entry["seat"], 0))
            for entry in entries]


def online_badge(target: pygame.Surface, console: Any, lang: str, view: str) -> None:
    """"Seats online N / M (O)" in the top bar, left of the truth / EOC badge."""
    entries = console.room.trainee_links()
    connected = console.room.connections()
    on = sum(1 for entry in entries if connected.get(entry["seat"]))
    text = i18n.t("ui.seats_online", lang, on=on, total=len(entries))
    badge = gfx.text(i18n.t("ui.view_truth" if view == "truth" else "ui.view_eoc", lang), 18).get_width() + 20
    colour = gfx.OK if on else gfx.DIM
    w = gfx.text(text, 16, colour).get_width()
    gfx.blit(target, text, (gfx.SIZE[0] - badge - 12 - w - 18, 14), 16, colour)
