"""The bundled font covers every character the console can be asked to show."""

import os

from fontTools.ttLib import TTFont

from tabletop.ui import charset
from tabletop.ui.gfx import FONT_PATH


def test_font_and_licence_are_bundled():
    assert FONT_PATH.exists()
    assert (FONT_PATH.parent / "OFL.txt").exists()
    assert os.path.getsize(FONT_PATH) < 6 * 1024 * 1024


def test_cmap_covers_tables_scenarios_and_faker():
    cmap = TTFont(str(FONT_PATH), lazy=True).getBestCmap()
    missing = sorted(c for c in charset.required_chars() if ord(c) not in cmap)
    assert not missing, f"{len(missing)} characters missing ({''.join(missing[:40])}): run tools/make_font.py"


def test_faker_name_characters_beyond_big5_level1_are_covered():
    cmap = TTFont(str(FONT_PATH), lazy=True).getBestCmap()
    faker = charset.faker_chars()
    for char in "瑋鈺蓁苡燁":
        assert ord(char) in cmap
    assert len(faker) > 1000


def test_pygame_renders_chinese_with_it():
    import pygame

    pygame.font.init()
    font = pygame.font.Font(str(FONT_PATH), 20)
    assert all(m is not None for m in font.metrics("兵棋推演瑋鈺蓁"))
    assert font.size("兵棋推演")[0] > 60
