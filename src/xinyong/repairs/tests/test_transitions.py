"""Only the transition table's steps, by the table's actors: an illegal step is 409 and a wrong role 403,
with nothing written; refused applications write nothing either."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.accounts.models import Role, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import OTHER_COMPANY_USCC, centre_staff
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.records.models import CreditRecord, Overlay
from xinyong.repairs import services
from xinyong.repairs.eligibility import Eligibility
from xinyong.repairs.models import RepairApplication, RepairAttachment, RepairEvent
from xinyong.repairs.tests.conftest import STATEMENT, Post, at

pytestmark = pytest.mark.django_db
State = RepairApplication.State


def snapshot() -> tuple[int, ...]:
    return (
        RepairApplication.objects.count(), RepairEvent.objects.count(), AuditEntry.objects.count(),
        Overlay.objects.count(), RepairAttachment.objects.count(),
    )  # fmt: skip


@pytest.fixture
def filed(post_penalty: Post, company: User) -> RepairApplication:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-12"):
        return services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True
        )


@pytest.mark.parametrize("verb", ["provincial_approve", "provincial_reject"])
def test_the_province_cannot_act_before_the_city(filed: RepairApplication, province: User, verb: str) -> None:
    before = snapshot()
    step: Callable[..., Any] = getattr(services, verb)
    with travel_to("2026-02-13"), pytest.raises(PlatformError) as refused:
        step(filed, actor=province, **({"reasons": "x"} if "reject" in verb else {}))
    assert (refused.value.error.code, refused.value.error.status) == ("workflow.transition_not_allowed", 409)
    assert snapshot() == before


def test_a_decided_case_cannot_be_approved_again(
    filed: RepairApplication, city: User, province: User
) -> None:
    with travel_to("2026-02-13"):
        services.city_approve(filed, actor=city)
        services.provincial_approve(filed, actor=province)
        before = snapshot()
        with pytest.raises(PlatformError) as refused:
            services.provincial_approve(filed, actor=province)
    assert refused.value.error.status == 409
    assert snapshot() == before


def test_a_stale_copy_of_the_case_cannot_be_decided_twice(filed: RepairApplication, city: User) -> None:
    stale = RepairApplication.objects.get(pk=filed.pk)
    with travel_to("2026-02-13"):
        services.city_reject(filed, actor=city, reasons="材料不全")
        before = snapshot()
        with pytest.raises(PlatformError) as refused:
            services.city_approve(stale, actor=city)
    assert refused.value.error.status == 409
    assert snapshot() == before


@pytest.mark.parametrize(
    ("verb", "who"),
    [
        ("city_approve", "company"),
        ("city_approve", "province"),
        ("city_approve", Role.OBJECTION_HANDLER),
        ("city_reject", Role.AUDITOR),
    ],
)
def test_only_the_city_reviewer_may_take_the_city_steps(
    filed: RepairApplication, company: User, province: User, verb: str, who: str
) -> None:
    actor = {"company": company, "province": province}.get(who) or centre_staff(f"staff-{who}", who)
    before = snapshot()
    step: Callable[..., Any] = getattr(services, verb)
    with pytest.raises(PlatformError) as refused:
        step(filed, actor=actor, **({"reasons": "x"} if "reject" in verb else {}))
    assert (refused.value.error.code, refused.value.error.status) == ("workflow.forbidden", 403)
    assert snapshot() == before


def test_the_city_reviewer_may_not_take_the_provincial_step(filed: RepairApplication, city: User) -> None:
    with travel_to("2026-02-13"):
        services.city_approve(filed, actor=city)
    before = snapshot()
    with pytest.raises(PlatformError) as refused:
        services.provincial_approve(filed, actor=city)
    assert refused.value.error.status == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "code", "status"),
    [
        ({"committed": False}, "repair.commitment_required", 400),
        ({"obligations_statement": "已整改"}, "repair.statement_required", 400),
        ({"uploads": [SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf")]}, "attachment.type", 400),
        ({"uploads": [SimpleUploadedFile("证明.exe", b"%PDF-1.7 but named .exe")]}, "attachment.type", 400),
        (
            {"uploads": [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.7") for n in range(11)]},
            "attachment.too_many",
            400,
        ),
        (
            {
                "uploads": [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.7") for n in range(10)],
                "training_certificate": SimpleUploadedFile("培训证明.pdf", b"%PDF-1.7"),
            },
            "attachment.too_many",
            400,
        ),
    ],
)
def test_a_bad_application_is_refused_and_writes_nothing(
    post_penalty: Post, company: User, upload_dir: Any, changes: dict[str, Any], code: str, status: int
) -> None:
    record = post_penalty("2025-11-12")
    before = snapshot()
    arguments: dict[str, Any] = {"obligations_statement": STATEMENT, "committed": True, **changes}
    with travel_to("2026-02-12"), pytest.raises(PlatformError) as refused:
        services.apply_for_repair(record, actor=company, **arguments)
    assert (refused.value.error.code, refused.value.error.status) == (code, status)
    assert snapshot() == before
    assert list(upload_dir.iterdir()) == []


def test_it_refuses_an_application_before_the_minimum_period_with_the_earliest_day(
    post_penalty: Post, company: User
) -> None:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-11"), pytest.raises(PlatformError) as refused:
        services.apply_for_repair(record, actor=company, obligations_statement=STATEMENT, committed=True)
    assert (refused.value.error.code, refused.value.error.status) == ("repair.not_eligible", 409)
    assert "2026-02-12 起方可申请" in refused.value.message
    assert not RepairApplication.objects.exists()


def test_it_refuses_a_second_open_application_for_the_same_record(
    filed: RepairApplication, company: User
) -> None:
    with travel_to("2026-02-13"), pytest.raises(PlatformError) as refused:
        services.apply_for_repair(
            filed.record, actor=company, obligations_statement=STATEMENT, committed=True
        )
    assert f"已有办理中的信用修复申请 {filed.number}" in refused.value.message


def test_another_subject_cannot_apply_for_the_record(post_penalty: Post) -> None:
    record = post_penalty("2025-11-12")
    other = User.objects.create_user(
        "other", kind=User.Kind.SUBJECT, subject_code=OTHER_COMPANY_USCC, verified_at=at("2025-01-01")
    )
    unverified = User.objects.create_user("newcomer", kind=User.Kind.SUBJECT)
    with travel_to("2026-02-12"):
        with pytest.raises(PlatformError) as not_theirs:
            services.apply_for_repair(record, actor=other, obligations_statement=STATEMENT, committed=True)
        with pytest.raises(PlatformError) as not_verified:
            services.apply_for_repair(
                record, actor=unverified, obligations_statement=STATEMENT, committed=True
            )
    assert not_theirs.value.error.status == 404
    assert not_verified.value.error.status == 403
    assert not RepairApplication.objects.exists()
    assert CreditRecord.objects.count() == 1


def test_evidence_is_stored_once_by_its_hash_with_the_training_certificate_flagged(
    post_penalty: Post, company: User, upload_dir: Any
) -> None:
    record = post_penalty("2025-11-12")
    pdf = b"%PDF-1.7\n% receipt of the fine\n"
    with travel_to("2026-02-12"):
        application = services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True,
            uploads=[SimpleUploadedFile("缴款凭证.pdf", pdf)],
            training_certificate=SimpleUploadedFile("培训证明.png", b"\x89PNG\r\n\x1a\nxx"),
        )  # fmt: skip
    kinds = dict(application.attachments.values_list("name", "kind"))
    assert kinds == {"缴款凭证.pdf": "evidence", "培训证明.png": "training_certificate"}
    stored = application.attachments.get(name="缴款凭证.pdf")
    assert (upload_dir / stored.path).read_bytes() == pdf
    assert stored.path.startswith("repairs/") and stored.path.endswith(".pdf")


def test_two_applications_filed_at_the_same_moment_leave_one(
    filed: RepairApplication, company: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN an open application WHEN a second one passes the eligibility check at the same moment
    (simulated) THEN the database's one-open-per-record constraint refuses it, with nothing written."""
    monkeypatch.setattr(services, "eligibility", lambda record, on: Eligibility(True, [], None, []))
    before = snapshot()
    with travel_to("2026-02-13"), pytest.raises(PlatformError) as refused:
        services.apply_for_repair(
            filed.record, actor=company, obligations_statement=STATEMENT, committed=True
        )
    assert refused.value.error.code == "repair.not_eligible"
    assert snapshot() == before
