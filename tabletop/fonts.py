"""The shipped fonts and what they cover: one place for the console, the seat pages, the PDFs and ``lint``.

The chain is tried in order for each character: the complete Noto Sans CJK TC Regular (every
Traditional Chinese character, Latin, kana, CJK punctuation; SIL OFL 1.1) and then DejaVu
Sans (Greek, Cyrillic, many symbols such as ✗ that Noto CJK lacks). Both live in
``assets/fonts`` with their licences. A character neither covers has no glyph anywhere we
ship: ``lint`` warns about it at ``file:line:col``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "assets" / "fonts"
#: The fallback chain, first choice first.
CHAIN = (FOLDER / "NotoSansCJKtc-Regular.otf", FOLDER / "DejaVuSans.ttf")
PRIMARY = CHAIN[0]
#: CSS family names the HTML (seat pages, printed cards, the PDF report) declares for the chain.
CSS_FAMILIES = ("TabletopCJK", "TabletopFallback")
#: The fonts' own family names (what ``local()`` and fontconfig find them by).
FAMILIES = ("Noto Sans CJK TC", "DejaVu Sans")


@lru_cache(maxsize=None)
def cmap(path: Path) -> frozenset[int]:
    """The code points one font maps to a glyph (read once; only the cmap table is parsed)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def covered() -> frozenset[int]:
    """Every code point some font of the chain draws."""
    return frozenset().union(*(cmap(path) for path in CHAIN))


def font_for(char: str) -> Path | None:
    """The first font of the chain that has ``char``, or None."""
    code = ord(char)
    return next((path for path in CHAIN if code in cmap(path)), None)


def needs_glyph(char: str) -> bool:
    """Whether a character is drawn at all: not whitespace, a control, a format mark or a variation selector."""
    import unicodedata

    return char.isprintable() and not char.isspace() and unicodedata.category(char) not in ("Cf", "Mn", "Me")


def uncovered(text: str) -> list[tuple[int, int, str]]:
    """(line, column, character), both from 1, of each character in ``text`` no shipped font draws."""
    have = covered()
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        for column, char in enumerate(line, 1):
            if ord(char) not in have and needs_glyph(char):
                out.append((number, column, char))
    return out


def css_face_rules(url_for: dict[str, str]) -> str:
    """``@font-face`` rules for the chain; ``url_for`` maps each font file name to the URL it is served at."""
    rules = []
    for family, own, path in zip(CSS_FAMILIES, FAMILIES, CHAIN, strict=True):
        kind = "opentype" if path.suffix == ".otf" else "truetype"
        rules.append(f'@font-face {{ font-family: "{family}"; src: local("{own}"), url("{url_for[path.name]}") '
                     f'format("{kind}"); }}')
    return "\n".join(rules)
