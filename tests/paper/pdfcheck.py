"""Looking at a PDF as poppler-utils sees it: pages, text per page, fonts, and pages as pixels."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

CHROMIUM = "/usr/bin/chromium"
HAVE_TOOLS = os.path.exists(CHROMIUM) and all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "pdfinfo", "pdffonts"))
WHY = "needs Debian's chromium and poppler-utils (.ci/run installs both with apt)"


def info(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def pages(path) -> int:
    return int(info(path)["Pages"].strip())


def page_text(path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def squeezed(text: str) -> str:
    """Text with every space and line break removed (a title may wrap on the card)."""
    return re.sub(r"\s+", "", text)


def fonts(path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def ink(path, folder, dpi: int = 20) -> list[float]:
    """Per page, the share of pixels that are not near white (pdftoppm's greyscale PGM, read here)."""
    prefix = os.path.join(str(folder), "page")
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(path), prefix], check=True)
    shares = []
    for name in sorted(n for n in os.listdir(folder) if n.startswith("page") and n.endswith(".pgm")):
        data = open(os.path.join(folder, name), "rb").read()
        magic, width, height, _, pixels = data.split(maxsplit=4)
        assert magic == b"P5"
        pixels = pixels[: int(width) * int(height)]
        shares.append(sum(1 for value in pixels if value < 200) / len(pixels))
    return shares


def lines(path, page: int) -> tuple[float, list[tuple[str, float, float]]]:
    """The page's height and its text lines as (text without spaces, top, bottom), in points from the top."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))
    found = []
    for top, bottom, body in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>',
                                        out, re.S):
        words = re.findall(r"<word[^>]*>(.*?)</word>", body, re.S)
        found.append((squeezed("".join(words)), float(top), float(bottom)))
    return height, found
