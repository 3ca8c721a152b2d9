"""Every event kind the engine can emit has a feed line (``ui.ev.<kind>``) and describe() fills it
with names, never showing the raw kind: checked on a full default run and on a sample of
each kind the default run does not reach."""

import json
import os
import re
from pathlib import Path

import pytest

from ui_fixtures import ROOT, loaded  # noqa: F401  (fixture)

from tabletop import api, i18n
from tabletop.ui.describe import describe

TABLETOP = Path(ROOT) / "tabletop"
LITERAL = re.compile(r"\bemit\(\s*\"([a-z_]+)\"")
ANY_EMIT = re.compile(r"\bemit\(\s*([^\s,)]+)")

#: ``emit(kind, ...)`` with a variable kind: the file, and the kinds its callers pass.
DYNAMIC = {
    "tabletop/crises/apply.py": {"mass_casualty", "displacement"},
    "tabletop/crises/plugin.py": {"casualties_treated", "displaced_registered"},
    "tabletop/requisition/common.py": {"requisition_state", "manpower_state"},
}

#: Data for the kinds (and variants) a default run does not produce, shaped as their emit sites make them.
SAMPLES = [
    ("blockade", {"goods": ["rice", "lpg"], "import_cut": 0.8}),
    ("casualties_died", {"township": "jian", "people": 3, "waiting": 12}),
    ("casualty_recorded", {"person": "hl-driver-01", "requisition": "mp-001", "outcome": "injury",
                           "treatment_cost": 12000, "on": "2026-07-16"}),
    ("channel_selected", {"link": "eoc:hualien|township:jian", "channel": "radio", "by": "hualien.comms"}),
    ("compensation_overdue", {"liability": "rq-001-L1", "county": "hualien", "due_by": "2026-07-17",
                              "amount": 19286, "basis": "art.28"}),
    ("convoy_blocked", {"convoy": "cv-002", "link": "hwy9_shoufeng_fenglin", "at": "shoufeng", "rerouted": True,
                        "minutes_left": 85, "route": ["hwy11_shoufeng_fengbin", "hwy11a_fengbin_guangfu"]}),
    ("convoy_blocked", {"convoy": "cv-003", "link": "yuli_zhuoxi", "at": "yuli", "rerouted": False, "minutes_left": None}),
    ("goods_inflow", {"place": "wh_jian", "goods": {"rice": 20000.0}, "source": "central_allocation"}),
    ("inject_forced", {"inject": "B03", "due_turn": 2}),
    ("inject_rescheduled", {"inject": "B04", "from_turn": 3, "to_turn": 5}),
    ("message_lost", {"id": "m-009", "link": "eoc:hualien|township:fengbin", "channel": "mobile"}),
    ("message_queued", {"id": "m-010", "link": "central|eoc:hualien", "channel": "satellite"}),
    ("penalty_assessed", {"party": "hl-haulier", "amount_min": 0, "amount_max": 3000000, "basis": "art.41",
                          "violated": "art.28.3", "county": "hualien", "about": "rq-003",
                          "party_name": "洄瀾物流股份有限公司（虛構）", "on": "2026-07-15"}),
    ("power_restored", {"area": ["hualien_city", "jian"]}),
    ("purchase_window", {"county": "hualien", "good": "rice", "window": 1, "lapsed": 240}),
    ("requisition_order_overdue", {"requisition": "rq-004", "county": "hualien", "due_by": "2026-07-18",
                                   "basis": "ip.emergency"}),
    ("rumour", {"rumour": "自來水已遭下毒", "audience": ["hualien_city"]}),
    ("rumour", {"rumour": "rice runs out tomorrow", "audience": []}),
    ("strike", {"target": "warehouse", "id": "wh_port", "area": [], "severity": 0.3}),
    ("strike", {"target": "bridge", "id": "hwy9_shoufeng_fenglin", "area": [], "severity": 1.0}),
    ("strike", {"target": "base_station", "id": None, "area": ["xincheng"], "severity": 0.5}),
    ("vehicle_breakdown", {"resource": "hl-truck-01"}),
    ("volunteers_missing", {"station": "st_city", "before": 34, "after": 20}),
    ("volunteers_missing", {"station": "st_gone", "before": None, "after": None}),
    # variants of kinds the run has
    ("road_state", {"road": "hwy9_shoufeng_fenglin", "closed": False, "cause": "F06"}),
    ("requisition_released", {"requisition": "rq-006", "return_to": None, "returned_to": "hl-gravel",
                              "released_on": "2026-07-17", "held_days": 1, "operators": [], "lost": True}),
    ("compensation_paid", {"liability": "rq-001-L1", "county": "hualien", "payee": "hl-haulier", "amount": 19286,
                           "paid_on": "2026-07-18", "due_by": "2026-07-17", "late": True, "basis": "art.28"}),
    ("requisition_plan_state", {"plan": "rp-002", "county": "hualien", "from": "submitted", "to": "rejected",
                                "by": "central", "reason": "重複"}),
    ("supply_status", {"county": "hualien", "days_of_supply": {}, "stations": {"open": 2}, "coverage": {}}),
    ("stockout", {"warehouse": "wh_port", "good": "water"}),
    ("station_state", {"station": "rl-x", "kind": "relief", "from": "open", "to": "suspended", "reason": "strike"}),
    ("manpower_state", {"requisition": "mp-001", "from": "noticed", "to": "failed", "trigger": "fail"}),
    ("channel_state", {"link": "eoc:hualien|township:jian", "channel": "landline", "from": "down", "to": "up",
                       "cause": "restored"}),
    ("station_order_failed", {"station": "st_jian", "order": "suspend_station", "delay_turns": 2, "rule": "station_state",
                              "key": "dist.reject.station_state",
                              "params": {"station": "st_jian", "state": {"label": "station.closing"},
                                         "kind": {"label": "command.suspend_station"}}}),
    # The evaluation part (reports, evaluators, the improvement plan, the phase clock).
    ("clock_started", {"segment": "discussion", "minutes": 50, "resumed": False, "phase": "blockade"}),
    ("clock_paused", {"segment": "discussion"}),
    ("clock_extended", {"segment": "brief", "by_minutes": 5, "minutes": 15}),
    ("clock_skipped", {"segment": "brief"}),
    ("report_submitted", {"county": "hualien", "role": "supply", "phase": "blockade", "version": 2,
                          "fields": {"situation": "米存量 28 日"}}),
    ("observation_recorded", {"county": "hualien", "role": "supply", "capability": "supply_chain", "task": None,
                              "inject": "B02", "text": "回報迅速", "phase": "blockade", "by": "evaluator"}),
    ("rating_recorded", {"county": "hualien", "role": None, "capability": "mass_care", "task": None, "rating": "S",
                         "rationale": "規劃完整", "phase": "blockade", "by": "evaluator"}),
    ("feedback_submitted", {"by": "hualien.supply", "county": "hualien", "role": "supply",
                            "fields": {"strengths": "分工清楚", "improvements": {}, "text": ""}}),
    ("ip_item_saved", {"item": "ip-01", "version": 1, "by": "facilitator",
                       "fields": {"id": "ip-01", "issue": "偏遠補給", "corrective_action": "替代路線",
                                  "capability": "supply_chain", "owner": "民政處", "due": "2026-12-31", "county": None}}),
    ("aid_requested", {"request": "rq1", "county": "hualien", "to": "hl-wh-1", "goods": {"rice": 2000}, "trucks": 1,
                       "medical_teams": 1, "shelter_places": 100}),
    ("aid_allocated", {"allocation": "al1", "request": "rq1", "county": "hualien", "lender": "hualien", "from": "hl-wh-1",
                       "goods": {"rice": 2000}, "vehicles": 1, "trucks": 1, "medical_teams": 1, "shelter_places": 0,
                       "convoy": "al1", "route": [], "eta_turn": 3, "lender_days_before": {"rice": 20.0},
                       "lender_days_after": {"rice": 18.5}}),
    ("aid_delivered", {"allocation": "al1", "request": "rq1", "county": "hualien", "lender": "hualien", "goods": {},
                       "trucks": 0, "medical_teams": 0, "shelter_places": 100, "turns": 0}),
    ("aid_filled", {"request": "rq1", "county": "hualien", "turns": 2}),
    ("aid_request_received", {"request": "rq1", "county": "hualien", "delay_turns": 1}),
]


def static_kinds() -> set[str]:
    """Every kind ``emit(...)`` is called with anywhere in tabletop/."""
    kinds: set[str] = set()
    dynamic: set[str] = set()
    for path in sorted(TABLETOP.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        kinds |= set(LITERAL.findall(text))
        for first in ANY_EMIT.findall(text):
            if not first.startswith('"') and first != "self":  # `def emit(self, ...)`
                dynamic.add(path.relative_to(ROOT).as_posix())
    assert dynamic == set(DYNAMIC), "a new emit(variable, ...): list its kinds in DYNAMIC"
    for found in DYNAMIC.values():
        kinds |= found
    return kinds


@pytest.fixture(scope="module")
def run_log(tmp_path_factory):
    """The default scenario's scripted run (what ``run_exercise.py --headless`` writes)."""
    from tabletop.runner import run
    from tabletop.scenario.actions import load_actions
    from tabletop.scenario.validate import resolve_ref
    from tabletop.api import load_scenario_file

    scenario = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")
    loaded_ = load_scenario_file(scenario)
    actions, problems = load_actions(resolve_ref(scenario, loaded_.scenario.scenario.default_actions))
    assert not problems
    path = tmp_path_factory.mktemp("run") / "run.jsonl"
    run(loaded_, 1, actions, str(path))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def played(run_log):
    """The session at the end of the run (as the console's feed sees it)."""
    session = api.session_from_header(run_log[0])
    for record in run_log[1:]:
        if record["type"] == "command":
            session.submit(api.command_from_record(record))
    return session


def check_line(text: str, kind: str, lang: str) -> None:
    assert text and not text.startswith("ui."), f"{kind}: missing string ({text})"
    assert "{" not in text and "}" not in text, f"{kind}: unfilled placeholder: {text}"
    assert text != kind and text != i18n.t("ui.ev.other", lang, kind=kind), f"{kind}: raw kind shown: {text}"
    if "_" in kind:
        assert kind not in text, f"{kind}: raw kind shown: {text}"
    if lang == "zh_TW":
        assert any(ord(c) >= 0x2E80 for c in text), f"{kind}: no Chinese in the zh_TW line: {text}"


def test_every_kind_emitted_in_the_code_has_a_feed_string():
    kinds = static_kinds()
    assert len(kinds) > 60
    missing = sorted(k for k in kinds if f"ui.ev.{k}" not in i18n.TABLE)
    assert not missing, f"no ui.ev.<kind> string for {missing}"
    for kind in kinds:
        for lang in i18n.LANGS:
            assert i18n.TABLE[f"ui.ev.{kind}"].get(lang), (kind, lang)


def test_every_kind_has_a_sample_or_is_in_the_default_run(run_log):
    reached = {r["kind"] for r in run_log if r["type"] == "event"}
    assert reached <= static_kinds(), f"kinds the scan missed: {sorted(reached - static_kinds())}"
    unchecked = static_kinds() - reached - {kind for kind, _ in SAMPLES}
    assert not unchecked, f"add a sample for {sorted(unchecked)}"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_default_run_feed_has_no_raw_kind(run_log, played, lang):
    bare = api.session_from_header(run_log[0])  # names that need the parts' state fall back to ids
    seen = set()
    for record in run_log[1:]:
        for session in (played, bare):
            check_line(describe(session, record, lang), record["kind"], lang)
        seen.add(record["kind"])
    assert {"convoy_dispatched", "requisition_state", "requisition_emergency", "report_received"} <= seen


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("kind,data", SAMPLES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(SAMPLES)])
def test_sample_kinds(played, kind, data, lang):
    record = {"type": "event", "kind": kind, "data": data, "turn": 5, "seq": 1, "actor": "engine"}
    check_line(describe(played, record, lang), kind, lang)


def _line(session, kind, data, lang="zh_TW"):
    return describe(session, {"type": "event", "kind": kind, "data": data, "turn": 1, "seq": 1, "actor": "engine"}, lang)


def test_lines_use_human_names(run_log, played):
    first = {r["kind"]: r for r in reversed(run_log) if r["type"] == "event"}
    text = lambda kind, lang="zh_TW": describe(played, first[kind], lang)  # noqa: E731
    assert "花蓮港區儲運中心" in text("convoy_dispatched") and "米（糙米）" in text("convoy_dispatched")
    assert "花蓮市" in text("convoy_dispatched")                       # the station's township
    assert "KLA-33" in text("requisition_state")                        # the requisitioned truck
    assert "EOC" in text("report_received") and "township:" not in text("report_received")
    assert "↔" in text("channel_state") and "|" not in text("channel_state")
    assert "Hualien County" in text("alert_issued", "en")
    assert "壽豐鄉—鳳林鎮" in _line(played, "road_state", {"road": "hwy9_shoufeng_fenglin", "closed": True, "cause": "F06"})
    assert "無線電" in _line(played, "channel_selected", {"link": "eoc:hualien|township:jian", "channel": "radio",
                                                        "by": "hualien.comms"})
    assert "第 28 條第 3 項" in _line(played, "penalty_assessed", dict(SAMPLES[12][1]))
    assert "公共資訊與警報發布" in text("expected_action_met")             # capability label, not its id


def test_a_record_of_another_shape_does_not_break_the_feed(played):
    # Fields missing or renamed (an older log in the replay viewer): still one line, no exception.
    for kind, _ in SAMPLES:
        assert _line(played, kind, {}, "en")
        assert _line(played, kind, {"unexpected": 1}, "zh_TW")


def test_a_deck_is_named_by_the_scenario_wherever_it_is_shown(default_scenario):
    """卡組名: the feed's card line names the deck; a deck the scenario does not name keeps its id."""
    from tabletop import api
    from tabletop.scenario.model import deck_name
    from tabletop.ui.describe import describe

    scenario = default_scenario.scenario
    assert deck_name(scenario, "evaluator") == {"zh_TW": "評核委員狀況卡", "en": "Evaluators' scenario cards"}
    assert deck_name(scenario, "nosuch") == {"zh_TW": "nosuch", "en": "nosuch"}
    session, _ = api.new_session(default_scenario, 1)
    record = {"type": "event", "kind": "card_drawn", "data": {"deck": "evaluator", "inject": "E01", "left": 2}}
    assert "評核委員狀況卡" in describe(session, record, "zh_TW") and "evaluator" not in describe(session, record, "zh_TW")
    assert "Evaluators' scenario cards" in describe(session, record, "en")


def test_every_command_argument_has_a_form_label():
    """A form never shows a raw argument name (ui.field.<name>, zh_TW and en)."""
    from tabletop import plugins

    missing = sorted({name for spec in plugins.parts().commands.values() for name in spec.args.model_fields
                      if f"ui.field.{name}" not in i18n.TABLE})
    assert not missing, f"command arguments without a ui.field label: {missing}"
