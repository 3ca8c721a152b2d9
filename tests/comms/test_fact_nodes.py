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
