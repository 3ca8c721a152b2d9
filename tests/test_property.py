"""Random command sequences only ever produce events or rejections, never an exception."""

from hypothesis import HealthCheck, given, settings, strategies as st

from tabletop import api, plugins
from tabletop.core.commands import Command

ROLES = ["facilitator", "central", "commander", "supply", "mobilization", "civil_affairs", "comms", "health", "nobody"]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 50), st.text(max_size=6),
                   st.sampled_from(["hualien", "jian", "B01", "W04", "m-1", "rice", "wh_port", "central"]),
                   st.lists(st.integers(0, 3), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@st.composite
def commands(draw):
    registry = plugins.command_registry()
    kind = draw(st.sampled_from(sorted(registry) + ["advance"] * 6 + ["bogus"]))
    spec = registry.get(kind)
    fields = sorted(spec.args.model_fields) if spec else []
    args = {name: draw(VALUES) for name in fields if draw(st.booleans())}
    if draw(st.integers(0, 9)) == 0:
        args["unexpected"] = 1
    role = draw(st.sampled_from(ROLES))
    county = None if role in ("facilitator", "central") and draw(st.integers(0, 4)) else draw(st.sampled_from(["hualien", "mars", None]))
    turn = draw(st.sampled_from([None, None, None, 0, 1, 2]))
    return Command(turn, county, role, kind, args)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(commands(), min_size=1, max_size=60))
def test_random_commands_never_raise(default_scenario, sequence):
    session, header = api.new_session(default_scenario, 3)
    for command in sequence:
        out = session.submit(command)
        assert out and out[0]["type"] == "command"
        for record in out[1:]:
            assert record["type"] == "event"
            if record["kind"] == "command_rejected":
                assert record["data"]["rule"] != "internal", record
                assert record["data"]["rule"] and record["data"]["reason"]["zh_TW"] and record["data"]["reason"]["en"]
