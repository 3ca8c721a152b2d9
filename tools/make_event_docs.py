#!/usr/bin/env python3
"""Regenerate the event table of docs/log-format.md from the event models (tabletop/*/events.py).

Run after adding or changing an event kind: ``python tools/make_event_docs.py``. A test fails
when the committed table is stale.
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tabletop import eventdoc, plugins  # noqa: E402
from tabletop.files import write_atomic  # noqa: E402

DOC = os.path.join(ROOT, "docs", "log-format.md")


def main() -> int:
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    write_atomic(DOC, eventdoc.replace_table(text, plugins.parts()).encode("utf-8"))
    print(f"{os.path.relpath(DOC, ROOT)}: {len(plugins.parts().events)} event kinds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
