"""In a real browser, with the task worker running: a unit officer uploads a list of codes, watches the
batch check finish and downloads the result sheet."""

from __future__ import annotations

import io
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from xinyong.core.testing import ThrowawayDatabase
from xinyong.portal.tests.browser import CHROMIUM, DEMO_PASSWORD, LivePlatform

pytestmark = pytest.mark.browser
DEFAULTER = "厦门演示失信被执行有限公司"


@pytest.fixture(scope="module")
def platform_with_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LivePlatform, str]]:
    """A small demo city served by ``xinyong serve`` with ``xinyong worker`` beside it (the shared
    ``live_platform`` runs no worker); yields the platform and the defaulter's code."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/test.sh installs Debian's chromium)")
    tmp = tmp_path_factory.mktemp("batch-check")
    database = ThrowawayDatabase(tmp, "batchcheck", env={"XINYONG_DEMO_PASSWORD": DEMO_PASSWORD,
                                                         "XINYONG_PUBLIC_REQUESTS_PER_MINUTE": "0"})  # fmt: skip
    worker: subprocess.Popen[bytes] | None = None
    try:
        database.run("demo", "--no-serve", "--subjects", "150")
        [(code,)] = database.query(f"SELECT code FROM subjects_subject WHERE name = '{DEFAULTER}'")
        worker = database.xinyong("worker", "--no-scheduler", "--interval", "0.2",
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        log = tmp / "serve.log"
        with database.serve(log) as url:
            yield LivePlatform(url=url, password=DEMO_PASSWORD, log=log), code
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
        database.drop()


def test_a_unit_walks_a_batch_check_to_the_downloaded_sheet(
    platform_with_worker: tuple[LivePlatform, str], browser_page: Page, tmp_path: Path
) -> None:
    platform, defaulter = platform_with_worker
    listing = tmp_path / "清单.csv"
    listing.write_text(
        f"统一社会信用代码,名称\n{defaulter},{DEFAULTER}\n12345,写错的代码\n", encoding="utf-8"
    )
    page = browser_page
    page.goto(f"{platform.url}/accounts/login/")
    page.get_by_label("用户名").fill("fgw")
    page.get_by_label("密码").fill(platform.password)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{platform.url}/checks/batch/")
    page.locator("#id_file").set_input_files(str(listing))
    page.get_by_label("应用场景").select_option("bidding")
    page.get_by_label("查询事由").select_option("procurement_bidding_funding_land_research")
    page.get_by_role("button", name="开始核查").click()
    # The page refreshes itself (no JavaScript needed) until the worker has finished.
    expect(page.get_by_text("下载核查结果表（XLSX）")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("checks.code_invalid")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_text("下载核查结果表（XLSX）").click()
    saved = tmp_path / "sheet.xlsx"
    download.value.save_as(saved)
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()), read_only=True)
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    assert rows[0][1] == defaulter and "失信被执行人" in rows[0][5] and "依法限制" in rows[0][9]
    assert rows[1][3] == "代码有误未核查"
