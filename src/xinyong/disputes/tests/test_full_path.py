"""An objection from filing to correction, through the pages: file → forward → answer corrected →
close. The record gets a new version and 已更正, the pending mark ends, the upstream platform is
queued, every step is audited and each next party (finally the applicant) is told."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail

from xinyong.accounts.models import Notification, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import COMPANY_USCC
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to
from xinyong.disclosure.queries import public_subject, read_subject
from xinyong.disputes.models import Objection, ObjectionEvent
from xinyong.disputes.tests.conftest import MONDAY, signed_in
from xinyong.records.models import CreditRecord, Overlay, RecordVersion, UpstreamNotice

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 10) -> time_machine.travel:
    return travel_to(dt.datetime(2026, 11, day, hour, 0, tzinfo=CHINA))


def test_it_corrects_a_record_from_filing_to_closing(
    record: CreditRecord, company: User, clerk: User, handler: User, django_capture_on_commit_callbacks: Any
) -> None:
    subject_page, provider_page, centre_page = signed_in(company), signed_in(clerk), signed_in(handler)

    # The subject sees a link under its record on its own account page and files.
    with travel_to(MONDAY), django_capture_on_commit_callbacks(execute=True):
        account = subject_page.get("/account/")
        assert f'id="object-{record.pk}"' in account.content.decode()
        response = subject_page.post(
            f"/account/objections/new/{record.pk}/",
            {
                "grounds": "error",
                "statement": "罚款金额应为1万元，不是2万元。",
                "requested_correction": "罚款1万元",
            },
        )
    objection = Objection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/objections/{objection.number}/"
    assert objection.number == "YY20261123-0001"
    assert (objection.state, objection.compare_due, objection.overall_due) == (
        "accepted", dt.date(2026, 11, 25), dt.date(2026, 12, 1),
    )  # fmt: skip
    assert objection.deadline_rule == "objection.deadlines@1"
    assert objection.version_objected == 1
    with travel_to(MONDAY):
        assert [r.state for r in read_subject(company, COMPANY_USCC).records] == ["异议处理中"]
        case = subject_page.get(f"/objections/{objection.number}/").content.decode()
    assert "剩余 2 个工作日" in case and "剩余 6 个工作日" in case
    assert handler.email in [m.to[0] for m in mail.outbox]  # the centre is told of the new case

    # The centre compares on Tuesday and forwards to the market bureau.
    with at(24), django_capture_on_commit_callbacks(execute=True):
        response = centre_page.post(f"/objections/{objection.number}/forward/", {"note": "请核实罚款金额"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.state, objection.provider_due) == ("forwarded", dt.date(2026, 11, 26))
    assert any(m.to == [clerk.email] for m in mail.outbox)

    # The provider answers with the corrected record on Wednesday.
    with at(25):
        inbox = provider_page.get("/workspace/objections/").content.decode()
        assert objection.number in inbox
        form = provider_page.get(f"/workspace/objections/{objection.number}/answer/")
        assert form.status_code == 200
        current = RecordVersion.objects.get(record=record, version=1).data
        fields = {f"f_{code}": value for code, value in current.items()}
        fields |= {"f_cf_nr_fk": "1", "f_cf_nr": "警告，罚款人民币1万元"}
        response = provider_page.post(
            f"/workspace/objections/{objection.number}/answer/",
            {"answer": "corrected", "reasons": "经核查，罚款金额录入错误，已更正。", **fields},
        )
    assert response.status_code == 302, response.content.decode()
    objection.refresh_from_db()
    record.refresh_from_db()
    assert (objection.state, objection.corrected_version, record.latest_version) == ("answered", 2, 2)
    assert objection.process_due == dt.date(2026, 11, 26)

    # The centre closes on Thursday as corrected; the applicant is told.
    mail.outbox.clear()
    with at(26), django_capture_on_commit_callbacks(execute=True):
        response = centre_page.post(
            f"/objections/{objection.number}/close/",
            {"outcome": "corrected", "reasons": "依单位核查结果更正。"},
        )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.state, objection.outcome) == ("closed", "corrected")
    overlays = {o.kind: o for o in Overlay.objects.filter(record=record)}
    assert overlays[Overlay.Kind.OBJECTION_PENDING].ends_at is not None
    assert overlays[Overlay.Kind.CORRECTED].ends_at is None
    assert overlays[Overlay.Kind.CORRECTED].source == f"异议 {objection.number}"
    notice = UpstreamNotice.objects.get()
    assert (notice.change, notice.version, notice.sent_at) == ("corrected", 2, None)
    with at(26, 15):
        shown = public_subject(COMPANY_USCC).records
    assert [(r.state, r.version) for r in shown] == [("已更正", 2)]
    assert dict(shown[0].fields)["处罚内容"] == "警告，罚款人民币1万元"
    assert [m.to for m in mail.outbox] == [[company.email], [clerk.email]]
    assert "已办结：更正" in mail.outbox[0].subject
    assert Notification.objects.filter(user=company, title__contains="已办结").count() == 1

    # The whole case is on the trail and in the case history (with the provider's read of it).
    actions = list(
        AuditEntry.objects.filter(object_type="objection", object_id=objection.number)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    steps = [a for a in actions if a != "objection.view"]
    assert steps == ["objection.file", "objection.forward", "objection.answer", "objection.close"]
    assert "objection.view" in actions
    assert AuditEntry.objects.filter(action="records.overlay.corrected", subject_code=COMPANY_USCC).exists()
    assert list(objection.events.order_by("at").values_list("action", flat=True)) == [
        ObjectionEvent.Action.FILED, ObjectionEvent.Action.FORWARDED, ObjectionEvent.Action.ANSWERED,
        ObjectionEvent.Action.CLOSED,
    ]  # fmt: skip
    with at(26, 16):
        page = subject_page.get(f"/objections/{objection.number}/").content.decode()
    assert 'data-outcome="corrected"' in page and "已按异议更正" in page
