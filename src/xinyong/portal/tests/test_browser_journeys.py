"""The visitor's and the company's journeys in a real browser, on a desktop and on a phone (390 px):
every page reached must not scroll sideways and must pass axe-core's WCAG 2.1 A/AA rules without a
serious or critical violation. On the phone the signed-in menu is a 菜单 button (details/summary)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from xinyong.portal.tests.accessibility import serious_violations, sideways_overflow
from xinyong.portal.tests.browser import LivePlatform

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def device(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[tuple[str, Page]]:
    name: str = request.param
    context = chromium.new_context(locale="zh-CN", viewport=VIEWPORTS[name], is_mobile=name == "phone")  # type: ignore[arg-type]
    yield name, context.new_page()
    context.close()


def _check(page: Page, problems: list[str]) -> None:
    """The page as it stands: width and accessibility, collected so one run names every bad page."""
    where = page.url.split("//", 1)[-1].split("/", 1)[-1]
    if (extra := sideways_overflow(page)) > 0:
        problems.append(f"/{where}: {extra}px wider than the viewport")
    problems.extend(f"/{where}: {v}" for v in serious_violations(page))


def _a_listed_company(base: str) -> str:
    with urllib.request.urlopen(f"{base}/api/v1/publicity/penalties?per_page=50") as answer:  # noqa: S310 - loopback
        items = json.load(answer)["items"]
    return next(
        i["subject_name"] for i in items if "*" not in i["subject_name"] and len(i["subject_name"]) > 4
    )


def test_a_visitor_searches_reads_lists_and_verifies(
    live_platform: LivePlatform, device: tuple[str, Page]
) -> None:
    _, page = device
    problems: list[str] = []
    name = _a_listed_company(live_platform.url)

    page.goto(f"{live_platform.url}/")
    _check(page, problems)
    page.get_by_role("searchbox").first.fill(name[2:4])
    with page.expect_navigation():
        page.get_by_role("button", name="搜索").first.click()
    _check(page, problems)
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    _check(page, problems)

    for path in ("/publicity/penalties/", "/publicity/licences/", "/publicity/black/", "/publicity/red/"):
        page.goto(f"{live_platform.url}{path}")
        _check(page, problems)

    page.goto(f"{live_platform.url}/verify/?number=BG20261205-AAAAAA&code=ABCDEF")
    expect(page.locator("#verification")).to_contain_text("查无此报告")
    _check(page, problems)
    page.goto(f"{live_platform.url}/no-such-page/")
    expect(page.locator("#error-page")).to_contain_text("页面不存在")
    _check(page, problems)

    assert not problems, "\n".join(problems)


def test_a_company_signs_in_and_goes_through_its_pages(
    live_platform: LivePlatform, device: tuple[str, Page]
) -> None:
    kind, page = device
    problems: list[str] = []

    page.goto(f"{live_platform.url}/accounts/login/")
    _check(page, problems)
    page.get_by_label("用户名").fill("qiye")
    page.get_by_label("密码").fill(live_platform.password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    _check(page, problems)

    menu = page.locator("details.menu > summary")
    if kind == "phone":
        # The menu is folded: its links are hidden until the 菜单 button opens it.
        expect(menu).to_be_visible()
        expect(page.locator("#nav-reports")).to_be_hidden()
        menu.click()
        _check(page, problems)
    else:
        expect(menu).to_be_hidden()
    expect(page.locator("#nav-reports")).to_be_visible()

    for link in ("#nav-reports", "#nav-objections", "#nav-repairs", "#nav-commitments", "#nav-notifications"):
        if kind == "phone" and not page.locator(link).is_visible():
            menu.click()
        with page.expect_navigation():
            page.locator(link).click()
        _check(page, problems)
    page.goto(f"{live_platform.url}/account/")
    _check(page, problems)

    assert not problems, "\n".join(problems)
