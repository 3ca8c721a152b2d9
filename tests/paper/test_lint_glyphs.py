"""lint warns at file:line:col for every character no shipped font draws (it would be a blank)."""

import os

from conftest import FIXTURES, ROOT
from tabletop.cli import main

TANGUT = "\U00017000"  # neither Noto Sans CJK TC nor DejaVu Sans has it


def test_lint_points_at_each_character_no_font_draws(tmp_path, capsys):
    text = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
    assert "title: {zh_TW: 標題, en: Title}" in text
    path = tmp_path / "glyphs.yaml"
    path.write_text(text.replace("zh_TW: 標題,", f"zh_TW: 標題{TANGUT}堃喆里,"), encoding="utf-8")
    line = text[:text.index("zh_TW: 標題,")].count("\n") + 1
    col = len(text.split("\n")[line - 1].split("標題")[0]) + 3
    assert main(["lint", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:{line}:{col}: 警告：字元「{TANGUT}」（U+17000）沒有任何隨附字型可顯示" in out
    assert out.count("U+") == 1  # 堃喆里, which the old subset dropped, are drawn now
    assert main(["--lang", "en", "lint", str(path)]) == 0
    assert f"{path}:{line}:{col}: warning: no shipped font draws the character" in capsys.readouterr().out


def test_the_shipped_scenarios_have_no_character_without_a_glyph(capsys):
    assert main(["lint", os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")]) == 0
    assert "U+" not in capsys.readouterr().out
