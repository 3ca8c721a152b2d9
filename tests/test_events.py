"""Every event kind has one shape, declared once as a model; the suite checks every event it emits."""

import gzip
import os

import orjson
import pytest

from conftest import ROOT


def _parts():
    from tabletop import plugins

    return plugins.parts()


def test_the_suite_checks_every_event_it_emits():
    from tabletop.core.session import Session

    import tabletop.api  # noqa: F401  (sets the flags from TABLETOP_STRICT)

    assert Session.check_events and Session.strict


def test_every_kind_emitted_in_the_code_is_declared_and_every_declared_kind_is_emitted():
    import sys

    sys.path.insert(0, os.path.join(ROOT, "tests", "ui"))
    from test_describe import static_kinds

    emitted, declared = static_kinds(), set(_parts().events)
    assert not emitted - declared, f"emitted but declared by no part: {sorted(emitted - declared)}"
    assert not declared - emitted, f"declared but never emitted: {sorted(declared - emitted)}"


def test_an_event_that_does_not_fit_its_model_is_refused():
    from tabletop.core.events import BadEvent, check

    models = _parts().events
    check(models, "card_drawn", {"deck": "d", "inject": "i", "left": 2})
    for data in ({"deck": "d", "inject": "i"},                               # a field missing
                 {"deck": "d", "inject": "i", "left": 2, "extra": 1},       # a field not declared
                 {"deck": "d", "inject": "i", "left": "2"},                 # a string for a number
                 {"deck": "d", "inject": "i", "left": True}):               # a bool for a number
        with pytest.raises(BadEvent):
            check(models, "card_drawn", data)
    with pytest.raises(BadEvent, match="declared by no part"):
        check(models, "no_such_event", {})


def test_a_kind_declared_twice_is_an_error():
    from tabletop.core.parts import Parts, Plugin
    from tabletop.core.events import CardDrawn

    with pytest.raises(RuntimeError, match="declared twice"):
        Parts((Plugin(name="a", events={"x": CardDrawn}), Plugin(name="b", events={"x": CardDrawn})))
    with pytest.raises(RuntimeError, match="declared twice"):
        Parts((Plugin(name="a", events={"card_drawn": CardDrawn}),))


@pytest.mark.parametrize("name", ["hualien-seed1", "national-seed1"])
def test_every_event_of_a_golden_log_read_back_fits_its_model(name):
    """As readers see them (parsed JSON), not only as the engine emitted them."""
    from tabletop.core.events import check

    models = _parts().events
    kinds = set()
    with gzip.open(os.path.join(ROOT, "tests", "golden", f"{name}.jsonl.gz")) as handle:
        for line in handle:
            record = orjson.loads(line)
            if record["type"] == "event":
                check(models, record["kind"], record["data"])
                kinds.add(record["kind"])
    assert len(kinds) > (30 if name.startswith("hualien") else 10)


def test_the_event_table_in_the_log_format_doc_is_fresh():
    from tabletop import eventdoc

    text = open(os.path.join(ROOT, "docs", "log-format.md"), encoding="utf-8").read()
    assert eventdoc.replace_table(text, _parts()) == text, "docs/log-format.md is stale: run tools/make_event_docs.py"
    for kind in _parts().events:
        assert f"| `{kind}` |" in text


def test_each_part_declares_the_feed_lines_of_its_own_events():
    parts = _parts()
    for plugin in parts.all:
        for kind in plugin.feed:
            assert parts.event_owner.get(kind) == plugin.name, f"{plugin.name} declares a feed line for {kind}"
    core_owned = {"core", "foundation"}
    missing = [kind for kind, owner in parts.event_owner.items() if owner not in core_owned and kind not in parts.feed]
    assert not missing, f"part events without a feed line (Plugin.feed): {missing}"


def test_each_part_declares_its_metrics_in_its_own_package():
    from tabletop.plugins import all_metrics

    parts = _parts()
    for name, metric in all_metrics().items():
        module = metric.compute.__module__
        owner = parts.metric_owner.get(name)
        if owner is None:
            assert module == "tabletop.scoring.metrics_injects", f"{name} ({module}) is declared by no part"
        else:
            assert module.startswith(f"tabletop.{owner}."), f"{name} is {owner}'s but lives in {module}"
