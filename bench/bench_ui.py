#!/usr/bin/env python3
"""Console frame time: first frame (window, fonts, widgets, first draw) and the mean / p95
of full redraws (map, panels, widgets) on the default scenario and, where it exists, the
generated 22-county scenario. ``--json`` prints one {"name","value","unit"} line per figure."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tabletop.ui.console import Console  # noqa: E402

DEFAULT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios", "hualien", "scenario.yaml")


def scenarios() -> list[tuple[str, object]]:
    from tabletop.scenario.validate import load_scenario_file

    out = [("hualien", load_scenario_file(DEFAULT))]
    try:
        from tabletop.scenario import national  # type: ignore[attr-defined]
    except ImportError:
        return out
    from tabletop.scenario.validate import load_scenario_text

    try:
        loaded = load_scenario_text(national.scenario_yaml(), "national.yaml")
    except Exception as err:  # noqa: BLE001  the generator is someone else's work in progress
        print(f"national scenario unavailable: {err}", file=sys.stderr)
        return out
    if loaded.ok:
        out.append((f"national{len(loaded.scenario.counties)}", loaded))
    return out


def measure(name: str, loaded, frames: int) -> list[tuple[str, float, str]]:
    import pygame

    from tabletop.ui.app import App

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
        times = []
        for _ in range(frames):
            t0 = time.perf_counter()
            app.step()
            app.draw()
            pygame.display.flip()
            times.append(time.perf_counter() - t0)
        # Worst case: the log grew, so the map and panels are rebuilt.
        changed = []
        for _ in range(min(frames, 20)):
            console.control("pause")
            console.control("resume")
            t0 = time.perf_counter()
            app.step()
            app.draw()
            changed.append(time.perf_counter() - t0)
        console.close()
    times.sort()
    return [(f"{name}.first_frame", first * 1000, "ms"),
            (f"{name}.frame_mean", statistics.mean(times) * 1000, "ms"),
            (f"{name}.frame_p95", times[int(len(times) * 0.95) - 1] * 1000, "ms"),
            (f"{name}.frame_after_change_mean", statistics.mean(changed) * 1000, "ms")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for name, loaded in scenarios():
        rows += measure(name, loaded, args.frames)
    for name, value, unit in rows:
        print(json.dumps({"name": name, "value": round(value, 3), "unit": unit}) if args.json
              else f"{name:34} {value:9.2f} {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
