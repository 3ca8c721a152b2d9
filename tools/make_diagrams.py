#!/usr/bin/env python3
"""Regenerate docs/diagrams/*.mmd (mermaid) from the state machines themselves.

Run after changing a machine: ``python tools/make_diagrams.py``. A test fails when
the committed diagrams are stale.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tabletop.api import all_diagrams  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "diagrams")


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    for name, text in all_diagrams().items():
        with open(os.path.join(OUT, f"{name}.mmd"), "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"docs/diagrams/{name}.mmd")
    return 0


if __name__ == "__main__":
    sys.exit(main())
