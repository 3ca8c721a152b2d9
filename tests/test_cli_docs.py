"""CLI contract, translation table and generated diagrams."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT, cli


def _subcommands():
    from tabletop.cli import _parser

    parser = _parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(action.choices)


def test_contract_subcommands_exist():
    assert {"run", "validate", "verify"} <= set(_subcommands())


@pytest.mark.parametrize("sub", [None] + _subcommands())
def test_help_on_every_subcommand(sub):
    done = cli(*([sub] if sub else []), "--help")
    assert done.returncode == 0 and "用法：" in done.stdout  # zh_TW by default
    done = cli("--lang", "en", *([sub] if sub else []), "--help")
    assert done.returncode == 0 and "usage:" in done.stdout


def test_run_options_contract():
    out = cli("--lang", "en", "run", "--help").stdout
    for option in ("--headless", "--seed", "--actions", "--turns", "--log", "--resume"):
        assert option in out


def test_bad_input_exits_2(tmp_path):
    assert cli("verify", str(tmp_path / "missing.jsonl")).returncode == 2
    assert cli("run", str(tmp_path / "missing.yaml"), "--log", str(tmp_path / "x.jsonl")).returncode == 2
    assert cli("frobnicate").returncode == 2


@pytest.mark.slow
def test_default_run_headless_says_so_and_writes_a_verifiable_log(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["SDL_VIDEODRIVER"] = "dummy"
    done = subprocess.run([sys.executable, os.path.join(ROOT, "run_exercise.py")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "無頭模式" in done.stdout and "第 12 回合" in done.stdout
    log = tmp_path / "out" / "hualien-2026-seed1.jsonl"
    assert log.exists() and str(log.relative_to(tmp_path)) in done.stdout
    assert cli("verify", str(log)).returncode == 0


def test_english_output():
    done = cli("--lang", "en", "verify", "--help")
    assert done.returncode == 0


def test_translation_table_is_complete():
    import re

    from tabletop import i18n

    for key, texts in i18n.TABLE.items():
        assert set(texts) == set(i18n.LANGS), key
        fields = [set(re.findall(r"{(\w+)", texts[lang])) for lang in i18n.LANGS]
        assert fields[0] == fields[1], key


def test_committed_diagrams_are_fresh():
    from tabletop.api import all_diagrams

    for name, text in all_diagrams().items():
        path = os.path.join(ROOT, "docs", "diagrams", f"{name}.mmd")
        assert os.path.exists(path), f"run tools/make_diagrams.py ({name})"
        assert open(path, encoding="utf-8").read() == text, f"docs/diagrams/{name}.mmd is stale: run tools/make_diagrams.py"


def test_core_is_pure():
    """The core imports no UI, no file or clock access and no global random module."""
    import ast
    import glob

    banned = {"pygame", "pygame_gui", "random", "time", "os", "io", "open", "datetime.now", "subprocess", "faker"}
    for path in glob.glob(os.path.join(ROOT, "tabletop", "core", "*.py")):
        tree = ast.parse(open(path, encoding="utf-8").read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [(node.module or "").split(".")[0]]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                names = ["open"]
            elif isinstance(node, ast.Attribute) and node.attr in ("now", "today", "utcnow"):
                names = ["datetime.now"]
            else:
                continue
            assert not (set(names) & banned), f"{path}: {names}"
