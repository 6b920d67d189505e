"""Filing an objection: only one's own visible record, one open case per record, a statement; the
number is readable and counts per day; the notification inbox shows what each step sent."""

from __future__ import annotations

import pytest
from django.test import Client

from xinyong.accounts.models import Notification, User
from xinyong.audit.services import Actor
from xinyong.conftest import PERSON_ID, ProviderPersona, centre_staff, person_penalty
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.disputes.models import Objection
from xinyong.disputes.services import close_objection, file_objection
from xinyong.disputes.tests.conftest import MONDAY, signed_in
from xinyong.records.models import CreditRecord, Overlay
from xinyong.records.services import add_overlay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday() -> object:
    with travel_to(MONDAY):
        yield


def refused(**kwargs: object) -> str:
    with pytest.raises(PlatformError) as error:
        file_objection(**{"grounds": "error", "statement": "金额有误", **kwargs})  # type: ignore[arg-type]
    return error.value.error.code


def test_a_subject_cannot_object_to_another_subjects_record(
    record: CreditRecord, other_company: User
) -> None:
    assert refused(actor=other_company, record=record) == "objection.record_not_yours"
    response = signed_in(other_company).post(
        f"/account/objections/new/{record.pk}/", {"grounds": "error", "statement": "不是我的"}
    )
    assert response.status_code == 404
    assert not Objection.objects.exists()


def test_only_a_verified_subject_account_may_object(record: CreditRecord, clerk: User) -> None:
    newcomer = User.objects.create_user("newcomer", kind=User.Kind.SUBJECT)
    assert refused(actor=newcomer, record=record) == "objection.not_allowed"
    assert refused(actor=clerk, record=record) == "objection.not_allowed"
    assert refused(actor=centre_staff("c", "objection_handler"), record=record) == "objection.not_allowed"


def test_the_statement_and_grounds_are_checked(record: CreditRecord, company: User) -> None:
    assert refused(actor=company, record=record, statement=" \n") == "objection.statement_required"
    assert refused(actor=company, record=record, grounds="mood") == "objection.grounds_invalid"
    response = signed_in(company).post(
        f"/account/objections/new/{record.pk}/", {"grounds": "error", "statement": ""}
    )
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_one_open_objection_per_record(record: CreditRecord, company: User, handler: User) -> None:
    first = file_objection(actor=company, record=record, grounds="error", statement="金额有误")
    assert refused(actor=company, record=record) == "objection.already_open"
    # The page sends the subject to the open case instead of a second form.
    response = signed_in(company).get(f"/account/objections/new/{record.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/objections/{first.number}/"
    close_objection(first, actor=handler, outcome="maintained", reasons="无误")
    second = file_objection(actor=company, record=record, grounds="omission", statement="遗漏了整改情况")
    assert (first.number, second.number) == ("YY20261123-0001", "YY20261123-0002")
    assert second.version_objected == 1


def test_a_revoked_record_cannot_be_objected_to(record: CreditRecord, company: User, handler: User) -> None:
    first = file_objection(actor=company, record=record, grounds="error", statement="金额有误")
    close_objection(first, actor=handler, outcome="revoked", reasons="误归集")
    assert refused(actor=company, record=record) == "objection.record_not_visible"


def test_filing_marks_the_record_and_tells_both_sides(
    record: CreditRecord, company: User, handler: User
) -> None:
    objection = file_objection(actor=company, record=record, grounds="trade_secret", statement="涉及商业秘密")
    overlay = Overlay.objects.get(record=record)
    assert (overlay.kind, overlay.ends_at, overlay.source) == (
        "objection_pending",
        None,
        f"异议 {objection.number}",
    )
    assert objection.pending_overlay == overlay
    assert Notification.objects.filter(user=handler, title__contains=objection.number).exists()
    assert Notification.objects.filter(user=company, title__contains="已受理").exists()


def test_the_subjects_pages_list_its_objections(
    record: CreditRecord, company: User, other_company: User, market_bureau: ProviderPersona
) -> None:
    objection = file_objection(actor=company, record=record, grounds="error", statement="金额有误")
    mine = signed_in(company).get("/account/objections/").content.decode()
    theirs = signed_in(other_company).get("/account/objections/").content.decode()
    assert objection.number in mine and objection.number not in theirs
    account = signed_in(company).get("/account/").content.decode()
    assert "异议处理中" in account


def test_the_notification_inbox_lists_and_marks_read(record: CreditRecord, company: User) -> None:
    file_objection(actor=company, record=record, grounds="error", statement="金额有误")
    client = signed_in(company)
    page = client.get("/account/notifications/").content.decode()
    assert "已受理" in page and 'id="unread-count">1<' in page
    assert client.post("/account/notifications/read/", {}).status_code == 302
    assert not Notification.objects.filter(user=company, read_at__isnull=True).exists()
    assert 'id="unread-count"' not in client.get("/account/notifications/").content.decode()


def test_marking_one_message_read_touches_only_ones_own(
    record: CreditRecord, company: User, handler: User
) -> None:
    file_objection(actor=company, record=record, grounds="error", statement="金额有误")
    theirs = Notification.objects.get(user=handler)
    signed_in(company).post("/account/notifications/read/", {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_person_objects_to_their_own_record(market_bureau: ProviderPersona) -> None:
    assert market_bureau.post(Client(), [person_penalty()]).status_code == 200
    record = CreditRecord.objects.get(subject_code=PERSON_ID)
    person = User.objects.create_user(
        "linxiaohua", kind=User.Kind.SUBJECT, subject_code=PERSON_ID, verified_at=MONDAY, verified_by="test"
    )
    assert (
        file_objection(actor=person, record=record, grounds="privacy", statement="隐私").subject_code
        == PERSON_ID
    )


def test_an_id_that_is_not_a_number_marks_nothing_read(record: CreditRecord, company: User) -> None:
    file_objection(actor=company, record=record, grounds="error", statement="金额有误")
    client = signed_in(company)
    for raw in ("²", "abc", "-1"):
        assert client.post("/account/notifications/read/", {"id": raw}).status_code == 302
    assert Notification.objects.filter(user=company, read_at__isnull=True).count() == 1


def test_a_record_the_subject_cannot_see_has_no_objection_page(record: CreditRecord, company: User) -> None:
    client = signed_in(company)
    page = client.get(f"/account/objections/new/{record.pk}/")
    # The deadlines shown come from rule objection.deadlines (2 / 2 / 1, 6 overall).
    assert page.status_code == 200 and "总办理时限6个工作日" in page.content.decode()
    add_overlay(record, Overlay.Kind.REVOKED, actor=Actor.system("test"), reason="撤销", source="test")
    # The page would otherwise print the revoked record's fields (disclosure.queries.own_record).
    assert client.get(f"/account/objections/new/{record.pk}/").status_code == 404
