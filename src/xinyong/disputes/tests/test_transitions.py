"""The state machine refuses steps from the wrong state (409) and by the wrong people (403, or 404
where they may not even see the case), writing nothing."""

from __future__ import annotations

import pytest

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.disputes.models import Objection, ObjectionEvent
from xinyong.disputes.services import answer_objection, close_objection, file_objection, forward_objection
from xinyong.disputes.tests.conftest import MONDAY, signed_in
from xinyong.disputes.workflow import MACHINE
from xinyong.records.models import CreditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday() -> object:
    with travel_to(MONDAY):
        yield


@pytest.fixture
def objection(record: CreditRecord, company: User) -> Objection:
    return file_objection(actor=company, record=record, grounds="error", statement="金额有误")


def written() -> tuple[int, int]:
    return AuditEntry.objects.count(), ObjectionEvent.objects.count()


def test_the_table_reads_as_the_workflow() -> None:
    assert MACHINE.describe() == [
        ("forward_objection（转交单位核查）", "已受理，信用中心比对中", "已转交信息提供单位核查", "objections.handle"),
        ("answer_objection（反馈核查结果）", "已转交信息提供单位核查", "单位已核查，信用中心处理中", "objections.answer"),
        ("close_objection（办结）", "已受理，信用中心比对中、单位已核查，信用中心处理中", "已办结", "objections.handle"),
    ]  # fmt: skip


def test_forwarding_twice_is_refused_with_409(objection: Objection, handler: User) -> None:
    client = signed_in(handler)
    assert client.post(f"/objections/{objection.number}/forward/", {"note": ""}).status_code == 302
    before = written()
    response = client.post(f"/objections/{objection.number}/forward/", {"note": ""})
    assert response.status_code == 409
    assert "workflow.transition_not_allowed" in response.content.decode()
    assert written() == before


def test_a_closed_case_cannot_be_closed_again(objection: Objection, handler: User) -> None:
    close_objection(objection, actor=handler, outcome="maintained", reasons="无误")
    before = written()
    response = signed_in(handler).post(
        f"/objections/{objection.number}/close/", {"outcome": "revoked", "reasons": "改判"}
    )
    assert response.status_code == 409
    assert written() == before
    objection.refresh_from_db()
    assert objection.outcome == "maintained"


def test_the_provider_cannot_answer_before_the_case_is_forwarded(objection: Objection, clerk: User) -> None:
    with pytest.raises(PlatformError) as refused:
        answer_objection(objection, actor=clerk, answer="confirmed", reasons="无误")
    assert refused.value.error.code == "workflow.transition_not_allowed"
    # and it does not even see the case yet
    assert signed_in(clerk).get(f"/workspace/objections/{objection.number}/answer/").status_code == 404


def test_the_applicant_cannot_take_the_centres_steps(objection: Objection, company: User) -> None:
    before = written()
    response = signed_in(company).post(f"/objections/{objection.number}/forward/", {"note": ""})
    assert response.status_code == 403
    assert "workflow.forbidden" in response.content.decode()
    with pytest.raises(PlatformError) as refused:
        close_objection(objection, actor=company, outcome="revoked", reasons="我说撤销")
    assert refused.value.error.code == "workflow.forbidden"
    assert written() == before


def test_another_provider_cannot_answer(objection: Objection, handler: User, tax_clerk: User) -> None:
    forward_objection(objection, actor=handler)
    before = written()
    with pytest.raises(PlatformError) as refused:
        answer_objection(objection, actor=tax_clerk, answer="revoke", reasons="撤销")
    assert refused.value.error.status == 403
    assert signed_in(tax_clerk).get(f"/workspace/objections/{objection.number}/answer/").status_code == 404
    assert written() == before


@pytest.mark.parametrize("who", ["auditor", "other_company", "tax_clerk"])
def test_outsiders_do_not_see_the_case(
    objection: Objection, who: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.get(f"/objections/{objection.number}/").status_code == 404
    assert (
        client.post(
            f"/objections/{objection.number}/close/", {"outcome": "revoked", "reasons": "x"}
        ).status_code
        == 404
    )
    objection.refresh_from_db()
    assert objection.state == "accepted"


def test_the_case_page_offers_only_the_steps_its_reader_may_take(
    objection: Objection, company: User, handler: User
) -> None:
    centre = signed_in(handler).get(f"/objections/{objection.number}/").content.decode()
    subject = signed_in(company).get(f"/objections/{objection.number}/").content.decode()
    assert 'id="forward-form"' in centre and 'id="close-form"' in centre
    assert 'id="forward-form"' not in subject and 'id="close-form"' not in subject


def test_it_records_each_step_with_the_state_before_and_after(objection: Objection, handler: User) -> None:
    """The history lines carry the case kit's fields; the API and page keep the objection's own
    action values (filed, forwarded, …)."""
    forward_objection(objection, actor=handler, note="请核查")
    history = [(e.action, e.label, e.from_state, e.to_state, e.note) for e in objection.events.all()]
    assert history == [
        ("filed", "提出异议并受理", "", "accepted", "金额有误"),
        ("forwarded", "转交信息提供单位核查", "accepted", "forwarded", "请核查"),
    ]
