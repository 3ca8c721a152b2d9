#!/usr/bin/env python3
"""Regenerate the reference documentation from the code: docs/commands.md (every command kind),
the field tables of docs/scenario-format.md and the effect list of docs/injects.md.

Run after changing a command, an argument, a scenario model or an effect:
``python tools/make_reference.py``. A test (tests/test_reference.py) fails when a committed
file is stale.
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tabletop.reference import documents  # noqa: E402


def main() -> int:
    for rel, text in documents().items():
        with open(os.path.join(ROOT, rel), "w", encoding="utf-8") as handle:
            handle.write(text)
        print(rel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
