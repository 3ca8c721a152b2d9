"""The console and the evaluation part: the countdown in the top bar, the evaluators' seat and
the facilitator's forms (improvement plan, phase clock) in the seat menu but never at the
trainees' login, an improvement-plan item saved from the form screen, live stamps."""

from __future__ import annotations

import os


from ui_fixtures import ROOT  # noqa: F401  (sets the dummy SDL drivers)

from tabletop.api import load_scenario_file
from tabletop.core import wallclock
from tabletop.scenario.actions import load_actions
from tabletop.ui.app import App
from tabletop.ui.console import Console
from tabletop.ui.describe import seat_labels
from tabletop.ui.facilitator import countdown_text
from tabletop.ui.main import play_to

YILAN = os.path.join(ROOT, "scenarios", "yilan", "scenario.yaml")


def _console(tmp_path, turn):
    console = Console.start(load_scenario_file(YILAN), 1, str(tmp_path / f"y{turn}.jsonl"))
    play_to(console, load_actions(os.path.join(ROOT, "scenarios", "yilan", "actions.yaml"))[0], turn)
    return console


def test_countdown_and_form_seats(tmp_path):
    console = _console(tmp_path, 2)
    try:
        clock = console.clock()  # turn 2 after its extension: 55 minutes, 25 + 20 used at the last stamp
        assert clock["state"] == "running" and clock["remaining"] == 10 * 60
        text, _ = countdown_text(clock, "zh_TW")
        assert "10:00" in text and "討論" in text
        assert "10:00 left" in countdown_text(clock, "en")[0]
        login = seat_labels(console, "zh_TW").values()
        menu = seat_labels(console, "zh_TW", forms=True).values()
        assert ("", "evaluator") in login and ("", "facilitator") not in login
        assert ("", "facilitator") in menu
        assert {"ip_item", "clock_start", "clock_pause", "clock_extend", "clock_skip"} <= set(console.commands_for("", "facilitator"))
        assert "advance" not in console.commands_for("", "facilitator")
        assert {"rate", "observe", "feedback", "ip_item"} <= set(console.commands_for("", "evaluator"))
        assert "submit_report" in console.commands_for("yilan", "supply")

        # The facilitator's form screen saves an improvement-plan item; the console stamps it now.
        app = App(console, "zh_TW")
        app.seat = ("", "facilitator")
        app.show("trainee")
        assert "ip_item" in app.screen.kinds
        outcome = console.play(None, "facilitator", "ip_item", {
            "id": "ip-9", "issue": "通信備援不足", "corrective_action": "增設衛星電話", "capability": "communications",
            "owner": "通信", "due": "2026-12-31"})
        assert outcome.rejected is None
        saved = next(r for r in outcome.records if r["kind"] == "ip_item_saved")
        assert wallclock.is_stamp(saved["wall"]) and saved["wall"] != console.fixed_now
        app.draw()
    finally:
        console.close()
