#!/usr/bin/env python3
"""Regenerate the screenshots in docs/img/ from the default scenario (headless, SDL dummy driver).

Each picture is one ``run_exercise.py --screenshot`` call, so the docs show exactly what the
console draws. Run after changing a screen: ``.venv/bin/python tools/make_screenshots.py``.
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
}


def main() -> int:
    os.makedirs(IMG, exist_ok=True)
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    for name, (turn, screen, lang) in SHOTS.items():
        command = [sys.executable, os.path.join(ROOT, "run_exercise.py"), "--lang", lang, "--screenshot",
                   os.path.join(IMG, name), "--at", str(turn), "--screen", screen]
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{name}: failed\n{done.stderr}", file=sys.stderr)
            return done.returncode
        print(f"{name}: turn {turn}, {screen}, {lang}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
