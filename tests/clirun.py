"""The command line as the tests run it: in this process (``cli``) or in a new interpreter
(``cli_process``, where the process itself is under test)."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*args, **kwargs):
    """Run the command line in this process, as ``run_exercise.py ARGS`` would, and return a
    ``CompletedProcess`` (exit code, stdout, stderr). ``tabletop.cli.main`` is the same code path a
    user's shell reaches; only the interpreter start-up is saved. An uncaught exception becomes exit
    1 with its traceback on stderr, as Python itself would print it. Use :func:`cli_process` where
    the process itself is under test (signals, kill -9, pipes, separate interpreters)."""
    import contextlib
    import io
    import traceback

    from tabletop import cli as command_line

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(kwargs.get("cwd", ROOT))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = command_line.main([str(arg) for arg in args])
            except SystemExit as stop:  # argparse: --help (0) and usage errors (2)
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            except Exception:  # noqa: BLE001 - reported as the interpreter would
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["run_exercise.py", *args], code, out.getvalue(), err.getvalue())


def cli_process(*args, **kwargs):
    """Run ``run_exercise.py`` in a new interpreter, as a user would; returns the CompletedProcess."""
    return subprocess.run([sys.executable, os.path.join(ROOT, "run_exercise.py"), *args],
                          capture_output=True, text=True, cwd=kwargs.get("cwd", ROOT), timeout=kwargs.get("timeout", 300),
                          env=kwargs.get("env"))
