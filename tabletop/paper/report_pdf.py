"""``report LOG --pdf``: ``report.pdf`` beside the HTML report, printed from that same ``index.html``.

Nothing of the report is built twice: the written HTML gets a print style sheet (A4, the shipped
fonts, headings kept with the chart or table after them, charts and table rows never split,
``<thead>`` repeated on every page) and Chromium prints it. The integrity stamp, which the HTML
carries on its first page, goes into the footer of every page with the page number.
"""

from __future__ import annotations

import os
from html import escape
from typing import Any

from tabletop import files
from tabletop.paper.pdf import FAMILY, font_css, print_html
from tabletop.scoring.report import integrity_blocks

PRINT_CSS = """
@page { size: A4; margin: 15mm 14mm 18mm; }
body { font-family: FAMILY; max-width: none; margin: 0; padding: 0; font-size: 10pt; }
svg.chart { font-family: FAMILY; }
h1, h2, h3 { break-after: avoid; break-inside: avoid; }
h2 + p, h2 + p.note { break-after: avoid; }
figure, svg, div.stamp, div.banner, tr, table.kv { break-inside: avoid; }
figure { margin: 4mm 0; }
thead { display: table-header-group; }
""".replace("FAMILY", FAMILY)

#: Colours of the footer's stamp by integrity status (as the first page's stamp).
STAMP_COLOURS = {"verified": "#00704f", "chain_ok": "#8a5f00", "broken": "#b3261e"}


def footer(record: dict[str, Any], lang: str) -> str:
    """Chromium's footer template: the stamp (headline and seal) and ``page / pages``."""
    stamp = integrity_blocks(record, lang)[0]
    seal = f" · {stamp.code}" if stamp.code else ""
    colour = STAMP_COLOURS.get(record.get("status", ""), "#555")
    return (f'<div style="font-size:8px;width:100%;margin:0 14mm;display:flex;justify-content:space-between;'
            f'font-family:{escape(FAMILY)};color:{colour}"><span>{escape(stamp.text + seal)}</span>'
            '<span style="color:#555;white-space:nowrap;margin-left:4mm">'
            '<span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')


def printable(html: str) -> str:
    return html.replace("</head>", f"<style>{font_css()}\n{PRINT_CSS}</style>\n</head>", 1)


def write(out: str, record: dict[str, Any], lang: str) -> str:
    """Print ``out/index.html`` (just written by ``report``) to ``out/report.pdf``; returns its path."""
    html = files.read_text(os.path.join(out, "index.html"))
    path = os.path.join(out, "report.pdf")
    print_html(printable(html), path, footer=footer(record, lang))
    return path
