"""In a real browser: a market-regulator clerk (scjg) finds the demo city's 60-penalty risk warning in the
warnings list, filtered to its department and to standing warnings, reads why it was raised, records a
警示约谈 on it, decides the outcome, and finds the company in the governance ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from xinyong.core import clock
from xinyong.demo.supervision import CODE
from xinyong.demo.synthetic import DEPARTMENTS
from xinyong.portal.tests.browser import LivePlatform

pytestmark = pytest.mark.browser


def test_a_clerk_interviews_on_a_warning_and_records_the_outcome(
    live_platform: LivePlatform, browser_page: Page
) -> None:
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())  # confirm.js asks before recording
    page.goto(f"{live_platform.url}/accounts/login/")
    page.get_by_label("用户名").fill("scjg")
    page.get_by_label("密码").fill(live_platform.password)
    page.get_by_role("button", name="登录").click()

    page.locator("#nav-warnings").click()
    page.get_by_label("执法部门").select_option(DEPARTMENTS[25].uscc)
    page.get_by_label("状态").select_option("standing")
    page.get_by_role("button", name="筛选").click()
    row = page.locator("tr", has_text="一年内受到行政处罚60次以上").filter(has_text=CODE)
    expect(row).to_have_count(1)
    row.locator("a").click()

    expect(page.locator("#warning-state")).to_have_text("预警中")
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(60)  # the 60 penalties named
    today = clock.today()
    page.get_by_label("约谈类型").select_option("caution")
    page.get_by_label("约谈日期").fill(today.isoformat())
    page.get_by_label("约谈地点").fill("市市场监管局二楼约谈室")
    page.get_by_label("参加人员").fill("执法科张科长；企业法定代表人")
    page.get_by_label("督促履行的义务").fill("缴清罚款并报送整改报告")
    page.get_by_label("整改期限").fill(
        min(today + dt.timedelta(days=5), dt.date(today.year, 12, 20)).isoformat()
    )
    page.locator("#record-interview").click()

    expect(page.locator("#interview-state")).to_have_text("整改中")
    page.get_by_label("整改结果").select_option("rectified")
    page.get_by_label("整改情况").fill("罚款已缴清，整改报告已报送")
    page.locator("#record-outcome").click()
    expect(page.locator("#interview-state")).to_contain_text("整改完成")

    page.goto(f"{live_platform.url}/supervision/ledger/")
    expect(page.locator("tr", has_text=CODE)).to_contain_text("已整改")
