"""Render each screen headless (SDL dummy driver) and save PNG screenshots."""

import os

import pygame
import pytest

from ui_fixtures import loaded, shots  # noqa: F401  (fixtures)

from tabletop.scenario.actions import load_actions
from tabletop.ui.console import Console
from tabletop.ui.main import play_to, render

ACTIONS = os.path.join(os.path.dirname(__file__), "..", "..", "scenarios", "hualien", "actions.yaml")


@pytest.fixture
def console_at(loaded, tmp_path):
    actions, _ = load_actions(ACTIONS)

    def make(turn, lang="zh_TW"):
        console = Console.start(loaded, 1, str(tmp_path / f"t{turn}-{lang}.jsonl"), lang)
        play_to(console, actions, turn)
        return console

    return make


@pytest.mark.parametrize("screen,turn,lang", [
    ("facilitator", 0, "zh_TW"), ("facilitator", 3, "zh_TW"), ("facilitator", 3, "en"), ("eoc", 5, "zh_TW"),
    ("help", 2, "zh_TW"), ("help", 2, "en"), ("trainee:hualien.commander", 1, "zh_TW"),
    ("trainee:hualien.supply", 5, "en"), ("trainee:hualien.mobilization", 4, "zh_TW"), ("facilitator", 12, "zh_TW"),
])
def test_screen_renders(console_at, shots, screen, turn, lang):
    console = console_at(turn, lang)
    path = os.path.join(shots, f"{screen.replace(':', '-')}-t{turn}-{lang}.png")
    render(console, path, screen, lang)
    image = pygame.image.load(path)
    assert image.get_size() == (1280, 800)
    colours = {image.get_at((x, y))[:3] for x in range(0, 1280, 37) for y in range(0, 800, 23)}
    assert len(colours) > 12  # drawn, not a blank frame
    console.close()


def test_a_seat_of_no_county_is_the_seat_shown(console_at, shots):
    """``--screen trainee:central`` shows central's own seat, not the first county's."""
    console = console_at(3)
    app = render(console, os.path.join(shots, "trainee-central.png"), "trainee:central", "zh_TW")
    assert app.seat == ("", "central")
    console.close()


def test_screenshot_option(tmp_path):
    from tabletop.cli import main

    path = tmp_path / "frame.png"
    assert main(["--screenshot", str(path), "--at", "2"]) == 0
    assert pygame.image.load(str(path)).get_size() == (1280, 800)


def test_every_picture_the_docs_show_exists():
    import re

    docs = os.path.join(os.path.dirname(__file__), "..", "..", "docs")
    for name in sorted(os.listdir(docs)):
        if name.endswith(".md"):
            text = open(os.path.join(docs, name), encoding="utf-8").read()
            for target in re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text):
                assert os.path.exists(os.path.join(docs, target)), f"{name} shows {target}, which is missing"


def test_closed_session_shows_the_seal_that_verify_prints(console_at, shots, monkeypatch):
    from tabletop.replay import verify
    from tabletop.ui import gfx

    console = console_at(14)  # the whole scripted run: the facilitator has closed the session
    assert console.session.state == "closed"
    drawn: list[str] = []
    real = gfx.blit
    monkeypatch.setattr(gfx, "blit", lambda target, text, *a, **k: (drawn.append(text), real(target, text, *a, **k))[1])
    render(console, os.path.join(shots, "closed-seal.png"), "facilitator", "zh_TW")
    seal = verify(console.writer.path).seal
    assert seal == console.session.last_hash
    assert any(seal[:32] in line and "封存碼" in line for line in drawn) and seal[32:] in drawn
