"""协查: the unit asks a department; the deadline in working days across the National Day holiday; the
answer reaches the result sheet; the daily job flags an unanswered request once."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import User
from xinyong.catalog.models import Domain
from xinyong.checks import assists, services
from xinyong.checks.models import AssistRequest
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona
from xinyong.measures.tests.personas import build_city, unit_officer

pytestmark = pytest.mark.django_db
SENT = "2026-09-30 10:00 +0800"  # the day before the National Day holiday (10-01..07; 10-10 is worked)


@pytest.fixture
def request_sent(
    market_bureau: ProviderPersona, report_dirs: Path, settings: Any, tmp_path: Path
) -> AssistRequest:
    settings.CHECKS_DIR = tmp_path / "checks"
    build_city(market_bureau)
    officer = unit_officer()
    listing = tmp_path / "清单.csv"
    listing.write_text(f"统一社会信用代码\n{COMPANY_USCC}\n{OTHER_COMPANY_USCC}\n", encoding="utf-8")
    with time_machine.travel(SENT, tick=False):
        batch = services.submit(officer, listing, filename="清单.csv", scenario="bidding",
                                purpose="procurement_bidding_funding_land_research")  # fmt: skip
        batch = services.run(batch)
        return assists.send(officer, batch, Domain.objects.get(number=25), market_bureau.provider)


def test_the_deadline_counts_working_days_across_the_holiday(request_sent: AssistRequest) -> None:
    # 10-08 (1), 10-09 (2), Saturday 10-10 make-up working day (3), 10-12 (4), 10-13 (5).
    assert request_sent.due == dt.date(2026, 10, 13)
    assert request_sent.rule == "checks.assist_deadline@1"


def test_the_daily_job_flags_an_unanswered_request_the_day_after_its_deadline_once(
    request_sent: AssistRequest,
) -> None:
    assert assists.flag_overdue_assists(dt.date(2026, 10, 12)) == []
    assert assists.flag_overdue_assists(dt.date(2026, 10, 13)) == []
    with time_machine.travel("2026-10-14 01:40 +0800", tick=False):
        assert [r.pk for r in assists.flag_overdue_assists(dt.date(2026, 10, 14))] == [request_sent.pk]
        assert assists.flag_overdue_assists(dt.date(2026, 10, 14)) == []
    request_sent.refresh_from_db()
    assert request_sent.overdue_at is not None
    assert [e.action for e in request_sent.events.all()] == ["send", "overdue"]


def test_the_department_answers_in_its_workspace_and_the_sheet_shows_it(
    request_sent: AssistRequest, market_bureau: ProviderPersona
) -> None:
    clerk = Client()
    clerk.force_login(
        User.objects.create_user("scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider)
    )
    page = f"/workspace/assists/{request_sent.pk}/"
    with time_machine.travel("2026-10-12 09:00 +0800", tick=False):
        assert request_sent.number in clerk.get("/workspace/assists/").content.decode()
        refused = clerk.post(page, {"findings": "91350200000000000X,不是本次的主体"})
        assert refused.status_code == 400 and "checks.assist_finding_invalid" in refused.content.decode()
        done = clerk.post(page, {"findings": f"{COMPANY_USCC}，2026年9月有一起环保处罚", "note": "已核"})
    assert done.status_code == 302
    request_sent.refresh_from_db()
    assert request_sent.state == "answered"
    book = openpyxl.load_workbook(
        io.BytesIO(Path(request_sent.batch.sheet_path).read_bytes()), read_only=True
    )
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][-1] == "协查答复（厦门市市场监督管理局，市场监督管理领域）"
    assert {r[1]: r[-1] for r in rows[2:]} == {
        COMPANY_USCC: "2026年9月有一起环保处罚", OTHER_COMPANY_USCC: assists.NO_RECORD,
    }  # fmt: skip
    with time_machine.travel("2026-10-12 09:05 +0800", tick=False):
        again = clerk.post(page, {"findings": ""})
    assert again.status_code == 409


def test_another_department_cannot_open_the_request(
    request_sent: AssistRequest, tax_bureau: ProviderPersona
) -> None:
    other = Client()
    other.force_login(User.objects.create_user("swj", kind=User.Kind.PROVIDER, provider=tax_bureau.provider))
    assert other.get(f"/workspace/assists/{request_sent.pk}/").status_code == 404
