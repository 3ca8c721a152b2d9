import os
import subprocess
import sys

import pytest
from clirun import cli, cli_process  # noqa: F401 - re-exported for the tests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def unpack_golden(folder, name):
    """The golden log ``tests/golden/<name>.jsonl.gz`` unpacked into ``folder``; returns its path."""
    import gzip

    path = os.path.join(str(folder), f"{name}.jsonl")
    with open(os.path.join(ROOT, "tests", "golden", f"{name}.jsonl.gz"), "rb") as packed:
        data = gzip.decompress(packed.read())
    with open(path, "wb") as out:
        out.write(data)
    return path
SCENARIO = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")
ACTIONS = os.path.join(ROOT, "scenarios", "hualien", "actions.yaml")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("TABLETOP_STRICT", "1")  # engine bugs fail tests loudly instead of becoming "internal" rejections
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


@pytest.fixture(scope="session")
def default_scenario():
    from tabletop.api import load_scenario_file

    loaded = load_scenario_file(SCENARIO)
    assert loaded.ok, loaded.problems
    return loaded


@pytest.fixture(scope="session")
def default_actions():
    from tabletop.scenario.actions import load_actions

    actions, problems = load_actions(ACTIONS)
    assert not problems
    return actions


@pytest.fixture
def played(tmp_path, default_scenario, default_actions):
    """Play the default scenario through the runner; returns a function(seed, turns) -> log path."""
    from tabletop.runner import run

    def play(seed=7, turns=None, name="log.jsonl", actions=None):
        path = str(tmp_path / name)
        run(default_scenario, seed, default_actions if actions is None else actions, path, turns=turns)
        return path

    return play


#: The whole run ends with every thread's stack after this many seconds (a worker a minute before
#: the controller, so the controller reports it): a hang outside any one test (a worker that cannot
#: exit) fails CI instead of holding it. One test's hang is pytest-timeout's (pyproject.toml).
SUITE_WATCHDOG_S = 1200


def pytest_configure(config):
    import faulthandler

    worker = hasattr(config, "workerinput")
    faulthandler.dump_traceback_later(SUITE_WATCHDOG_S - (60 if worker else 0), exit=True)
    if not worker:
        _compile_package()


def _compile_package() -> None:
    """The package's bytecode written once, before the workers start, as an installed package has
    it: the suite starts a few hundred interpreters (the scoring chain checks, the CLI, the
    servers, the replay helpers), and where ``PYTHONDONTWRITEBYTECODE`` is set (CI's sandbox) each
    would otherwise compile the whole package again from source (about 0.2 s each). Nothing it
    writes is tracked (``__pycache__`` is ignored); a folder that cannot be written just means no
    bytecode."""
    import compileall

    compileall.compile_dir(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tabletop"),
                           quiet=2, workers=1)
