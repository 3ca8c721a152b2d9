"""Property tests of the record: whatever is submitted, the log the engine writes verifies,
and a resume from any point of it continues byte-identically.

Hypothesis generates commands of every kind with unknown, missing and misspelt arguments
in any order, nested values of every JSON type, in every lifecycle state (facilitator
controls are mixed in, so sequences reach briefing, every running phase, pause, hotwash
and closed).
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tabletop import api, i18n, plugins
from tabletop.core.commands import Command
from tabletop.core.jsonsafe import MAX_INT
from tabletop.logfile import LogWriter
from tabletop.replay import reopen, verify

ROLES = ["facilitator", "central", "commander", "supply", "mobilization", "civil_affairs", "comms", "health", "nobody"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-MAX_INT, MAX_INT), st.integers(-5, 50),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=6),
                    st.sampled_from(["hualien", "jian", "B01", "W04", "m-1", "rice", "wh_port", "central", "st_city"]))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(st.text(max_size=4), inner, max_size=3)),
                    max_leaves=8)
CONTROLS = ["start", "advance", "advance", "advance", "advance", "pause", "resume", "end_exercise", "close"]


def _misspell(name: str, draw) -> str:
    if not name:
        return "x"
    at = draw(st.integers(0, len(name) - 1))
    return name[:at] + draw(st.sampled_from("aezq_")) + name[at + 1:]


@st.composite
def commands(draw):
    if draw(st.integers(0, 3)) == 0:
        return Command(None, None, "facilitator", draw(st.sampled_from(CONTROLS)), {})
    registry = plugins.command_registry()
    kind = draw(st.sampled_from(sorted(registry) + ["bogus"]))
    spec = registry.get(kind)
    fields = [f.alias or name for name, f in spec.args.model_fields.items()] if spec else []
    args = {}
    for name in draw(st.permutations(fields)):  # any order, some missing
        choice = draw(st.integers(0, 5))
        if choice == 0:
            continue
        args[_misspell(name, draw) if choice == 1 else name] = draw(JSON)
    for _ in range(draw(st.integers(0, 2))):
        args[draw(st.text(min_size=1, max_size=3))] = draw(JSON)  # unknown arguments
    role = draw(st.sampled_from(ROLES))
    county = None if role in ("facilitator", "central") and draw(st.integers(0, 4)) else draw(st.sampled_from(["hualien", "mars", None]))
    turn = draw(st.sampled_from([None, None, None, 0, 1, 2]))
    return Command(turn, county, role, kind, args)


def _write(path, loaded, sequence):
    session, header = api.new_session(loaded, 3)
    with LogWriter(path) as writer:
        writer.write([header], sync=True)
        for command in sequence:
            out = session.submit(command)
            assert out and out[0]["type"] == "command"
            for record in out[1:]:
                assert record["type"] == "event"
                if record["kind"] == "command_rejected":
                    assert record["data"]["rule"] != "internal", record
                    assert i18n.reason(record["data"], "zh_TW") and i18n.reason(record["data"], "en")
            writer.write(out)
    return session


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(commands(), min_size=1, max_size=40), cut=st.floats(0, 1), torn=st.booleans())
def test_every_log_verifies_and_resumes_byte_identically(default_scenario, tmp_path_factory, sequence, cut, torn):
    folder = tmp_path_factory.mktemp("prop")
    full = os.path.join(folder, "full.jsonl")
    _write(full, default_scenario, sequence)
    verdict = verify(full)
    assert verdict.ok, verdict.message
    data = open(full, "rb").read()
    # Kill at a random byte: whole lines up to there, and maybe a torn half line after them.
    at = int(len(data) * cut)
    header_end = data.index(b"\n") + 1
    keep = max(header_end, data.rfind(b"\n", 0, at) + 1)
    partial = data[:keep] + (data[keep:at] if torn and at > keep else b"")
    part = os.path.join(folder, "part.jsonl")
    with open(part, "wb") as handle:
        handle.write(partial)
    opened = reopen(part)
    done = sum(1 for record in opened.commands)
    with opened.writer as writer:
        for command in sequence[done:]:
            writer.write(opened.session.submit(command))
    assert open(part, "rb").read() == data
