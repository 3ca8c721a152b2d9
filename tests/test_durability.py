"""The fsync policy of docs/log-format.md: which records are durable when.

The real os.fsync is called; the test only records how far the file reached at each call.
"""

import os

from tabletop import logfile


def _watch(monkeypatch):
    durable = []
    real = os.fsync

    def fsync(fd):
        real(fd)
        durable.append(os.fstat(fd).st_size)

    monkeypatch.setattr(logfile.os, "fsync", fsync)
    return durable


def test_console_makes_every_command_durable_before_it_answers(tmp_path, monkeypatch, default_scenario):
    from tabletop.ui.console import Console

    durable = _watch(monkeypatch)
    path = str(tmp_path / "console.jsonl")
    console = Console.start(default_scenario, 1, path)
    for kind in ("start", "advance", "advance"):
        console.control(kind)
        assert durable[-1] == os.path.getsize(path)
    outcome = console.play("hualien", "commander", "announce", {"audience": "全體縣民", "message": "請保持冷靜"})
    assert outcome.records and durable[-1] == os.path.getsize(path)  # a player's command too
    outcome = console.play("hualien", "supply", "announce", {"audience": "x", "message": "y"})  # refused: still durable
    assert outcome.rejected and durable[-1] == os.path.getsize(path)
    console.close()


def test_headless_run_makes_player_commands_durable_by_the_next_facilitator_command(tmp_path, monkeypatch,
                                                                                    default_scenario, default_actions):
    """A scripted run re-issues its player commands on resume, so it syncs at the header, after every
    facilitator command (each advance) and at close: a player command is durable no later than the
    facilitator command after it."""
    from tabletop.logfile import read_records
    from tabletop.runner import run

    durable = _watch(monkeypatch)
    path = str(tmp_path / "run.jsonl")
    run(default_scenario, 1, default_actions, path, turns=2)
    data = open(path, "rb").read()
    ends, offset = [], 0
    for line in data.split(b"\n")[:-1]:
        offset += len(line) + 1
        ends.append(offset)
    records = read_records(path)
    assert durable[0] == ends[0]  # the header first
    commands = [i for i, r in enumerate(records) if r["type"] == "command"]
    batch_end = {c: ends[(commands[n + 1] if n + 1 < len(commands) else len(records)) - 1]
                 for n, c in enumerate(commands)}
    checked = 0
    for index in commands:
        facilitator = [c for c in commands if c >= index and records[c]["actor"] == "facilitator"]
        deadline = batch_end[facilitator[0]] if facilitator else len(data)
        assert any(batch_end[index] <= size <= deadline for size in durable), records[index]["kind"]
        checked += records[index]["actor"] != "facilitator"
    assert checked > 10  # player commands were among them
    assert durable[-1] == len(data)
