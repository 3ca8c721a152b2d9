"""Inline SVG charts for the balance report: grouped histograms and grouped horizontal bars.

Hand-made like the AAR's charts (tabletop/scoring/charts.py, which says why): text stays
text, so the browser draws Traditional Chinese with the page's fonts and the file is
byte-identical run to run, with no network and no plotting dependency.
"""

from __future__ import annotations

from html import escape

#: Okabe-Ito, as the AAR uses: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
INK, MUTED, GRID = "#222222", "#8a8a8a", "#e3e3e3"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def _t(x: float, y: float, text: str, size: int = 11, anchor: str = "start", color: str = INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{color}">'
            f"{escape(text)}</text>")


def _legend(names: list[str], x: float, y: float) -> list[str]:
    out = []
    for index, name in enumerate(names):
        out.append(f'<rect x="{x}" y="{y + index * 18 - 9}" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>')
        out.append(_t(x + 18, y + index * 18 + 2, name, 12))
    return out


def histogram(title: str, series: list[tuple[str, list[float]]], lo: float, hi: float, bins: int,
              x_label: str, y_label: str, width: int = 900, height: int = 300) -> str:
    """Counts of each series' values in ``bins`` equal bins from ``lo`` to ``hi``, side by side."""
    left, right, top, bottom = 56, 170, 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    step = (hi - lo) / bins if hi > lo else 1.0
    counts = []
    for _, values in series:
        row = [0] * bins
        for v in values:
            row[min(bins - 1, max(0, int((v - lo) / step)))] += 1
        counts.append(row)
    peak = max((c for row in counts for c in row), default=0) or 1
    body = []
    for k in range(5):
        y = top + plot_h - plot_h * k / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_t(left - 6, y + 4, f"{peak * k / 4:.0f}", 10, "end", MUTED))
    slot = plot_w / bins
    bar = slot * 0.85 / max(1, len(series))
    for b in range(bins + 1):
        if b % max(1, bins // 10) == 0:
            body.append(_t(left + b * slot, top + plot_h + 16, f"{lo + b * step:g}", 10, "middle", MUTED))
    for s, row in enumerate(counts):
        color = PALETTE[s % len(PALETTE)]
        for b, c in enumerate(row):
            if c:
                h = plot_h * c / peak
                body.append(f'<rect x="{left + b * slot + slot * 0.075 + s * bar:.1f}" y="{top + plot_h - h:.1f}" '
                            f'width="{bar:.1f}" height="{h:.1f}" fill="{color}"><title>{escape(series[s][0])}: '
                            f'{lo + b * step:g}–{lo + (b + 1) * step:g}: {c}</title></rect>')
    body.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{MUTED}"/>')
    body.append(_t(left + plot_w / 2, height - 6, x_label, 12, "middle", MUTED))
    body.append(_t(12, top + 10, y_label, 11, "start", MUTED))
    body += _legend([name for name, _ in series], left + plot_w + 16, top + 14)
    return _svg(width, height, body, title)


def bars(title: str, rows: list[tuple[str, list[float]]], names: list[str], top_value: float,
         value_format: str = "{:.0%}", width: int = 900) -> str:
    """One group of horizontal bars per row (one bar per name), values from 0 to ``top_value``."""
    left, right, top, group_gap = 170, 170, 10, 8
    bar_h = 9
    group_h = bar_h * max(1, len(names)) + group_gap
    height = top + group_h * max(1, len(rows)) + 20
    plot_w = width - left - right
    body = []
    for k in range(5):
        x = left + plot_w * k / 4
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 18}" stroke="{GRID}"/>')
        body.append(_t(x, height - 4, value_format.format(top_value * k / 4), 10, "middle", MUTED))
    for r, (label, values) in enumerate(rows):
        y0 = top + r * group_h
        body.append(_t(8, y0 + group_h / 2, label[:24], 12))
        for s, value in enumerate(values):
            w = plot_w * max(0.0, min(value, top_value)) / (top_value or 1)
            body.append(f'<rect x="{left}" y="{y0 + s * bar_h:.1f}" width="{w:.1f}" height="{bar_h - 1}" '
                        f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(label)} · {escape(names[s])}: '
                        f'{escape(value_format.format(value))}</title></rect>')
    body += _legend(names, left + plot_w + 16, top + 10)
    return _svg(width, height, body, title)
