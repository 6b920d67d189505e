"""In a real browser: the company requests a 3-year special report and downloads it; a visitor verifies it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from xinyong.portal.tests.browser import LivePlatform

pytestmark = pytest.mark.browser


def test_a_subject_gets_a_report_that_a_visitor_verifies(
    live_platform: LivePlatform, browser_page: Page, tmp_path: Path
) -> None:
    page = browser_page
    page.goto(f"{live_platform.url}/accounts/login/")
    page.get_by_label("用户名").fill("qiye")
    page.get_by_label("密码").fill(live_platform.password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#nav-reports")).to_be_visible()
    page.locator("#nav-reports").click()
    page.get_by_label("报告版本").select_option("special")
    page.get_by_label("查询年限").select_option("3")
    page.locator("#request-report").click()
    number = page.locator("#report-number").inner_text()
    code = page.locator("#report-code").inner_text()
    expect(page.locator("#report-standing")).to_have_text("有效")

    with page.expect_download() as download:
        page.locator("#download").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    signature = subprocess.run(["/usr/bin/pdfsig", str(pdf)], capture_output=True, text=True)
    assert "Signature is Valid" in signature.stdout, signature.stdout
    text = subprocess.run(["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert number in text and "法院执行领域" in text

    # A visitor: a fresh browser context, signed in as nobody.
    visitor = page.context.browser.new_page(locale="zh-CN")  # type: ignore[union-attr]
    visitor.goto(f"{live_platform.url}/verify/")
    visitor.get_by_label("报告编号").fill(number)
    visitor.get_by_label("验证码").fill(code)
    visitor.get_by_role("button", name="核验", exact=True).click()
    expect(visitor.locator("#verification h1")).to_have_text("真实有效")
    visitor.locator("#id_file").set_input_files(str(pdf))
    visitor.get_by_role("button", name="上传核验").click()
    expect(visitor.locator("#verification h1")).to_have_text("真实有效")
    visitor.close()
