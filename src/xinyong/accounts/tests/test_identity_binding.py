"""Identity that cannot be borrowed: the production verifier believes only a government identity service,
an account bound to one subject cannot move itself to another (centre staff release it), and a
subject's account holders hear of every new account bound to it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from xinyong.accounts.models import Notification, Role, User
from xinyong.accounts.realname import (
    GovernmentVerifier,
    IdentityClaim,
    LocalRegisterVerifier,
    Method,
    RecordedIdentityService,
    VouchedIdentity,
    verifier,
)
from xinyong.accounts.services import ALREADY_BOUND, unbind_identity, verify_identity
from xinyong.audit.models import AuditEntry
from xinyong.conftest import (
    COMPANY_USCC,
    OTHER_COMPANY_USCC,
    PERSON_ID,
    ProviderPersona,
    centre_staff,
    penalty,
)
from xinyong.core.clock import CHINA
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=CHINA)
COMPANY = "厦门鹭江贸易有限公司"


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with travel_to(NOW):
        yield


def _vouch(
    ticket: str, *, method: str = Method.BUSINESS_LICENCE, code: str = COMPANY_USCC, **changes: str
) -> None:
    identity = {
        "method": method,
        "subject_code": code,
        "subject_name": COMPANY,
        "person_name": "陈志明",
        "person_id_number": PERSON_ID,
        "acts_as": "法定代表人",
        "reference": f"ref-{ticket}",
    } | changes
    RecordedIdentityService.record(ticket, VouchedIdentity(**identity))


@pytest.fixture
def government() -> GovernmentVerifier:
    return GovernmentVerifier(RecordedIdentityService())


def _claim(code: str = COMPANY_USCC, evidence: str = "", representative: str = "陈志明") -> IdentityClaim:
    return IdentityClaim(code, COMPANY, representative, evidence)


# --- the production verifier ------------------------------------------------------------------------


def test_it_refuses_a_claim_made_of_public_information_alone(government: GovernmentVerifier) -> None:
    result = government.verify(_claim())

    assert not result.ok
    assert "电子营业执照或人脸核验" in result.reason


def test_it_binds_the_legal_representative_or_an_authorised_agent_by_business_licence(
    government: GovernmentVerifier,
) -> None:
    _vouch("t-rep")
    _vouch("t-agent", acts_as="经办人", person_name="王五")

    assert government.verify(_claim(evidence="t-rep")).ok
    assert government.verify(_claim(evidence="t-agent", representative="")).ok


def test_a_ticket_answers_once(government: GovernmentVerifier) -> None:
    _vouch("t-once")

    assert government.verify(_claim(evidence="t-once")).ok
    again = government.verify(_claim(evidence="t-once"))

    assert not again.ok and "已使用" in again.reason


def test_a_ticket_for_another_company_does_not_bind_this_one(government: GovernmentVerifier) -> None:
    _vouch("t-other", code=OTHER_COMPANY_USCC)

    result = government.verify(_claim(evidence="t-other"))

    assert not result.ok and "不一致" in result.reason


def test_a_face_check_binds_only_the_registered_representative_or_the_person_themselves(
    government: GovernmentVerifier,
) -> None:
    _vouch("t-face-agent", method=Method.REPRESENTATIVE_FACE, acts_as="经办人")
    _vouch("t-face-rep", method=Method.REPRESENTATIVE_FACE)
    _vouch("t-person", method=Method.PERSON_FACE, code=PERSON_ID, acts_as="本人")
    _vouch("t-person-other", method=Method.PERSON_FACE, code=PERSON_ID, acts_as="本人", person_id_number="X")

    assert not government.verify(_claim(evidence="t-face-agent")).ok
    assert government.verify(_claim(evidence="t-face-rep")).ok
    assert government.verify(IdentityClaim(PERSON_ID, "林小华", "", "t-person")).ok
    assert not government.verify(IdentityClaim(PERSON_ID, "林小华", "", "t-person-other")).ok


def test_the_verify_page_asks_for_the_ticket_in_production(settings: Any) -> None:
    settings.XINYONG_IDENTITY_VERIFIER = "xinyong.accounts.realname.GovernmentVerifier"
    settings.XINYONG_IDENTITY_SERVICE = "xinyong.accounts.realname.RecordedIdentityService"
    verifier.cache_clear()
    client = Client()
    user = User.objects.create_user("lujiang", kind=User.Kind.SUBJECT)
    client.force_login(user)
    _vouch("t-web")
    try:
        page = client.get("/account/verify/").content.decode()
        assert "核验凭证" in page and "当前为开发环境" not in page

        client.post("/account/verify/", {"code": COMPANY_USCC, "name": COMPANY, "evidence": "t-web"})
    finally:
        verifier.cache_clear()

    user.refresh_from_db()
    assert (user.subject_code, user.verified_by) == (COMPANY_USCC, "模拟身份核验服务核验")


# --- binding, moving, telling ---------------------------------------------------------------------


@pytest.fixture
def register(client: Client, market_bureau: ProviderPersona) -> None:
    market_bureau.post(
        client,
        [
            penalty(),
            penalty(
                统一社会信用代码=OTHER_COMPANY_USCC,
                行政相对人名称="厦门海沧贸易有限公司",
                法定代表人="李四",
                行政处罚决定书文号="厦市监罚〔2026〕9号",
            ),
        ],
    )


def _bound(username: str, email: str = "") -> User:
    user = User.objects.create_user(username, kind=User.Kind.SUBJECT, email=email)
    assert verify_identity(user, _claim(), verifier=LocalRegisterVerifier()).ok
    return user


def test_a_bound_account_cannot_move_itself_to_another_subject(register: None) -> None:
    user = _bound("lujiang")

    moved = verify_identity(
        user,
        IdentityClaim(OTHER_COMPANY_USCC, "厦门海沧贸易有限公司", "李四"),
        verifier=LocalRegisterVerifier(),
    )

    assert (moved.ok, moved.reason) == (False, ALREADY_BOUND)
    user.refresh_from_db()
    assert user.subject_code == COMPANY_USCC
    refused = AuditEntry.objects.filter(action="identity.verify", subject_code=OTHER_COMPANY_USCC).get()
    assert json.loads(refused.detail)["bound_to"] == COMPANY_USCC
    # Verifying the same subject again (e.g. a renewed licence) is still the account's own business.
    assert verify_identity(user, _claim(), verifier=LocalRegisterVerifier()).ok


def test_centre_staff_release_an_account_which_may_then_bind_elsewhere(register: None) -> None:
    user = _bound("lujiang")
    staff = centre_staff("catalogue", Role.CATALOGUE_ADMIN)

    unbind_identity(user, actor=staff, reason="该员工已离职，改为代表新公司")

    assert (user.subject_code, user.verified_at) == ("", None)
    entry = AuditEntry.objects.get(action="identity.unbind")
    assert (entry.subject_code, json.loads(entry.detail)["reason"]) == (
        COMPANY_USCC,
        "该员工已离职，改为代表新公司",
    )
    assert Notification.objects.filter(user=user, title="账号已解除主体绑定").exists()
    other = IdentityClaim(OTHER_COMPANY_USCC, "厦门海沧贸易有限公司", "李四")
    assert verify_identity(user, other, verifier=LocalRegisterVerifier()).ok


def test_only_centre_staff_release_an_account_and_with_a_reason(register: None) -> None:
    user = _bound("lujiang")
    other = _bound("lujiang2")

    with pytest.raises(PlatformError) as not_staff:
        unbind_identity(user, actor=other, reason="我想解绑")
    with pytest.raises(PlatformError) as no_reason:
        unbind_identity(user, actor=centre_staff("catalogue", Role.CATALOGUE_ADMIN), reason=" ")

    assert (not_staff.value.error.code, no_reason.value.error.code) == (
        "identity.unbind_staff_only",
        "identity.unbind_reason_required",
    )
    user.refresh_from_db()
    assert user.subject_code == COMPANY_USCC


def test_the_admin_releases_accounts_with_a_reason(register: None) -> None:
    user = _bound("lujiang")
    client = Client()
    client.force_login(centre_staff("catalogue", Role.CATALOGUE_ADMIN))
    chosen = {"action": "unbind", "_selected_action": [user.pk]}

    asked = client.post("/admin/accounts/user/", chosen)
    assert "原因（必填）" in asked.content.decode()
    client.post("/admin/accounts/user/", chosen | {"apply": "1", "reason": "企业申请更换经办人"})

    user.refresh_from_db()
    assert user.subject_code == ""
    assert (
        json.loads(AuditEntry.objects.get(action="identity.unbind").detail)["reason"] == "企业申请更换经办人"
    )


def test_the_subjects_account_holders_are_told_when_another_account_binds_to_it(
    register: None, django_capture_on_commit_callbacks: Any
) -> None:
    first = _bound("lujiang", email="chen@example.com")

    with (
        travel_to(NOW + dt.timedelta(hours=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _bound("stranger")

    (note,) = Notification.objects.filter(user=first)
    assert note.title == "又有一个账号绑定了本主体"
    assert "账号 stranger 于 2026-11-22 11:00" in note.body
    assert not Notification.objects.filter(user__username="stranger").exists()
    assert [m.to for m in mail.outbox] == [["chen@example.com"]]


def test_verifying_the_same_subject_again_tells_no_one(register: None) -> None:
    first = _bound("lujiang")
    second = _bound("lujiang2")
    Notification.objects.all().delete()

    assert verify_identity(second, _claim(), verifier=LocalRegisterVerifier()).ok

    assert not Notification.objects.filter(user=first).exists()
