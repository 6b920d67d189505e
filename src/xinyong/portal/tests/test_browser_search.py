"""In headless Chromium: search a two-character fragment of a name, open the subject page and read
the sentence explaining how long the record is published and why."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from xinyong.portal.tests.browser import LivePlatform

pytestmark = pytest.mark.browser


def a_penalised_company(base: str) -> tuple[str, str]:
    """A company with a published penalty in the demo city, found through the public API."""
    with urllib.request.urlopen(f"{base}/api/v1/publicity/penalties?per_page=50") as answer:  # noqa: S310 - loopback
        items = json.load(answer)["items"]
    company = next(i for i in items if "*" not in i["subject_name"] and len(i["subject_name"]) > 4)
    return company["subject_name"], company["explanation"]


def test_a_visitor_finds_a_company_by_two_characters_and_sees_why_a_penalty_is_shown(
    live_platform: LivePlatform, browser_page: Page
) -> None:
    name, explanation = a_penalised_company(live_platform.url)
    fragment = name[2:4]  # after "厦门": two characters from the middle of the name
    page = browser_page
    page.goto(f"{live_platform.url}/")

    page.get_by_role("searchbox").fill(fragment)
    with page.expect_navigation():
        page.get_by_role("button", name="搜索").click()
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    page.get_by_text(explanation.split("，")[0]).first.wait_for(state="attached")  # inside a closed <details>
    assert explanation in page.content()
