"""The HTML report opens in headless Chromium with no console errors, and a screenshot shows the
integrity stamp and the charts.

Needs Debian's chromium (/usr/bin/chromium) and a CJK font (fonts-noto-cjk); CI does not
install them, so the test skips without them: ``tools/check_report.sh`` installs both and
runs it. The screenshot is kept as ``out/report-screenshot.png`` for a reviewer to look at.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib

import pytest
from sc_logkit import ROOT

from tabletop.runner import run
from tabletop.scoring import logview, report

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="headless Chromium not installed (/usr/bin/chromium); run tools/check_report.sh")


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and raw RGB(A) rows of an 8-bit non-interlaced PNG (enough for Chromium's screenshots)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, width = 8, b"", 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i:i + 3]) for r in rows for i in range(0, stride, channels)]


def colour_count(pixels: list[bytes], rgb: str, tolerance: int = 24) -> int:
    want = bytes.fromhex(rgb.lstrip("#"))
    return sum(1 for p in pixels if all(abs(p[i] - want[i]) <= tolerance for i in range(3)))


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
    width, height, pixels = decode_png(shot.read_bytes())
    assert (width, height) == (1100, 2100)
    # The integrity stamp at the top of the first page: the "verified" box (its background colour).
    top = pixels[:width * 400]
    assert colour_count(top, "#e8f6f0", tolerance=2) > 20_000
    # The timeline's markers: delivered (blue), acknowledged (orange), done (green), missed (red).
    for colour in ("#0072B2", "#E69F00", "#009E73", "#D55E00"):
        assert colour_count(pixels, colour) > 30, colour
    os.makedirs(os.path.join(ROOT, "out"), exist_ok=True)
    shutil.copyfile(shot, os.path.join(ROOT, "out", "report-screenshot.png"))
