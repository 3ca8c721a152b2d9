"""The console window: screens, events, keyboard shortcuts, the main loop, screenshots.

Every button and shortcut ends in :meth:`App.act`, which submits commands through
the :class:`~tabletop.ui.console.Console` (never touching the session directly).
Tests drive the app by posting pygame events and calling :meth:`App.step`.
"""

from __future__ import annotations

import time
from typing import Any

import pygame
import pygame_gui

from tabletop import i18n
from tabletop.ui import gfx
from tabletop.ui.console import FEED_FILTERS, Console
from tabletop.ui.facilitator import FacilitatorScreen
from tabletop.ui.joinsheet import RoomOverlay, online_badge
from tabletop.ui.login import LoginScreen
from tabletop.ui.trainee import TraineeScreen

HELP_KEYS = ("ui.help_start", "ui.help_advance", "ui.help_pause", "ui.help_end", "ui.help_msel", "ui.help_feed",
             "ui.help_view", "ui.help_refusals", "ui.help_roles", "ui.help_login", "ui.help_trainee", "ui.help_lang", "ui.help_window")
#: What a logged-in trainee may do (everything else is the facilitator's).
TRAINEE_ACTIONS = {"help", "lang", "logout", "console", "submit", "ack_first", "quit_denied", "fullscreen"}
TRAINEE_PREFIXES = ("ack:", "panel:", "cycle:")
#: Controls that cannot be undone (ending the orders phase only from the orders phase): asked first.
IRREVERSIBLE = ("advance", "end_exercise", "close")


class App:
    def __init__(self, console: Console, lang: str = i18n.DEFAULT_LANG, surface: pygame.Surface | None = None,
                 pin: str | None = None) -> None:
        pygame.display.init()
        pygame.font.init()
        self.console = console
        self.lang = lang
        self.view = "truth"
        self.help = False
        #: An irreversible control waiting for the facilitator's yes (Y / Enter) or no (N / Esc).
        self.confirm: str | None = None
        #: The list of refused commands (X): seat, turn, rule and reason, newest first.
        self.refusals = False
        self._refusals: tuple[int, list] = (-1, [])
        #: Seconds a frame may spend on text never drawn before (the feed finishes next frame);
        #: None draws everything at once (screenshots).
        self.frame_budget: float | None = 0.003
        self.running = True
        #: The facilitator's PIN: once a trainee has logged in, the console needs it.
        self.pin = pin or None
        #: A trainee has logged in (set by the login screen, cleared by the facilitator's unlock).
        self.guarded = False
        if surface is None:
            surface = open_window()
            pygame.display.set_caption(i18n.t("ui.window_title", lang))
        self.surface = surface
        relayout(*surface.get_size())
        self.manager = pygame_gui.UIManager(gfx.SIZE, gfx.theme(), enable_live_theme_updates=False)
        #: Served to browsers (--serve): the join sheet (J) and connected seats (O) overlays.
        self.room = RoomOverlay(console) if console.room is not None else None
        self.screen: Any = None
        with console.reading():
            seats = console.seats()
            self.seat = seats[0] if seats else ("", "central")
            self.show("facilitator")

    # ----- screens ----------------------------------------------------------------------
    def show(self, name: str) -> None:
        if self.screen is not None:
            self.screen.kill()
        self.screen_name = name
        if self.room is not None and name != "facilitator":
            self.room.which = None  # the join sheet holds every seat's key: the console's only
        if name == "facilitator":
            self.screen = FacilitatorScreen(self)
        elif name in ("login", "unlock"):
            self.screen = LoginScreen(self, name)
        else:
            self.screen = TraineeScreen(self, *self.seat, locked=self.guarded)
        self.screen.build(self.manager)

    @property
    def on_console(self) -> bool:
        return isinstance(self.screen, FacilitatorScreen)

    @property
    def on_trainee(self) -> bool:
        return isinstance(self.screen, TraineeScreen)

    @property
    def on_login(self) -> bool:
        return isinstance(self.screen, LoginScreen)

    # ----- actions ----------------------------------------------------------------------
    def act(self, action: str | None) -> None:
        if action is None:
            return
        if self.guarded and action not in TRAINEE_ACTIONS and not action.startswith(TRAINEE_PREFIXES) \
                and not self.on_login:
            return  # a logged-in trainee cannot reach the facilitator's controls
        console = self.console
        if action in ("confirm_yes", "confirm_no"):
            pending, self.confirm = self.confirm, None
            if action == "confirm_yes" and pending is not None and console.can(pending):
                console.control(pending)
        elif self.confirm is not None:
            pass  # the question is open: only yes or no
        elif self.on_login and self._login_action(action):
            pass
        elif action in IRREVERSIBLE and self.irreversible(action):
            if console.can(action):
                self.confirm = action  # asks first (drawn over the console)
        elif action in ("start", "advance", "pause", "resume", "end_exercise", "close"):
            if console.can(action):  # a control the lifecycle does not allow now does nothing (greyed)
                console.control(action)
        elif action == "inject_now" and self.on_console:
            inject = self.screen.selected_inject()
            if inject is not None and self.screen.tool_active("inject_now"):
                console.control("inject_now", inject=inject)
        elif action == "draw_card" and console.session.state.startswith("running"):
            deck = next((d for d, left in console.decks().items() if left), None)
            if deck is not None:
                console.control("draw_card", deck=deck)
        elif action == "view":
            self.view = "eoc" if self.view == "truth" else "truth"
        elif action == "help":
            self.help = not self.help
        elif action == "refusals" and self.on_console:
            self.refusals = not self.refusals
        elif action in ("sheet", "seats") and self.room is not None and self.on_console:
            self.room.toggle(action)
        elif action == "overlay_close" and self.room is not None:
            self.room.which = None
        elif action.startswith("page:") and self.room is not None and self.room.which:
            self.room.turn_page(int(action[5:]))
        elif action == "sheet_write" and self.room is not None and self.room.which == "sheet":
            self.room.write(self.lang)
        elif action == "lang":
            self.lang = "en" if self.lang == "zh_TW" else "zh_TW"
            self.show(self.screen_name)
        elif action == "trainee":
            self.show("trainee")
        elif action == "console":
            self.show("unlock" if self.guarded and self.pin else "facilitator")
            if self.on_console:
                self.guarded = False
        elif action == "login":
            self.show("login")
        elif action == "logout":
            self.show("login")
        elif action == "fullscreen":
            try:
                pygame.display.toggle_fullscreen()
            except pygame.error:
                pass  # not on this video driver (e.g. the headless one)
        elif action == "next_seat":
            seats = console.seats()
            self.seat = seats[(seats.index(self.seat) + 1) % len(seats)]
            self.show("trainee")
        elif action.startswith("seat:"):
            county, _, role = action[5:].partition(".")
            self.seat = (county, role)
            self.show("trainee")
        elif action.startswith("filter:") and self.on_console:
            self.screen.feed_filter = action[7:]
        elif action.startswith("county:") and self.on_console:
            self.screen.cycle_county(int(action[7:]))
        elif action in ("up", "down") and self.on_console:
            self.screen.move(-1 if action == "up" else 1)
        elif action.startswith("panel:") and self.on_trainee:
            self.screen.show_panel(action[6:])
        elif action.startswith("cycle:") and self.on_trainee:
            self.screen.cycle_panel(int(action[6:]))
        elif action.startswith("ack:") and not self.on_console:
            self.screen.acknowledge(action[4:])
        elif action == "ack_first" and self.on_trainee:
            inject = self.screen.first_open()
            if inject is not None:
                self.screen.acknowledge(inject)
        elif action == "submit" and self.on_trainee:
            self.screen.submit()
        elif action == "quit":
            self.running = False
        if self.on_console:
            self.screen.refresh()

    def irreversible(self, action: str) -> bool:
        """Whether ``action`` cannot be undone now: ending the orders phase (the turn is adjudicated),
        ending the exercise, closing the session."""
        if action == "advance":
            return self.console.session.state == "running_orders"
        return action in ("end_exercise", "close")

    def _login_action(self, action: str) -> bool:
        """Actions of the login / unlock screen; True when handled."""
        screen = self.screen
        if action == "do_login" and screen.mode == "login":
            self.seat = screen.chosen
            self.guarded = True
            self.show("trainee")
        elif action == "unlock" and screen.mode == "unlock":
            if screen.pin_ok():
                self.guarded = False
                self.show("facilitator")
            else:
                screen.problem = i18n.t("ui.pin_wrong", self.lang)
                screen.pin_entry.set_text("")
        elif action == "back" and screen.mode == "unlock":
            self.show("trainee" if self.guarded else "login")
        else:
            return False
        return True

    # ----- events -----------------------------------------------------------------------
    def resize(self, width: int, height: int) -> None:
        """The window changed size: every screen reflows to it (at least 1024×768) and its widgets
        are built again in place (the session, the open seat and overlays are kept)."""
        size = gfx.set_size(width, height)
        if pygame.display.get_surface() is self.surface or self.surface.get_size() != size:
            try:
                self.surface = pygame.display.set_mode(size, pygame.RESIZABLE)
            except pygame.error:
                self.surface = pygame.Surface(size)
        relayout(*size)
        self.manager.set_window_resolution(size)
        if self.room is not None:  # its layers are sized to the window: made again, still open
            which = self.room.which
            self.room = RoomOverlay(self.console)
            self.room.which = which
        self.show(self.screen_name)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type == pygame.VIDEORESIZE:
            if (event.w, event.h) != self.surface.get_size():
                self.resize(event.w, event.h)
            return
        consumed = self.manager.process_events(event)
        if event.type == pygame_gui.UI_SELECTION_LIST_DROPPED_SELECTION:
            _close_menu_of(event.ui_element)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            self.act(self.screen.on_button(event.ui_element))
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and not self.on_console:
            self.act(self.screen.on_dropdown(event.ui_element, event.text))
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and not consumed and self.on_console:
            self.screen.on_click(event.pos)
        elif event.type == pygame.KEYDOWN:
            self.act(self.key_action(event))

    def key_action(self, event: pygame.event.Event) -> str | None:
        ctrl = event.mod & pygame.KMOD_CTRL
        if ctrl and event.key == pygame.K_q:
            return "quit"
        if self.confirm is not None:  # the question first: yes, or no (Esc closes it, not the window)
            if event.key in (pygame.K_y, pygame.K_RETURN, pygame.K_KP_ENTER):
                return "confirm_yes"
            if event.key in (pygame.K_n, pygame.K_ESCAPE):
                return "confirm_no"
            return None
        if event.key == pygame.K_F11:
            return "fullscreen"
        if self.on_login:
            return self._login_key(event)
        if ctrl and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return "submit"
        if event.key == pygame.K_F2:
            return "console"
        if event.key == pygame.K_F3:
            return "logout" if self.guarded else "login"
        if event.key == pygame.K_F1:
            return "help"
        if not self.on_console and self.screen.typing():
            return None  # keys go to the text field
        if self.on_trainee and event.key in (pygame.K_LEFTBRACKET, pygame.K_RIGHTBRACKET):
            return "cycle:-1" if event.key == pygame.K_LEFTBRACKET else "cycle:1"
        if event.key in (pygame.K_h, pygame.K_F1):
            return "help"
        if event.key == pygame.K_ESCAPE:
            if self.help:
                return "help"
            if self.refusals:
                return "refusals"
            if self.room is not None and self.room.which:
                return "overlay_close"
            return None if self.on_console else "console"
        if event.key == pygame.K_l:
            return "lang"
        if event.key == pygame.K_x and self.on_console:
            return "refusals"
        if event.key == pygame.K_v:
            return "view"
        if event.key == pygame.K_F2:
            return "console"
        if event.key == pygame.K_t:
            return "trainee"
        if event.key == pygame.K_TAB:
            return "next_seat"
        if self.on_console and self.room is not None:
            found = self._room_key(event)
            if found is not None:
                return found
        if self.on_console:
            return self.screen.key_action(event)
        if event.key == pygame.K_a:
            return "ack_first"
        if event.key in (pygame.K_n, pygame.K_SPACE):
            return "advance"  # the facilitator may advance from a trainee seat too
        return None

    def _room_key(self, event: pygame.event.Event) -> str | None:
        """--serve: J join sheet, O connected seats; in either, ← → pages, W writes the sheet as PNG."""
        if self.room is None:
            raise RuntimeError("serve keys without a room")
        if event.key == pygame.K_j:
            return "sheet"
        if event.key == pygame.K_o:
            return "seats"
        if self.room.which:
            if event.key in (pygame.K_LEFT, pygame.K_PAGEUP):
                return "page:-1"
            if event.key in (pygame.K_RIGHT, pygame.K_PAGEDOWN):
                return "page:1"
            if event.key == pygame.K_w and self.room.which == "sheet":
                return "sheet_write"
        return None

    def _login_key(self, event: pygame.event.Event) -> str | None:
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return "do_login" if self.screen.mode == "login" else "unlock"
        if event.key in (pygame.K_ESCAPE, pygame.K_F2):
            return "console" if self.screen.mode == "login" else "back"
        if event.key == pygame.K_F1:
            return "help"
        if self.screen.typing():
            return None
        if event.key == pygame.K_l:
            return "lang"
        if event.key == pygame.K_h:
            return "help"
        return None

    # ----- frames -----------------------------------------------------------------------
    def step(self, dt: float = 1 / 30) -> None:
        with self.console.reading():  # served: the room's worker does not change the session meanwhile
            for event in pygame.event.get():
                self.handle(event)
            self.sync()
            self.manager.update(dt)

    def sync(self) -> None:
        sync = getattr(self.screen, "sync", None)
        if sync is not None:
            sync()

    def draw(self) -> None:
        with self.console.reading():
            self.surface.fill(gfx.BG)
            self.screen.draw(self.surface)
            self.manager.draw_ui(self.surface)
            if self.room is not None and self.on_console:
                online_badge(self.surface, self.console, self.lang, self.view)
                if self.room.which:
                    self.room.draw(self.surface, self.lang)
            if self.refusals and self.on_console:
                self._refusal_list()
            if self.help:
                self._help()
            if self.confirm is not None:
                self._confirm()

    def _confirm(self) -> None:
        """The question before an irreversible control: what it does, Y / Enter yes, N / Esc no."""
        shade = pygame.Surface(gfx.SIZE, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 190))
        self.surface.blit(shade, (0, 0))
        box = pygame.Rect(gfx.SIZE[0] // 2 - 330, gfx.SIZE[1] // 2 - 110, 660, 220)
        gfx.panel(self.surface, box, i18n.t("ui.confirm_title", self.lang))
        what = i18n.t(f"ui.confirm_{self.confirm}", self.lang)
        y = box.y + 56
        for line in gfx.wrap(what, 20, box.width - 48):
            gfx.blit(self.surface, line, (box.x + 24, y), 20, gfx.WARN, box.width - 48)
            y += 30
        gfx.blit(self.surface, i18n.t("ui.confirm_keys", self.lang), (box.x + 24, box.bottom - 44), 20, gfx.TEXT,
                 box.width - 48)

    def refusal_rows(self) -> list:
        """The refusals of the session so far (recomputed only when the log grew)."""
        from tabletop.replay.rejections import refusals

        records = self.console.records
        if self._refusals[0] != len(records):
            found, _ = refusals(records, self.console.session.scenario)
            self._refusals = (len(records), found)
        return self._refusals[1]

    def _refusal_list(self) -> None:
        """The facilitator's list of refused commands, newest first, as ``rejections LOG`` prints it."""
        shade = pygame.Surface(gfx.SIZE, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 170))
        self.surface.blit(shade, (0, 0))
        box = pygame.Rect(80, 60, gfx.SIZE[0] - 160, gfx.SIZE[1] - 120)
        found = self.refusal_rows()
        gfx.panel(self.surface, box, i18n.t("rejections.title", self.lang) + f"  ({len(found)})")
        if not found:
            gfx.blit(self.surface, i18n.t("rejections.none", self.lang), (box.x + 24, box.y + 56), 20, gfx.DIM)
            return
        names = {c.id: c.name.model_dump() for c in self.console.session.scenario.counties}
        y = box.y + 50
        width = box.width - 48
        for refusal in reversed(found):
            if y > box.bottom - 60:
                break
            head = i18n.t("ui.refusal_head", self.lang, turn=refusal.turn, seat=refusal.seat(self.lang, names),
                          command=refusal.command(self.lang), rule=refusal.rule)
            gfx.blit(self.surface, head, (box.x + 24, y), 18, gfx.WARN, width)
            y += 26
            for line in gfx.wrap(refusal.reason(self.lang), 17, width - 20, limit=2):
                gfx.blit(self.surface, line, (box.x + 44, y), 17, gfx.TEXT, width - 20)
                y += 24
            y += 8
        gfx.blit(self.surface, i18n.t("ui.refusal_more", self.lang), (box.x + 24, box.bottom - 36), 16, gfx.DIM, width)

    def _help(self) -> None:
        shade = pygame.Surface(gfx.SIZE, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 170))
        self.surface.blit(shade, (0, 0))
        box = pygame.Rect(160, 80, 960, 640)
        gfx.panel(self.surface, box, i18n.t("ui.help_title", self.lang))
        keys = HELP_KEYS + (("ui.help_room",) if self.room is not None else ())
        for i, key in enumerate(keys):
            gfx.blit(self.surface, i18n.t(key, self.lang), (box.x + 30, box.y + 56 + i * 38), 22, gfx.TEXT, box.width - 60)
        gfx.blit(self.surface, i18n.t("ui.help_close", self.lang), (box.x + 30, box.bottom - 40), 18, gfx.DIM)

    def screenshot(self, path: str) -> None:
        with self.console.reading():
            self.sync()
            self.manager.update(0.01)
            budget, self.frame_budget = self.frame_budget, None
            self.draw()
            self.frame_budget = budget
        pygame.image.save(self.surface, path)

    def run(self) -> None:
        clock = pygame.time.Clock()
        while self.running:
            self.step(clock.tick(30) / 1000)
            self.draw()
            pygame.display.flip()
        self.console.close()


def _close_menu_of(options: Any) -> None:
    """Clicking the option a drop-down already shows un-selects it in pygame_gui's list and
    leaves the list open; close it instead, keeping the option, as a person expects."""
    menu = getattr(options, "parent_element", None)
    state = getattr(menu, "current_state", None)
    if (state is not None and isinstance(menu, pygame_gui.elements.UIDropDownMenu)
            and getattr(state, "options_selection_list", None) is options):
        state.should_transition = True


def open_window(size: tuple[int, int] | None = None) -> pygame.Surface:
    """The console window, 1280×800 to start, resizable: the layout reflows to the window
    (``App.resize``), 1024×768 at the least, so a projector or a maximised window gets wider
    panels rather than a stretched picture. F11 toggles full screen."""
    import warnings

    size = gfx.set_size(*(size or gfx.DEFAULT_SIZE))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no fast renderer available" on the dummy driver
        return pygame.display.set_mode(size, pygame.RESIZABLE)


def relayout(width: int, height: int) -> None:
    """Every screen's layout for a window of this size."""
    from tabletop.ui import facilitator, login, trainee

    gfx.set_size(width, height)
    for module in (facilitator, login, trainee):
        module.relayout(*gfx.SIZE)


def first_frame_seconds(console: Console, lang: str = i18n.DEFAULT_LANG) -> float:
    start = time.perf_counter()
    app = App(console, lang)
    app.step()
    app.draw()
    return time.perf_counter() - start


__all__ = ["App", "FEED_FILTERS"]
