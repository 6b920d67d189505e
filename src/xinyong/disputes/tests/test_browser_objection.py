"""In a real browser: an objection (异议) from filing to correction. The demo company requests a report,
objects to a market-supervision penalty in it, the centre forwards the case, the market bureau answers
with a corrected record, the centre closes it as corrected; the company then sees version 2 marked
已更正, and its report, and the public verification of it, say the report has been superseded."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from xinyong.accounts import totp
from xinyong.core import clock
from xinyong.demo.management.commands.demo import SHOWCASE_PENALTY_DAYS
from xinyong.portal.tests.browser import LivePlatform

pytestmark = pytest.mark.browser


def _sign_in(page: Page, platform: LivePlatform, username: str) -> None:
    page.goto(f"{platform.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(platform.password)
    page.get_by_role("button", name="登录").click()


def _sign_in_centre(page: Page, platform: LivePlatform) -> None:
    """The centre needs a second factor: set it up with the secret the page shows, as an app would."""
    _sign_in(page, platform, "centre")
    expect(page).to_have_url(re.compile(r"/totp/setup/"))
    secret = page.locator("code").first.inner_text()
    page.locator("input[name=code]").fill(totp.code_at(secret, totp.current_step()))
    page.get_by_role("button", name="确认并登录").click()
    expect(page.locator("#nav-objections")).to_be_visible()


def _open_case(page: Page, number: str) -> None:
    page.locator("#nav-objections").click()
    page.locator(f"#case-{number} a", has_text=number).click()
    expect(page.locator("#case-number")).to_have_text(number)


def test_an_objection_ends_in_a_corrected_record_and_a_superseded_report(
    live_platform: LivePlatform, browser_page: Page
) -> None:
    browser: Browser = browser_page.context.browser  # type: ignore[assignment]
    subject = browser_page
    subject.on("dialog", lambda dialog: dialog.accept())  # confirm.js asks before every filing step

    # The company's report, issued before the objection: it relies on the penalty objected to.
    _sign_in(subject, live_platform, "qiye")
    subject.locator("#nav-reports").click()
    subject.get_by_label("报告版本").select_option("special")
    subject.get_by_label("查询年限").select_option("3")
    subject.locator("#request-report").click()
    number = subject.locator("#report-number").inner_text()
    code = subject.locator("#report-code").inner_text()
    report_url = subject.url
    expect(subject.locator("#report-standing")).to_have_text("有效")

    # 1. The company files: the older of its two market-supervision penalties (the demo's open
    # objection is on a newer record, see demo.DemoCity._showcase_rows).
    decided = clock.today() - dt.timedelta(days=max(SHOWCASE_PENALTY_DAYS))
    subject.goto(f"{live_platform.url}/account/")
    record = subject.locator("details").filter(
        has=subject.locator("summary", has_text="行政处罚 · ").filter(has_text=decided.isoformat())
    )
    expect(record).to_have_count(1)
    record.locator("summary").click()
    record.locator(".object-link").click()
    subject.locator("#id_grounds").select_option("error")
    subject.locator("#id_statement").fill("处罚内容与处罚决定书不一致，申请更正。")
    subject.locator("#file-objection").click()
    expect(subject.locator("#case-state")).to_have_attribute("data-state", "accepted")
    case = subject.locator("#case-number").inner_text()

    # 2. The centre forwards it to the market bureau.
    centre = browser.new_page(locale="zh-CN")
    centre.on("dialog", lambda dialog: dialog.accept())
    _sign_in_centre(centre, live_platform)
    _open_case(centre, case)
    centre.locator("#forward-button").click()
    expect(centre.locator("#case-state")).to_have_attribute("data-state", "forwarded")

    # 3. The market bureau answers with the corrected record.
    bureau = browser.new_page(locale="zh-CN")
    bureau.on("dialog", lambda dialog: dialog.accept())
    _sign_in(bureau, live_platform, "scjg")
    bureau.locator("#nav-objections").click()
    bureau.locator(f"#objection-inbox #case-{case} a", has_text=case).click()
    bureau.locator("#answer-link").click()
    bureau.locator("#id_answer_1").check()
    content = bureau.locator("#id_f_cf_nr")
    content.fill(content.input_value() + "（经核查更正）")
    bureau.locator("#id_reasons").fill("经核查，处罚内容录入有误，已报送更正后的记录。")
    bureau.locator("#answer-button").click()
    expect(bureau.locator("#case-state")).to_have_attribute("data-state", "answered")
    bureau.close()

    # 4. The centre closes it as corrected.
    centre.reload()
    centre.locator("#id_outcome").select_option("corrected")
    centre.locator("#id_reasons").fill("信息提供单位已更正，依更正后的记录办结。")
    centre.locator("#close-button").click()
    expect(centre.locator("#case-outcome")).to_have_attribute("data-outcome", "corrected")
    centre.close()

    # 5. The company sees the corrected version, marked so; its report has been superseded.
    subject.goto(f"{live_platform.url}/account/")
    expect(record.locator("summary .state")).to_have_text("已更正")
    expect(record).to_contain_text("信息已更新")
    subject.goto(report_url)
    expect(subject.locator("#report-standing")).to_contain_text("已被更新")

    visitor = browser.new_page(locale="zh-CN")
    visitor.goto(f"{live_platform.url}/verify/")
    visitor.get_by_label("报告编号").fill(number)
    visitor.get_by_label("验证码").fill(code)
    visitor.get_by_role("button", name="核验", exact=True).click()
    expect(visitor.locator("#verification")).to_contain_text("已被更新")
    visitor.close()
