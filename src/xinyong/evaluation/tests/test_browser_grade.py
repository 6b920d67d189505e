"""In a real browser: the demo company (account qiye, two recent market-supervision penalties) signs in,
opens 我的信用评价 and reads its grade, the indicators behind it and what credit repair would change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from xinyong.portal.tests.browser import LivePlatform

pytestmark = pytest.mark.browser


def test_the_company_sees_its_grade_and_what_repair_would_change(
    live_platform: LivePlatform, browser_page: Page
) -> None:
    page = browser_page
    page.goto(f"{live_platform.url}/accounts/login/")
    page.get_by_label("用户名").fill("qiye")
    page.get_by_label("密码").fill(live_platform.password)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_platform.url}/account/evaluation/")

    expect(page.locator("h1")).to_have_text("公共信用综合评价")
    expect(page.locator(".grade")).to_contain_text(re.compile(r"信用等级：[A-D]"))
    expect(page.locator("table")).to_contain_text("行政处罚")
    expect(page.locator("table")).to_contain_text("如完成信用修复，预计")
