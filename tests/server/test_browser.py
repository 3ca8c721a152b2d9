"""Item 7: a trainee in Debian's Chromium (driven by Playwright; never a downloaded browser)
joins by link, sees an inject arrive, acknowledges it, opens a distribution station through
the form and sees an illegal command refused with its reason in zh_TW. Screenshots of the
seat page in zh_TW and English go to docs/img/."""

from __future__ import annotations

import os

import pytest

from conftest import ROOT
from helpers import Client, ThreadServer, new_room, seat_token

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
IMG = os.path.join(ROOT, "docs", "img")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="Debian's chromium is not installed (.ci/run installs it with apt)")]


def choose(page, form, name, value):
    """Pick a drop-down option by its argument value (options are indexed as the server lists them)."""
    field = next(f for f in form["fields"] if f["name"] == name)
    index = next(i for i, c in enumerate(field["choices"]) if c["value"] == value)
    page.select_option(f"#fields [name='{name}']", value=str(index))


def test_trainee_in_a_real_browser(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    room = new_room(tmp_path)
    with ThreadServer(room) as srv, sync_playwright() as p:
        links = srv.links()
        facilitator = Client(srv.url, seat_token(links, "facilitator"))
        for kind in ("start", "advance", "advance", "advance", "advance"):  # turn 1, to its end
            facilitator.command(kind)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            url = next(s["url"] for s in links["seats"] if s["seat"] == "hualien.civil_affairs")
            page.goto(url)
            expect(page.locator("#seat-title")).to_contain_text("民政")
            expect(page.locator("#conn")).to_have_class("conn on", timeout=10_000)
            assert page.locator("#inbox [data-inject='B03']").count() == 0
            facilitator.command("advance")  # turn 2: B03 reaches civil affairs, pushed over the websocket
            inject = page.locator("#inbox li[data-inject='B03']")
            expect(inject).to_be_visible(timeout=3_000)
            expect(inject).to_contain_text("已下達")
            inject.locator("button.ack").click()
            expect(page.locator("#result")).to_contain_text("已受理")
            expect(inject).to_contain_text("已確認")
            facilitator.command("advance")  # orders phase
            expect(page.locator("#state")).to_have_attribute("data-state", "running_orders")

            form = next(f for f in Client(srv.url, seat_token(links, "hualien.civil_affairs")).seat()["forms"]
                        if f["kind"] == "open_station")
            page.select_option("#kind", "open_station")
            expect(page.locator("#fields [name='id']")).to_have_value("st-hualien-001")
            choose(page, form, "township", "hualien_city")
            page.fill("#fields [name='site']", "zhongzheng_gym")
            choose(page, form, "type", "type_II")
            page.fill("#fields [name='staff']", "34")
            page.click("#submit")
            expect(page.locator("#result")).to_contain_text("已受理")
            expect(page.locator("#mine li").first).to_contain_text("開設配售站")

            # Illegal: a shelter's site (Regulations art. 9); the reason shows in zh_TW.
            expect(page.locator("#fields [name='id']")).to_have_value("st-hualien-002")
            choose(page, form, "township", "hualien_city")
            page.fill("#fields [name='site']", "guofu_school")
            choose(page, form, "type", "type_II")
            page.fill("#fields [name='staff']", "34")
            page.click("#submit")
            expect(page.locator("#result")).to_contain_text("遭拒")
            rejected = page.locator("#mine li[data-status='rejected']").first
            expect(rejected).to_contain_text("R.siting")
            reason = room.answer_of(int(rejected.get_attribute("data-seq")))["reason"]["zh_TW"]
            expect(page.locator("#result")).to_contain_text(reason)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in reason)

            os.makedirs(IMG, exist_ok=True)
            page.evaluate("document.fonts.ready")
            page.screenshot(path=os.path.join(IMG, "server-seat-zh.png"))
            page.click("#lang")
            expect(page.locator("#seat-title")).to_contain_text("civil affairs")
            expect(page.locator("#mine li[data-status='rejected']").first).to_contain_text("refused")
            page.evaluate("document.fonts.ready")
            page.screenshot(path=os.path.join(IMG, "server-seat-en.png"))

            # On a tablet (portrait, touch): the same page fits the width, nothing scrolls sideways.
            tablet = browser.new_context(viewport={"width": 820, "height": 1180}, is_mobile=True, has_touch=True,
                                         device_scale_factor=1)
            pad = tablet.new_page()
            pad.goto(url)
            expect(pad.locator("#seat-title")).to_contain_text("民政")
            expect(pad.locator("#conn")).to_have_class("conn on", timeout=10_000)
            expect(pad.locator("#mine li[data-status='rejected']").first).to_contain_text("R.siting")
            assert pad.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            pad.evaluate("document.fonts.ready")
            pad.screenshot(path=os.path.join(IMG, "server-seat-tablet-zh.png"))
            tablet.close()

            # The page closes and reopens: the seat catches up from the after=SEQ it kept.
            seen = int(page.evaluate("Object.keys(localStorage).filter(k => k.endsWith(':after'))"
                                     ".map(k => localStorage.getItem(k))[0]"))
            page.close()
            facilitator.command("advance")
            again = context.new_page()
            requests: list[str] = []
            again.on("request", lambda r: requests.append(r.url))
            again.goto(url)
            expect(again.locator("#state")).to_have_attribute("data-state", "running_adjudication", timeout=5_000)
            expect(again.locator("#feed li[data-kind='exercise_state']").first).to_contain_text("adjudication")
            expect(again.locator("#feed li[data-kind='inject_delivered']").first).to_contain_text("B03")  # kept
            assert any(f"/api/events?after={seen}" in r for r in requests), requests
            assert all(r.startswith(srv.url) for r in requests)  # nothing from elsewhere
            assert not errors, errors
        finally:
            browser.close()
