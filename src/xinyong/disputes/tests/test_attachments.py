"""Attachments: PDF, JPG or PNG by their content, at most 10 MB and 5 files, stored by SHA-256 under
UPLOAD_DIR/objections/, served only to the parties of the case."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.cases.evidence import MAX_BYTES
from xinyong.core.testing import travel_to
from xinyong.disputes.models import Objection, ObjectionAttachment
from xinyong.disputes.services import forward_objection
from xinyong.disputes.tests.conftest import MONDAY, signed_in
from xinyong.records.models import CreditRecord, Overlay

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% report\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _monday() -> object:
    with travel_to(MONDAY):
        yield


def file_with(user: User, record: CreditRecord, *files: SimpleUploadedFile) -> object:
    return signed_in(user).post(
        f"/account/objections/new/{record.pk}/",
        {"grounds": "error", "statement": "附整改材料", "attachments": list(files)},
    )


def test_files_are_stored_by_content_and_served_to_the_parties(
    record: CreditRecord, company: User, handler: User, clerk: User, other_company: User
) -> None:
    response = file_with(
        company, record, SimpleUploadedFile("整改报告.pdf", PDF), SimpleUploadedFile("照片.png", PNG)
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    objection = Objection.objects.get()
    pdf, png = objection.attachments.order_by("pk")
    assert (pdf.name, pdf.content_type, pdf.size) == ("整改报告.pdf", "application/pdf", len(PDF))
    assert pdf.sha256 == hashlib.sha256(PDF).hexdigest()
    stored = Path(settings.UPLOAD_DIR) / pdf.path
    assert stored.read_bytes() == PDF
    assert stored.parent == Path(settings.UPLOAD_DIR) / "objections" / objection.number
    assert png.content_type == "image/png"

    url = f"/objections/{objection.number}/attachments/{pdf.pk}/"
    download = signed_in(company).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert signed_in(handler).get(url).status_code == 200
    assert signed_in(clerk).get(url).status_code == 404  # before the case reaches the provider
    forward_objection(objection, actor=handler)
    assert signed_in(clerk).get(url).status_code == 200
    assert signed_in(other_company).get(url).status_code == 404
    # Every download goes on the audit trail (cases.evidence.serve), the subject's own too.
    reads = AuditEntry.objects.filter(action="evidence.read").order_by("seq")
    assert [(e.actor_name, e.subject_code, e.object_id) for e in reads] == [
        (who, objection.subject_code, pdf.sha256) for who in ("lujiang", "yiyi", "scjg")
    ]
    assert {(json.loads(e.detail)["case"], json.loads(e.detail)["path"]) for e in reads} == {
        (objection.number, pdf.path)
    }


def test_case_pages_read_by_anyone_but_the_subject_are_audited(
    record: CreditRecord, company: User, handler: User, clerk: User
) -> None:
    file_with(company, record)
    objection = Objection.objects.get()
    views = AuditEntry.objects.filter(action="objection.view", object_id=objection.number)
    assert signed_in(company).get(f"/objections/{objection.number}/").status_code == 200
    assert not views.exists()
    assert signed_in(handler).get(f"/objections/{objection.number}/").status_code == 200
    forward_objection(objection, actor=handler)
    assert signed_in(clerk).get(f"/objections/{objection.number}/").status_code == 200
    assert signed_in(clerk).get(f"/workspace/objections/{objection.number}/answer/").status_code == 200
    assert [(e.actor_name, e.subject_code) for e in views.order_by("seq")] == [
        ("yiyi", objection.subject_code), ("scjg", objection.subject_code), ("scjg", objection.subject_code),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        ([SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * MAX_BYTES)], 413, "attachment.too_large"),
        ([SimpleUploadedFile("假.pdf", b"MZ\x90\x00 not a pdf")], 400, "attachment.type"),
        ([SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)], 400, "attachment.too_many"),
    ],
)
def test_bad_attachments_refuse_the_filing_and_write_nothing(
    record: CreditRecord, company: User, files: list[SimpleUploadedFile], status: int, code: str
) -> None:
    response = file_with(company, record, *files)
    assert response.status_code == status  # type: ignore[attr-defined]
    assert code in response.content.decode()  # type: ignore[attr-defined]
    assert not Objection.objects.exists() and not ObjectionAttachment.objects.exists()
    assert not Overlay.objects.exists()
    assert not (Path(settings.UPLOAD_DIR) / "objections").exists()
