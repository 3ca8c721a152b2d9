#!/usr/bin/env python3
"""Bring in the shipped fonts: the complete Noto Sans CJK TC Regular (SIL OFL 1.1) and DejaVu Sans.

Reproducible steps (needs Debian's packages and fontTools, a dependency of tabletop):

    apt-get install -y fonts-noto-cjk fonts-dejavu-core
    .venv/bin/python tools/make_font.py

pygame's font module cannot choose a face inside a .ttc, so the Traditional Chinese face
is taken out of the collection and saved, unchanged and complete, as one OpenType file
(about 16 MB). DejaVu Sans is copied as it is: the fallback for what Noto lacks
(``tabletop.fonts.CHAIN``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from fontTools.ttLib import TTCollection

HERE = os.path.dirname(os.path.abspath(__file__))
FONTS = os.path.join(os.path.dirname(HERE), "assets", "fonts")
TTC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FAMILY = "Noto Sans CJK TC"


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
    parser.add_argument("--dejavu", default=DEJAVU)
    parser.add_argument("--out", default=FONTS, help="folder (default assets/fonts)")
    args = parser.parse_args()
    otf = os.path.join(args.out, "NotoSansCJKtc-Regular.otf")
    extract_tc(args.ttc, otf)
    shutil.copyfile(args.dejavu, os.path.join(args.out, "DejaVuSans.ttf"))
    print(f"{otf}: {os.path.getsize(otf) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
