"""May a subject use 告知承诺? Not with an unrepaired broken or false commitment; yes once repaired."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor
from xinyong.commitments import services
from xinyong.commitments.eligibility import may_use_notification_commitment
from xinyong.commitments.models import Commitment
from xinyong.conftest import COMPANY_USCC, ProviderPersona
from xinyong.records.models import CreditRecord, Overlay
from xinyong.records.services import add_overlay, end_overlay

pytestmark = pytest.mark.django_db

URL = f"/api/v1/commitments/eligibility?subject={COMPANY_USCC}"


def _ask(user: User) -> dict[str, object]:
    client = Client()
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200, response.content
    return dict(response.json())


def _break(c: Commitment, officer: User) -> Commitment:
    return services.record_breach(
        c, actor=officer, outcome="broken", reasons="逾期未补交", document_no="厦发改认〔2026〕8号"
    )


def test_a_subject_without_breaches_may_use_it(officer: User) -> None:
    answer = _ask(officer)
    assert answer["allowed"] is True
    assert answer["rule"] == "commitments.notification_bar@1"
    assert answer["blocking"] == []


def test_after_a_breach_it_may_not_and_after_repair_it_may(commitment: Commitment, officer: User) -> None:
    c = _break(commitment, officer)
    answer = _ask(officer)
    assert answer["allowed"] is False
    assert answer["blocking"] == [c.number]
    assert c.number in str(answer["reason"]) and "信用修复前不适用告知承诺" in str(answer["reason"])
    assert answer["rule"] == "commitments.notification_bar@1"

    assert c.breach_record_id is not None
    record = CreditRecord.objects.get(pk=c.breach_record_id)
    overlay = add_overlay(
        record, Overlay.Kind.REPAIRED, actor=Actor.system("test"), reason="已修复", source="repair 1"
    )
    assert _ask(officer)["allowed"] is True
    # The bar returns if the repair is withdrawn.
    end_overlay(overlay, actor=Actor.system("test"), reason="撤回")
    assert _ask(officer)["allowed"] is False


def test_a_breach_reported_by_a_provider_also_bars(
    market_bureau: ProviderPersona, client: Client, officer: User
) -> None:
    row = {
        "行政相对人名称": "厦门鹭江贸易有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "陈志明", "认定文书号": "厦市监认〔2026〕3号", "承诺类型": "告知承诺", "承诺书编号": "SJ-2026-77",
        "承诺事项": "食品经营许可", "违诺情形": "虚假承诺", "认定日期": "2026-11-10", "认定机关": "厦门市市场监督管理局",
        "认定机关统一社会信用代码": market_bureau.provider.code, "数据来源单位": "厦门市市场监督管理局",
        "数据来源单位统一社会信用代码": market_bureau.provider.code,
    }  # fmt: skip
    assert (
        market_bureau.post(client, [row], kind="commitment_breach").json()["results"][0]["status"]
        == "created"
    )
    answer = may_use_notification_commitment(COMPANY_USCC, dt.date(2026, 11, 22))
    assert (answer.allowed, answer.blocking) == (False, ["SJ-2026-77"])
    # Before the breach was determined the subject could still use it.
    assert may_use_notification_commitment(COMPANY_USCC, dt.date(2026, 11, 9)).allowed is True
    # Held for a code check (重错码待核) the record may not be this subject's: it bars nothing meanwhile.
    CreditRecord.objects.filter(subject_code=COMPANY_USCC).update(hold=CreditRecord.Hold.CODE_CONFLICT)
    assert may_use_notification_commitment(COMPANY_USCC, dt.date(2026, 11, 22)).allowed is True


def test_a_provider_system_asks_with_its_key_and_each_question_is_audited(
    market_bureau: ProviderPersona,
) -> None:
    response = Client().get(URL, headers={"Authorization": f"Bearer {market_bureau.key}"})
    assert response.status_code == 200 and response.json()["allowed"] is True
    entry = AuditEntry.objects.get(action="commitments.eligibility")
    assert (entry.subject_code, entry.purpose, entry.actor_type) == (
        COMPANY_USCC,
        "告知承诺适用核验",
        "provider",
    )
    assert entry.result_fingerprint


def test_anonymous_callers_and_subjects_are_refused(company: User) -> None:
    anonymous = Client().get(URL)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "auth.required"
    client = Client()
    client.force_login(company)
    refused = client.get(URL)
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "commitments.not_allowed", "field": None, "row": None,
        "message": "只有承诺受理单位（政府部门或信息提供单位）的账号可以办理信用承诺事项。",
    }  # fmt: skip
    assert not AuditEntry.objects.filter(action="commitments.eligibility").exists()


def test_a_malformed_code_gets_a_clear_error(officer: User) -> None:
    client = Client()
    client.force_login(officer)
    response = client.get("/api/v1/commitments/eligibility?subject=12345")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (
        "commitments.subject_code_invalid",
        "subject",
    )
    assert json.loads(response.content)["message"].startswith("主体代码“12345”")
