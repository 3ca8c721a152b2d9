"""The checks that run beside the reader, each in a child interpreter (``python -c``): the chain
check (:func:`chain_main`) and the re-simulation (:func:`verify_main`). A plain subprocess: nothing
of the parent, its threads or its main script, is run again there. The parent reads the view
meanwhile (:mod:`tabletop.scoring.logview`) and keeps it only if the child's verdict covers the
same records; any problem in a child makes the parent check serially, which says what is wrong.
"""

from __future__ import annotations

import dataclasses
import json
import os
from typing import Any

from tabletop.logfile import check_part, iter_records, split_point


def chain_main(path: str) -> int:
    """The one chain check over the whole log; prints ``{"last": hash, "count": records}``, or
    exits 1 on any problem."""
    last, count = None, 0
    try:
        for record, _line in iter_records(path):
            last, count = record["hash"], count + 1
    except BaseException:  # noqa: BLE001  any problem: the parent reads serially and reports it
        return 1
    print(json.dumps({"last": last, "count": count}))
    return 0


def chain_part_main(path: str, middle: str, part: str, seal_only: bool = False) -> int:
    """One part of the chain check of a log split at byte ``middle``
    (:func:`tabletop.logfile.check_part`; ``part`` ``first`` or ``second``); prints what it
    found, or exits 1 on any problem."""
    try:
        found = check_part(path, int(middle), part == "first", seal_only)
    except BaseException:  # noqa: BLE001  any problem: the parent reads serially and reports it
        return 1
    print(json.dumps(found))
    return 0


def verify_main(path: str) -> int:
    """The full re-simulation (:func:`tabletop.replay.verify`); prints its verdict's fields, or
    exits 1 if it could not be run."""
    try:
        from tabletop import replay

        verdict = replay.verify(path)
    except BaseException:  # noqa: BLE001  the parent re-simulates serially and reports it
        return 1
    print(json.dumps(dataclasses.asdict(verdict)))
    return 0


def seal_part_main(path: str, middle: str, part: str) -> int:
    """One part of a log split at byte ``middle``, its lines only hashed (``check_part``'s
    ``seal_only``: matched against a cached view's seal); prints what it found, or exits 1."""
    return chain_part_main(path, middle, part, seal_only=True)


_MAINS: dict[str, Any] = {"chain": chain_main, "chain_part": chain_part_main, "seal_part": seal_part_main,
                          "verify": verify_main}
_CODE = "import sys; from tabletop.scoring.children import run; sys.exit(run(sys.argv[1], *sys.argv[2:]))"


def run(name: str, path: str, *args: str) -> int:
    """The child's entry point: ``name`` is ``chain``, ``chain_part`` or ``seal_part`` (``args``:
    the middle and the part) or ``verify``."""
    return int(_MAINS[name](path, *args))


class SplitChain:
    """The chain check of a log in two child interpreters, each over about half of it
    (:func:`tabletop.logfile.check_part`), for when this process has little to do meanwhile
    (a view loaded from its cache): :meth:`result` gives what one ``chain`` child gives,
    ``{"last", "count"}``, once both parts hold and join (None otherwise). A log with no line
    to split at is checked whole by one child.

    ``seal_only`` (a view loaded from its cache, to be kept only if the log still ends in the
    seal a whole check established when the cache was written): the parts' lines are hashed,
    not parsed. The seal, the count and SHA-256 bind every byte of the log to the bytes that
    whole check read, so parsing them again would find nothing new (and costs two thirds of the
    check)."""

    def __init__(self, path: str, seal_only: bool = False) -> None:
        try:
            middle = split_point(path)
        except Exception:  # noqa: BLE001  unreadable: the one child fails the same way
            middle = None
        if middle is None:
            self._children = [Child("chain", path)]
        else:
            name = "seal_part" if seal_only else "chain_part"
            self._children = [Child(name, path, str(middle), part) for part in ("first", "second")]

    def result(self) -> dict[str, Any] | None:
        found = [child.result() for child in self._children]
        if len(found) == 1:
            return found[0]
        first, second = found
        if first is None or second is None:
            return None
        if second.get("first_seq") != first.get("count") or second.get("first_prev") != first.get("last") \
                or type(first.get("count")) is not int or type(second.get("count")) is not int:
            return None
        return {"last": second.get("last"), "count": first["count"] + second["count"]}

    def close(self) -> None:
        for child in self._children:
            child.close()


class Child:
    """``name``'s check of ``path`` running in a child interpreter; :meth:`result` waits for its
    printed JSON (None: it failed or could not be started)."""

    def __init__(self, name: str, path: str, *args: str) -> None:
        import subprocess
        import sys

        import tabletop

        root = os.path.dirname(os.path.dirname(os.path.abspath(tabletop.__file__)))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([root] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
        self._proc: Any = None
        try:
            self._proc = subprocess.Popen([sys.executable, "-c", _CODE, name, path, *args], stdout=subprocess.PIPE,  # noqa: S603
                                          stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
        except OSError:
            self._proc = None

    def result(self) -> dict[str, Any] | None:
        if self._proc is None:
            return None
        out, _ = self._proc.communicate()
        if self._proc.returncode != 0:
            return None
        try:
            found = json.loads(out)
        except ValueError:
            return None
        return found if isinstance(found, dict) else None

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
