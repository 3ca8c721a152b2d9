"""``cards``: the scenario's deck cards and injects as printable cards, and a one-page MSEL handout per phase.

Four A6 cards to an A4 page with cut marks (or one A6 card a page), laid out in HTML and printed
by :mod:`tabletop.paper.pdf`. Each card: its id, phase, title and text in zh_TW (English below
with ``--lang en`` or ``both``), source and target; the evaluator's copy adds the expected
actions, their capability and deadline.
"""

from __future__ import annotations

from html import escape
from typing import Any

from tabletop.scenario.model import deck_name
from tabletop import i18n
from tabletop.paper import msel
from tabletop.paper.columns import control_label, deadline_text, type_label
from tabletop.paper.names import Names
from tabletop.paper.pdf import FAMILY, font_css

CSS = """
@page { size: A4; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; font-family: FAMILY; color: #111; }
.sheet { width: 210mm; height: 297mm; position: relative; display: grid;
  grid-template-columns: 105mm 105mm; grid-template-rows: 148.5mm 148.5mm; break-after: page; overflow: hidden; }
.sheet.a6 { width: 105mm; height: 148mm; grid-template-columns: 105mm; grid-template-rows: 148mm; }
.mark { position: absolute; background: #000; }
/* Sizes in em of the card's own size: a card too full for its box is shrunk as a whole (FIT). */
.card { padding: 9mm 8mm 7mm; display: flex; flex-direction: column; gap: 2.2mm; overflow: hidden; font-size: 9.5pt; line-height: 1.45; }
.top { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 1.4pt solid #1f5fa8; padding-bottom: 1.5mm; }
.id { font-size: 1.8em; font-weight: 700; letter-spacing: .04em; }
.phase { font-size: .95em; color: #1f5fa8; text-align: right; }
h2 { font-size: 1.47em; margin: 1mm 0 0; line-height: 1.3; }
h2 + .en-title { font-size: 1.05em; color: #444; margin: 0; }
p { margin: 0; }
p.en { color: #444; font-size: .9em; }
.route { font-size: .9em; border: 0.6pt solid #999; border-radius: 1.5mm; padding: 1.2mm 2mm; }
.expected { border-top: 0.8pt dashed #b07a00; padding-top: 1.5mm; font-size: .9em; }
.expected strong { color: #8a5a00; }
.expected ul { margin: 1mm 0 0; padding-left: 4.5mm; }
.foot { margin-top: auto; font-size: .74em; color: #777; display: flex; justify-content: space-between; }
/* A handout is one A4 page; a phase too long for one even at the smallest size runs onto the next. */
.handout { width: 210mm; min-height: 297mm; padding: 14mm 12mm; break-after: page; font-size: 8pt; }
.handout h1 { font-size: 1.9em; margin: 0 0 1mm; border-bottom: 2pt solid #1f5fa8; padding-bottom: 1.5mm; }
.handout p.note { font-size: 1.05em; color: #555; margin: 0 0 3mm; }
.handout table { width: 100%; border-collapse: collapse; line-height: 1.35; }
.handout th, .handout td { border: 0.5pt solid #999; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
.handout th { background: #e6eef7; }
.handout tr { break-inside: avoid; }
""".replace("FAMILY", FAMILY)


#: An A4 page's height in CSS pixels (297 mm at 96 px an inch): what one handout may fill.
A4_HEIGHT_PX = 1122
#: What :func:`tabletop.paper.pdf.print_html` shrinks to fit (cards and handouts), and the smallest size, in px.
FIT = (".card, .handout", 8.0)


class Words:
    """The card's words: zh_TW, and English beside them with ``--lang en`` or ``both``."""

    def __init__(self, scenario: Any, lang: str) -> None:
        self.english = lang in ("en", "both")
        self.zh, self.en = Names(scenario, "zh_TW"), Names(scenario, "en")

    def label(self, key: str, **params: Any) -> str:
        zh = i18n.t(key, "zh_TW", **params)
        return f"{zh} {i18n.t(key, 'en', **params)}" if self.english else zh

    def label_of(self, key: str, what: str, *ident: Any) -> str:
        """``label`` with one parameter, ``name``, that is itself a name: each language gets its own."""
        zh = i18n.t(key, "zh_TW", name=getattr(self.zh, what)(*ident))
        return f"{zh} {i18n.t(key, 'en', name=getattr(self.en, what)(*ident))}" if self.english else zh

    def name(self, what: str, *ident: Any) -> str:
        zh = getattr(self.zh, what)(*ident)
        en = getattr(self.en, what)(*ident)
        return f"{zh}（{en}）" if self.english and en != zh else zh


def chosen(scenario: Any, deck: str | None) -> list[Any]:
    return [i for i in scenario.injects if i.deck == deck] if deck else list(scenario.injects)


def card(inject: Any, scenario: Any, words: Words, evaluator: bool) -> str:
    e = escape
    kind = "card" if inject.deck else "triggered" if inject.trigger else "scheduled"
    when = msel.scenario_time(inject, scenario)
    kind_text = type_label(kind, "zh_TW") + (f" {deck_name(scenario, inject.deck)['zh_TW']}" if inject.deck else "")
    phase = words.name("phase", inject.phase) if inject.phase else kind_text
    source = words.name("place", inject.source) if inject.source else control_label("zh_TW")
    parts = [f'<div class="top"><span class="id">{e(inject.id)}</span>'
             f'<span class="phase">{e(phase)}<br>{e(when or kind_text)}</span></div>',
             f"<h2>{e(inject.title.zh_TW)}</h2>"]
    if words.english:
        parts.append(f'<p class="en-title">{e(inject.title.en)}</p>')
    parts.append(f"<p>{e(inject.text.zh_TW)}</p>")
    if words.english:
        parts.append(f'<p class="en">{e(inject.text.en)}</p>')
    parts.append(f'<div class="route">{e(words.label("paper.card.from"))}：{e(source)}<br>'
                 f'{e(words.label("paper.card.to"))}：{e(words.name("seat", inject.county, inject.role))}</div>')
    if evaluator:
        items = "".join(f"<li>{e(words.name('command', x.kind))} · {e(words.name('capability', x.capability))} · "
                        f"{e(deadline_text(x.within_turns, 'zh_TW'))}</li>" for x in inject.expected)
        parts.append(f'<div class="expected"><strong>{e(words.label("paper.card.expected"))}</strong>'
                     f'<ul>{items or "<li>-</li>"}</ul></div>')
    copy = words.label("paper.card.evaluator_copy" if evaluator else "paper.card.player_copy")
    parts.append(f'<div class="foot"><span>{e(i18n.pick(scenario.scenario.title.model_dump(), "zh_TW"))}</span>'
                 f"<span>{e(copy)}</span></div>")
    return f'<div class="card" data-id="{e(inject.id)}">' + "".join(parts) + "</div>"


def _marks() -> str:
    """Cut marks on the A4 sheet: ticks where the cut lines meet the edges, and a cross at the centre."""
    ticks = [("left:104.85mm;top:0;width:.3mm;height:6mm"), ("left:104.85mm;bottom:0;width:.3mm;height:6mm"),
             ("top:148.35mm;left:0;height:.3mm;width:6mm"), ("top:148.35mm;right:0;height:.3mm;width:6mm"),
             ("left:101mm;top:148.35mm;height:.3mm;width:8mm"), ("left:104.85mm;top:144.5mm;width:.3mm;height:8mm")]
    return "".join(f'<div class="mark" style="{style}"></div>' for style in ticks)


def handout(phase_id: str | None, injects: list[Any], scenario: Any, words: Words, evaluator: bool) -> str:
    e = escape
    title = (words.label_of("paper.handout.title_line", "phase", phase_id) if phase_id
             else words.label("paper.handout.title_line_cards"))
    heads = ["paper.handout.event", "paper.handout.time", "paper.handout.to", "paper.handout.title"]
    heads += ["paper.handout.expected"] if evaluator else []
    rows = []
    for inject in injects:
        cells = [inject.id, msel.scenario_time(inject, scenario) or type_label(
                     "card" if inject.deck else "triggered", "zh_TW") + (
                     f" {deck_name(scenario, inject.deck)['zh_TW']}" if inject.deck else ""),
                 words.name("seat", inject.county, inject.role), inject.title.zh_TW + (
                     f"\n{inject.title.en}" if words.english else "")]
        if evaluator:
            cells.append("\n".join(f"{words.name('command', x.kind)}（{deadline_text(x.within_turns, 'zh_TW')}）"
                                   for x in inject.expected) or "-")
        rows.append("<tr>" + "".join(f"<td>{e(c).replace(chr(10), '<br>')}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{e(words.label(k))}</th>" for k in heads)
    return (f'<section class="handout" data-id="{e(phase_id or "-")}" data-limit="{A4_HEIGHT_PX}"><h1>{e(title)}</h1>'
            f'<p class="note">{e(i18n.pick(scenario.scenario.title.model_dump(), "zh_TW"))} · '
            f'{e(words.label("paper.handout.count", count=len(injects)))}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>")


def html(scenario: Any, lang: str, deck: str | None = None, evaluator: bool = False, a6: bool = False,
         handouts: bool = True) -> str:
    """The cards (four to an A4 page, or with ``a6`` one to an A6 page), then with ``handouts`` (and no
    ``deck``) one MSEL page per phase; the handouts alone: :func:`handouts_html`."""
    words = Words(scenario, lang)
    injects = chosen(scenario, deck)
    per = 1 if a6 else 4
    sheets = []
    for start in range(0, len(injects), per):
        body = "".join(card(i, scenario, words, evaluator) for i in injects[start:start + per])
        sheets.append(f'<div class="sheet{" a6" if a6 else ""}">{body}{"" if a6 else _marks()}</div>')
    if handouts and deck is None:
        sheets += _handouts(scenario, injects, words, evaluator)
    return _page(scenario, sheets, "@page { size: 105mm 148mm; margin: 0; }" if a6 else "")


def handouts_html(scenario: Any, lang: str, evaluator: bool = False) -> str:
    """The MSEL handouts alone, on A4 (``cards --a6`` prints them to a file of their own:
    Chromium prints every page of one PDF at one size)."""
    return _page(scenario, _handouts(scenario, list(scenario.injects), Words(scenario, lang), evaluator), "")


def _handouts(scenario: Any, injects: list[Any], words: Words, evaluator: bool) -> list[str]:
    order = [p.id for p in scenario.phases] + [None]
    groups = [(phase, [i for i in injects if i.phase == phase]) for phase in order]
    return [handout(phase, group, scenario, words, evaluator) for phase, group in groups if group]


def _page(scenario: Any, sheets: list[str], size: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>{escape(scenario.scenario.id)}'
            f"</title><style>{font_css()}\n{CSS}\n{size}</style></head><body>{''.join(sheets)}</body></html>")
