"""Revoked and maintained outcomes, and the rules on which outcome may close which case: corrections
always come from the provider, and a provider's correction can only be closed as corrected."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import RecordKind
from xinyong.collection.models import Batch
from xinyong.conftest import COMPANY_USCC
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.disclosure.queries import public_subject, read_subject
from xinyong.disputes.models import Objection, ObjectionEvent
from xinyong.disputes.services import answer_objection, close_objection, file_objection, forward_objection
from xinyong.disputes.tests.conftest import MONDAY
from xinyong.records.models import CreditRecord, Overlay, RecordVersion, UpstreamNotice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday() -> object:
    with travel_to(MONDAY):
        yield


@pytest.fixture
def objection(record: CreditRecord, company: User) -> Objection:
    return file_objection(
        actor=company, record=record, grounds="privacy", statement="含有法定代表人的个人信息"
    )


def forwarded(objection: Objection, handler: User) -> Objection:
    return forward_objection(objection, actor=handler, note="请核查")


def test_the_centre_revokes_straight_after_comparison(
    objection: Objection, record: CreditRecord, company: User, handler: User
) -> None:
    close_objection(objection, actor=handler, outcome="revoked", reasons="平台数据与单位数据不一致，误归集")
    kinds = {o.kind: o.ends_at for o in Overlay.objects.filter(record=record)}
    assert kinds[Overlay.Kind.REVOKED] is None and kinds[Overlay.Kind.OBJECTION_PENDING] is not None
    assert UpstreamNotice.objects.get().change == "revoked"
    assert public_subject(COMPANY_USCC).records == []
    assert read_subject(company, COMPANY_USCC).records == []  # revoked: only staff still see it


def test_the_centre_maintains_after_the_provider_confirms(
    objection: Objection, record: CreditRecord, handler: User, clerk: User
) -> None:
    answer_objection(forwarded(objection, handler), actor=clerk, answer="confirmed", reasons="处罚决定无误")
    closed = close_objection(
        objection, actor=handler, outcome="maintained", reasons="经核查信息无误，予以维持"
    )
    assert (closed.state, closed.outcome) == ("closed", "maintained")
    assert list(Overlay.objects.filter(record=record, ends_at__isnull=True)) == []
    assert not UpstreamNotice.objects.exists()
    assert [r.state for r in public_subject(COMPANY_USCC).records] == ["公示中"]


def test_the_provider_may_say_the_record_should_be_revoked(
    objection: Objection, handler: User, clerk: User
) -> None:
    answered = answer_objection(
        forwarded(objection, handler), actor=clerk, answer="revoke", reasons="重复报送"
    )
    assert answered.provider_answer == "revoke"
    assert (
        close_objection(objection, actor=handler, outcome="revoked", reasons="依单位意见撤销").outcome
        == "revoked"
    )


@pytest.mark.parametrize("outcome", ["corrected", "bogus"])
def test_a_correction_cannot_be_decided_by_the_centre_alone(
    objection: Objection, handler: User, outcome: str
) -> None:
    entries = AuditEntry.objects.count()
    with pytest.raises(PlatformError) as refused:
        close_objection(objection, actor=handler, outcome=outcome, reasons="更正")
    assert refused.value.error.code == "objection.outcome_not_allowed"
    objection.refresh_from_db()
    assert objection.state == "accepted" and AuditEntry.objects.count() == entries


def test_a_provider_correction_is_closed_as_corrected_only(
    objection: Objection, record: CreditRecord, handler: User, clerk: User
) -> None:
    data = RecordVersion.objects.get(record=record).data | {"cf_nr": "警告"}
    answer_objection(
        forwarded(objection, handler), actor=clerk, answer="corrected", reasons="已更正", corrected=data
    )
    with pytest.raises(PlatformError) as refused:
        close_objection(objection, actor=handler, outcome="maintained", reasons="维持")
    assert refused.value.error.code == "objection.outcome_not_allowed"


def test_reasons_are_required(objection: Objection, handler: User) -> None:
    with pytest.raises(PlatformError) as refused:
        close_objection(objection, actor=handler, outcome="maintained", reasons="  ")
    assert refused.value.error.code == "objection.reasons_required"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"cf_jdrq": "不是日期"}, "objection.correction_rejected"),  # the intake pipeline refuses the row
        ({"cf_wsh": "厦市监罚〔2026〕999号"}, "objection.correction_key_changed"),
        ({}, "objection.correction_unchanged"),
    ],
)
def test_a_bad_correction_changes_nothing(
    objection: Objection, record: CreditRecord, handler: User, clerk: User, change: dict[str, str], code: str
) -> None:
    forwarded(objection, handler)
    batches, entries, events = (
        Batch.objects.count(),
        AuditEntry.objects.count(),
        ObjectionEvent.objects.count(),
    )
    data = RecordVersion.objects.get(record=record).data | change
    with pytest.raises(PlatformError) as refused:
        answer_objection(objection, actor=clerk, answer="corrected", reasons="更正", corrected=data)
    assert refused.value.error.code == code
    objection.refresh_from_db()
    record.refresh_from_db()
    assert (objection.state, record.latest_version) == ("forwarded", 1)
    assert (Batch.objects.count(), AuditEntry.objects.count(), ObjectionEvent.objects.count()) == (
        batches, entries, events,
    )  # fmt: skip


def test_a_rejected_correction_is_shown_to_the_provider_on_its_page(
    objection: Objection, record: CreditRecord, handler: User, clerk: User
) -> None:
    from xinyong.disputes.tests.conftest import signed_in

    forwarded(objection, handler)
    fields = {f"f_{code}": value for code, value in RecordVersion.objects.get(record=record).data.items()}
    response = signed_in(clerk).post(
        f"/workspace/objections/{objection.number}/answer/",
        {"answer": "corrected", "reasons": "更正", **fields, "f_cf_jdrq": "不是日期"},
    )
    assert response.status_code == 400
    assert "objection.correction_rejected" in response.content.decode()
    assert "不是有效日期" in response.content.decode()


def test_a_correction_keeps_the_key_field_of_the_records_own_kind_version(
    objection: Objection, record: CreditRecord, handler: User, clerk: User
) -> None:
    """A newer schema version of the kind (in force later, with another key field) does not decide
    which field of the correction must keep the record's key."""
    kind = RecordKind.objects.get(pk=RecordVersion.objects.get(record=record).kind_id)
    newer = RecordKind.objects.get(pk=kind.pk)
    newer.pk, newer.version, newer.key_field = None, kind.version + 1, "cf_xdr_mc"
    newer.effective_from = dt.date(2027, 1, 1)
    newer.save()
    data = RecordVersion.objects.get(record=record).data | {"cf_nr": "警告"}
    answered = answer_objection(
        forwarded(objection, handler), actor=clerk, answer="corrected", reasons="已更正", corrected=data
    )
    assert (answered.state, answered.corrected_version) == ("answered", 2)
