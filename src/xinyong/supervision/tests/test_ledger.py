"""The governance ledger (严重失信主体治理台账): every subject ever on a serious-dishonesty list, its interviews
and its status — 在册, 已约谈, 已整改, 已退出 (removed, repaired, revoked)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.test import Client

from xinyong.audit.models import AuditEntry
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC
from xinyong.records.models import CreditRecord
from xinyong.supervision.interviews import record_interview, record_outcome
from xinyong.supervision.queries import ledger, ledger_row
from xinyong.supervision.tests.conftest import Department, listing_row, send

pytestmark = pytest.mark.django_db


def status_of(code: str) -> str:
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        return next(ledger_row(r) for r in ledger() if r["code"] == code).status


def test_a_listed_subject_moves_from_listed_to_interviewed_to_rectified(
    departments: list[Department],
) -> None:
    market = departments[0]
    send(market, "serious_dishonesty_list", [listing_row(market, 1, "失信被执行人", "2026-03-01")])
    assert status_of(COMPANY_USCC) == "在册"

    with time_machine.travel("2026-11-23 15:00 +0800", tick=False):
        held = record_interview(
            actor=market.clerk, basis=CreditRecord.objects.get(kind_code="serious_dishonesty_list"), type="caution",
            held_on=dt.date(2026, 11, 23), place="会议室", attendees="甲", obligations="履行判决", deadline=dt.date(2026, 12, 31),
        )  # fmt: skip
    assert status_of(COMPANY_USCC) == "已约谈"

    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        record_outcome(held, actor=market.clerk, rectified=True, note="已履行")
    assert status_of(COMPANY_USCC) == "已整改"


def test_a_subject_whose_entries_all_exited_has_left_the_ledger_as_exited(
    departments: list[Department],
) -> None:
    market = departments[0]
    send(
        market,
        "serious_dishonesty_list",
        [listing_row(market, 1, "失信被执行人", "2026-03-01", code=OTHER_COMPANY_USCC)],
    )
    send(market, "serious_dishonesty_list",
         [listing_row(market, 1, "失信被执行人", "2026-03-01", removed="2026-10-01", code=OTHER_COMPANY_USCC)])  # fmt: skip

    assert status_of(OTHER_COMPANY_USCC) == "已退出"


def test_staff_page_filters_by_status_and_downloads_xlsx(
    client: Client, departments: list[Department]
) -> None:
    market = departments[0]
    send(market, "serious_dishonesty_list", [listing_row(market, 1, "失信被执行人", "2026-03-01"),
                                             listing_row(market, 2, "失信被执行人", "2026-03-01", code=OTHER_COMPANY_USCC,
                                                         removed="2026-10-01")])  # fmt: skip
    client.force_login(market.clerk)
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        listed = client.get("/supervision/ledger/?status=在册").content.decode()
        download = client.get("/supervision/ledger/?format=xlsx")

    assert COMPANY_USCC in listed and OTHER_COMPANY_USCC not in listed
    entry = CreditRecord.objects.get(subject_code=COMPANY_USCC)
    assert f"/supervision/records/{entry.pk}/interview/" in listed  # its own entry: it may interview
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码/证件号码"
    assert {(r[0], r[-1]) for r in rows[1:]} == {(COMPANY_USCC, "在册"), (OTHER_COMPANY_USCC, "已退出")}
    assert AuditEntry.objects.filter(action="interviews.ledger_export").exists()
