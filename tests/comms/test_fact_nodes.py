"""A part's ``fact_nodes`` only skips questions whose answer is empty: a node's facts are the same
as when every part is asked about every node (the national turn asks of thousands of stations)."""

from tabletop import api, runner
from tabletop.comms import picture


def test_facts_of_every_node_are_those_of_asking_every_part(default_scenario, default_actions):
    session, _ = api.new_session(default_scenario, 7)
    turns = 8
    for command in runner.plan(default_actions, turns, turns):
        session.submit(command)
    nodes = [f"{kind}:{name}" for kind, names in sorted(session.places.items()) for name in sorted(names)]
    kinds = {node.partition(":")[0] for node in nodes}
    assert {"township", "warehouse", "station"} <= kinds
    filtered = [plugin for plugin in session.plugins if plugin.facts is not None and plugin.fact_nodes is not None]
    assert filtered, "no part declares fact_nodes: the filter is not exercised"
    said = 0
    for node in nodes:
        everyone: dict = {}
        for plugin in session.plugins:
            if plugin.facts is not None:
                facts = plugin.facts(session, node)
                if plugin.fact_nodes is not None and node.partition(":")[0] not in plugin.fact_nodes:
                    assert facts == {}, (plugin.name, node, facts)
                everyone.update(facts)
        said += bool(everyone)
        assert picture.facts_of(session, node) == dict(sorted(everyone.items())), node
    assert said > 0


def test_facts_of_many_nodes_at_once_are_those_of_each(default_scenario, default_actions):
    """``Plugin.facts_many`` (a township's stations asked at once, the national turn's path) says
    exactly what ``facts`` says of each node, keys sorted, in the nodes' order; so does
    ``picture.facts_of_all``, with it or without it."""
    session, _ = api.new_session(default_scenario, 7)
    for command in runner.plan(default_actions, 8, 8):
        session.submit(command)
    by_kind: dict = {}
    for kind, names in sorted(session.places.items()):
        by_kind[kind] = [f"{kind}:{name}" for name in sorted(names)]
    stations = by_kind["station"]
    crises = session.domain("crises")
    assert any(name in crises["stations"] for name in (n.partition(":")[2] for n in stations)), \
        "no care station: facts_many's answers are never more than empty"
    assert any(name not in crises["stations"] for name in (n.partition(":")[2] for n in stations))
    many = [plugin for plugin in session.plugins if plugin.facts_many is not None]
    assert many, "no part declares facts_many"
    for plugin in many:
        for nodes in [*by_kind.values(), stations[::-1], stations[:1] + by_kind["township"][:2]]:
            said = plugin.facts_many(session, nodes)
            each = {node: dict(sorted(plugin.facts(session, node).items())) for node in nodes}
            assert _ordered(said) == _ordered(each)
    for nodes in by_kind.values():
        assert _ordered(picture.facts_of_all(session, nodes)) == _ordered({n: picture.facts_of(session, n) for n in nodes})


def _ordered(facts: dict) -> list:
    """Node -> facts as lists of pairs: the order of nodes and of each node's keys counts."""
    return [(node, list(said.items())) for node, said in facts.items()]
