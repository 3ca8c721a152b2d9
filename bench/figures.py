"""What the engine and replay benchmarks print: named figures, as a table or JSON lines."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass


@dataclass
class Figure:
    name: str
    value: float
    unit: str


def report(figures: list[Figure], as_json: bool, title: str, *notes: str) -> int:
    """One JSON line per figure, or a header (machine, load, ``title``) and an aligned table."""
    if as_json:
        for figure in figures:
            print(json.dumps({"name": figure.name, "value": round(figure.value, 3), "unit": figure.unit}))
        return 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"tabletop {title} benchmark: Python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load {load:.1f}; {notes[0] if notes else ''}")
    for note in notes[1:]:
        print(note)
    width = max(len(f.name) for f in figures)
    for figure in figures:
        value = f"{figure.value:,.0f}" if figure.value >= 100 else f"{figure.value:,.2f}"
        print(f"  {figure.name:<{width}}  {value:>14}  {figure.unit}")
    return 0
