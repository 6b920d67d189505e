"""Objections for an omission (遗漏异议): the subject names the department, the record kind (name or
code), the document number and the date of a record that is missing; the case runs the same 2 + 2 + 1
working-day steps and ends with the department's record (已补录, linked by department + document
number and queued upstream) or its reasoned refusal (不予补录), which the subject reads."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from xinyong.accounts.models import Notification, User
from xinyong.audit.models import AuditEntry
from xinyong.collection.models import Batch
from xinyong.conftest import COMPANY_USCC, MARKET_BUREAU_USCC, OTHER_COMPANY_USCC, ProviderPersona
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.disclosure.queries import read_subject
from xinyong.disputes.models import Objection, ObjectionEvent
from xinyong.disputes.services import (
    answer_objection,
    close_objection,
    file_objection,
    file_omission,
    forward_objection,
    link_arrived_records,
)
from xinyong.disputes.tests.conftest import MONDAY, signed_in
from xinyong.records.models import CreditRecord, Overlay, UpstreamNotice

pytestmark = pytest.mark.django_db
DOC = "厦市监表〔2026〕8号"


@pytest.fixture(autouse=True)
def _monday() -> object:
    with travel_to(MONDAY):
        yield


def commendation(**changes: Any) -> dict[str, Any]:
    """The missing commendation, as the market bureau would report it (keyed by Chinese field names)."""
    row: dict[str, Any] = {
        "行政相对人名称": "厦门鹭江贸易有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "陈志明",
        "表彰决定文号": DOC,
        "荣誉名称": "厦门市守合同重信用企业",
        "表彰级别": "市级",
        "表彰日期": "2026-11-10",
        "表彰单位": "厦门市市场监督管理局",
        "表彰单位统一社会信用代码": MARKET_BUREAU_USCC,
        "数据来源单位": "厦门市市场监督管理局",
        "数据来源单位统一社会信用代码": MARKET_BUREAU_USCC,
    }
    row.update(changes)
    return row


def payload(**changes: Any) -> dict[str, Any]:
    return {
        "provider": "厦门市市场监督管理局",
        "kind": "表彰奖励",
        "document_number": DOC,
        "document_date": "2026-11-10",
        "statement": "本公司获评市级守合同重信用企业，平台未显示。",
        **changes,
    }


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/objections/omissions", json.dumps(body, ensure_ascii=False), content_type="application/json"
    )


def omission(company: User, **changes: Any) -> Objection:
    values = payload(**changes)
    values["document_date"] = dt.date.fromisoformat(values["document_date"])
    return file_omission(actor=company, **values)


@pytest.fixture
def case(market_bureau: ProviderPersona, company: User, handler: User) -> Objection:
    return omission(company)


def test_it_files_an_omission_without_a_record(case: Objection, company: User, handler: User) -> None:
    assert (case.number, case.grounds, case.record, case.version_objected) == (
        "YY20261123-0001", "omission", None, None,
    )  # fmt: skip
    assert (case.provider.code, case.omitted_kind_code, case.omitted_key, case.omitted_date) == (
        MARKET_BUREAU_USCC, "commendation", DOC, dt.date(2026, 11, 10),
    )  # fmt: skip
    # The same 2 + 2 + 1 (6 overall) working days as any objection, from Monday 11-23.
    assert (case.compare_due, case.overall_due, case.deadline_rule) == (
        dt.date(2026, 11, 25), dt.date(2026, 12, 1), "objection.deadlines@1",
    )  # fmt: skip
    assert not Overlay.objects.exists()  # nothing to mark: the record is not there
    assert [e.action for e in case.events.all()] == ["filed"]
    entry = AuditEntry.objects.get(action="objection.file")
    detail = json.loads(entry.detail)
    assert (entry.subject_code, detail["document_number"], detail["kind"]) == (
        COMPANY_USCC, DOC, "commendation",
    )  # fmt: skip
    assert Notification.objects.filter(user=handler, title__contains="遗漏异议").exists()
    assert Notification.objects.filter(user=company, title__contains="已受理").exists()


def test_the_api_takes_kind_codes_and_the_departments_code(
    market_bureau: ProviderPersona, company: User
) -> None:
    response = post(signed_in(company), payload(kind="commendation", provider=MARKET_BUREAU_USCC.lower()))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["record_id"], body["record_key"], body["version_objected"]) == (None, None, None)
    assert body["omission"] == {
        "provider_code": MARKET_BUREAU_USCC, "kind": "commendation", "document_number": DOC,
        "document_date": "2026-11-10", "added_record_id": None,
    }  # fmt: skip
    assert body["deadlines"]["overall_due"] == "2026-12-01"
    assert signed_in(company).get(f"/api/v1/objections/{body['number']}").json() == body


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        ({"provider": "厦门市不存在局"}, 400, "objection.omission_provider_unknown", "provider"),
        ({"kind": "好人好事"}, 400, "objection.omission_kind_unknown", "kind"),
        # The tax bureau reports arrears only.
        ({"provider": "国家税务总局厦门市税务局"}, 400, "objection.omission_kind_not_reported", "kind"),
        ({"document_number": "  "}, 400, "objection.omission_number_required", "document_number"),
        ({"document_number": None}, 400, "objection.omission_number_required", "document_number"),
        ({"document_date": "2026-11-24"}, 400, "objection.omission_date_future", "document_date"),  # tomorrow
        ({"document_date": "2026-02-30"}, 400, "request.invalid", None),
        ({"provider": "厦门\x00局"}, 400, "request.invalid", None),  # PostgreSQL cannot even look it up
        ({"statement": ""}, 400, "objection.statement_required", "statement"),
    ],
)
def test_bad_omissions_are_refused_and_write_nothing(
    market_bureau: ProviderPersona,
    tax_bureau: ProviderPersona,
    company: User,
    changes: dict[str, Any],
    status: int,
    code: str,
    field: str | None,
) -> None:
    body = {k: v for k, v in payload(**changes).items() if v is not None}
    entries = AuditEntry.objects.count()
    response = post(signed_in(company), body)
    assert (response.status_code, response.json()["code"]) == (status, code)
    if field:
        assert response.json()["field"] == field
    assert not Objection.objects.exists() and AuditEntry.objects.count() == entries


def test_a_decision_dated_today_may_be_reported(market_bureau: ProviderPersona, company: User) -> None:
    assert post(signed_in(company), payload(document_date="2026-11-23")).status_code == 201


def test_a_record_already_on_the_platform_is_not_an_omission(
    market_bureau: ProviderPersona, company: User
) -> None:
    assert market_bureau.post(Client(), [commendation()], kind="commendation").status_code == 200
    response = post(signed_in(company), payload())
    assert (response.status_code, response.json()["code"]) == (409, "objection.omission_already_recorded")


def test_one_open_omission_per_department_and_number(case: Objection, company: User) -> None:
    response = post(signed_in(company), payload(kind="commendation"))
    assert (response.status_code, response.json()["code"]) == (409, "objection.already_open")
    assert case.number in response.json()["message"]


def test_only_the_subjects_verified_accounts_may_file(
    market_bureau: ProviderPersona, clerk: User, handler: User
) -> None:
    newcomer = User.objects.create_user("newcomer", kind=User.Kind.SUBJECT, subject_code=COMPANY_USCC)
    for who in (newcomer, clerk, handler):
        response = post(signed_in(who), payload())
        assert (response.status_code, response.json()["code"]) == (403, "objection.not_allowed"), who
    assert (post(Client(), payload()).status_code, signed_in(newcomer).get("/account/objections/omission/").status_code) == (
        401, 404,
    )  # fmt: skip
    assert not Objection.objects.exists()


def test_only_the_named_department_sees_the_case(
    case: Objection, company: User, other_company: User, clerk: User, tax_clerk: User, handler: User
) -> None:
    url = f"/api/v1/objections/{case.number}"
    assert signed_in(company).get(url).status_code == 200
    assert signed_in(handler).get(url).status_code == 200
    assert signed_in(clerk).get(url).status_code == 404  # not forwarded yet
    forward_objection(case, actor=handler, note="请核查是否漏报")
    assert signed_in(clerk).get(url).status_code == 200
    assert signed_in(clerk).get("/workspace/objections/").content.decode().count(case.number) >= 1
    for outsider in (tax_clerk, other_company):
        assert signed_in(outsider).get(url).status_code == 404
        assert signed_in(outsider).get(f"/objections/{case.number}/").status_code == 404
    assert case.number not in signed_in(tax_clerk).get("/workspace/objections/").content.decode()
    with pytest.raises(PlatformError) as refused:
        answer_objection(case, actor=tax_clerk, answer="declined", reasons="不是本单位")
    assert refused.value.error.code == "objection.not_allowed"


def test_the_department_submits_the_record_and_the_case_closes_as_added(
    case: Objection, company: User, clerk: User, handler: User
) -> None:
    forwarded = forward_objection(case, actor=handler)
    assert forwarded.provider_due == dt.date(2026, 11, 25)
    batches = Batch.objects.count()
    row = commendation()
    answered = answer_objection(case, actor=clerk, answer="supplied", reasons="漏报，已补报", supplied=row)
    record = CreditRecord.objects.get(key=DOC)
    # Through the normal intake pipeline: a batch, a version, the subject's own record.
    assert Batch.objects.count() == batches + 1
    assert (record.subject_code, record.kind_code, record.provider_id) == (
        COMPANY_USCC, "commendation", case.provider_id,
    )  # fmt: skip
    assert (answered.state, answered.added_record) == ("answered", record)
    assert answered.process_due == dt.date(2026, 11, 24)
    closed = close_objection(case, actor=handler, outcome="added", reasons="部门已补录")
    assert (closed.state, closed.outcome, closed.added_record) == ("closed", "added", record)
    notice = UpstreamNotice.objects.get()
    assert (notice.record, notice.change, notice.source) == (record, "added", f"异议 {case.number}")
    assert Notification.objects.filter(user=company, title__contains="已补录").exists()
    assert DOC in [r.key for r in read_subject(company, COMPANY_USCC).records]
    assert [e.action for e in ObjectionEvent.objects.filter(objection=case).order_by("pk")] == [
        "filed", "forwarded", "answered", "closed",
    ]  # fmt: skip
    assert list(
        AuditEntry.objects.filter(object_id=case.number).order_by("seq").values_list("action", flat=True)
    ) == ["objection.file", "objection.forward", "objection.answer", "objection.close"]


def test_the_department_refuses_with_reasons_the_subject_reads(
    case: Objection, company: User, clerk: User, handler: User
) -> None:
    forward_objection(case, actor=handler)
    with pytest.raises(PlatformError) as refused:
        close_objection(case, actor=handler, outcome="not_added", reasons="部门未答复")
    assert refused.value.error.code == "workflow.transition_not_allowed"  # forwarded: the department's step
    answer_objection(case, actor=clerk, answer="declined", reasons="该荣誉为区级表彰，不属于守信信息")
    for outcome in ("added", "maintained", "corrected"):
        with pytest.raises(PlatformError) as refused:
            close_objection(case, actor=handler, outcome=outcome, reasons="办结")
        assert refused.value.error.code == "objection.outcome_not_allowed", outcome
    close_objection(case, actor=handler, outcome="not_added", reasons="经部门核查，不予补录")
    page = signed_in(company).get(f"/objections/{case.number}/").content.decode()
    assert "该荣誉为区级表彰，不属于守信信息" in page and "不予补录" in page
    assert not UpstreamNotice.objects.exists() and not CreditRecord.objects.exists()


def test_the_centre_cannot_refuse_for_the_department(case: Objection, handler: User) -> None:
    with pytest.raises(PlatformError) as refused:
        close_objection(case, actor=handler, outcome="not_added", reasons="不予补录")
    assert refused.value.error.code == "objection.outcome_not_allowed"
    assert "信息提供单位" in refused.value.message


def test_a_record_reported_through_ordinary_intake_is_linked_and_closes_the_case(
    case: Objection, market_bureau: ProviderPersona, company: User, handler: User
) -> None:
    with pytest.raises(PlatformError):
        close_objection(case, actor=handler, outcome="added", reasons="已补录")  # nothing arrived yet
    assert link_arrived_records() == []
    assert market_bureau.post(Client(), [commendation()], kind="commendation").status_code == 200
    record = CreditRecord.objects.get(key=DOC)
    # The pages see it at once, before the job ran.
    assert "已报送" in signed_in(company).get(f"/objections/{case.number}/").content.decode()
    out = StringIO()
    call_command("disputes", "arrivals", stdout=out)
    assert case.number in out.getvalue()
    assert link_arrived_records() == []  # linked once, however often the job runs
    case.refresh_from_db()
    assert case.added_record == record
    assert ObjectionEvent.objects.filter(objection=case, action="arrived").count() == 1
    assert AuditEntry.objects.filter(action="objection.arrived", object_id=case.number).count() == 1
    # The centre's comparison finds it: closed as 已补录 without forwarding.
    closed = close_objection(case, actor=handler, outcome="added", reasons="比对发现部门已报送")
    assert (closed.outcome, UpstreamNotice.objects.get().change) == ("added", "added")


def test_a_record_of_another_subject_with_the_same_number_is_not_linked(
    case: Objection, market_bureau: ProviderPersona
) -> None:
    row = commendation(统一社会信用代码=OTHER_COMPANY_USCC, 行政相对人名称="厦门另一公司")
    assert market_bureau.post(Client(), [row], kind="commendation").status_code == 200
    assert case.arrived_record() is None and link_arrived_records() == []


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (commendation(表彰决定文号="厦市监表〔2026〕9号"), "objection.omission_key_mismatch"),
        (commendation(统一社会信用代码=OTHER_COMPANY_USCC), "objection.omission_subject_mismatch"),
        (commendation(表彰日期="不是日期"), "objection.omission_record_rejected"),
        ({}, "objection.omission_not_supplied"),
    ],
)
def test_a_bad_supply_changes_nothing(
    case: Objection, clerk: User, handler: User, row: dict[str, Any], code: str
) -> None:
    forward_objection(case, actor=handler)
    batches, entries = Batch.objects.count(), AuditEntry.objects.count()
    with pytest.raises(PlatformError) as refused:
        answer_objection(case, actor=clerk, answer="supplied", reasons="已补报", supplied=row)
    assert refused.value.error.code == code
    case.refresh_from_db()
    assert (case.state, case.added_record) == ("forwarded", None)
    assert not CreditRecord.objects.exists()
    assert (Batch.objects.count(), AuditEntry.objects.count()) == (batches, entries)


def test_answers_and_outcomes_belong_to_their_kind_of_case(
    case: Objection, record: CreditRecord, company: User, clerk: User, handler: User
) -> None:
    forward_objection(case, actor=handler)
    with pytest.raises(PlatformError) as refused:
        answer_objection(case, actor=clerk, answer="confirmed", reasons="无误")
    assert refused.value.error.code == "objection.answer_invalid"
    other = file_objection(actor=company, record=record, grounds="error", statement="金额有误")
    with pytest.raises(PlatformError) as refused:
        close_objection(other, actor=handler, outcome="added", reasons="补录")
    assert refused.value.error.code == "objection.outcome_not_allowed"


def test_the_database_wants_a_record_or_the_omission_facts_not_both(
    case: Objection, record: CreditRecord
) -> None:
    with transaction.atomic(), pytest.raises(IntegrityError):
        Objection.objects.filter(pk=case.pk).update(record=record, version_objected=1)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Objection.objects.filter(pk=case.pk).update(omitted_key="")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Objection.objects.filter(pk=case.pk).update(grounds="error")


# --- pages ----------------------------------------------------------------------------------------------


def test_the_subject_reports_an_omission_from_its_own_record_page(
    market_bureau: ProviderPersona, record: CreditRecord, company: User
) -> None:
    client = signed_in(company)
    account = client.get("/account/").content.decode()
    assert 'id="link-omission"' in account and "报告信息遗漏" in account
    form = client.get("/account/objections/omission/").content.decode()
    assert "厦门市市场监督管理局" in form and "表彰奖励" in form and "总办理时限6个工作日" in form
    body = payload() | {"provider": "厦门市不存在局"}
    refused = client.post("/account/objections/omission/", body)
    assert refused.status_code == 400 and "objection.omission_provider_unknown" in refused.content.decode()
    response = client.post("/account/objections/omission/", payload())
    number = Objection.objects.get().number
    assert response.status_code == 302 and response["Location"] == f"/objections/{number}/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="omitted-record"' in page and DOC in page and "尚未报送" in page
    assert DOC in client.get("/account/objections/").content.decode()


def test_the_centre_and_the_department_handle_it_on_their_pages(
    case: Objection, company: User, clerk: User, handler: User
) -> None:
    centre = signed_in(handler)
    queue = centre.get("/centre/objections/").content.decode()
    assert case.number in queue and "（信息遗漏）" in queue
    page = centre.get(f"/objections/{case.number}/").content.decode()
    # Nothing has arrived and the department has not answered: no outcome is possible yet, none offered.
    assert 'id="close-later"' in page and 'value="added"' not in page and 'value="maintained"' not in page
    assert centre.post(f"/objections/{case.number}/forward/", {"note": "请核查"}).status_code == 302
    department = signed_in(clerk)
    form = department.get(f"/workspace/objections/{case.number}/answer/").content.decode()
    assert 'id="supply-fields"' in form and DOC in form and COMPANY_USCC in form
    assert 'value="supplied"' in form and 'value="confirmed"' not in form
    response = department.post(
        f"/workspace/objections/{case.number}/answer/",
        {"answer": "declined", "reasons": "本单位未作出该表彰决定"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.provider_answer) == ("answered", "declined")
    closed = centre.post(
        f"/objections/{case.number}/close/", {"outcome": "not_added", "reasons": "部门未作出该决定"}
    )
    assert closed.status_code == 302
    assert "本单位未作出该表彰决定" in signed_in(company).get(f"/objections/{case.number}/").content.decode()


def test_the_department_supplies_the_record_on_its_answer_page(
    case: Objection, clerk: User, handler: User
) -> None:
    forward_objection(case, actor=handler)
    fields = {
        "f_bz_xdr_mc": "厦门鹭江贸易有限公司", "f_bz_xdr_lb": "法人及非法人组织", "f_bz_xdr_shxym": COMPANY_USCC,
        "f_bz_frdb": "陈志明", "f_bz_rymc": "厦门市守合同重信用企业", "f_bz_jb": "市级", "f_bz_jdrq": "2026-11-10",
        "f_bz_jg": "厦门市市场监督管理局", "f_bz_jgdm": MARKET_BUREAU_USCC, "f_bz_sjly": "厦门市市场监督管理局",
        "f_bz_sjlydm": MARKET_BUREAU_USCC,
    }  # fmt: skip
    url = f"/workspace/objections/{case.number}/answer/"
    refused = signed_in(clerk).post(
        url, {"answer": "supplied", "reasons": "补报", **fields, "f_bz_jdrq": "x"}
    )
    assert refused.status_code == 400 and "objection.omission_record_rejected" in refused.content.decode()
    response = signed_in(clerk).post(url, {"answer": "supplied", "reasons": "补报", **fields})
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    assert case.added_record is not None and case.added_record.key == DOC  # the key came from the case


def test_the_centre_lists_omissions_beside_objections_to_records(
    case: Objection, record: CreditRecord, company: User, handler: User
) -> None:
    other = file_objection(actor=company, record=record, grounds="error", statement="金额有误")
    listing = signed_in(handler).get("/api/v1/objections?state=open").json()
    kinds = {
        i["number"]: (i["record_key"], (i["omission"] or {}).get("document_number")) for i in listing["items"]
    }
    assert kinds == {case.number: (None, DOC), other.number: (record.key, None)}
