#!/usr/bin/env python3
"""Build the console's font: a subset of Noto Sans CJK TC Regular (SIL OFL 1.1).

Reproducible steps (needs the Debian package and fontTools, a tool-only dependency):

    apt-get install -y fonts-noto-cjk
    .venv/bin/pip install fonttools==4.62.1
    .venv/bin/python tools/make_font.py

pygame's font module cannot choose a face inside a .ttc, so the Traditional
Chinese face is taken out of the collection first, then cut down with pyftsubset
to the characters of ``tabletop.ui.charset.wanted_chars()``. Re-run it when a
translation table, a scenario or the Faker pin adds a character the test reports.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from fontTools import subset  # noqa: E402
from fontTools.ttLib import TTCollection  # noqa: E402

from tabletop.ui.charset import wanted_chars  # noqa: E402

TTC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FAMILY = "Noto Sans CJK TC"
OUT = os.path.join(os.path.dirname(HERE), "assets", "fonts", "NotoSansCJKtc-Regular-subset.otf")


def extract_tc(ttc_path: str, out_path: str) -> None:
    """Save the face whose family name is Noto Sans CJK TC as a stand-alone OpenType font."""
    for font in TTCollection(ttc_path).fonts:
        if font["name"].getDebugName(1) == FAMILY:
            font.save(out_path)
            return
    raise SystemExit(f"{ttc_path}: no face named {FAMILY!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ttc", default=TTC)
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    chars = sorted(wanted_chars())
    with tempfile.TemporaryDirectory() as tmp:
        face = os.path.join(tmp, "tc.otf")
        extract_tc(args.ttc, face)
        text = os.path.join(tmp, "chars.txt")
        with open(text, "w", encoding="utf-8") as handle:
            handle.write("".join(chars))
        subset.main([face, f"--text-file={text}", f"--output-file={args.out}", "--layout-features=*",
                     "--name-IDs=*", "--name-legacy", "--name-languages=*", "--no-hinting"])
    print(f"{args.out}: {len(chars)} characters, {os.path.getsize(args.out) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
