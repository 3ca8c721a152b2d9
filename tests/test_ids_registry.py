"""The ids registry keeps the journal the replay index stores snapshots' ids from (issue 17)."""

from tabletop.core import ids


def test_journal_records_every_change_in_order_and_replays_to_the_same_registry():
    registry = ids.IdRegistry({"a": "station"})
    registry["b"] = "convoy"
    registry.setdefault("c", "plan")
    registry.update({"d": "batch"})
    del registry["a"]
    registry.pop("b")
    assert registry.entered == [("a", "station"), ("b", "convoy"), ("c", "plan"), ("d", "batch"), ("a", None), ("b", None)]
    assert ids.replay({}, registry.entered) == dict(registry) == {"c": "plan", "d": "batch"}
    base = dict(registry)
    mark = len(registry.entered)
    registry["e"] = "liability"
    assert ids.replay(base, registry.entered[mark:]) == dict(registry)
