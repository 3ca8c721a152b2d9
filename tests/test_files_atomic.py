"""Nothing clobbered, nothing half-written (issue 13, item 8).

``run --log`` never truncates an earlier log; reports, notes, the replay index, state dumps,
forks and generated scenarios are written atomically (temp file, fsync, rename); a full disk
or a read-only folder is a clear message and exit 2 with no partial file; replay opens a log
in a read-only folder with its index in the per-user cache.

A full disk is simulated by making the file object's ``write`` put down half the bytes and
then raise ``OSError(ENOSPC)`` (or, for the log, the writer's ``write``); a read-only folder
is made real with ``chmod 0o555`` (or, as root, where chmod stops nothing, ``chattr +i``).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess

import pytest

from conftest import SCENARIO, cli
from tabletop import files


# ----- helpers ------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test gets its own per-user cache folder (never the real ~/.cache)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache


@pytest.fixture(scope="module")
def short_log(tmp_path_factory):
    """A two-turn session log of the default scenario (shared; copy it before changing it)."""
    from tabletop.runner import run
    from tabletop.scenario.actions import load_actions
    from tabletop.api import load_scenario_file

    from conftest import ACTIONS

    loaded = load_scenario_file(SCENARIO)
    actions, problems = load_actions(ACTIONS)
    assert loaded.ok and not problems
    path = tmp_path_factory.mktemp("shared") / "short.jsonl"
    run(loaded, 7, actions, str(path), turns=2)
    return path


def _copy_log(short_log, folder, name="log.jsonl"):
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(short_log, target)
    return target


class _FullDisk:
    """A file object whose ``write`` puts down half of what it is given, then fails with ENOSPC."""

    def __init__(self, real):
        self._real = real

    def write(self, data):
        self._real.write(bytes(data)[: len(data) // 2])
        self._real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._real.close()


@pytest.fixture
def disk_full(monkeypatch):
    """From now on every file opened for writing through our write path finds the disk full."""
    real = os.fdopen

    def fdopen(fd, *args, **kwargs):
        handle = real(fd, *args, **kwargs)
        mode = args[0] if args else kwargs.get("mode", "r")
        return _FullDisk(handle) if "w" in mode else handle

    monkeypatch.setattr(os, "fdopen", fdopen)


def _listing(folder):
    return sorted(os.listdir(folder))


def _temps(folder):
    return [name for name in os.listdir(folder) if name.endswith(".tmp") or ".tmp." in name]


def _lock_folder(folder):
    """Make ``folder`` really refuse new files; returns an undo function, or skips with the reason."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        return lambda: os.chmod(folder, 0o755)
    # As root chmod stops nothing; the immutable attribute does (ext4, xfs, btrfs; needs CAP_LINUX_IMMUTABLE).
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root (chmod does not stop root) and chattr is not installed")
    done = subprocess.run([chattr, "+i", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"running as root (chmod does not stop root) and chattr +i failed: {done.stderr.strip()}")
    try:
        probe = os.path.join(folder, ".probe")
        open(probe, "x").close()
    except OSError:
        return lambda: subprocess.run([chattr, "-i", str(folder)], check=True)
    os.remove(probe)
    subprocess.run([chattr, "-i", str(folder)], check=True)
    pytest.skip("running as root and this filesystem lets root write into an immutable folder")


# ----- the helpers themselves ---------------------------------------------------------------
def test_write_atomic_replaces_whole_and_leaves_no_temp(tmp_path):
    target = tmp_path / "deep" / "er" / "out.txt"
    files.write_atomic(target, "第一版\n")
    files.write_atomic(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    assert _temps(target.parent) == []


def test_write_atomic_on_a_full_disk_keeps_the_old_file(tmp_path, disk_full):
    target = tmp_path / "state.json"
    target.write_text("old\n")
    with pytest.raises(files.FileProblem) as caught:
        files.write_atomic(target, "new and much longer content\n" * 100)
    assert target.read_text() == "old\n"
    assert _temps(tmp_path) == []
    problem = caught.value
    assert problem.key == "files.cannot_write" and problem.params["path"] == str(target)
    assert problem.errno == errno.ENOSPC
    assert "the disk is full" in problem.text("en") and "磁碟空間已滿" in problem.text("zh_TW")


def test_write_atomic_exclusive_never_replaces(tmp_path):
    target = tmp_path / "fork.jsonl"
    target.write_text("theirs")
    with pytest.raises(files.FileProblem):
        files.write_atomic(target, "mine", exclusive=True)
    assert target.read_text() == "theirs"
    assert _temps(tmp_path) == []


def test_write_tree_atomic_is_all_or_nothing(tmp_path, monkeypatch):
    out = tmp_path / "report"
    files.write_tree_atomic(out, {"a.txt": "A1", "b.txt": "B1"})
    real = files._stage
    calls = []

    def second_fails(path, payload):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, payload)

    monkeypatch.setattr(files, "_stage", second_fails)
    with pytest.raises(files.FileProblem):
        files.write_tree_atomic(out, {"a.txt": "A2", "b.txt": "B2"})
    assert (out / "a.txt").read_text() == "A1" and (out / "b.txt").read_text() == "B1"
    assert _listing(out) == ["a.txt", "b.txt"]


def test_user_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert files.user_cache_dir() == str(tmp_path / "xdg" / "tabletop")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert files.user_cache_dir() == str(tmp_path / "home" / ".cache" / "tabletop")


def test_sweep_removes_temps_of_dead_processes_only(tmp_path):
    target = tmp_path / "LOG.replay-index"
    proc = subprocess.Popen(["true"])
    proc.wait()
    stale = tmp_path / f".LOG.replay-index.{proc.pid}-abcd.tmp"
    mine = tmp_path / f".LOG.replay-index.{os.getpid()}-abcd.tmp"
    other = tmp_path / ".unrelated.1-abcd.tmp"
    for path in (stale, mine, other):
        path.write_text("x")
    assert files.sweep_temps(str(target)) == 1
    assert not stale.exists() and mine.exists() and other.exists()


# ----- run --log never clobbers -------------------------------------------------------------
def test_run_refuses_an_existing_log_and_leaves_it_untouched(tmp_path, short_log):
    log = _copy_log(short_log, tmp_path)
    before = log.read_bytes()
    done = cli("--lang", "en", "run", SCENARIO, "--headless", "--log", str(log), "--quiet")
    assert done.returncode == 2
    assert f"{log} already exists" in done.stderr and "--force" in done.stderr and "--resume" in done.stderr
    assert "Traceback" not in done.stderr
    assert log.read_bytes() == before
    zh = cli("run", SCENARIO, "--headless", "--log", str(log), "--quiet")
    assert zh.returncode == 2 and "已存在" in zh.stderr
    # --resume OTHER --log EXISTING would copy over it: refused too
    other = _copy_log(short_log, tmp_path, "other.jsonl")
    done = cli("run", SCENARIO, "--headless", "--resume", str(other), "--log", str(log), "--quiet")
    assert done.returncode == 2 and log.read_bytes() == before
    assert _temps(tmp_path) == []


def test_run_force_overwrites(tmp_path, short_log):
    from tabletop import cli as tcli
    from tabletop.replay import verify

    log = tmp_path / "log.jsonl"
    log.write_bytes(b"an earlier session's log\n")
    assert tcli.main(["run", SCENARIO, "--headless", "--seed", "3", "--turns", "1", "--log", str(log), "--quiet",
                      "--force"]) == 0
    assert b"earlier" not in log.read_bytes() and verify(str(log)).ok


def test_run_on_a_full_disk_says_so_and_keeps_every_accepted_command(tmp_path, short_log, monkeypatch, capsys):
    """The disk fills up mid-session: exit 2 with a message, the log holds every command
    written before, and ``--resume`` later finishes it byte-identically."""
    from tabletop import cli as tcli
    from tabletop import logfile

    from conftest import ACTIONS

    log = tmp_path / "full.jsonl"
    real, calls = logfile.LogWriter.write, []

    def write(self, records, *args, **kwargs):
        calls.append(1)
        if len(calls) >= 6:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, records, *args, **kwargs)

    monkeypatch.setattr(logfile.LogWriter, "write", write)
    argv = ["--lang", "en", "run", SCENARIO, "--headless", "--seed", "7", "--turns", "2", "--actions", ACTIONS,
            "--log", str(log), "--quiet"]
    assert tcli.main(argv) == 2
    err = capsys.readouterr().err
    assert f"cannot write the log {log}: the disk is full" in err and f"--resume {log}" in err
    written = log.read_bytes()
    reference = short_log.read_bytes()
    assert written and reference.startswith(written) and written.endswith(b"\n")
    assert written.count(b'"type":"command"') >= 4  # the commands accepted before the disk filled
    monkeypatch.setattr(logfile.LogWriter, "write", real)
    assert tcli.main(argv + ["--resume", str(log)]) == 0
    assert log.read_bytes() == reference


def test_console_never_truncates_an_existing_log(tmp_path, short_log):
    from tabletop.api import load_scenario_file
    from tabletop.ui.console import Console

    log = _copy_log(short_log, tmp_path)
    before = log.read_bytes()
    with pytest.raises(files.FileProblem) as caught:
        Console.start(load_scenario_file(SCENARIO), 1, str(log))
    assert caught.value.key == "files.console_log_exists"
    assert "--resume" in caught.value.text("en")
    assert log.read_bytes() == before


# ----- reports ------------------------------------------------------------------------------
def test_report_on_a_full_disk_leaves_no_partial_file(tmp_path, short_log, disk_full, capsys):
    from tabletop import cli as tcli

    out = tmp_path / "aar"
    out.mkdir()
    (out / "index.html").write_text("<p>last year's report</p>")
    assert tcli.main(["--lang", "en", "report", str(short_log), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "the disk is full" in err and "Traceback" not in err
    assert (out / "index.html").read_text() == "<p>last year's report</p>"
    assert _listing(out) == ["index.html"]  # no report.md, no score.json, no temporary file


def test_report_writes_all_three(tmp_path, short_log):
    from tabletop.scoring import logview, report

    written = report.write(logview.load(str(short_log)), str(tmp_path / "aar"), "en")
    assert [os.path.basename(p) for p in written] == ["index.html", "report.md", "score.json"]
    assert _listing(tmp_path / "aar") == ["index.html", "report.md", "score.json"]
    assert (tmp_path / "aar" / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_compare_on_a_full_disk_exits_2(tmp_path, short_log, disk_full, capsys):
    from tabletop import cli as tcli

    out = tmp_path / "cmp"
    assert tcli.main(["compare", str(short_log), str(short_log), "--out", str(out)]) == 2
    assert "磁碟空間已滿" in capsys.readouterr().err
    assert _listing(out) == []


# ----- replay: notes, dumps, forks, the index -----------------------------------------------
def test_notes_are_written_atomically(tmp_path, short_log, monkeypatch):
    from tabletop.replay.notes import Notes, header_hash_of

    log = _copy_log(short_log, tmp_path)
    notes = Notes(str(log), header_hash_of(str(log)))
    notes.add(3, "first finding", "reviewer")
    saved = (tmp_path / "log.jsonl.notes.json").read_bytes()
    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _FullDisk(real(fd, *a, **k)))
    with pytest.raises(files.FileProblem):
        notes.add(5, "second finding")
    assert [n.seq for n in notes.items] == [3]  # the unsaved note is not kept either
    assert (tmp_path / "log.jsonl.notes.json").read_bytes() == saved
    assert _temps(tmp_path) == []


def test_dump_state_on_a_full_disk(tmp_path, short_log, disk_full, capsys):
    from tabletop import cli as tcli

    log = _copy_log(short_log, tmp_path / "logs")
    out = tmp_path / "dump.json"
    out.write_text("{}\n")
    assert tcli.main(["replay", str(log), "--at", "10", "--dump-state", str(out), "--lang", "en"]) == 2
    assert "the disk is full" in capsys.readouterr().err
    assert out.read_text() == "{}\n" and _temps(tmp_path) == []


def test_dump_state_and_fork_write_whole_files(tmp_path, short_log):
    from tabletop.replay import verify
    from tabletop.ui.replay.command import _write
    from tabletop.replay.fork import fork
    from tabletop.replay.timeline import Replay, dumps_state

    log = _copy_log(short_log, tmp_path)
    with Replay(str(log), progress=False) as replay:
        _write(str(tmp_path / "out" / "state.json"), dumps_state(replay.dump_state(20)))
        made = fork(replay, 20, str(tmp_path / "fork.jsonl"))
    assert (tmp_path / "out" / "state.json").read_text(encoding="utf-8").endswith("}\n")
    assert made.path == str(tmp_path / "fork.jsonl") and verify(made.path).ok
    assert _temps(tmp_path) == []


def test_fork_on_a_full_disk_and_onto_an_existing_file(tmp_path, short_log, monkeypatch):
    from tabletop import logfile
    from tabletop.replay.fork import ForkError, fork
    from tabletop.replay.timeline import Replay

    log = _copy_log(short_log, tmp_path)
    taken = tmp_path / "taken.jsonl"
    taken.write_text("someone's file\n")
    with Replay(str(log), progress=False) as replay:
        with pytest.raises(ForkError) as caught:
            fork(replay, 20, str(taken))
        assert caught.value.problem.key == "files.fork_exists" and "never overwrites" in caught.value.text("en")
        assert taken.read_text() == "someone's file\n"

        real, calls = logfile.LogWriter.write, []

        def write(self, records, *args, **kwargs):
            calls.append(1)
            if len(calls) == 3:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(self, records, *args, **kwargs)

        monkeypatch.setattr(logfile.LogWriter, "write", write)
        with pytest.raises(ForkError) as caught:
            fork(replay, 20, str(tmp_path / "new.jsonl"))
        assert "the disk is full" in caught.value.text("en")
    assert not (tmp_path / "new.jsonl").exists()
    assert _temps(tmp_path) == []


def test_index_that_cannot_be_written_beside_the_log_goes_to_the_cache(tmp_path, short_log, monkeypatch,
                                                                      private_cache):
    """The log's folder refuses new files (simulated, so it runs everywhere, root included)."""
    from tabletop.replay import index as ix
    from tabletop.replay.timeline import Replay

    folder = tmp_path / "media"
    log = _copy_log(short_log, folder)
    before = _listing(folder)
    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if str(path).startswith(str(folder)) and flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    with Replay(str(log), progress=False) as replay:
        assert replay.built and replay.index.path == ix.cache_index_path(str(log))
        assert replay.integrity.ok
    assert _listing(folder) == before
    monkeypatch.setattr(os, "open", real_open)
    with Replay(str(log), progress=False) as replay:  # found in the cache and used, not rebuilt
        assert not replay.built and replay.index.path == ix.cache_index_path(str(log))
    assert _listing(folder) == before


def test_index_on_a_full_disk_is_never_half_written(tmp_path, short_log, monkeypatch):
    """SQLite reports the full disk mid-build: the temporary index is removed, the next place
    is tried; when no place can be written the index is held in memory and replay still works."""
    from tabletop.replay import index as ix
    from tabletop.replay.timeline import Replay

    log = _copy_log(short_log, tmp_path / "logs")
    real = ix._fill

    def full(db, *args, **kwargs):
        made = real(db, *args, **kwargs)
        if db.execute("PRAGMA database_list").fetchone()[2]:  # a file on disk (memory has no file name)
            raise sqlite3.OperationalError("database or disk is full")
        return made

    monkeypatch.setattr(ix, "_fill", full)
    with Replay(str(log), progress=False) as replay:
        assert replay.index.path == ix.MEMORY
        assert replay.index.problem is not None and "the disk is full" in replay.index.problem.text("en")
        assert replay.count == replay.source.lines and replay.integrity.ok
        replay.index.put_score(3, {"x": 1})  # the cache in memory takes it
    assert _listing(tmp_path / "logs") == ["log.jsonl"]
    assert not os.path.exists(ix.cache_index_path(str(log)))
    assert not os.listdir(os.path.dirname(ix.cache_index_path(str(log))))


def test_replay_of_a_log_in_a_read_only_folder(tmp_path, short_log, private_cache):
    """A real read-only folder: replay works, writes nothing beside the log, keeps its index
    in the per-user cache; a copy of the log elsewhere gets its own index."""
    from tabletop import cli as tcli
    from tabletop.replay import index as ix
    from tabletop.replay.timeline import Replay

    folder = tmp_path / "dvd"
    log = _copy_log(short_log, folder)
    before = _listing(folder)
    undo = _lock_folder(folder)
    try:
        assert tcli.main(["replay", str(log), "--check"]) == 0
        with Replay(str(log), progress=False) as replay:
            assert not replay.built and replay.index.path == ix.cache_index_path(str(log))
            assert replay.dump_state(replay.count - 1)["at"]["seq"] == replay.count - 1
        # a note cannot be saved beside it: a clear message, exit 2, nothing written
        assert tcli.main(["--lang", "en", "replay", str(log), "--bookmark"]) == 2
        assert _listing(folder) == before
    finally:
        undo()
    assert os.path.isfile(ix.cache_index_path(str(log)))
    other = _copy_log(short_log, tmp_path / "elsewhere")
    assert ix.cache_index_path(str(other)) != ix.cache_index_path(str(log))


def test_snapshots_are_placed_by_record_count_not_the_clock(tmp_path, short_log, monkeypatch):
    import time

    from tabletop.replay.timeline import Replay

    log = _copy_log(short_log, tmp_path)
    with Replay(str(log), progress=False, rebuild=True, every=30) as replay:
        first = replay.index.snapshot_seqs()
    clock = iter(range(0, 10**9, 1000))  # every reading of the clock a thousand seconds later
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(clock)))
    with Replay(str(log), progress=False, rebuild=True, every=30) as replay:
        assert replay.index.snapshot_seqs() == first
    assert len(first) >= 2


# ----- the national generator ---------------------------------------------------------------
def test_national_generator_writes_both_or_neither(tmp_path, disk_full):
    from tabletop.scenario import national

    out = tmp_path / "national"
    out.mkdir()
    (out / "scenario.yaml").write_text("# last run\n")
    with pytest.raises(files.FileProblem):
        national.write(str(out), turns=3, injects_per_county=1)
    assert _listing(out) == ["scenario.yaml"] and (out / "scenario.yaml").read_text() == "# last run\n"
