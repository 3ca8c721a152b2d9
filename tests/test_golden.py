"""Golden sessions: logs of fixed scenarios, seeds and actions that this engine must keep writing
byte for byte. An outcome change is a deliberate log-format bump with regenerated goldens
(`python tools/make_goldens.py`) and a line in docs/log-format.md, "Format history"."""

import gzip
import os
import sys

import pytest

from conftest import ROOT
from tabletop import api
from tabletop.logfile import read_header
from tabletop.replay import verify

sys.path.insert(0, os.path.join(ROOT, "tools"))
import make_goldens  # noqa: E402


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return str(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", sorted(make_goldens.SESSIONS))
def test_golden_session_is_written_byte_for_byte_and_verifies_replays_and_scores(name, work):
    golden = make_goldens.stored(name)
    assert make_goldens.play(name, work) == golden, (
        f"{name}: this engine writes other bytes than the golden session; if the change is meant, "
        "bump api.LOG_FORMAT, run tools/make_goldens.py and note it in docs/log-format.md")
    path = os.path.join(work, f"{name}.golden.jsonl")
    with open(path, "wb") as handle:
        handle.write(golden)
    assert read_header(path)["data"]["format"] == api.LOG_FORMAT
    verdict = verify(path)
    assert verdict.ok, verdict.message
    from tabletop.replay.timeline import Replay

    with Replay(path, progress=False) as replay:
        assert replay.integrity.ok and replay.count == verdict.records
        assert replay.session_at(replay.count - 1).seq == verdict.records
    from tabletop.scoring import engine, logview

    scored = engine.score(logview.load(path, progress=False))
    assert scored["overall"]["score"] is not None


def test_goldens_are_gzip_of_canonical_lines():
    for name in make_goldens.SESSIONS:
        with gzip.open(make_goldens.path_of(name), "rb") as handle:
            data = handle.read()
        assert data.endswith(b"\n") and b"\r" not in data
