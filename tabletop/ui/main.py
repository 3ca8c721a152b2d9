"""Entry points used by ``cli.cmd_default``: open the console, or render one frame to a PNG."""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

from tabletop import i18n

OUT = "out"


def free_log_path(scenario_id: str, seed: int) -> str:
    """A new log file under out/ that never overwrites an earlier session's log."""
    base = os.path.join(OUT, f"{scenario_id}-seed{seed}-console")
    path, n = base + ".jsonl", 1
    while os.path.exists(path):
        n += 1
        path = f"{base}-{n}.jsonl"
    return path


def open_console(scenario_path: str | None, log: str | None, resume: str | None, seed: int, lang: str,
                 pick: bool = False) -> Any:
    """The Console for a new session (scenario file) or a resumed one (log file)."""
    from tabletop.api import load_scenario_file, scenario_of
    from tabletop.ui.console import Console

    if pick:
        from tabletop.ui.picker import pick_file

        chosen = pick_file(lang)
        if chosen is None:
            return None
        if chosen.endswith(".jsonl"):
            resume = chosen
        else:
            scenario_path = chosen
    if resume:
        console = Console.resume(resume, lang)
        print(i18n.t("ui.resumed", lang, records=len(console.records)))
        return console
    if scenario_path is None:
        raise ValueError("a console needs a scenario file or a log to resume")
    loaded = load_scenario_file(scenario_path)
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    if not loaded.ok:
        return None
    path = log or free_log_path(scenario_of(loaded).scenario.id, seed)
    console = Console.start(loaded, seed, path, lang)
    print(i18n.t("ui.started", lang, path=path))
    return console


def run_window(console: Any, lang: str, pin: str | None = None) -> int:
    import signal

    from tabletop.ui.app import App

    # Ctrl+C in the terminal asks the window to close after its frame, never raises mid-way
    # (an interrupt inside pygame_gui's threaded resource loading would leave its worker
    # threads waiting forever). Every accepted command is on disk already.
    app: list[Any] = []
    stop = {"asked": False}

    def ask_to_stop(_signum: int, _frame: Any) -> None:
        stop["asked"] = True
        if app:
            app[0].running = False

    previous = signal.signal(signal.SIGINT, ask_to_stop)
    try:
        app.append(App(console, lang, pin=pin))
        if not stop["asked"]:
            app[0].run()
    finally:
        signal.signal(signal.SIGINT, previous)
        console.close()  # served: stops the session server too
    print(i18n.t("ui.console_closed", lang, path=console.writer.path, records=console.writer.count or len(console.records)))
    if console.session.state == "closed":
        print(i18n.t("ui.console_closed_seal", lang, seal=console.session.last_hash))
    return 0


def serve_window(args: Any) -> int:
    """``--serve``: open the room (a new session or ``--resume LOG``), serve it to the seats'
    browsers, and run the console as its projector and the facilitator's controls."""
    from tabletop.ui.app import App  # noqa: F401  (loaded before the room opens: the seats' links work at once)
    from tabletop.ui.served import ServeFailed, open_served

    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    dummy = os.environ.get("SDL_VIDEODRIVER") == "dummy"  # an invisible window (tests, CI)
    if getattr(args, "ui_headless", False) or not (display or dummy):
        print(i18n.t("ui.serve_needs_window", args.lang), file=sys.stderr)
        return 2
    scenario, resume = args.ui_scenario, args.ui_resume
    if args.ui_pick:  # a scenario (new session) or a room's log (resume)
        from tabletop.ui.picker import pick_file

        chosen = pick_file(args.lang)
        if chosen is None:
            return 2
        scenario, resume = (None, chosen) if chosen.endswith(".jsonl") else (chosen, None)
    try:
        console = open_served(scenario, args.ui_log, resume, args.ui_seed, args.lang, args.ui_host,
                              args.ui_port, args.ui_seats_out, args.ui_pin)
    except ServeFailed as err:
        print(err, file=sys.stderr)
        return 2
    return run_window(console, args.lang, args.ui_pin)


def play_to(console: Any, actions: list, at: int) -> None:
    """Play the scripted run up to turn ``at``'s orders phase, that turn's actions issued (0: setup)."""
    from tabletop.runner import plan

    session = console.session
    if at <= 0:
        return
    for command in plan(actions, min(at, session.clock.turns), session.clock.turns, session.scenario):
        if (session.turn == at and session.state == "running_orders" and command.role == "facilitator"
                and command.kind == "advance"):
            break
        console.submit(command)
        # A scripted frame counts the phase clock down from its own last stamp (the same every time).
        console.fixed_now = command.wall


def screenshot(scenario_path: str, path: str, at: int, screen: str, seed: int, lang: str, log: str | None = None,
               size: tuple[int, int] | None = None) -> int:
    """Render one frame of ``screen`` (facilitator, facilitator:COUNTY, help, eoc, login, trainee:COUNTY.ROLE) at
    turn ``at``; save it as PNG."""
    from tabletop.scenario.actions import load_actions
    from tabletop.scenario.validate import resolve_ref
    from tabletop.api import load_scenario_file, scenario_of
    from tabletop.ui.console import Console

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    loaded = load_scenario_file(scenario_path)
    if not loaded.ok:
        for problem in loaded.problems:
            print(problem.text(lang), file=sys.stderr)
        return 2
    actions: list = []
    defaults = scenario_of(loaded).scenario.default_actions
    if defaults:
        actions, problems = load_actions(resolve_ref(scenario_path, defaults))
        if problems:
            actions = []
    refused = screen_problem(loaded.scenario, screen, at, lang)
    if refused is not None:
        print(refused, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        console = Console.start(loaded, seed, log or os.path.join(tmp, "screenshot.jsonl"), lang)
        play_to(console, actions, at)
        render(console, path, screen, lang, size)
        console.close()
    print(i18n.t("ui.screenshot_saved", lang, path=path))
    return 0


#: What ``--screen`` names (besides ``trainee:COUNTY.ROLE``).
SCREENS = ("facilitator", "eoc", "help", "login", "rejections", "trainee")


def screen_problem(scenario: Any, screen: str, at: int, lang: str) -> str | None:
    """Why ``--screen`` / ``--at`` cannot be drawn (a message in ``lang``), or None: a screen or
    seat that does not exist, a turn outside the exercise."""
    from tabletop.core.roles import GLOBAL_ROLES
    from tabletop.scenario.locate import nearest

    name, _, seat = screen.partition(":")
    if name not in SCREENS or (seat and name not in ("trainee", "facilitator")):
        near = nearest(name, list(SCREENS))
        return i18n.t("ui.bad_screen", lang, screen=screen, screens=", ".join(SCREENS) + ", trainee:COUNTY.ROLE, facilitator:COUNTY",
                      near=i18n.t("ui.near", lang, near=near) if near else "")
    if seat and name == "facilitator":  # the console with its map filtered to one county
        counties = [c.id for c in scenario.counties]
        if seat not in counties:
            near = nearest(seat, counties)
            return i18n.t("ui.bad_seat", lang, seat=seat, near=i18n.t("ui.near", lang, near=near) if near else "",
                          seats=", ".join(counties))
    elif seat:
        seats = [f"{c.id}.{role}" for c in scenario.counties for role in c.roles] + list(GLOBAL_ROLES)
        if seat not in seats:
            near = nearest(seat, seats)
            return i18n.t("ui.bad_seat", lang, seat=seat, near=i18n.t("ui.near", lang, near=near) if near else "",
                          seats=", ".join(seats))
    if not 0 <= at <= scenario.clock.turns + 2:  # past the last turn: the whole script (hotwash, close)
        return i18n.t("ui.bad_at", lang, at=at, turns=scenario.clock.turns, end=scenario.clock.turns + 2)
    return None


def render(console: Any, path: str, screen: str, lang: str, size: tuple[int, int] | None = None) -> Any:

    from tabletop.ui.app import App

    app = App(console, lang)
    if size is not None:
        app.resize(*size)  # the layout reflows to this window (1024x768 at the least)
    if screen.startswith("trainee"):
        _, _, seat = screen.partition(":")
        county, _, role = seat.partition(".")
        if role:
            app.seat = (county, role)
        elif seat:  # a seat of no county: central, the evaluators
            app.seat = ("", seat)
        app.show("trainee")
    elif screen == "login":
        app.show("login")
    elif screen.startswith("facilitator:"):
        app.screen.show_county(screen.partition(":")[2] or None)  # the map's county filter (zoomed to it)
    app.help = screen == "help"
    app.refusals = screen == "rejections"
    app.view = "eoc" if screen == "eoc" else "truth"
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    app.screenshot(path)
    return app
