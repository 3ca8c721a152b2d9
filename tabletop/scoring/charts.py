"""Hand-made inline SVG charts for the report.

Why not matplotlib: the report must open with no network and show Traditional Chinese.
SVG text left as text is drawn by the browser with the page's CJK font stack, so no
font file has to be embedded or found at render time (matplotlib would turn text into
paths with whatever font it finds, or print boxes), the output is byte-identical run to
run (no embedded dates or random ids), and rendering takes milliseconds with no extra
dependency. The charts are simple (lines, markers, bands); this module is the whole cost.
"""

from __future__ import annotations

import unicodedata
from html import escape
from typing import Iterable, Sequence

#: Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
GOOD, BAD, MUTED, INK, GRID = "#009E73", "#D55E00", "#8a8a8a", "#222222", "#e3e3e3"


def _svg(width: int, height: int, body: Iterable[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(title)}" class="chart">'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start", color: str = INK,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{color}" '
            f'font-weight="{weight}">{escape(text)}</text>')


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wide(char: str) -> bool:
    return ord(char) >= 0x1100 and unicodedata.east_asian_width(char) in ("W", "F")


def _clip_width(text: str, units: int) -> str:
    """Cut ``text`` to ``units`` half-widths (a CJK character counts two), ending in … when cut."""
    used = sum(2 if _wide(c) else 1 for c in text)
    if used <= units:
        return text
    out, used = "", 0
    for char in text:
        step = 2 if _wide(char) else 1
        if used + step > units - 1:
            break
        out, used = out + char, used + step
    return out + "…"


def _label(x: float, y: float, text: str, units: int, size: int = 12) -> str:
    """A row label cut to fit; the whole label (and its id, for a named one) as its tooltip."""
    ident = getattr(text, "ident", None)
    tip = f"{text} ({ident})" if ident and ident != str(text) else str(text)
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="start" fill="{INK}" '
            f'font-weight="normal"><title>{escape(tip)}</title>{escape(_clip_width(str(text), units))}</text>')


def line_chart(title: str, series: Sequence[tuple[str, Sequence[tuple[float, float]]]], x_label: str,
               y_max: float, y_format: str = "{:.0f}", width: int = 900, height: int = 320,
               x_max: float | None = None) -> str:
    """Lines over turns. ``series``: (label, [(x, y)]); y from 0 to ``y_max``."""
    left, right, top, bottom = 64, 190, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [x for _, points in series for x, _ in points] or [0, 1]
    x_lo, x_hi = min(xs), max(max(xs), x_max or 0, min(xs) + 1)
    y_max = y_max if y_max > 0 else 1

    def px(x: float) -> float:
        return left + (x - x_lo) / (x_hi - x_lo) * plot_w

    def py(y: float) -> float:
        return top + plot_h - min(max(y, 0), y_max) / y_max * plot_h

    body = []  # the visible title is the report's heading; <title> keeps it for screen readers
    for step in range(5):
        y = y_max * step / 4
        body.append(f'<line x1="{left}" y1="{py(y):.1f}" x2="{left + plot_w}" y2="{py(y):.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 8, py(y) + 4, y_format.format(y), 11, "end", MUTED))
    ticks = _ticks(x_lo, x_hi)
    for x in ticks:
        body.append(f'<line x1="{px(x):.1f}" y1="{top + plot_h}" x2="{px(x):.1f}" y2="{top + plot_h + 5}" stroke="{MUTED}"/>')
        body.append(_text(px(x), top + plot_h + 18, f"{x:g}", 11, "middle", MUTED))
    body.append(_text(left + plot_w / 2, height - 6, x_label, 12, "middle", MUTED))
    body.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{MUTED}"/>')
    for index, (label, points) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        path = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y) in enumerate(points))
        dash = ' stroke-dasharray="6 4"' if index % 2 else ""
        body.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2.5"{dash}/>')
        ly = top + 14 + index * 20
        body.append(f'<line x1="{left + plot_w + 14}" y1="{ly - 4}" x2="{left + plot_w + 40}" y2="{ly - 4}" '
                    f'stroke="{color}" stroke-width="3"{dash}/>')
        body.append(_text(left + plot_w + 46, ly, _clip(label, 16), 12))
    return _svg(width, height, body, title)


def _ticks(lo: float, hi: float) -> list[float]:
    span = hi - lo
    step = 1 if span <= 16 else 2 if span <= 32 else 5 if span <= 80 else 10 if span <= 160 else max(1, round(span / 12))
    first = int(lo) if lo == int(lo) else int(lo) + 1
    return [float(x) for x in range(first, int(hi) + 1) if (x - first) % step == 0]


def timeline(title: str, rows: list[dict], turns: int, phases: list[tuple[str, int, int]],
             turn_label: str, width: int = 960) -> str:
    """Injects by row over turns: delivery ●, acknowledgement ◆, expected actions ✓ / ✗ / → (censored).

    ``rows``: {label, delivered, ack, marks: [(turn, "met" | "missed" | "censored")]}; a label that
    is a ``Named`` (the inject's title) has its id in its tooltip (the marks' legend is the
    report's note under the chart).
    """
    left, right, top, row_h = 250, 20, 30, 24
    height = top + row_h * max(1, len(rows)) + 40
    turns = max(turns, 1)
    col = (width - left - right) / turns

    def x_at(turn: float, offset: float) -> float:
        return left + (turn - 1 + offset) * col

    body = []
    for index, (label, first, last) in enumerate(phases):
        fill = "#f3f6fb" if index % 2 == 0 else "#fbf6ef"
        body.append(f'<rect x="{x_at(first, 0):.1f}" y="{top - 18}" width="{(last - first + 1) * col:.1f}" '
                    f'height="{row_h * max(1, len(rows)) + 18}" fill="{fill}"/>')
        body.append(_text(x_at(first, 0) + 4, top - 5, _clip(label, int((last - first + 1) * col / 12) + 1), 11, color=MUTED))
    for turn in range(1, turns + 2):
        body.append(f'<line x1="{x_at(turn, 0):.1f}" y1="{top}" x2="{x_at(turn, 0):.1f}" '
                    f'y2="{top + row_h * max(1, len(rows))}" stroke="{GRID}"/>')
        if turn <= turns:
            body.append(_text(x_at(turn, 0.5), top + row_h * max(1, len(rows)) + 16, str(turn), 11, "middle", MUTED))
    body.append(_text(left + (width - left - right) / 2, height - 6, turn_label, 12, "middle", MUTED))
    for index, row in enumerate(rows):
        y = top + row_h * index + row_h / 2
        if index % 2:
            body.append(f'<rect x="0" y="{y - row_h / 2:.1f}" width="{left - 6}" height="{row_h}" fill="#f7f7f7"/>')
        body.append(_label(8, y + 4, row["label"], int((left - 16) / 6.5)))
        ends = [row["delivered"]] + [t for t, _ in row["marks"]] + ([row["ack"]] if row["ack"] else [])
        body.append(f'<line x1="{x_at(row["delivered"], 0.2):.1f}" y1="{y:.1f}" x2="{x_at(max(ends), 0.75):.1f}" '
                    f'y2="{y:.1f}" stroke="{MUTED}" stroke-width="1.5"/>')
        body.append(f'<circle cx="{x_at(row["delivered"], 0.2):.1f}" cy="{y:.1f}" r="5" fill="#0072B2"/>')
        if row["ack"]:
            cx = x_at(row["ack"], 0.45)
            body.append(f'<path d="M{cx:.1f},{y - 6:.1f} L{cx + 6:.1f},{y:.1f} L{cx:.1f},{y + 6:.1f} '
                        f'L{cx - 6:.1f},{y:.1f} Z" fill="#E69F00"/>')
        for turn, status in row["marks"]:
            cx = x_at(turn, 0.75)
            if status == "met":
                body.append(f'<path d="M{cx - 5:.1f},{y:.1f} L{cx - 1:.1f},{y + 5:.1f} L{cx + 6:.1f},{y - 6:.1f}" '
                            f'fill="none" stroke="{GOOD}" stroke-width="3"/>')
            elif status == "missed":
                body.append(f'<path d="M{cx - 5:.1f},{y - 5:.1f} L{cx + 5:.1f},{y + 5:.1f} M{cx - 5:.1f},{y + 5:.1f} '
                            f'L{cx + 5:.1f},{y - 5:.1f}" stroke="{BAD}" stroke-width="3"/>')
            else:
                body.append(f'<path d="M{cx - 6:.1f},{y:.1f} L{cx + 4:.1f},{y:.1f} M{cx:.1f},{y - 4:.1f} '
                            f'L{cx + 5:.1f},{y:.1f} L{cx:.1f},{y + 4:.1f}" fill="none" stroke="{MUTED}" stroke-width="2.5"/>')
    return _svg(width, height, body, title)


def status_bands(title: str, rows: Sequence[tuple[str, Sequence[tuple[int, bool]]]], turns: int, turn_label: str,
                 up_label: str, down_label: str, width: int = 900) -> str:
    """One row per link: each turn green (a channel works) or red (none works). The label column
    widens (up to 320 px) for long link names; longer ones are cut, whole in their tooltip."""
    widest = max((sum(2 if _wide(c) else 1 for c in str(label)) for label, _ in rows), default=0)
    left, right, top, row_h = min(320, max(200, int(widest * 6) + 20)), 20, 50, 22
    height = top + row_h * max(1, len(rows)) + 40
    col = (width - left - right) / max(turns, 1)
    body = [f'<rect x="{left}" y="30" width="12" height="12" fill="{GOOD}"/>', _text(left + 16, 40, up_label, 11),
            f'<rect x="{left + 90}" y="30" width="12" height="12" fill="{BAD}"/>', _text(left + 106, 40, down_label, 11)]
    for index, (label, cells) in enumerate(rows):
        y = top + row_h * index
        body.append(_label(8, y + 15, label, int((left - 16) / 6.5)))
        for turn, ok in cells:
            body.append(f'<rect x="{left + (turn - 1) * col:.1f}" y="{y + 2}" width="{col - 1:.1f}" height="{row_h - 4}" '
                        f'fill="{GOOD if ok else BAD}"/>')
    for turn in range(1, turns + 1):
        body.append(_text(left + (turn - 0.5) * col, top + row_h * max(1, len(rows)) + 16, str(turn), 11, "middle", MUTED))
    body.append(_text(left + (width - left - right) / 2, height - 6, turn_label, 12, "middle", MUTED))
    return _svg(width, height, body, title)


def grouped_bars(title: str, groups: list[tuple[str, list[tuple[float | None, bool]]]], series: list[str],
                 limits: list[tuple[float, float, float]], y_label: str, width: int = 900, height: int = 300) -> str:
    """Bars per group (a phase), one per series (a measure), with each series' P / S / M limits
    drawn as ticks beside its bar. A value ``None`` is drawn as a hatched stub; a censored median
    (``not reached``: the flag) as a bar to the top with an open end."""
    left, right, top, bottom = 64, 190, 16, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, bars in groups for v, _ in bars if v is not None] + [m for limit in limits for m in limit]
    y_max = max(values + [1.0]) * 1.15

    def py(y: float) -> float:
        return top + plot_h - min(max(y, 0), y_max) / y_max * plot_h

    body = []
    for step in range(5):
        y = y_max * step / 4
        body.append(f'<line x1="{left}" y1="{py(y):.1f}" x2="{left + plot_w}" y2="{py(y):.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 8, py(y) + 4, f"{y:.0f}", 11, "end", MUTED))
    body.append(_text(14, top + plot_h / 2, y_label, 11, "middle", MUTED))
    slot = plot_w / max(len(groups), 1)
    bar = min(36.0, slot / (len(series) + 1))
    for gi, (label, bars) in enumerate(groups):
        x0 = left + gi * slot + (slot - bar * len(series)) / 2
        for si, (value, open_end) in enumerate(bars):
            color = PALETTE[si % len(PALETTE)]
            x = x0 + si * bar
            if value is None and not open_end:
                body.append(f'<rect x="{x + 2:.1f}" y="{py(0) - 3:.1f}" width="{bar - 4:.1f}" height="3" fill="{MUTED}"/>')
                continue
            shown = y_max if open_end else float(value or 0)
            faint = ' fill-opacity="0.35"' if open_end else ""
            body.append(f'<rect x="{x + 2:.1f}" y="{py(shown):.1f}" width="{bar - 4:.1f}" height="{py(0) - py(shown):.1f}" '
                        f'fill="{color}"{faint}/>')
            body.append(_text(x + bar / 2, py(shown) - 4, ">" if open_end else f"{value:.0f}", 10, "middle", INK))
            for mark, limit in zip("PSM", limits[si], strict=True):
                body.append(f'<line x1="{x + 1:.1f}" y1="{py(limit):.1f}" x2="{x + bar - 1:.1f}" y2="{py(limit):.1f}" '
                            f'stroke="{INK}" stroke-dasharray="2 2"><title>{mark} {limit:g}</title></line>')
        body.append(_label(left + gi * slot + 4, top + plot_h + 18, label, max(int(slot / 7), 4), 11))
    body.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{MUTED}"/>')
    for si, name in enumerate(series):
        ly = top + 14 + si * 20
        body.append(f'<rect x="{left + plot_w + 14}" y="{ly - 10}" width="22" height="10" fill="{PALETTE[si % len(PALETTE)]}"/>')
        body.append(_text(left + plot_w + 42, ly, _clip(name, 16), 12))
    return _svg(width, height, body, title)
