"""The shipped fonts draw every character the console, the seat pages and the PDFs can be asked to show."""

from tabletop import fonts
from tabletop.ui import charset
from tabletop.ui.gfx import FONT_PATH


def big5_ideographs() -> set[str]:
    """Every character of the CJK Unified Ideographs block (U+4E00-U+9FFF) that a Big5 two-byte code decodes to."""
    out = set()
    for lead in range(0x81, 0xFF):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            try:
                char = bytes([lead, trail]).decode("big5")
            except UnicodeDecodeError:
                continue
            if 0x4E00 <= ord(char) <= 0x9FFF:
                out.add(char)
    return out


def test_the_complete_font_and_its_licences_are_shipped():
    assert FONT_PATH == fonts.PRIMARY and FONT_PATH.name == "NotoSansCJKtc-Regular.otf"
    assert (FONT_PATH.parent / "OFL.txt").exists() and (FONT_PATH.parent / "DejaVu-LICENSE.txt").exists()
    assert len(fonts.cmap(FONT_PATH)) > 40_000  # the subset it replaces had 6,029


def test_every_big5_ideograph_has_a_glyph_in_the_shipped_font():
    wanted = big5_ideographs()
    assert len(wanted) > 13_000
    missing = sorted(c for c in wanted if ord(c) not in fonts.cmap(fonts.PRIMARY))
    assert not missing, "".join(missing[:40])


def test_names_the_subset_could_not_show_are_covered():
    assert fonts.uncovered("張翊婕 林琇甯 堃喆里") == []


def test_the_chain_covers_tables_scenarios_and_faker_including_what_noto_lacks():
    have = fonts.covered()
    required = charset.required_chars() | set(charset.NOT_IN_SOURCE_FONT)
    assert not sorted(c for c in required if ord(c) not in have)
    assert ord("✗") not in fonts.cmap(fonts.PRIMARY) and fonts.font_for("✗") == fonts.CHAIN[1]


def test_uncovered_gives_line_and_column_of_a_character_no_font_has():
    # U+17000 is a Tangut ideograph: neither Noto Sans CJK nor DejaVu Sans draws it.
    assert fonts.uncovered("ok\n名稱 \U00017000\n\t") == [(2, 4, "\U00017000")]


def test_pygame_renders_chinese_and_falls_back_for_the_rest():
    import pygame

    from tabletop.ui import gfx

    pygame.font.init()
    font = pygame.font.Font(str(FONT_PATH), 20)
    assert all(m is not None for m in font.metrics("兵棋推演瑋鈺蓁堃喆"))
    dejavu = pygame.font.Font(str(fonts.CHAIN[1]), 20)
    gfx.caching(False)
    try:
        shown = gfx.text("✗", 20, (255, 255, 255))
        mixed = gfx.text("評估✗", 20, (255, 255, 255))
    finally:
        gfx.caching(True)
    pixels = lambda surface: pygame.image.tobytes(surface, "RGBA")  # noqa: E731
    # Noto has no ✗ (it would draw its empty box): the console draws DejaVu Sans's glyph instead.
    assert pixels(shown) == pixels(dejavu.render("✗", True, (255, 255, 255)))
    assert pixels(shown) != pixels(font.render("✗", True, (255, 255, 255)))
    assert mixed.get_width() == font.size("評估")[0] + dejavu.size("✗")[0]


def test_seat_pages_declare_and_serve_the_same_chain():
    from tabletop.server import app

    assert [path for path, _ in app.FONTS.values()] == list(fonts.CHAIN)
    css = (app.STATIC / "room.css").read_text(encoding="utf-8")
    for url in app.FONTS:
        assert f'url("{url}")' in css
    assert '"TabletopCJK", "TabletopFallback", system-ui' in css
