"""The replay viewer: a read-only pygame window over a :class:`~tabletop.replay.timeline.Replay`.

Every input ends in :meth:`Viewer.act` (tests call it directly), which only moves the
position, changes what is shown, or writes the notes sidecar; nothing here can submit a
command to the reviewed session. Drawing is in :mod:`.panels`; the map is the console's
:class:`~tabletop.ui.mapview.MapView`, fed through a read-only console whose session is the
replayed one.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pygame

from tabletop import i18n
from tabletop.ui.replay import panels
from tabletop.replay.marks import MARKS
from tabletop.replay.notes import Notes
from tabletop.scoring.at_seq import WHOLE_LOG, ScoreKeeper
from tabletop.ui import gfx
from tabletop.ui.console import Console
from tabletop.ui.mapview import MapView

SPEEDS = panels.SPEEDS  # records per second while playing
FILTERS = ("county", "role", "kind")


class Viewer:
    def __init__(self, replay: Any, seq: int = 0, lang: str = i18n.DEFAULT_LANG,
                 surface: pygame.Surface | None = None) -> None:
        pygame.display.init()
        pygame.font.init()
        self.replay = replay
        self.lang = lang
        self.seq = max(0, min(seq, replay.count - 1))
        self.playing = False
        self.speed = 3
        self.view = "truth"  # or "eoc:<county>"
        self.filters = {name: "" for name in FILTERS}
        self.help = False
        self.running = True
        self.message = ""
        self.scores = ScoreKeeper(replay)
        self.notes = Notes(replay.path, replay.header["hash"])
        self._carry = 0.0
        self._score: tuple[int, Any] | None = None
        self._worker: _Scorer | None = None
        self.score_pending = False
        self.forked: str | None = None
        #: Compute the score before drawing (headless screenshots); else long logs score in a thread.
        self.wait = surface is not None
        self._choices = {name: [""] + replay.index.distinct(name) for name in FILTERS}
        self.counties = [c.id for c in replay.scenario.counties]
        if surface is None:
            surface = pygame.display.set_mode(gfx.SIZE)
            pygame.display.set_caption(i18n.t("replay.window_title", lang, log=os.path.basename(replay.path)))
        self.surface = surface
        self.session = replay.session_at(self.seq)
        self.console = Console(self.session, None, [], lang)  # read-only: only MapView reads it
        self.map = MapView(self.console, panels.MAP)
        self.buttons: list[tuple[pygame.Rect, str]] = []
        self.dragging = False

    # ----- position ---------------------------------------------------------------------
    def goto(self, seq: int) -> None:
        self.seq = max(0, min(int(seq), self.replay.count - 1))
        # Let go of the session shown while seeking: a cold seek frees the one in hand before it
        # restores (else two national states are alive at once, and the first is freed only after).
        self.session = self.console.session = None  # type: ignore[assignment]
        self.session = self.console.session = self.replay.session_at(self.seq)

    def jump(self, mark: str, forward: bool = True) -> bool:
        """Go to the next (or previous) record of a kind: inject, rejection, alert, rating, note."""
        if mark == "note":
            target = self.notes.next_seq(self.seq, forward)
        elif mark == "rating" and forward:
            target, looked = self.scores.next_change(self.seq)
            if target is None and looked is not None and looked > self.seq:
                self.goto(looked)
                self.message = i18n.t("replay.no_rating_change_yet", self.lang, turn=self.session.turn)
                return False
        else:
            if mark == "rating" and self.replay.count <= WHOLE_LOG:
                self.scores.rating_marks()
            target = self.replay.index.next_mark(mark, self.seq, forward)
        if target is None or target >= self.replay.count:
            self.message = i18n.t("replay.no_more", self.lang, mark=i18n.t(f"replay.mark.{mark}", self.lang))
            return False
        self.goto(target)
        return True

    # ----- actions ----------------------------------------------------------------------
    def act(self, action: str | None) -> None:
        if action is None:
            return
        self.message = ""
        index = self.replay.index
        if action == "play":
            self.playing = not self.playing
            if self.seq >= self.replay.count - 1:
                self.goto(0)
        elif action in ("step+", "step-"):
            self.playing = False
            self.goto(self.seq + (1 if action == "step+" else -1))
        elif action in ("turn+", "turn-"):
            turn = self.session.turn + (1 if action == "turn+" else -1)
            target = index.turn_end(max(0, turn))
            if target is not None:
                self.goto(target)
        elif action == "home":
            self.goto(0)
        elif action == "end":
            self.goto(self.replay.count - 1)
        elif action in ("faster", "slower"):
            self.speed = max(0, min(len(SPEEDS) - 1, self.speed + (1 if action == "faster" else -1)))
        elif action.startswith("next:") or action.startswith("prev:"):
            self.playing = False
            self.jump(action[5:], action.startswith("next:"))
        elif action == "view":
            views = ["truth"] + [f"eoc:{c}" for c in self.counties]
            self.view = views[(views.index(self.view) + 1) % len(views)]
        elif action.startswith("filter:"):
            name = action[7:]
            choices = self._choices[name]
            self.filters[name] = choices[(choices.index(self.filters[name]) + 1) % len(choices)]
        elif action == "clear_filters":
            self.filters = {name: "" for name in FILTERS}
        elif action == "bookmark":
            self._note("")
        elif action.startswith("note:"):
            self._note(action[5:])
        elif action == "fork":
            self.fork()
        elif action == "lang":
            self.lang = "en" if self.lang == "zh_TW" else "zh_TW"
        elif action == "help":
            self.help = not self.help
        elif action == "quit":
            self.running = False

    def _note(self, text: str) -> None:
        if self.notes.problem:
            self.message = self.notes.problem
            return
        self.notes.add(self.seq, text, record=self.replay.record(self.seq))
        self.message = i18n.t("replay.note_saved", self.lang, seq=self.seq, path=os.path.basename(self.notes.path))

    def fork(self) -> str | None:
        """Fork a what-if session here (a new log beside this one); returns its path."""
        from tabletop.replay.fork import ForkError, default_path, fork

        try:
            made = fork(self.replay, self.seq, default_path(self.replay.path, self.seq))
        except ForkError as err:
            self.message = str(err)
            return None
        self.forked = made.path
        self.message = i18n.t("replay.forked_short", self.lang, path=os.path.basename(made.path))
        if not self.wait:
            self.running = False  # in a window: hand over to the console on the fork (see run_window)
        return made.path

    # ----- what the panels read ----------------------------------------------------------
    def score(self) -> Any:
        """The score so far. On a long log it is computed in a worker thread (the panel shows the
        last result as pending meanwhile); ``wait`` (screenshots) computes it here."""
        if self._score is not None and (self._score[0] == self.seq or self.playing):
            return self._score[1]
        if self.replay.count <= WHOLE_LOG or self.wait:
            self._score = (self.seq, self.scores.at(self.seq))
            return self._score[1]
        cached = self.replay.index.score(self.seq)
        if cached is not None:
            self._score = (self.seq, cached)
            return cached
        worker = self._worker
        if worker is not None and not worker.is_alive():
            self._worker = None
            if worker.result is not None:
                self.replay.index.put_score(*worker.result)
                if worker.result[0] == self.seq:
                    self._score = worker.result
                    return worker.result[1]
        if self._worker is None:
            self._worker = _Scorer(self.scores, self.seq)
            self._worker.start()
        self.score_pending = True
        return None if self._score is None else self._score[1]

    def event_seqs(self, limit: int) -> list[int]:
        f = self.filters
        return self.replay.index.events(self.seq, limit, f["county"], f["role"], f["kind"])

    # ----- events and frames -------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.KEYDOWN:
            action = key_action(event)
            if action == "quit" and event.key == pygame.K_ESCAPE and self.help:
                action = "help"  # Esc closes the overlay before the window
            self.act(action)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if panels.SLIDER.collidepoint(event.pos):
                self.dragging = True
                self.goto(panels.slider_seq(event.pos[0], self.replay.count))
                return
            for rect, action in self.buttons:
                if rect.collidepoint(event.pos):
                    self.act(action)
                    return
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self.dragging = False
        elif event.type == pygame.MOUSEMOTION and self.dragging:
            self.goto(panels.slider_seq(event.pos[0], self.replay.count))

    def tick(self, dt: float) -> None:
        if not self.playing:
            return
        self._carry += dt * SPEEDS[self.speed]
        steps = int(self._carry)
        if steps:
            self._carry -= steps
            target = min(self.seq + steps, self.replay.count - 1)
            self.goto(target)
            if target >= self.replay.count - 1:
                self.playing = False

    def draw(self) -> None:
        self.buttons = panels.draw(self.surface, self)
        if self.help:
            panels.help_overlay(self.surface, self.lang)

    def screenshot(self, path: str) -> None:
        self.draw()
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        pygame.image.save(self.surface, path)

    def run(self) -> None:
        clock = pygame.time.Clock()
        while self.running:
            dt = clock.tick(30) / 1000
            for event in pygame.event.get():
                self.handle(event)
            self.tick(dt)
            self.draw()
            pygame.display.flip()


class _Scorer(threading.Thread):
    """Scores the log up to one record off the UI thread (the index is written by the UI thread)."""

    def __init__(self, keeper: ScoreKeeper, seq: int) -> None:
        super().__init__(daemon=True)
        self.keeper, self.seq = keeper, seq
        self.result: tuple[int, Any] | None = None

    def run(self) -> None:
        self.result = (self.seq, self.keeper.compute(self.seq))


def key_action(event: pygame.event.Event) -> str | None:
    shift = bool(event.mod & pygame.KMOD_SHIFT)
    jumps = {pygame.K_i: "inject", pygame.K_r: "rejection", pygame.K_a: "alert", pygame.K_g: "rating", pygame.K_b: "note"}
    if event.key in jumps:
        return ("prev:" if shift else "next:") + jumps[event.key]
    keys = {pygame.K_SPACE: "play", pygame.K_RIGHT: "step+", pygame.K_LEFT: "step-", pygame.K_PAGEDOWN: "turn+",
            pygame.K_PAGEUP: "turn-", pygame.K_HOME: "home", pygame.K_END: "end", pygame.K_EQUALS: "faster",
            pygame.K_PLUS: "faster", pygame.K_KP_PLUS: "faster", pygame.K_MINUS: "slower", pygame.K_KP_MINUS: "slower",
            pygame.K_v: "view", pygame.K_c: "filter:county", pygame.K_o: "filter:role", pygame.K_k: "filter:kind",
            pygame.K_x: "clear_filters", pygame.K_m: "bookmark", pygame.K_f: "fork", pygame.K_l: "lang",
            pygame.K_h: "help", pygame.K_F1: "help", pygame.K_q: "quit", pygame.K_ESCAPE: "quit"}
    if shift and event.key == pygame.K_RIGHT:
        return "turn+"
    if shift and event.key == pygame.K_LEFT:
        return "turn-"
    return keys.get(event.key)


def screenshot(replay: Any, seq: int, path: str, lang: str, view: str = "truth", filters: dict[str, str] | None = None) -> None:
    """Render the viewer's frame at ``seq`` headless to ``path`` (PNG)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    viewer = Viewer(replay, seq, lang, surface=pygame.Surface(gfx.SIZE))
    viewer.view = view
    viewer.filters.update(filters or {})
    viewer.screenshot(path)


def run_window(replay: Any, seq: int, lang: str) -> int:
    """The viewer in a window; after a fork (F) the console opens on the new session to play on."""
    viewer = Viewer(replay, seq, lang)
    viewer.run()
    forked = viewer.forked
    if not forked:
        return 0
    print(i18n.t("replay.forked", lang, path=forked, records="-", seq=viewer.seq, parent=os.path.basename(replay.path)))
    from tabletop.ui.console import Console
    from tabletop.ui.main import run_window as console_window

    return console_window(Console.resume(forked, lang), lang)


__all__ = ["Viewer", "screenshot", "run_window", "MARKS"]
