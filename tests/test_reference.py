"""The reference generated from the code (docs/commands.md, the field tables of
docs/scenario-format.md, the effect list of docs/injects.md): fresh, complete, and true."""

from __future__ import annotations

import os
import re

import pytest
import yaml
from pydantic import ValidationError

from conftest import ROOT
from tabletop import reference
from tabletop.core.commands import Args, CommandSpec, NoArgs, Rejected
from tabletop.core.parts import Parts, Plugin
from tabletop.plugins import all_plugins, parts


def _read(rel: str) -> str:
    return open(os.path.join(ROOT, rel), encoding="utf-8").read()


def test_committed_reference_is_fresh():
    for rel, text in reference.documents().items():
        assert _read(rel) == text, f"{rel} is stale: run tools/make_reference.py"


def test_every_command_kind_is_documented_with_its_roles_and_arguments():
    text = _read("docs/commands.md")
    for kind, spec in parts().commands.items():
        section = text.split(f"### `{kind}`", 1)
        assert len(section) == 2, kind
        body = section[1].split("\n### ", 1)[0]
        assert "Roles:" in body and "Lifecycle states:" in body
        for name, field in spec.args.model_fields.items():
            assert f"| `{field.alias or name}` |" in body, (kind, name)


def test_documented_examples_are_accepted_by_their_commands():
    text = _read("docs/commands.md")
    registry = parts().commands
    examples = re.findall(r"```yaml\n(- \{role: .*?)\n```", text)
    assert len(examples) == len(registry)
    for block in examples:
        (item,) = yaml.safe_load(block)
        spec = registry[item["do"]]
        spec.args.model_validate(item["args"])  # raises if the documented example is wrong
        assert "*county" in spec.roles or item["role"] in spec.roles, item


def test_rejections_come_from_the_handlers():
    text = _read("docs/commands.md")
    open_station = text.split("### `open_station`", 1)[1].split("\n### ", 1)[0]
    assert "`R.siting`" in open_station and "dist.reject.site_shared" in open_station
    requisition = text.split("### `requisition`", 1)[1].split("\n### ", 1)[0]
    assert "`art.28`" in requisition and "requisition.reject.plan_not_approved" in requisition
    generic = text.split("## Index", 1)[0]
    for rule in ("schema", "role", "phase", "turn", "duplicate_id"):
        assert f"| `{rule}` |" in generic


def test_a_new_part_is_picked_up_without_a_hand_list():
    class Probe(Args):
        #: How loud the probe is.
        volume: int = 3

    def handler(session, command, args) -> None:
        raise Rejected("probe.rule", "reject.internal")

    extra = Plugin(name="probe", commands=(CommandSpec("probe_now", ("facilitator",), Probe, handler, states=("briefing",)),
                                           CommandSpec("probe_quiet", ("commander",), NoArgs, handler)))
    text = reference.commands_markdown(Parts(all_plugins() + (extra,)))
    body = text.split("### `probe_now`", 1)[1]
    assert "How loud the probe is." in body and "`probe.rule`" in body and "`briefing`" in body
    assert "[`probe_quiet`](#probe_quiet)" in text


def _tables(text: str) -> dict[str, list[str]]:
    out = {}
    for name, body in re.findall(r"<!-- generated:(\w+) [^>]*-->\n(.*?)<!-- /generated:\1 -->", text, re.S):
        out[name] = re.findall(r"^\| `(\w+)` \|", body, re.M)
    return out


def test_every_documented_field_is_accepted():
    """Each field a generated table names is a field of the model it documents: a value for it
    is never refused as an unknown field."""
    from tabletop.scenario import model as m

    models = {"top": m.scenario_model(parts()), "meta": m.Meta, "clock": m.ClockSpec, "county": m.County,
              "township": m.Township, "warehouse": m.Warehouse, "good": m.Good, "phase": m.Phase, "inject": m.Inject,
              "expected": m.ExpectedAction, "trigger": m.Trigger, "participants": m.Participants}
    tables = _tables(_read("docs/scenario-format.md"))
    assert set(models) <= set(tables)
    for name, model in models.items():
        assert tables[name], name
        for field in tables[name]:
            try:
                model.model_validate({field: None})
            except ValidationError as err:
                unknown = [e for e in err.errors() if e["type"] == "extra_forbidden"]
                assert not unknown, (name, field)


def test_one_list_of_effects():
    injects = _read("docs/injects.md")
    listed = re.findall(r"^\| `(\w+)` \|", injects.split("<!-- generated:effects", 1)[1].split("<!-- /generated:effects")[0], re.M)
    assert listed == sorted(parts().effects)
    fmt = _read("docs/scenario-format.md")
    assert "injects.md#effects" in fmt and "`stations_suspended`" not in fmt.split("#### `effects`", 1)[1].split("###", 1)[0]


def test_the_complete_example_in_the_format_doc_validates(tmp_path):
    from tabletop.api import load_scenario_text

    text = _read("docs/scenario-format.md").split("## A complete small example", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    loaded = load_scenario_text(example, "example.yaml")
    assert [p for p in loaded.problems if p.is_error] == [] or all("default_actions" in p.message for p in loaded.problems)


@pytest.mark.parametrize("schema,expected", [
    ({"type": "string", "pattern": reference.ID_PATTERN}, "Id"),
    ({"type": "integer", "minimum": 1, "maximum": 3650}, "integer ≥ 1, ≤ 3,650"),
    ({"type": "string", "pattern": "^(a|b)$"}, "one of `a`, `b`"),
    ({"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None}, "integer"),
])
def test_type_text(schema, expected):
    assert reference.type_text(schema, {}) == expected
