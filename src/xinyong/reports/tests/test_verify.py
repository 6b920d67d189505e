"""Verifying reports by number and code or by file: authentic, superseded, revoked, tampered, unknown."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor
from xinyong.conftest import COMPANY_USCC, ProviderPersona, centre_staff, penalty
from xinyong.core.testing import travel_to
from xinyong.records.models import CreditRecord, Overlay
from xinyong.records.services import add_overlay
from xinyong.reports import services
from xinyong.reports.models import Report
from xinyong.reports.queries import Status, verify_by_number, verify_file
from xinyong.reports.storage import get_storage
from xinyong.reports.tests.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(penalised: ProviderPersona, company: User) -> Report:
    return services.request_report(
        services.Requester(company, "qiye"), COMPANY_USCC, edition="special", years=3
    )


def _pdf(report: Report) -> bytes:
    return get_storage().open(report.pdf_name)


def test_a_fresh_report_is_authentic_by_number_and_code(report: Report) -> None:
    answer = verify_by_number(report.number, report.verification_code.lower())
    assert answer.status is Status.AUTHENTIC
    assert answer.subject_name == "厦门鹭江贸易有限公司"
    assert answer.sha256 == report.pdf_sha256


def test_verifying_by_number_is_one_query_and_reads_the_same_facts_as_the_orm(report: Report) -> None:
    # The hot path reads the report with raw SQL (queries.BY_NUMBER_SQL): the backend's converters must
    # still give an aware issue time and dates, exactly as the model does.
    with CaptureQueriesContext(connection) as queries:
        answer = verify_by_number(f" {report.number.lower()} ", report.verification_code)
    assert len(queries) == 1
    report.refresh_from_db()
    assert answer.issued_at == report.issued_at and answer.issued_at is not None
    assert answer.issued_at.tzinfo is not None
    assert answer.period == f"{report.period_from} 至 {report.period_to}"
    assert answer.edition == report.get_edition_display() and answer.number == report.number


def test_a_wrong_code_answers_like_an_unknown_number(report: Report) -> None:
    wrong = verify_by_number(report.number, "XXXXXX")
    unknown = verify_by_number("XY20261130AAAAAA", report.verification_code)
    assert wrong == unknown
    assert verify_by_number(report.number, "验证码") == unknown  # not ASCII: still no server error
    assert wrong.status is Status.UNKNOWN and wrong.subject_name == ""


def test_the_pdf_verifies_by_upload_and_pdfsig_accepts_it(report: Report, tmp_path: object) -> None:
    data = _pdf(report)
    assert verify_file(data).status is Status.AUTHENTIC
    out = subprocess.run(["/usr/bin/pdfsig", "-"], input=data, capture_output=True)
    if out.returncode != 0 or b"Signature" not in out.stdout:  # older poppler cannot read stdin
        path = f"{tmp_path}/r.pdf"
        with open(path, "wb") as f:
            f.write(data)
        out = subprocess.run(["/usr/bin/pdfsig", path], capture_output=True)
    assert b"Signature is Valid" in out.stdout


def test_a_one_byte_change_fails_both_checks(report: Report, tmp_path: object) -> None:
    data = bytearray(_pdf(report))
    position = data.index(b"/Author")  # inside the signed range
    data[position + 3] ^= 0x01
    assert verify_file(bytes(data)).status is Status.TAMPERED
    path = f"{tmp_path}/tampered.pdf"
    with open(path, "wb") as f:
        f.write(bytes(data))
    out = subprocess.run(["/usr/bin/pdfsig", path], capture_output=True)
    assert b"Signature is Valid" not in out.stdout


def test_garbage_is_not_a_report() -> None:
    assert verify_file(b"%PDF-1.7 nonsense").status is Status.TAMPERED


def test_a_report_issued_before_a_repair_is_superseded_from_that_day(report: Report) -> None:
    record = CreditRecord.objects.get()
    repaired_at = NOW + dt.timedelta(days=10)
    with travel_to(repaired_at):
        add_overlay(
            record, Overlay.Kind.REPAIRED, actor=Actor.system("test"), reason="已修复", source="信用修复 T1"
        )
    answer = verify_by_number(report.number, report.verification_code)
    assert answer.status is Status.SUPERSEDED
    assert answer.since == repaired_at
    # The subject is offered a fresh report, which is current.
    with travel_to(repaired_at + dt.timedelta(hours=1)):
        company = User.objects.get(username="qiye")
        fresh = services.request_report(
            services.Requester(company, "qiye"), COMPANY_USCC, edition="special", years=3
        )
    assert fresh.pk != report.pk
    assert verify_by_number(fresh.number, fresh.verification_code).status is Status.AUTHENTIC


def test_an_objection_pending_does_not_supersede(report: Report) -> None:
    with travel_to(NOW + dt.timedelta(days=1)):
        add_overlay(
            CreditRecord.objects.get(),
            Overlay.Kind.OBJECTION_PENDING,
            actor=Actor.system("t"),
            reason="异议",
            source="异议 T",
        )
    assert verify_by_number(report.number, report.verification_code).status is Status.AUTHENTIC


def test_a_revoked_report_says_so(report: Report) -> None:
    admin = centre_staff("admin", "catalogue_admin")
    services.revoke(report, actor=admin, reason="出具错误")
    assert verify_by_number(report.number, report.verification_code).status is Status.REVOKED


def test_a_reissue_renders_the_same_content(report: Report) -> None:
    first = _pdf(report)
    with travel_to(NOW + dt.timedelta(days=400)):
        services.reissue(report, actor=Actor.system("test"))
    report.refresh_from_db()
    second = _pdf(report)
    text = [
        subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        for pdf in (first, second)
    ]
    assert text[0] == text[1]
    assert verify_file(first).status is verify_file(second).status is Status.AUTHENTIC


def test_the_public_page_names_the_subject_but_shows_no_content(report: Report) -> None:
    """The verdict names whom the report is about, by name and the code the report prints (a
    company's USCC is public; a person's ID number is printed masked), and nothing of the records."""
    page = Client().get(f"/verify/?number={report.number}&code={report.verification_code}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "真实有效" in html and "厦门鹭江贸易有限公司" in html
    banner = html[html.index('id="verification"') :]
    assert banner.index("真实有效") < banner.index(COMPANY_USCC) < banner.index("报告编号")
    assert "厦市监罚" not in html
    unknown = Client().get("/verify/?number=XM-2026-000001&code=ABCD")
    assert unknown.status_code == 404 and "未找到与该编号和验证码" in unknown.content.decode()


def test_the_api_verifies(report: Report) -> None:
    answer = (
        Client().get(f"/api/v1/reports/verify?number={report.number}&code={report.verification_code}").json()
    )
    assert answer["status"] == "authentic" and answer["number"] == report.number
    assert answer["subject_code"] == COMPANY_USCC
    upload = Client().post("/api/v1/reports/verify", {"file": _uploaded(_pdf(report))})
    assert upload.json()["status"] == "authentic"


def _uploaded(data: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("r.pdf", data, content_type="application/pdf")


def test_purge_deletes_files_after_retention_but_keeps_the_facts(report: Report) -> None:
    assert report.retain_until == dt.date(2036, 11, 30)
    assert services.purge_expired(dt.date(2036, 11, 30)) == 0
    assert services.purge_expired(dt.date(2036, 12, 1)) == 1
    assert services.purge_expired(dt.date(2036, 12, 1)) == 0
    assert not get_storage().exists(report.pdf_name)
    assert verify_by_number(report.number, report.verification_code).status is Status.AUTHENTIC
    [purge] = AuditEntry.objects.filter(action="reports.purge")
    assert (purge.object_id, purge.subject_code, purge.actor_type) == (report.number, COMPANY_USCC, "system")
    assert json.loads(purge.detail)["files"] == [report.pdf_name]


def test_a_new_version_through_intake_supersedes_only_the_reports_that_relied_on_it(
    report: Report, penalised: ProviderPersona
) -> None:
    later = NOW + dt.timedelta(days=2)
    with travel_to(later):
        other = penalised.post(Client(), [penalty(行政处罚决定书文号="厦市监罚〔2026〕999号")])
        assert other.status_code == 200
    assert verify_by_number(report.number, report.verification_code).status is Status.AUTHENTIC
    with travel_to(later + dt.timedelta(hours=1)):
        changed = penalised.post(Client(), [penalty(处罚内容="警告，罚款人民币3万元")])
        assert changed.status_code == 200
    answer = verify_by_number(report.number, report.verification_code)
    assert (answer.status, answer.since) == (Status.SUPERSEDED, later + dt.timedelta(hours=1))
