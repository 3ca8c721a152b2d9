"""Fixtures shared by the UI tests (not a conftest.py: that name would shadow tests/conftest.py for `from conftest import ...`)."""

import os

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: $TABLETOP_SCREENSHOTS if set (to look at them), else a temp folder."""
    folder = os.environ.get("TABLETOP_SCREENSHOTS") or str(tmp_path / "shots")
    os.makedirs(folder, exist_ok=True)
    return folder


@pytest.fixture
def loaded():
    from tabletop.api import load_scenario_file

    result = load_scenario_file(SCENARIO)
    assert result.ok, result.problems
    return result
