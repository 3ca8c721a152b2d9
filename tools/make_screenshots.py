#!/usr/bin/env python3
"""Regenerate the screenshots in docs/img/ from the default scenario (headless, SDL dummy driver).

Each picture is one ``run_exercise.py --screenshot`` call, so the docs show exactly what the
console draws. Run after changing a screen: ``.venv/bin/python tools/make_screenshots.py``.
The AAR's evaluator and room sections (``aar-*.png``) come from the Yilan playthrough's report,
photographed in Debian's Chromium (``--aar``: only those); the national console's map at 1920x1080 and
1280x800 comes from the generated national scenario (``--national``: only those).
"""

from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMG = os.path.join(ROOT, "docs", "img")

#: file name -> (turn, screen, language)
SHOTS = {
    "console-zh.png": (3, "facilitator", "zh_TW"),
    "console-en.png": (3, "facilitator", "en"),
    "console-t6-zh.png": (6, "facilitator", "zh_TW"),
    "eoc-zh.png": (5, "eoc", "zh_TW"),
    "help-zh.png": (2, "help", "zh_TW"),
    "login-zh.png": (2, "login", "zh_TW"),
    "trainee-zh.png": (5, "trainee:hualien.supply", "zh_TW"),
    "trainee-civil-zh.png": (5, "trainee:hualien.civil_affairs", "zh_TW"),
    "trainee-mobilization-zh.png": (7, "trainee:hualien.mobilization", "zh_TW"),
    "hotwash-zh.png": (13, "facilitator", "zh_TW"),
    "closed-seal-zh.png": (14, "facilitator", "zh_TW"),
    "rejections-zh.png": (9, "rejections", "zh_TW"),
}
#: Console pictures of another scenario: file name -> (scenario, turn, screen, language).
OTHER = {
    "console-countdown-zh.png": ("scenarios/yilan/scenario.yaml", 2, "facilitator", "zh_TW"),
}
#: The generated national scenario (tools/generate_national.py, full): file name -> (turn, screen, window size).
NATIONAL = {
    "national-1920x1080-zh.png": (6, "facilitator", "1920x1080"),
    "national-1280x800-zh.png": (5, "facilitator", "1280x800"),
    "national-taitung-1920x1080-zh.png": (10, "facilitator:taitung", "1920x1080"),
    "national-penghu-1280x800-zh.png": (7, "facilitator:penghu", "1280x800"),
}
#: AAR sections of the Yilan playthrough: file name -> the heading text the picture starts at.
AAR = {
    "aar-evaluators-zh.png": "七之一",
    "aar-room-zh.png": "七之二",
}


def aar_shots() -> int:
    """Play the Yilan scenario, write its report and photograph two sections of it."""
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        run = [sys.executable, os.path.join(ROOT, "run_exercise.py")]
        for args in (["run", "scenarios/yilan/scenario.yaml", "--headless", "--actions", "scenarios/yilan/actions.yaml",
                      "--log", os.path.join(tmp, "yilan.jsonl")],
                     ["report", os.path.join(tmp, "yilan.jsonl"), "--out", os.path.join(tmp, "report")]):
            done = subprocess.run(run + args, cwd=ROOT, capture_output=True, text=True)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return done.returncode
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
            page = browser.new_page(viewport={"width": 1100, "height": 1300})
            page.goto("file://" + os.path.join(tmp, "report", "index.html"))
            for name, heading in AAR.items():
                page.locator("h2", has_text=heading).first.evaluate("e => e.scrollIntoView()")
                page.evaluate("document.fonts.ready")
                page.screenshot(path=os.path.join(IMG, name))
                print(f"{name}: the report from {heading}")
            browser.close()
    return 0


def national_shots(env: dict[str, str]) -> int:
    """The national console: generate the full national scenario, photograph the map at projector sizes."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "national")
        done = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "generate_national.py"), folder], cwd=ROOT,
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        for name, (turn, screen, size) in NATIONAL.items():
            command = [sys.executable, os.path.join(ROOT, "run_exercise.py"), "--scenario", os.path.join(folder, "scenario.yaml"),
                       "--screenshot", os.path.join(IMG, name), "--at", str(turn), "--screen", screen, "--size", size]
            done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{name}: failed\n{done.stderr}", file=sys.stderr)
                return done.returncode
            print(f"{name}: national, turn {turn}, {screen}, {size}")
    return 0


def main() -> int:
    os.makedirs(IMG, exist_ok=True)
    if "--aar" in sys.argv[1:]:
        return aar_shots()
    if "--national" in sys.argv[1:]:
        return national_shots(dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy"))
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    shots = {name: (None, *spec) for name, spec in SHOTS.items()} | OTHER
    for name, (scenario, turn, screen, lang) in shots.items():
        command = [sys.executable, os.path.join(ROOT, "run_exercise.py"), "--lang", lang, "--screenshot",
                   os.path.join(IMG, name), "--at", str(turn), "--screen", screen]
        if scenario is not None:
            command += ["--scenario", os.path.join(ROOT, scenario)]
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{name}: failed\n{done.stderr}", file=sys.stderr)
            return done.returncode
        print(f"{name}: turn {turn}, {screen}, {lang}")
    return national_shots(env) or aar_shots()


if __name__ == "__main__":
    sys.exit(main())
