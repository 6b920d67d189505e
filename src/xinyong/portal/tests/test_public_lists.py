"""The public lists and subject pages as 信用中国 users expect them: searchable by name, document number
and authority, a result count, export of the filtered list (capped, rate-limited), the black and red
lists saying which list and why, a reversed date range refused, a subject page with its heading and
全部展开."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client

from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona, penalty
from xinyong.core.clock import CHINA
from xinyong.disclosure.tests.test_exits_and_end_dates import serious_listing
from xinyong.portal import public_views

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=CHINA)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def two_penalties(market_bureau: ProviderPersona) -> None:
    other = penalty(
        行政相对人名称="厦门海沧物流有限公司",
        统一社会信用代码=OTHER_COMPANY_USCC,
        行政处罚决定书文号="厦市监罚〔2026〕77号",
    )
    response = market_bureau.post(Client(), [penalty(), other])
    assert all(r["status"] != "rejected" for r in response.json()["results"]), response.json()


def test_the_list_finds_by_name_number_and_authority_and_counts(
    client: Client, two_penalties: None, market_bureau: ProviderPersona
) -> None:
    everything = client.get("/publicity/penalties/").content.decode()
    by_name = client.get("/publicity/penalties/?name=海沧").content.decode()
    by_number = client.get("/publicity/penalties/", {"number": "〔2026〕77"}).content.decode()
    by_authority = client.get(f"/publicity/penalties/?provider={market_bureau.provider.pk}").content.decode()

    assert "共 2 条" in everything
    assert (
        "共 1 条" in by_name and "厦门海沧物流有限公司" in by_name and "厦门鹭江贸易有限公司" not in by_name
    )
    assert "共 1 条" in by_number and "厦市监罚〔2026〕77号" in by_number
    assert "共 2 条" in by_authority


def test_a_reversed_date_range_is_refused_with_a_message(client: Client, two_penalties: None) -> None:
    response = client.get("/publicity/penalties/?since=2026-11-01&until=2026-10-01")

    assert response.status_code == 400
    html = response.content.decode()
    assert "结束日期早于开始日期" in html and 'aria-invalid="true"' in html and 'id="list"' not in html


def test_the_filtered_list_exports_as_xlsx_and_csv(client: Client, two_penalties: None) -> None:
    xlsx = client.get("/publicity/penalties/?name=海沧&format=xlsx")
    text = client.get("/publicity/penalties/?name=海沧&format=csv")

    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][:2] == ("决定日期", "行政相对人") and len(rows) == 2 and rows[1][1] == "厦门海沧物流有限公司"
    )
    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert len(lines) == 2 and lines[1][2] == OTHER_COMPANY_USCC


def test_an_export_is_capped_and_rate_limited(
    client: Client, two_penalties: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public_views, "EXPORT_CAP", 1)
    settings.XINYONG_EXPORTS_PER_MINUTE = 2

    first = client.get("/publicity/penalties/?format=csv")
    client.get("/publicity/penalties/?format=csv")
    third = client.get("/publicity/penalties/?format=csv")

    assert len(first.content.decode("utf-8-sig").strip().splitlines()) == 2  # heading + the cap
    assert third.status_code == 429 and "访问过于频繁" in third.content.decode()


def test_the_black_list_says_which_list_and_why(client: Client, market_bureau: ProviderPersona) -> None:
    response = market_bureau.post(
        Client(), [serious_listing(列入日期="2026-10-01")], kind="serious_dishonesty_list"
    )
    assert response.json()["results"][0]["status"] != "rejected", response.json()

    html = client.get("/publicity/black/").content.decode()

    assert "所列名单" in html and "严重违法失信企业(市场监管)" in html
    assert "列入事由" in html and "食品安全违法" in html


def test_the_subject_page_has_a_heading_and_opens_everything_on_request(
    client: Client, two_penalties: None
) -> None:
    folded = client.get(f"/s/{COMPANY_USCC}/").content.decode()
    opened = client.get(f"/s/{COMPANY_USCC}/?expand=1").content.decode()

    assert "<h1>厦门鹭江贸易有限公司</h1>" in folded and 'id="expand-all"' in folded
    assert '<details class="card">' in folded and '<details class="card" open>' not in folded
    assert '<details class="card" open>' in opened and 'id="collapse-all"' in opened
    assert folded.index("基本信息") < folded.index("失信信息")
