"""The HTML report opens in headless Chromium with no console errors, and a screenshot shows the
integrity stamp and the charts.

Needs Debian's chromium (/usr/bin/chromium) and a CJK font (fonts-noto-cjk); CI does not
install them, so the test skips without them: ``tools/check_report.sh`` installs both and
runs it. The screenshot is kept as ``out/report-screenshot.png`` for a reviewer to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from sc_logkit import ROOT

from tabletop.runner import run
from tabletop.scoring import logview, report

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0"]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="headless Chromium not installed (/usr/bin/chromium); run tools/check_report.sh")]


def colour_count(surface, rgb: str, tolerance: int = 24, rows: int | None = None) -> int:
    """Pixels within ``tolerance`` of ``rgb`` (per channel), in the top ``rows`` rows if given.
    pygame decodes the PNG and counts in C (the console's own dependency)."""
    import pygame

    if rows is not None:
        surface = surface.subsurface((0, 0, surface.get_width(), rows))
    want = pygame.Color(rgb)
    mask = pygame.mask.from_threshold(surface, want, (tolerance + 1, tolerance + 1, tolerance + 1, 255))
    return mask.count()


def test_report_opens_in_chromium_without_console_errors_and_shows_charts(tmp_path, default_scenario, default_actions):
    log = str(tmp_path / "prompt.jsonl")
    run(default_scenario, 1, default_actions, log)
    report.write(logview.load(log, verify=True), str(tmp_path / "report"), "zh_TW")
    page = tmp_path / "report" / "index.html"
    shot = tmp_path / "shot.png"
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1100,2100",
                           f"--screenshot={shot}", f"file://{page}"],
                          capture_output=True, text=True, timeout=120)
    assert shot.exists(), done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    import pygame

    pixels = pygame.image.load(str(shot))
    assert pixels.get_size() == (1100, 2100)
    # The integrity stamp at the top of the first page: the "verified" box (its background colour).
    assert colour_count(pixels, "#e8f6f0", tolerance=2, rows=400) > 20_000
    # The timeline's markers: delivered (blue), acknowledged (orange), done (green), missed (red).
    for colour in ("#0072B2", "#E69F00", "#009E73", "#D55E00"):
        assert colour_count(pixels, colour) > 30, colour
    os.makedirs(os.path.join(ROOT, "out"), exist_ok=True)
    shutil.copyfile(shot, os.path.join(ROOT, "out", "report-screenshot.png"))
