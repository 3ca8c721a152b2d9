"""An evaluator in Debian's Chromium (Playwright, never a downloaded browser) rates a department
of the Yilan 2026-format scenario: reads the department's response report live, picks the
county, department, capability and task from the evaluation guide, rates P with a rationale;
the rating is in the log and meets the topic judged by an evaluator. The department's page
shows the countdown and its report editor: a draft kept on the device across a reload, its
earlier versions, a new version submitted. Screenshots go to docs/img/."""

from __future__ import annotations

import os

import pytest

from conftest import ROOT
from helpers import Client, ThreadServer, new_room, seat_token
from test_browser import ARGS, CHROMIUM, choose

IMG = os.path.join(ROOT, "docs", "img")
YILAN = os.path.join(ROOT, "scenarios", "yilan", "scenario.yaml")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="Debian's chromium is not installed (.ci/run installs it with apt)")]


def test_evaluator_rates_a_department_in_a_real_browser(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from tabletop.api import load_scenario_file

    room = new_room(tmp_path, scenario=load_scenario_file(YILAN))
    with ThreadServer(room) as srv, sync_playwright() as p:
        links = srv.links()
        assert any(s["seat"] == "evaluator" and s["role"] == "evaluator" for s in links["seats"])
        facilitator = Client(srv.url, seat_token(links, "facilitator"))
        for kind in ("start", "advance", "advance"):  # turn 1's orders: T01 and T02 delivered
            facilitator.command(kind)
        commander = Client(srv.url, seat_token(links, "yilan.commander"))
        commander.command("acknowledge", inject="T01")
        assert commander.command("submit_report", situation="蘇澳港遭打擊", decisions="開設應變中心")["status"] == "accepted"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            errors: list[str] = []

            # The facilitator starts the discussion's clock from the page's clock buttons.
            control = context.new_page()
            control.on("pageerror", lambda err: errors.append(str(err)))
            control.goto(links["facilitator"]["url"])
            expect(control.locator("#conn")).to_have_class("conn on", timeout=10_000)
            expect(control.locator("#countdown")).to_contain_text("計時未開始")
            control.click("button[data-clock='clock_discussion']")
            expect(control.locator("#countdown")).to_contain_text("討論與撰寫報告 剩餘", timeout=5_000)
            expect(control.locator("button[data-clock='clock_pause']")).to_be_enabled()
            expect(control.locator("button[data-clock='clock_discussion']")).to_be_disabled()
            expect(control.locator("#reports li.report-latest[data-seat='yilan.commander']")).to_contain_text("v1")
            control.evaluate("document.fonts.ready")
            control.screenshot(path=os.path.join(IMG, "server-facilitator-clock-zh.png"))

            # The department: countdown, its earlier version, a draft kept on the device, a new version.
            page = context.new_page()
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto(next(s["url"] for s in links["seats"] if s["seat"] == "yilan.commander"))
            expect(page.locator("#conn")).to_have_class("conn on", timeout=10_000)
            expect(page.locator("#countdown")).to_contain_text("剩餘", timeout=5_000)
            expect(page.locator("#countdown")).to_have_attribute("data-state", "running")
            expect(page.locator("#report-versions li[data-version='1']")).to_contain_text("蘇澳港遭打擊")
            page.fill("#report-fields [name='situation']", "蘇澳港與龍德工業區遭打擊，市話中斷")
            page.fill("#report-fields [name='requests']", "請中央協助評估港區損害")
            page.click("#report-draft")
            expect(page.locator("#report-note")).to_contain_text("草稿")
            page.reload()
            expect(page.locator("#report-fields [name='situation']")).to_have_value("蘇澳港與龍德工業區遭打擊，市話中斷",
                                                                                     timeout=10_000)
            page.click("#report-submit")
            expect(page.locator("#report-versions li[data-version='2']")).to_contain_text("龍德工業區", timeout=5_000)
            expect(page.locator("#report-versions li[data-version='1']")).to_be_visible()
            page.evaluate("document.fonts.ready")
            page.screenshot(path=os.path.join(IMG, "server-report-zh.png"), full_page=True)

            # The evaluator reads the report live and rates the department.
            ev = context.new_page()
            ev.on("pageerror", lambda err: errors.append(str(err)))
            ev.goto(next(s["url"] for s in links["seats"] if s["seat"] == "evaluator"))
            expect(ev.locator("#conn")).to_have_class("conn on", timeout=10_000)
            expect(ev.locator("#inbox li.eeg[data-capability='operational_coordination']")).to_contain_text("指揮協調")
            expect(ev.locator("#rows li.report-latest[data-seat='yilan.commander']")).to_contain_text("v2")
            expect(ev.locator("#countdown")).to_contain_text("剩餘")
            form = next(f for f in Client(srv.url, seat_token(links, "evaluator")).seat()["forms"] if f["kind"] == "rate")
            ev.select_option("#kind", "rate")
            choose(ev, form, "county", "yilan")
            choose(ev, form, "role", "commander")
            choose(ev, form, "capability", "operational_coordination")
            choose(ev, form, "task", "eoc_activation")
            choose(ev, form, "rating", "P")
            ev.fill("#fields [name='rationale']", "中心開設迅速，分工明確")
            ev.click("#submit")
            expect(ev.locator("#result")).to_contain_text("已受理")
            expect(ev.locator("#rows li.rating[data-capability='operational_coordination']")).to_contain_text("P")
            ev.evaluate("document.fonts.ready")
            ev.screenshot(path=os.path.join(IMG, "server-evaluator-zh.png"))

            # Hotwash: the department's page offers the participant feedback form.
            expect(page.locator("#feedback-box")).to_be_hidden()
            facilitator.command("end_exercise")
            expect(page.locator("#feedback-box")).to_be_visible(timeout=5_000)
            page.fill("#feedback-box [name='strengths']", "分工清楚")
            page.fill("#feedback-caps [name='operational_coordination']", "跨局處資訊分享可再加快")
            page.click("#feedback-submit")
            expect(page.locator("#feedback-note")).to_contain_text("1", timeout=5_000)
            assert not errors, errors
        finally:
            browser.close()
    kinds = [(r["kind"], r["data"].get("judged")) for r in room.records]
    rating = next(r for r in room.records if r["kind"] == "rating_recorded")
    assert rating["data"]["county"] == "yilan" and rating["data"]["role"] == "commander" and rating["data"]["rating"] == "P"
    assert rating["actor"] == "engine" and "wall" in rating
    assert ("expected_action_met", True) in kinds
    feedback = next(r for r in room.records if r["kind"] == "feedback_submitted")
    assert feedback["data"]["by"] == "yilan.commander"
    assert feedback["data"]["fields"]["improvements"] == {"operational_coordination": "跨局處資訊分享可再加快"}
    command = next(r for r in room.records if r["type"] == "command" and r["kind"] == "rate")
    assert command["actor"] == "evaluator" and command["wall"] == rating["wall"]
