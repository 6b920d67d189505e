"""The public site in a real browser: Chinese by default, English on request, nothing the CSP blocks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from xinyong.portal.tests.browser import LivePlatform

pytestmark = pytest.mark.browser

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def csp_violations(messages: list[ConsoleMessage]) -> list[str]:
    # Chromium reports every blocked script, style or image as "Refused to … Content Security Policy".
    return [m.text for m in messages if "Content Security Policy" in m.text]


def test_the_home_page_is_chinese_switches_to_english_and_breaks_no_policy(
    live_platform: LivePlatform, browser_page: Page, console_messages: list[ConsoleMessage]
) -> None:
    page = browser_page
    response = page.goto(f"{live_platform.url}/")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert CHINESE.search(page.title()), page.title()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    # The stylesheet is a file under static/, so it loads under the policy and is applied.
    assert page.evaluate("document.styleSheets.length") >= 1

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public Credit Information Platform")
    expect(page.get_by_role("button", name="中文")).to_be_visible()
    assert not CHINESE.search(page.title()), page.title()

    assert csp_violations(console_messages) == []


def test_a_provider_signs_in_to_the_workspace(
    live_platform: LivePlatform, browser_page: Page, console_messages: list[ConsoleMessage]
) -> None:
    page = browser_page
    page.goto(f"{live_platform.url}/")
    page.get_by_role("link", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")

    page.get_by_label("用户名").fill("scjg")
    page.get_by_label("密码").fill(live_platform.password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("市场监督管理局")
    expect(page.get_by_role("heading", name="上传数据文件")).to_be_visible()

    assert csp_violations(console_messages) == []
