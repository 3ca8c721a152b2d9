"""Hostile input (issue 13, item 5): scenario files, actions files and console form values
accept only what canonical JSON holds and every reader agrees on. Every refusal is located
(``file:line:col: message``; the field for a form), exit 2 from the CLI, never a traceback
and never a hang."""

import os
import time

import pytest

from conftest import FIXTURES, SCENARIO, cli
from tabletop.scenario.actions import read_actions
from tabletop.scenario.validate import Caps
from tabletop.api import load_scenario_file

MINIMAL = open(os.path.join(FIXTURES, "minimal.yaml"), encoding="utf-8").read()
LAST = MINIMAL.count("\n")  # 23: appended lines start at 24


def _scenario(tmp_path, extra="", replace=None, name="s.yaml"):
    text = MINIMAL
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1])
    path = tmp_path / name
    path.write_text(text + extra, encoding="utf-8")
    return str(path)


def _problems(path, **kwargs):
    loaded = load_scenario_file(path, **kwargs)
    assert not loaded.ok
    return [str(p) for p in loaded.problems]


def _actions(tmp_path, text, name="actions.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


EXPECTED = "    expected:\n      - {kind: announce, capability: public_information, args: %s}\n"


# ----- numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("written, shown", [(".nan", "nan"), (".inf", "inf"), ("-.inf", "-inf"), ("1.0e+400", "inf")])
def test_nan_and_infinities_are_refused_at_their_position(tmp_path, written, shown):
    path = _scenario(tmp_path, EXPECTED % f"{{level: {written}}}")
    assert f"{path}:25:72: injects[0].expected[0].args.level: {shown} is not a finite number " \
           "(NaN and infinities cannot be logged)." in _problems(path)


def test_nan_in_a_typed_field(tmp_path):
    path = _scenario(tmp_path, replace=("per_person_per_day: 0.25", "per_person_per_day: .nan"))
    assert f"{path}:9:74: goods[0].per_person_per_day: nan is not a finite number " \
           "(NaN and infinities cannot be logged)." in _problems(path)


def test_integers_beyond_2_53_are_refused(tmp_path):
    path = _scenario(tmp_path, replace=("population: 1000", f"population: {2**53}"))
    assert f"{path}:14:56: counties[0].townships[0].population: the integer is outside the range a log " \
           f"can hold (±{2**53 - 1})." in _problems(path)
    edge = _scenario(tmp_path, replace=("stock: {rice: 100}", f"stock: {{rice: {2**53 - 1}}}"), name="edge.yaml")
    assert load_scenario_file(edge).ok  # the largest safe integer is fine
    negative = _scenario(tmp_path, EXPECTED % f"{{n: {-(2**53)}}}", name="neg.yaml")
    assert any(p.startswith(f"{negative}:25:68: injects[0].expected[0].args.n: the integer is outside")
               for p in _problems(negative))


def test_a_5000_digit_integer_is_refused_without_converting_it(tmp_path):
    path = _scenario(tmp_path, EXPECTED % ("{n: " + "9" * 5000 + "}"))
    started = time.perf_counter()
    problems = _problems(path)
    assert time.perf_counter() - started < 5
    assert f"{path}:25:68: injects[0].expected[0].args.n: the integer is outside the range a log can hold " \
           f"(±{2**53 - 1})." in problems


def test_unreadable_explicit_scalars_are_located_not_raised(tmp_path):
    path = _scenario(tmp_path, EXPECTED % "{n: !!int abc, b: !!bool maybe}")
    problems = _problems(path)
    assert f"{path}:25:68: the value 'abc' cannot be read as 'tag:yaml.org,2002:int'" in problems
    assert f"{path}:25:82: the value 'maybe' cannot be read as 'tag:yaml.org,2002:bool'" in problems


# ----- keys ---------------------------------------------------------------------------------

def test_non_string_keys_at_the_top_level(tmp_path):
    path = _scenario(tmp_path, "1: x\ntrue: y\n~: z\n")
    problems = _problems(path)
    for line, key in ((24, "1"), (25, "true"), (26, "~")):
        assert f"{path}:{line}:1: top level: the key {key} is not text (only text keys are accepted)." in problems


def test_non_string_keys_nested_inside_args(tmp_path):
    path = _scenario(tmp_path, EXPECTED % "{deep: {1: a, 2.5: b, [x]: c}}")
    problems = _problems(path)
    where = "injects[0].expected[0].args.deep"
    assert f"{path}:25:72: {where}: the key 1 is not text (only text keys are accepted)." in problems
    assert f"{path}:25:78: {where}: the key 2.5 is not text (only text keys are accepted)." in problems
    assert f"{path}:25:86: {where}: the key ['x'] is not text (only text keys are accepted)." in problems


def test_non_string_keys_in_an_actions_file(tmp_path):
    path = _actions(tmp_path, "- {turn: 1, county: hualien, role: commander, do: acknowledge, args: {inject: B01}}\n"
                              "- {turn: 1, county: hualien, role: commander, do: announce, args: {audience: {1: a}}}\n")
    read = read_actions(path)
    assert not read.ok and not read.actions
    assert [str(p) for p in read.problems] == [
        f"{path}:2:79: [1].args.audience: the key 1 is not text (only text keys are accepted)."]
    top = _actions(tmp_path, "- {turn: 1, role: facilitator, do: draw_card, args: {true: x}}\n", name="top.yaml")
    assert [str(p) for p in read_actions(top).problems] == [
        f"{top}:1:54: [0].args: the key true is not text (only text keys are accepted)."]


# ----- tags and dates -----------------------------------------------------------------------

@pytest.mark.parametrize("value, tag, col", [
    ("!!binary aGVsbG8=", "binary", 68),
    ("!!set {a, b}", "set", 68),
    ("!!timestamp 2026-07-01", "timestamp", 68),
    ("&d !!timestamp 2026-07-01", "timestamp", 68),
    ("!!python/object/apply:os.system [echo]", "python/object/apply:os.system", 68),
    ("!!omap [{a: 1}]", "omap", 68),
])
def test_non_json_tags_are_refused(tmp_path, value, tag, col):
    path = _scenario(tmp_path, EXPECTED % f"{{v: {value}}}")
    assert f"{path}:25:{col}: tag 'tag:yaml.org,2002:{tag}' is not allowed; only plain YAML is read" in _problems(path)


def test_plain_dates_stay_strings(tmp_path):
    from tabletop.scenario.yamlnodes import load_located

    doc, problems = load_located("a: 2026-07-01\nb: 2026-07-01 08:00:00+08:00\nc: [2026-07-01]\n", "d.yaml")
    assert problems == []
    assert doc.value == {"a": "2026-07-01", "b": "2026-07-01 08:00:00+08:00", "c": ["2026-07-01"]}
    # a scenario whose date-valued field is written plainly still loads
    path = _scenario(tmp_path, replace=('start: "2026-07-14T08:00:00+08:00"', "start: 2026-07-14T08:00:00+08:00"))
    assert load_scenario_file(path).ok


# ----- size: aliases, nesting, strings, counts ----------------------------------------------

def _bomb(levels=9):
    rows = ["lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(rows) + "\n"


def test_alias_bomb_is_refused_fast(tmp_path):
    path = _scenario(tmp_path, _bomb(9))  # a billion laughs: 10^9 values once expanded
    started = time.perf_counter()
    problems = _problems(path)
    elapsed = time.perf_counter() - started
    assert elapsed < 2, elapsed
    # refused at the alias that goes over 500,000 (line 29 is lol5: 10^6 values)
    assert problems == [f"{path}:29:27: more than 500000 values (aliases expanded)"]


def test_alias_bomb_in_an_actions_file_and_a_recursive_alias(tmp_path):
    bomb = _actions(tmp_path, _bomb(9), name="bomb.yaml")
    started = time.perf_counter()
    read = read_actions(bomb)
    assert time.perf_counter() - started < 2
    assert [str(p) for p in read.problems] == [f"{bomb}:6:27: more than 500000 values (aliases expanded)"]
    loop = _actions(tmp_path, "- &me {turn: 1, role: facilitator, do: draw_card, args: {deck: *me}}\n", name="loop.yaml")
    read = read_actions(loop)
    assert not read.ok and "nested deeper than 32 levels" in read.problems[0].message


def test_deep_nesting_is_refused_without_recursion(tmp_path):
    path = _scenario(tmp_path, "zz: " + "[" * 100_000 + "]" * 100_000 + "\n")
    started = time.perf_counter()
    problems = _problems(path)
    assert time.perf_counter() - started < 5
    assert problems == [f"{path}:24:36: nested deeper than 32 levels"]


def test_huge_strings_and_keys_are_refused(tmp_path):
    path = _scenario(tmp_path, replace=("title: {zh_TW: 標題, en: Title}", "title: {zh_TW: 標題, en: " + "x" * 100_001 + "}"))
    assert f"{path}:22:28: injects[0].title.en: text of length 100001 exceeds the limit of 100000." in _problems(path)
    # (a key that long must be an explicit "? key" in YAML)
    key = _scenario(tmp_path, "    expected:\n      - kind: announce\n        capability: public_information\n"
                    "        args:\n          ? " + "k" * 100_001 + "\n          : 1\n", name="key.yaml")
    assert f"{key}:28:11: injects[0].expected[0].args: text of length 100001 exceeds the limit of 100000." \
           in _problems(key)


def test_long_lists_are_refused(tmp_path):
    from tabletop.scenario.yamlnodes import Limits

    path = _scenario(tmp_path, EXPECTED % ("{l: [" + ", ".join(["1"] * 11) + "]}"))
    assert f"{path}:25:68: injects[0].expected[0].args.l: 11 items exceed the limit of 10." \
           in _problems(path, limits=Limits(max_items=10))


def test_huge_requisition_generate_counts_are_refused(tmp_path):
    path = _scenario(tmp_path, "requisition:\n  generate:\n    owners: 1000000000\n")
    assert f"{path}:26:13: requisition.generate.owners: must be at most 20000, found 1000000000" in _problems(path)
    per_county = _scenario(tmp_path, "requisition:\n  generate:\n    owners: 15000\n    people: {driver: 15000}\n",
                           name="county.yaml")
    assert any(p.startswith(f"{per_county}:26:5: requisition.generate: 30000 registry entries per county")
               for p in _problems(per_county))
    total = _scenario(tmp_path, "requisition:\n  generate:\n    owners: 11\n", name="total.yaml")
    assert _problems(total, caps=Caps(generated=10)) == [
        f"{total}:26:5: requisition.generate asks for 11 registry entries (1 counties), more than the cap of 10"]
    # generous for the national exercise: 20,000 entries in a county still validate
    fine = _scenario(tmp_path, "requisition:\n  generate:\n    owners: 10000\n    property: {truck: 5000}\n"
                     "    people: {driver: 5000}\n", name="fine.yaml")
    assert load_scenario_file(fine).ok


def test_other_requisition_numbers_are_capped(tmp_path):
    path = _scenario(tmp_path, "requisition:\n  owner_service_days: 100000000\n  per_diem: 10000000000000\n")
    problems = _problems(path)
    assert f"{path}:25:23: requisition.owner_service_days: must be at most 365, found 100000000" in problems
    assert f"{path}:26:13: requisition.per_diem: must be at most 1000000000000, found 10000000000000" in problems


# ----- the CLI: exit 2, located, no traceback -------------------------------------------------

def test_cli_validate_refuses_hostile_scenario_and_actions(tmp_path):
    scenario = _scenario(tmp_path, EXPECTED % "{level: .nan, 1: x}")
    actions = _actions(tmp_path, "- {turn: 1, county: hualien, role: commander, do: announce, "
                                 "args: {audience: .inf, message: !!binary aGk=}}\n")
    done = cli("--lang", "en", "validate", scenario, SCENARIO, "--actions", actions, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert f"{scenario}:25:78: injects[0].expected[0].args: the key 1 is not text (only text keys are accepted)." in lines
    assert f"{actions}:1:93: tag 'tag:yaml.org,2002:binary' is not allowed; only plain YAML is read" in lines
    zh = cli("validate", scenario, timeout=120)
    assert zh.returncode == 2 and f"{scenario}:25:78: injects[0].expected[0].args：鍵 1 不是文字" in zh.stdout


def test_cli_run_refuses_hostile_actions_before_running(tmp_path):
    actions = _actions(tmp_path, "- {turn: 1, county: hualien, role: commander, do: announce, "
                                 f"args: {{audience: x, message: {2**60}}}}}\n")
    log = tmp_path / "l.jsonl"
    done = cli("--lang", "en", "run", SCENARIO, "--headless", "--actions", actions, "--log", str(log), timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{actions}:1:90: [0].args.message: the integer is outside the range a log can hold" in done.stderr
    assert not log.exists()


# ----- console forms ----------------------------------------------------------------------

@pytest.mark.parametrize("typed, says", [
    (".nan", "nan is not a finite number"),
    ("-.inf", "-inf is not a finite number"),
    (str(2**53), "the integer is outside the range"),
    ("9" * 5000, "the integer is outside the range"),
    ("{1: a}", "the key 1 is not text"),
    ("{rice: {true: 1}}", "the key true is not text"),
    ("!!binary aGk=", "does not accept the tag !!binary"),
    ("!!set {a}", "does not accept the tag !!set"),
    ("!!timestamp 2026-07-01", "does not accept the tag !!timestamp"),
    ("!!python/object/apply:os.system [touch /tmp/x]", "does not accept the tag !!python/object/apply:os.system"),
    ("!!str 5", "does not accept the tag !!str"),
    ("[" * 40 + "]" * 40, "nested deeper than the limit of 16"),
    ("&a [x, *a]", "nested deeper than the limit of 16"),
    ("[1, [", "Cannot read the value of"),
])
def test_console_form_values_are_refused_naming_the_field(typed, says):
    from tabletop.ui.formfields import BadValue, parse_value

    with pytest.raises(BadValue) as caught:
        parse_value(typed, int)
    text = caught.value.text("Vehicles", "en")
    assert says in text and "Vehicles" in text
    assert "車輛" in caught.value.text("車輛", "zh_TW")


def test_console_form_alias_bomb_is_refused_fast():
    from tabletop.ui.formfields import BadValue, parse_value

    started = time.perf_counter()
    with pytest.raises(BadValue) as caught:
        parse_value(_bomb(9), dict)
    assert time.perf_counter() - started < 1
    assert caught.value.text("goods", "en") == "goods: too large (more than 10000 values)."


def test_console_form_values_that_fit_are_read():
    from tabletop.ui.formfields import BadValue, parse_value

    assert parse_value("5", int) == 5
    assert parse_value("{rice: 10, water: 2.5}", dict) == {"rice": 10, "water": 2.5}
    assert parse_value("2026-07-15", str) == "2026-07-15"
    assert parse_value("2026-07-15", int) == "2026-07-15"  # a plain date stays text; the schema says what is wrong
    assert parse_value("", int) is None
    assert parse_value(str(2**53 - 1), int) == 2**53 - 1
    with pytest.raises(BadValue):
        parse_value("x" * 100_001, str)
