#!/usr/bin/env python3
"""Console frame time, with the console's caches and against an uncached baseline in the same run.

For the default scenario and, where it exists, the generated 22-county one:

- launch to first frame: a fresh interpreter imports, loads the scenario, opens the session,
  the window and the widgets and draws one frame (measured from outside, as a user would);
- first frame in process (window, fonts, widgets, first draw);
- steady frames (nothing changed: mean and p95);
- the frame right after the log grew by a facilitator command that changes nothing on the map
  (pause + resume) and after each ``advance`` (the turn's phases: stations, stocks, alerts and
  the feed change), mean and p95.

The baseline is the same frames with ``gfx.caching(False)``: every frame a full uncached redraw
(text rendered, panels and map drawn from scratch). Each figure is printed for both, with the
ratio baseline / cached. ``--json`` prints one {"name","value","unit"} line per figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tabletop.ui.console import Console  # noqa: E402

DEFAULT = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")


def scenarios(folder: str) -> list[tuple[str, object, str]]:
    """(name, loaded scenario, its file): the default one, and the generated 22-county one
    written to ``folder`` (so a launch loads it from a file, as a user would)."""
    from tabletop.api import load_scenario_file

    out = [("hualien", load_scenario_file(DEFAULT), DEFAULT)]
    try:
        from tabletop.scenario import national  # type: ignore[attr-defined]

        path, _ = national.write(folder)
        loaded = load_scenario_file(path)
    except Exception as err:  # noqa: BLE001  the generator is someone else's work in progress
        print(f"national scenario unavailable: {err}", file=sys.stderr)
        return out
    if loaded.ok:
        out.append((f"national{len(loaded.scenario.counties)}", loaded, path))
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def frame(app, cpu: list[float]) -> float:
    """One frame's wall time (s); its CPU time (s) is appended to ``cpu``."""
    import pygame

    t0, c0 = time.perf_counter(), time.process_time()
    app.step()
    app.draw()
    pygame.display.flip()
    cpu.append(time.process_time() - c0)
    return time.perf_counter() - t0


def measure(loaded, frames: int, cached: bool) -> dict[str, float]:
    """Frame times (ms) for one scenario, with or without the console's caches: wall time, and
    ``cpu.*`` the process's CPU time for the same frames (steadier on a loaded machine)."""
    import pygame

    from tabletop.ui import gfx
    from tabletop.ui.app import App

    gfx.caching(cached)
    gfx.clear_caches()
    with tempfile.TemporaryDirectory() as tmp:
        console = Console.start(loaded, 1, os.path.join(tmp, "bench.jsonl"))
        start = time.perf_counter()
        app = App(console)
        app.step()
        app.draw()
        pygame.display.flip()
        first = time.perf_counter() - start
        for kind in ("start", "advance", "advance"):
            console.control(kind)
        frame(app, [])
        cpu_steady, cpu_control, cpu_advance = [], [], []
        steady = [frame(app, cpu_steady) for _ in range(frames)]
        # The log grew but nothing on the map changed (the panels and the feed did).
        control = []
        for _ in range(min(frames, 20)):
            console.control("pause")
            console.control("resume")
            control.append(frame(app, cpu_control))
        # Each advance runs a phase: stations, stocks, alerts, MSEL and feed change.
        advance = []
        for _ in range(min(frames, 24)):
            if not console.can("advance"):
                break
            console.control("advance")
            advance.append(frame(app, cpu_advance))
        console.close()
    gfx.caching(True)
    out = {"first_frame": first * 1000.0}
    for prefix, (a, b, c) in (("", (steady, control, advance)), ("cpu.", (cpu_steady, cpu_control, cpu_advance))):
        out.update({f"{prefix}frame_mean": statistics.mean(a) * 1000.0, f"{prefix}frame_p95": p95(a) * 1000.0,
                    f"{prefix}after_change_mean": statistics.mean(b) * 1000.0, f"{prefix}after_change_p95": p95(b) * 1000.0,
                    f"{prefix}after_advance_mean": statistics.mean(c) * 1000.0, f"{prefix}after_advance_p95": p95(c) * 1000.0})
    return out


def warm_up(loaded) -> None:
    """Open and draw the console once, so that the in-process first frame of the cached and the
    baseline runs both start warm (the cold start is what ``launch`` measures)."""
    measure(loaded, 1, True)


def launch(path: str, cached: bool) -> float:
    """Wall time (ms) from starting a fresh interpreter to its first frame drawn."""
    args = [sys.executable, os.path.abspath(__file__), "--child", path] + ([] if cached else ["--no-cache"])
    t0 = time.perf_counter()
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
        for line in child.stdout:
            if line.startswith("first-frame"):
                elapsed = time.perf_counter() - t0
                break
        else:
            raise RuntimeError("the child drew no frame")
        child.wait()
    return elapsed * 1000.0


def child(path: str, cached: bool) -> int:
    """What ``launch`` times: import, load the scenario file, open the session and the window,
    draw one frame, say so."""
    import pygame

    from tabletop.api import load_scenario_file
    from tabletop.ui import gfx
    from tabletop.ui.app import App

    gfx.caching(cached)
    loaded = load_scenario_file(path)
    with tempfile.TemporaryDirectory() as tmp:
        console = Console.start(loaded, 1, os.path.join(tmp, "bench.jsonl"))
        app = App(console)
        app.step()
        app.draw()
        pygame.display.flip()
        print("first-frame", flush=True)
        console.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure; the median is printed")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, not args.no_cache)
    rows: list[tuple[str, float, str]] = []
    if not args.json:
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; median of {args.repeat} run(s); "
              "baseline = gfx.caching(False), a full uncached redraw of the same frames")
        print(f"{'figure':36} {'cached':>9} {'baseline':>9} {'ratio':>7}")
    folder = tempfile.mkdtemp(prefix="bench_ui")
    for name, loaded, path in scenarios(folder):
        runs = {True: [], False: []}
        warm_up(loaded)
        for _ in range(args.repeat):
            for cached in (True, False):
                figures = measure(loaded, args.frames, cached)
                figures["launch_to_first_frame"] = launch(path, cached)
                runs[cached].append(figures)
        for figure in runs[True][0]:
            fast = statistics.median(r[figure] for r in runs[True])
            slow = statistics.median(r[figure] for r in runs[False])
            rows += [(f"{name}.{figure}", fast, "ms"), (f"{name}.{figure}.baseline", slow, "ms"),
                     (f"{name}.{figure}.ratio", slow / fast if fast else 0.0, "x")]
            if not args.json:
                print(f"{name + '.' + figure:36} {fast:9.2f} {slow:9.2f} {slow / fast if fast else 0:6.1f}x")
    shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        for name, value, unit in rows:
            print(json.dumps({"name": name, "value": round(value, 3), "unit": unit}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
