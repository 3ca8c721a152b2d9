"""The facilitator console: top bar, map, MSEL panel, event feed, control buttons."""

from __future__ import annotations

import time
from typing import Any

import pygame
import pygame_gui

from tabletop import i18n
from tabletop.scenario.model import deck_name
from tabletop.ui import gfx
from tabletop.ui.console import FEED_FILTERS, Console, feed_category
from tabletop.ui.describe import county_name, describe, inject_state, seat_name, short_time, state_name
from tabletop.ui.mapview import MapView

MAP = pygame.Rect(8, 72, 540, 520)
STOCK = pygame.Rect(8, 600, 540, 100)
MSEL = pygame.Rect(556, 72, 340, 628)
FEED = pygame.Rect(904, 72, 368, 628)
BUTTONS_Y = 708  # the two rows of controls
ROW_H = 26
MORE_H = 24  # the "… N more" line under a cut MSEL list

CONTROL_ROW = (("start", "ui.btn_start"), ("advance", "ui.btn_advance"), ("pause", "ui.btn_pause"),
               ("resume", "ui.btn_resume"), ("end_exercise", "ui.btn_end"), ("close", "ui.btn_close"))
TOOL_ROW = (("inject_now", "ui.btn_inject_now"), ("draw_card", "ui.btn_draw_card"), ("view", "ui.btn_view"),
            ("trainee", "ui.btn_roles"), ("help", "ui.btn_help"), ("lang", "ui.btn_lang"))
TRIGGERS = {"start", "advance", "pause", "resume", "end_exercise", "close"}
FEED_COLOURS = {"rejections": gfx.BAD, "injects": gfx.WARN, "commands": gfx.ACCENT, "messages": gfx.TEXT, "system": gfx.DIM}


TOP = pygame.Rect(0, 0, gfx.SIZE[0], 64)
_top = gfx.Layer(TOP)


def relayout(width: int, height: int) -> None:
    """Place the console's panels for a window of ``width`` × ``height`` (1024×768 up to
    1920×1080 and beyond): the map, MSEL and feed columns share the width as at 1280×800
    (43 %, 27 %, the rest), the panels take the height left by the top bar and the two rows of
    controls."""
    global MAP, STOCK, MSEL, FEED, BUTTONS_Y, TOP, _top
    inner = width - 32
    map_w = round(inner * 540 / 1248)
    msel_w = round(inner * 340 / 1248)
    bottom = height - 100
    stock_h = 100
    MAP = pygame.Rect(8, 72, map_w, bottom - 72 - stock_h - 8)
    STOCK = pygame.Rect(8, MAP.bottom + 8, map_w, stock_h)
    MSEL = pygame.Rect(MAP.right + 8, 72, msel_w, bottom - 72)
    FEED = pygame.Rect(MSEL.right + 8, 72, width - 8 - (MSEL.right + 8), bottom - 72)
    BUTTONS_Y = bottom + 8
    TOP = pygame.Rect(0, 0, width, 64)
    _top = gfx.Layer(TOP)


def top_bar(target: pygame.Surface, console: Console, lang: str, view: str) -> None:
    """The top bar, redrawn only when the log grows or the language, view or log path changes."""
    clock = console.clock()
    left = clock.get("remaining")
    key = (id(console), console.session.seq, lang, view, console.log_path, clock.get("state"),
           None if left is None else int(left))
    _top.draw(target, key, lambda surface, rect: _paint_top_bar(surface, console, lang, view, clock))


def countdown_text(clock: dict, lang: str) -> tuple[str, tuple] | None:
    """The phase clock's line and colour for the top bar (None when no segment is timed)."""
    from tabletop.evaluation import clockview

    if clock.get("state") not in ("running", "paused"):
        return None
    segment = i18n.t(f"segment.{clock['segment']}", lang)
    left = clock.get("remaining")
    if left is None:
        return segment, gfx.TEXT
    key = "ui.countdown_paused" if clock["state"] == "paused" else "ui.countdown_over" if left < 0 else "ui.countdown"
    colour = gfx.BAD if left < 0 else gfx.WARN if left < 300 or clock["state"] == "paused" else gfx.OK
    return i18n.t(key, lang, segment=segment, left=clockview.mmss(abs(left))), colour


def _paint_top_bar(target: pygame.Surface, console: Console, lang: str, view: str, clock: dict | None = None) -> None:
    session = console.session
    pygame.draw.rect(target, (12, 16, 22), (0, 0, gfx.SIZE[0], 64))
    title = i18n.pick(session.scenario.scenario.title.model_dump(), lang)
    gfx.blit(target, title, (12, 4), 20, gfx.TEXT, 620)
    turn = i18n.t("ui.turn_clock", lang, turn=session.turn, turns=session.clock.turns)
    day = i18n.t("ui.day", lang, day=session.clock.day(session.turn)) if session.turn else ""
    x = 12
    for value, colour in ((turn, gfx.WARN), (f"{day} {short_time(session.time())}", gfx.TEXT),
                          (i18n.t("ui.state", lang, state=state_name(session.state, lang)), gfx.ACCENT),
                          (i18n.t("ui.phase", lang, phase=current_phase(session, lang)), gfx.TEXT)):
        x += gfx.blit(target, value, (x, 34), 20, colour) + 24
    countdown = countdown_text(clock or {}, lang)
    if countdown is not None:
        x += gfx.blit(target, countdown[0], (x, 34), 20, countdown[1]) + 24
    badge = i18n.t("ui.view_truth" if view == "truth" else "ui.view_eoc", lang)
    w = gfx.text(badge, 18).get_width() + 20
    colour = (60, 110, 70) if view == "truth" else (120, 90, 40)
    pygame.draw.rect(target, colour, (gfx.SIZE[0] - w - 12, 8, w, 30), border_radius=6)
    gfx.blit(target, badge, (gfx.SIZE[0] - w - 2, 11), 18)
    room = gfx.SIZE[0] - x - 12
    if room > 120:
        saving = gfx.fit(i18n.t("ui.saving", lang, path=console.log_path), 14, room)
        gfx.blit(target, saving, (gfx.SIZE[0] - 12 - gfx.text(saving, 14).get_width(), 44), 14, gfx.DIM)


def current_phase(session: Any, lang: str) -> str:
    for phase in session.scenario.phases:
        if phase.first_turn <= session.turn <= phase.last_turn:
            return i18n.pick(phase.name.model_dump(), lang)
    return i18n.t("ui.no_phase", lang)


class FacilitatorScreen:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.console: Console = app.console
        self.map = MapView(self.console, MAP)
        #: The map's county filter (None: the whole country); ``[`` / ``]`` step through the counties.
        self.county: str | None = None
        self.selected = 0
        self.feed_filter = "all"
        self.buttons: dict[Any, str] = {}
        self.widgets: list[Any] = []
        self._rows: list[tuple[pygame.Rect, str]] = []
        self._msel_layer = gfx.Layer(MSEL)
        self._stock_layer = gfx.Layer(STOCK)
        self._feed_layer = gfx.Layer(FEED)
        self._feed_lines = gfx.LRU(600)   # (record seq, lang) -> its wrapped feed lines
        self._feed_pass = 0
        self._banner: tuple[Any, list[str]] = (None, [])

    # ----- widgets ----------------------------------------------------------------------
    def build(self, manager: pygame_gui.UIManager) -> None:
        lang = self.app.lang
        width = (gfx.SIZE[0] - 16 - 5 * 8) // 6
        for row, items in ((0, CONTROL_ROW), (1, TOOL_ROW)):
            for col, (action, key) in enumerate(items):
                rect = pygame.Rect(8 + col * (width + 8), BUTTONS_Y + row * 46, width, 40)
                self._button(manager, rect, i18n.t(key, lang), action)
        fw = (FEED.width - 16) // len(FEED_FILTERS)
        for col, name in enumerate(FEED_FILTERS):
            rect = pygame.Rect(FEED.x + 8 + col * fw, FEED.y + 36, fw - 4, 30)
            label = i18n.t(f"ui.filter_{name}", lang)
            if gfx.text(label, 16).get_width() > rect.width - 12:  # a label fits its tab: else its short form
                label = i18n.t(f"ui.filter_{name}_short", lang)
            self._button(manager, rect, label, f"filter:{name}")
        self.refresh()

    def _button(self, manager, rect, label, action) -> None:
        button = pygame_gui.elements.UIButton(rect, label, manager, object_id=f"#{action.replace(':', '_')}")
        self.buttons[button] = action
        self.widgets.append(button)

    def refresh(self) -> None:
        """Enable only the controls that can act now: the lifecycle's, an inject to deliver, a card
        to draw (after close, none of them)."""
        for button, action in self.buttons.items():
            if action in TRIGGERS:
                button.enable() if self.console.can(action) else button.disable()
            elif action in ("inject_now", "draw_card"):
                button.enable() if self.tool_active(action) else button.disable()
            elif action.startswith("filter:"):
                button.select() if action == f"filter:{self.feed_filter}" else button.unselect()

    def tool_active(self, action: str) -> bool:
        """Whether a tool can do anything now: inject now needs a scheduled inject selected while
        the turn runs, draw a card a deck with cards left while it runs."""
        state = self.console.session.state
        if not state.startswith("running"):
            return False
        if action == "inject_now":
            inject = self.selected_inject()
            run = self.console.session.injects.get(inject) if inject else None
            return run is not None and run.state == "scheduled" and run.released_turn is None
        if action == "draw_card":
            return any(self.console.decks().values())
        return True

    def kill(self) -> None:
        for widget in self.widgets:
            widget.kill()
        self.widgets.clear()
        self.buttons.clear()

    # ----- input ------------------------------------------------------------------------
    def on_button(self, element: Any) -> str | None:
        return self.buttons.get(element)

    def on_click(self, pos: tuple[int, int]) -> bool:
        for index, (rect, _) in enumerate(self._rows):
            if rect.collidepoint(pos):
                self.selected = index
                return True
        return False

    def key_action(self, event: pygame.event.Event) -> str | None:
        keys = {pygame.K_s: "start", pygame.K_n: "advance", pygame.K_SPACE: "advance", pygame.K_p: "pause",
                pygame.K_r: "resume", pygame.K_e: "end_exercise", pygame.K_c: "close", pygame.K_i: "inject_now",
                pygame.K_d: "draw_card", pygame.K_UP: "up", pygame.K_DOWN: "down"}
        for number, name in enumerate(FEED_FILTERS, start=1):
            keys[getattr(pygame, f"K_{number}")] = f"filter:{name}"
        if len(self.console.session.scenario.counties) > 1:
            keys |= {pygame.K_LEFTBRACKET: "county:-1", pygame.K_RIGHTBRACKET: "county:1"}
        return keys.get(event.key)

    def cycle_county(self, step: int) -> None:
        """Show the next (or previous) county alone on the map, zoomed to it; past the last, the whole country."""
        order = [None] + [c.id for c in self.console.session.scenario.counties]
        self.show_county(order[(order.index(self.county) + step) % len(order)])

    def show_county(self, county: str | None) -> None:
        self.county = county
        self.map = MapView(self.console, MAP, county)
        self._stock_layer = gfx.Layer(STOCK)

    def selectable(self) -> list[str]:
        """Injects the facilitator can inject now (scheduled), in MSEL order."""
        return [ident for _, ident in self._rows]

    def selected_inject(self) -> str | None:
        rows = self.selectable()
        return rows[min(self.selected, len(rows) - 1)] if rows else None

    def move(self, step: int) -> None:
        count = len(self.selectable())
        if count:
            self.selected = (self.selected + step) % count

    # ----- drawing ----------------------------------------------------------------------
    def draw(self, target: pygame.Surface) -> None:
        """Each panel is a cached surface redrawn only when what it shows changes (the log
        grew, the language, view, selection or filter changed); the map has its own layers."""
        lang = self.app.lang
        seq = self.console.session.seq
        top_bar(target, self.console, lang, self.app.view)
        self.map.view = self.app.view
        lines = self._banner_lines(lang) if self.app.view == "eoc" else []
        self.map.reserved = [pygame.Rect(0, MAP.height - 18 - 24 * len(lines), MAP.width, 24 * len(lines) + 18)] \
            if lines else []
        self.map.draw(target, lang)
        if lines:
            self._eoc_banner(target, lines)
        self._stock_layer.draw(target, (seq, lang), lambda surface, rect: self._stock(surface, rect, lang))
        self._rows = self._msel_layer.draw(target, (seq, lang, self.selected),
                                           lambda surface, rect: self._msel(surface, rect, lang))
        if self.selected >= len(self._rows):
            self.selected = max(0, len(self._rows) - 1)
        done = self._feed_layer.draw(target, (seq, self.feed_filter, lang, self._feed_pass),
                                     lambda surface, rect: self._feed(surface, rect, lang))
        if not done:
            self._feed_pass += 1  # the rest of the new lines next frame

    def _banner_lines(self, lang: str) -> list[str]:
        key = (self.console.session.seq, lang)
        if self._banner[0] == key and gfx.caching():
            return self._banner[1]
        data = self.console.session.part_state("comms")
        known = (data or {}).get("known") if isinstance(data, dict) else None
        lines = []
        if isinstance(known, dict) and any(known.values()):
            for county in sorted(known):
                nodes = known[county] or {}
                oldest = min((n.get("as_of", 0) for n in nodes.values() if isinstance(n, dict)), default=0)
                lines.append(i18n.t("ui.eoc_known", lang, county=county_name(self.console.session, county, lang),
                                    nodes=len(nodes), oldest=oldest))
        else:
            lines = gfx.wrap(i18n.t("ui.eoc_same_as_truth", lang), 17, MAP.width - 24)
        self._banner = (key, lines)
        return lines

    def _eoc_banner(self, target: pygame.Surface, lines: list[str]) -> None:
        box = pygame.Rect(MAP.x + 6, MAP.bottom - 12 - 24 * len(lines), MAP.width - 12, 24 * len(lines) + 6)
        pygame.draw.rect(target, (70, 52, 20), box, border_radius=4)
        for i, line in enumerate(lines):
            gfx.blit(target, line, (box.x + 6, box.y + 2 + 24 * i), 17, gfx.TEXT, box.width - 12)

    def _stock(self, target: pygame.Surface, box: pygame.Rect, lang: str) -> None:
        session = self.console.session
        y = gfx.panel(target, box)
        if session.state in ("hotwash", "closed"):
            summary = i18n.t("ui.hotwash", lang, **self.console.hotwash())
            lines = gfx.wrap(summary, 18, box.width - 20)[:3]
            if session.state == "closed":  # the seal, for the facilitator to write into the minutes
                seal = session.last_hash
                lines = lines[:1] + [i18n.t("ui.seal", lang, seal=f"{seal[:32]}"), f"{seal[32:]}"]
            for i, line in enumerate(lines):
                tone = gfx.WARN if i == 0 else gfx.TEXT
                gfx.blit(target, line, (box.x + 10, y + i * 26), 18, tone, box.width - 20)
            return
        county = session.scenario.counties[0].id if len(session.scenario.counties) == 1 else self.county
        if county is None:
            self._national_stock(target, box, y, lang)
            return
        title = i18n.t("ui.supply_title", lang)
        if len(session.scenario.counties) > 1:
            title = i18n.t("ui.supply_title_county", lang, county=county_name(session, county, lang))
        gfx.blit(target, title, (box.x + 10, y - 4), 16, gfx.DIM)
        goods = {g.id: g for g in session.scenario.goods}
        cells = list(self.console.county_days(county).items())
        cw = (box.width - 20) // 3
        for i, (good, days) in enumerate(cells[:6]):
            colour = gfx.OK if days >= 14 else gfx.WARN if days >= 5 else gfx.BAD
            label = f"{i18n.pick(goods[good].name.model_dump(), lang)} {days:.0f}"
            gfx.blit(target, label, (box.x + 10 + (i % 3) * cw, y + 20 + (i // 3) * 26), 17, colour, cw - 8)

    def _national_stock(self, target: pygame.Surface, box: pygame.Rect, y: int, lang: str) -> None:
        """The whole country: each good's lowest days of supply and the county holding it; stations
        by state, aid requests and roads cut (named in the console's language, no raw counters)."""
        session = self.console.session
        goods = {g.id: g for g in session.scenario.goods}
        lowest: dict[str, tuple[float, str]] = {}
        for spec in session.scenario.counties:
            for good, days in self.console.county_days(spec.id).items():
                if good not in lowest or days < lowest[good][0]:
                    lowest[good] = (days, spec.id)
        gfx.blit(target, i18n.t("ui.supply_title_national", lang), (box.x + 10, y - 4), 16, gfx.DIM)
        cw = (box.width - 20) // 3
        for i, (good, (days, where)) in enumerate(list(lowest.items())[:6]):
            colour = gfx.OK if days >= 14 else gfx.WARN if days >= 5 else gfx.BAD
            name = i18n.pick(goods[good].name.model_dump(), lang).split("（")[0]  # 米（糙米） -> 米
            label = i18n.t("ui.supply_lowest", lang, good=name, days=f"{days:.0f}", county=county_name(session, where, lang))
            gfx.blit(target, label, (box.x + 10 + (i % 3) * cw, y + 16 + (i // 3) * 22), 15, colour, cw - 8)
        data = session.part_state("distribution")
        data = data if isinstance(data, dict) else {}
        states: dict[str, int] = {}
        for item in (data.get("stations") or {}).values():
            states[item["state"]] = states.get(item["state"], 0) + 1
        requests = ((data.get("aid") or {}).get("requests") or {}).values()
        line = i18n.t("ui.national_line", lang, open=states.get("open", 0), setting=states.get("setting_up", 0),
                      suspended=states.get("suspended", 0), aid=sum(1 for r in requests if r["state"] != "filled"),
                      filled=sum(1 for r in requests if r["state"] == "filled"), roads=len(data.get("closed_roads") or ()))
        gfx.blit(target, line, (box.x + 10, y + 62), 15, gfx.TEXT, box.width - 20)

    def _msel(self, target: pygame.Surface, box: pygame.Rect, lang: str) -> list[tuple[pygame.Rect, str]]:
        """Draw the MSEL panel (in the panel's own coordinates); returns the selectable rows
        (in window coordinates). The list stops above the deck line with "… N more" when cut."""
        session = self.console.session
        y = gfx.panel(target, box, i18n.t("ui.msel", lang))
        groups = self.console.msel_groups()
        rows: list[tuple[pygame.Rect, str]] = []
        colours = {"overdue": gfx.BAD, "delivered": gfx.WARN, "acknowledged": gfx.ACCENT, "upcoming": gfx.DIM, "done": gfx.OK}
        decks = self.console.decks()
        deck_y = box.bottom - 30
        bottom = (deck_y - 4) if decks else (box.bottom - 8)
        entries: list[tuple[str, str, Any]] = []
        for name in ("overdue", "delivered", "acknowledged", "upcoming", "done"):
            if groups[name]:
                entries.append(("head", name, len(groups[name])))
                entries += [("row", name, run) for run in groups[name]]
                entries.append(("gap", name, None))
        steps = {"head": 24, "row": ROW_H, "gap": 4}
        heights = {"head": 24, "row": ROW_H - 2, "gap": 0}   # what each entry covers below its y
        total = sum(1 for kind, _, _ in entries if kind == "row")
        at, lowest = y, y
        for kind, _, _ in entries:
            lowest, at = max(lowest, at + heights[kind]), at + steps[kind]
        if lowest > bottom:
            # Cut: keep room for the "… N more" line, and never leave a heading without a row.
            shown, used = [], y
            for entry in entries:
                if used + heights[entry[0]] > bottom - MORE_H:
                    break
                shown.append(entry)
                used += steps[entry[0]]
            while shown and shown[-1][0] in ("head", "gap"):
                shown.pop()
            entries = shown
        ids = [run.id for kind, _, run in entries if kind == "row"]
        id_w = max([52] + [min(130, gfx.text(i, 15).get_width() + 8) for i in ids])
        drawn = 0
        for kind, name, item in entries:
            if kind == "head":
                gfx.blit(target, f"{i18n.t(f'ui.msel_{name}', lang)}（{item}）" if lang == "zh_TW"
                         else f"{i18n.t(f'ui.msel_{name}', lang)} ({item})", (box.x + 10, y), 17, colours[name])
            elif kind == "row":
                run = item
                rect = pygame.Rect(box.x + 6, y, box.width - 12, ROW_H - 2)
                if run.state == "scheduled":
                    rows.append((rect.move(MSEL.topleft), run.id))
                    if len(rows) - 1 == self.selected:
                        pygame.draw.rect(target, (60, 80, 110), rect, border_radius=4)
                        pygame.draw.rect(target, gfx.ACCENT, rect, 1, border_radius=4)
                spec = session.inject_specs[run.id]
                when = (i18n.t("ui.msel_due", lang, turn=run.due_turn) if run.due_turn is not None else
                        i18n.t("ui.msel_card", lang) if getattr(spec, "deck", None) else i18n.t("ui.msel_triggered", lang))
                gfx.blit(target, when, (rect.x + 4, y + 1), 15, gfx.DIM, 38)
                gfx.blit(target, run.id, (rect.x + 44, y + 1), 15, gfx.DIM, id_w - 8)  # the id in grey: the title names it
                title = i18n.pick(spec.title.model_dump(), lang)
                gfx.blit(target, title, (rect.x + 44 + id_w, y), 16, gfx.TEXT, rect.width - 48 - id_w)
                drawn += 1
            y += steps[kind]
        if drawn < total:
            gfx.blit(target, i18n.t("ui.msel_more", lang, n=total - drawn), (box.x + 10, y), 16, gfx.DIM,
                     box.width - 20)
        if decks:
            line = "　".join(i18n.t("ui.msel_deck", lang, deck=i18n.pick(deck_name(session.scenario, d), lang), left=n)
                            for d, n in decks.items())
            gfx.blit(target, line, (box.x + 10, deck_y), 16, gfx.WARN, box.width - 20)
        return rows

    def _feed(self, target: pygame.Surface, box: pygame.Rect, lang: str) -> bool:
        """Draw the feed, newest first; True when every line is drawn. Lines never drawn before
        cost a font render each (~0.3 ms for CJK): past ``App.frame_budget`` seconds the older
        lines are left for the next frame, so an advance that adds twenty lines keeps the
        console responsive (the feed completes one frame, 1/30 s, later)."""
        gfx.panel(target, box, i18n.t("ui.feed", lang))
        budget = getattr(self.app, "frame_budget", None) if gfx.caching() else None
        start, fresh = time.perf_counter(), 0
        for line, colour, y in self._feed_layout(box, lang):
            if budget is not None and not gfx.has_text(line, 15, colour):
                if fresh and time.perf_counter() - start > budget:
                    return False
                fresh += 1
            gfx.blit(target, line, (box.x + 10, y), 15, colour)
        return True

    def _feed_layout(self, box: pygame.Rect, lang: str) -> list[tuple[str, tuple, int]]:
        out: list[tuple[str, tuple, int]] = []
        y = box.y + 74
        for record in self.console.feed(self.feed_filter, limit=60):
            for line, colour in self._record_lines(record, lang, box.width - 20):
                if y > box.bottom - 22:
                    return out
                out.append((line, colour, y))
                y += 20
            y += 3
        return out

    def _record_lines(self, record: dict[str, Any], lang: str, width: int) -> tuple[tuple[str, tuple], ...]:
        """A record's feed lines (at most 3, each fitted), cached: records never change once logged."""
        key = (record.get("seq"), record.get("hash"), lang, width)
        found = self._feed_lines.get(key) if gfx.caching() else None
        if not isinstance(found, tuple):
            colour = FEED_COLOURS[feed_category(record)]
            lines = gfx.wrap(f"T{record['turn']} " + describe(self.console.session, record, lang), 15, width, 3)
            found = tuple((gfx.fit(line, 15, width), colour) for line in lines[:3])
            if gfx.caching():
                self._feed_lines.put(key, found)
        return found


def selected_seat_label(console: Console, county: str, role: str, lang: str) -> str:
    return seat_name(console.session, county or None, role, lang)


__all__ = ["FacilitatorScreen", "top_bar", "inject_state"]
