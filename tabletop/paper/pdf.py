"""HTML to PDF through a real engine: Debian's Chromium, driven by Playwright (never a downloaded browser).

Why Chromium rather than WeasyPrint or reportlab (docs/facilitator-guide.md, "Paper"): the
report is already HTML made for Chromium (the browser test opens it), Chromium honours
``break-after: avoid`` / ``break-inside: avoid`` and repeats ``<thead>`` on every page, and it
embeds the subset of each font it draws with. reportlab cannot draw with the CFF outlines of
Noto Sans CJK; WeasyPrint would add Pango and a second layout engine to install and test.

The page is served to the browser from memory under one made-up origin (``FAKE``): the HTML and
the shipped fonts (``tabletop/fonts.py``), so nothing is fetched from the network and every
character is drawn by a font we ship. The page footer (``footer``) is rendered by Chromium on
every page; a fontconfig file naming ``assets/fonts`` lets it use the same fonts.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabletop import files, fonts, i18n

CHROMIUM = os.environ.get("TABLETOP_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND"]
FAKE = "https://tabletop.print"
#: Longest a page may take to lay out and print (a report of a long session included).
TIMEOUT_MS = 120_000


@dataclass
class NoEngine(Exception):
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return i18n.t(self.key, lang, **self.params)


def font_css() -> str:
    """``@font-face`` rules for the shipped chain, at the URLs :func:`print_html` serves."""
    return fonts.css_face_rules({path.name: f"{FAKE}/fonts/{path.name}" for path in fonts.CHAIN})


#: The family list every printed page uses: the shipped fonts first, so the PDF is the same on every machine.
FAMILY = ", ".join(f'"{name}"' for name in fonts.CSS_FAMILIES) + ', "Noto Sans CJK TC", sans-serif'


def _fontconfig(folder: str) -> str:
    """A fontconfig file naming only the shipped fonts: Chromium (page, header and footer) finds
    them locally, without the 16 MB passing through the driver, and finds no other font, so a
    PDF is drawn the same on every machine."""
    path = os.path.join(folder, "fonts.conf")
    files.write_atomic(path, '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                       f"  <dir>{fonts.FOLDER}</dir>\n  <cachedir>{folder}/cache</cachedir>\n</fontconfig>\n")
    return path


#: Shrinks each box matching the selector, in half-pixel steps down to the smallest size, until its
#: content fits its height (``data-limit`` px, else the box's own height); returns the ``data-id`` of
#: each box that does not fit even then.
SHRINK = """([selector, smallest]) => {
  const cut = [];
  for (const box of document.querySelectorAll(selector)) {
    const limit = parseFloat(box.dataset.limit || box.clientHeight);
    let size = parseFloat(getComputedStyle(box).fontSize);
    while (box.scrollHeight > limit + 1 && size > smallest) {
      size = Math.max(smallest, size - 0.5);
      box.style.fontSize = size + "px";
    }
    if (box.scrollHeight > limit + 1) cut.push(box.dataset.id || "?");
  }
  return cut;
}"""


def print_html(html: str, out: str, footer: str | None = None, fit: tuple[str, float] | None = None) -> list[str]:
    """Print ``html`` (its own ``@page`` size and margins) to ``out``; ``footer``, HTML, goes on every page.
    ``fit`` = (selector, smallest px): boxes shrunk to fit (:data:`SHRINK`). Returns the ids of the boxes
    that still do not fit (empty when all do, or without ``fit``).

    Raises :class:`NoEngine` when Playwright or Chromium is missing, and
    :class:`tabletop.files.FileProblem` when ``out`` cannot be written."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise NoEngine("paper.pdf.no_playwright") from None
    if not os.access(CHROMIUM, os.X_OK):
        raise NoEngine("paper.pdf.no_chromium", {"path": CHROMIUM})
    served: dict[str, tuple[bytes | Path, str]] = {f"{FAKE}/page.html": (html.encode("utf-8"), "text/html; charset=utf-8")}
    for path in fonts.CHAIN:
        served[f"{FAKE}/fonts/{path.name}"] = (path, "font/otf" if path.suffix == ".otf" else "font/ttf")

    def serve(route: Any) -> None:
        found = served.get(route.request.url)
        if found is None:
            route.abort()
            return
        body, kind = found
        route.fulfill(status=200, body=body if isinstance(body, bytes) else files.read_bytes(body), content_type=kind)

    with tempfile.TemporaryDirectory(prefix="tabletop-pdf-") as folder:
        env: dict[str, str | float | bool] = {**os.environ, "FONTCONFIG_FILE": _fontconfig(folder)}
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS, env=env, timeout=TIMEOUT_MS)
                try:
                    page = browser.new_page()
                    page.route("**/*", serve)
                    page.goto(f"{FAKE}/page.html", wait_until="load", timeout=TIMEOUT_MS)
                    page.evaluate("document.fonts.ready.then(() => true)")
                    cut = page.evaluate(SHRINK, [fit[0], fit[1]]) if fit else []
                    data = page.pdf(prefer_css_page_size=True, print_background=True,
                                    display_header_footer=footer is not None,
                                    header_template="<span></span>", footer_template=footer or "<span></span>")
                finally:
                    browser.close()
        except Error as err:
            raise NoEngine("paper.pdf.failed", {"detail": str(err).splitlines()[0][:200]}) from None
    files.write_atomic(out, data)
    return cut
