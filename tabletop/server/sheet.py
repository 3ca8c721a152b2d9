"""The printable join sheet: one QR code per seat (the ``qrcode`` package, drawn as SVG)."""

from __future__ import annotations

import html
from typing import Any

from tabletop import i18n
from tabletop.server import views


def qr_svg(text: str) -> str:
    """An SVG drawing of a QR code for ``text`` (inline, no file, no network)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg"):]  # drop the XML declaration for inline use


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code's modules (for drawing elsewhere, e.g. the pygame console)."""
    import qrcode

    code = qrcode.QRCode(border=2)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def sheet_html(room: Any, base_url: str, lang: str) -> str:
    links = room.book.links(base_url)
    cards = []
    for entry in links["seats"]:
        title = i18n.pick(views.seat_label(room, entry["seat"]), lang)
        cards.append(f'<figure class="card">{qr_svg(entry["url"])}<figcaption><b>{html.escape(title)}</b>'
                     f'<br><code>{html.escape(entry["seat"])}</code><br><small>{html.escape(entry["url"])}</small>'
                     "</figcaption></figure>")
    heading = html.escape(i18n.t("server.page.sheet_title", lang))
    scenario = html.escape(i18n.pick(views.seat_info(room, room.book.facilitator)["scenario"], lang))
    return (f'<!doctype html><html lang="{"zh-Hant-TW" if lang == "zh_TW" else "en"}"><head><meta charset="utf-8">'
            f'<title>{heading}</title><link rel="stylesheet" href="/static/room.css"></head>'
            f'<body class="sheet"><h1>{scenario}</h1><p>{heading}</p><div class="cards">{"".join(cards)}</div></body></html>')
