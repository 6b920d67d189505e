"""The monthly notice read as the credit office reads it: the PDF's text, the XLSX's cells."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from xinyong.accounts.models import Role
from xinyong.audit.models import AuditEntry
from xinyong.conftest import centre_staff
from xinyong.quality.tests.conftest import QualityMonth

pytestmark = pytest.mark.django_db
AFTER = "2026-12-03 10:00 +0800"


def _text(pdf: bytes) -> str:
    out = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode()


def test_the_command_writes_a_pdf_naming_the_units_below_target(
    november: QualityMonth, tmp_path: Path
) -> None:
    with time_machine.travel(AFTER, tick=False):
        call_command("quality", "notice", "--month", "2026-11", "--out", str(tmp_path))
    text = _text((tmp_path / "quality-notice-2026-11.pdf").read_bytes())
    assert "2026年11月公共信用信息数据质量通报" in text
    assert "参评单位 3 家，未达标 2 家" in text
    assert "厦门市市场监督管理局：上报率 83.3%（5/6）；合规率 66.7%（4/6）；及时率 80.0%（4/5）" in " ".join(
        text.split()
    )
    assert "厦门港口管理局：未申报决定数的信息事项：licence" in text
    assert "国家税务总局厦门市税务局：" not in text  # declared zero, sent nothing: nothing to name
    assert "近12个月" in text
    named = AuditEntry.objects.filter(action="quality.notice").order_by("seq")
    assert [e.object_id for e in named] == ["2026-11.pdf", "2026-11.xlsx"]


def test_the_xlsx_holds_every_unit_and_the_trend_of_those_below_target(
    november: QualityMonth, tmp_path: Path
) -> None:
    with time_machine.travel(AFTER, tick=False):
        call_command("quality", "notice", "--month", "2026-11", "--out", str(tmp_path))
    book = openpyxl.load_workbook(tmp_path / "quality-notice-2026-11.xlsx", read_only=True)
    units = [list(r) for r in book["各单位"].iter_rows(values_only=True)]
    assert units[1][:5] == ["排名", "单位", "申报数", "报送数", "上报率"]
    market = next(r for r in units[2:] if r[1] == "厦门市市场监督管理局")
    assert market[:11] == [1, "厦门市市场监督管理局", 6, 5, "83.3%", 6, 4, "66.7%", 5, 4, "80.0%"]
    below = [list(r) for r in book["未达标"].iter_rows(values_only=True)][1:]
    market_months = [r for r in below if r[0] == "厦门市市场监督管理局"]
    assert len(market_months) == 12
    assert market_months[-1][2:6] == ["2026-11", "83.3%", "66.7%", "80.0%"]
    assert {r[0] for r in below} == {"厦门市市场监督管理局", "厦门港口管理局"}


def test_a_bad_month_on_the_command_line_is_refused(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("quality", "notice", "--month", "11/2026", "--out", str(tmp_path))


def test_staff_download_the_notice_from_the_quality_page(november: QualityMonth) -> None:
    client = Client()
    client.force_login(centre_staff("officer", Role.AUDITOR))
    with time_machine.travel(AFTER, tick=False):
        page = client.get("/centre/quality/?month=2026-11")
        xlsx = client.get("/centre/quality/notice.xlsx?month=2026-11")
        detail = client.get(
            f"/centre/quality/providers/{november.market.provider.code}/?month=2026-11&measure=held"
        )
    assert page.status_code == 200
    assert "厦门港口管理局" in page.content.decode()
    assert page.content.decode().count("<svg") == 1  # the rates by unit, drawn on the server
    assert "<svg" in detail.content.decode()  # the unit's twelve months
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert book.sheetnames == ["各单位", "未达标"]
    assert "厦市监罚〔2026〕E号" in detail.content.decode()
