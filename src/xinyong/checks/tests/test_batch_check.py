"""信用互查互认: a unit checks a file of codes; the sheet, the signed statistics sheet, the refusals."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.audit.verify import verify_chain
from xinyong.checks.models import BatchCheck
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona
from xinyong.disclosure.queries import lookups_of
from xinyong.measures.tests.personas import CLEAN_USCC, CURRENT_REP_ID, NOW, build_city, unit_officer
from xinyong.reports.signing import check_pdf
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db
PURPOSE = "procurement_bidding_funding_land_research"
UNKNOWN_USCC = complete_uscc("9135020611112222")


@pytest.fixture
def officer(market_bureau: ProviderPersona, report_dirs: Path, settings: Any, tmp_path: Path) -> Client:
    settings.CHECKS_DIR = tmp_path / "checks"
    build_city(market_bureau)
    client = Client()
    client.force_login(unit_officer())
    return client


def upload(
    client: Client, text: str, name: str = "清单.csv", scenario: str = "bidding", purpose: str = PURPOSE
) -> Any:
    file = io.BytesIO(text.encode("utf-8"))
    file.name = name
    with time_machine.travel(NOW, tick=False):
        return client.post("/api/v1/batch-checks", {"file": file, "scenario": scenario, "purpose": purpose})


def test_a_batch_check_answers_every_row_with_a_sheet_and_a_signed_statement(officer: Client) -> None:
    csv = "\n".join([
        "统一社会信用代码,名称",
        f"{COMPANY_USCC},厦门鹭江贸易有限公司",
        f"{OTHER_COMPANY_USCC},厦门守信科技有限公司",
        f"{CLEAN_USCC},厦门清白贸易有限公司",
        f"{UNKNOWN_USCC},不存在的公司",
        "91350203ABC,写错的代码",
        f"{COMPANY_USCC},重复一行",
        f"{CURRENT_REP_ID},王丽",
    ])  # fmt: skip
    response = upload(officer, csv)
    assert response.status_code == 202, response.content
    body = response.json()
    with time_machine.travel(NOW, tick=False):
        body = officer.get(f"/api/v1/batch-checks/{body['id']}").json()
    assert (body["state"], body["progress"], body["total"]) == ("done", 100, 5)
    assert [(r["row"], r["code"]) for r in body["rejected"]] == [
        (5, "checks.code_invalid"),
        (6, "checks.code_repeated"),
    ]
    assert body["counts"]["outcome"] == {
        "checked": 5, "found": 4, "unknown": 1, "rejected": 2, "punishment": 2, "reward": 0, "no_measure": 3,
    }  # fmt: skip

    with time_machine.travel(NOW, tick=False):
        sheet = officer.get(body["sheet"])
        pdf = officer.get(body["statement"])
    book = openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content)), read_only=True)
    rows = {r[0]: r for r in book.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert rows[1][3] == "有记录" and "失信被执行人" in rows[1][5] and "依法限制" in rows[1][9]
    assert rows[2][5].startswith("纳税信用A级纳税人") and rows[2][9] == "无"
    assert rows[4][3] == "平台暂无该主体信息"
    assert rows[5][3] == "代码有误未核查" and rows[5][11].startswith("checks.code_invalid")
    assert "担任法定代表人的 厦门鹭江贸易有限公司" in rows[7][10]
    signed = b"".join(pdf.streaming_content)
    check = check_pdf(signed)
    assert check.intact and check.trusted
    assert BatchCheck.objects.get(pdf_sha256=check.sha256).number == body["number"]

    # Every subject sees the check under "who looked"; the chain stays whole.
    assert [e.action for e in lookups_of(OTHER_COMPANY_USCC)] == ["checks.batch_check"]
    assert AuditEntry.objects.filter(action="checks.batch_check").count() == 5
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("text", "name", "status", "code"),
    [
        ("名称\n厦门鹭江贸易有限公司\n", "a.csv", 400, "checks.no_code_column"),
        ("统一社会信用代码\n123\n456\n", "a.csv", 400, "checks.no_codes"),
        ("统一社会信用代码\n", "a.csv", 400, "checks.no_codes"),
        ("统一社会信用代码\nX\n", "a.pdf", 400, "file.unsupported_format"),
        ("not a workbook", "a.xlsx", 400, "file.unreadable"),
    ],
)
def test_a_bad_file_is_refused_whole_and_nothing_is_queued(
    officer: Client, text: str, name: str, status: int, code: str
) -> None:
    response = upload(officer, text, name)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not BatchCheck.objects.exists()


def test_more_codes_than_the_limit_are_refused(officer: Client, settings: Any) -> None:
    settings.XINYONG_MAX_BATCH_CHECK_CODES = 2
    response = upload(officer, f"统一社会信用代码\n{COMPANY_USCC}\n{CLEAN_USCC}\n{UNKNOWN_USCC}\n")
    assert (response.status_code, response.json()["code"]) == (413, "checks.too_many_codes")


def test_a_purpose_outside_the_unit_s_duties_is_refused(officer: Client) -> None:
    response = upload(officer, f"统一社会信用代码\n{COMPANY_USCC}\n", purpose="commendation")
    assert (response.status_code, response.json()["code"]) == (403, "query.purpose_not_allowed")


def test_another_unit_cannot_see_the_batch(officer: Client) -> None:
    batch_id = upload(officer, f"统一社会信用代码\n{COMPANY_USCC}\n").json()["id"]
    from xinyong.accounts.models import Unit

    other = Unit.objects.create(
        code=complete_uscc("1135020000222222"), name="厦门市财政局", purposes=[PURPOSE]
    )
    stranger = Client()
    stranger.force_login(User.objects.create_user("czj", kind=User.Kind.UNIT, unit=other))
    assert stranger.get(f"/api/v1/batch-checks/{batch_id}").status_code == 404
    assert stranger.get(f"/api/v1/batch-checks/{batch_id}/sheet.xlsx").status_code == 404
