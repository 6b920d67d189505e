"""Real-name verification, authorisation grants, legal-purpose queries and "who looked at my data"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import Unit, User
from xinyong.accounts.realname import IdentityClaim, LocalRegisterVerifier
from xinyong.accounts.services import create_grant, revoke_grant, verify_identity
from xinyong.audit.models import AuditEntry
from xinyong.conftest import (
    COMPANY_USCC,
    OTHER_COMPANY_USCC,
    PERSON_ID,
    ProviderPersona,
    penalty,
    person_penalty,
)
from xinyong.core.clock import CHINA
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.disclosure.audience import Audience
from xinyong.disclosure.queries import lookups_of, read_subject
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=CHINA)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel_to(NOW):
        yield


@pytest.fixture
def records(client: Client, market_bureau: ProviderPersona) -> None:
    market_bureau.post(client, [penalty(), person_penalty()])


@pytest.fixture
def company(records: None) -> User:
    user = User.objects.create_user("lujiang", kind=User.Kind.SUBJECT)
    result = verify_identity(
        user, IdentityClaim(COMPANY_USCC, "厦门鹭江贸易有限公司", "陈志明"), verifier=LocalRegisterVerifier()
    )
    assert result.ok
    return user


@pytest.fixture
def person(records: None) -> User:
    user = User.objects.create_user("linxiaohua", kind=User.Kind.SUBJECT)
    assert verify_identity(user, IdentityClaim(PERSON_ID, "林小华"), verifier=LocalRegisterVerifier()).ok
    return user


@pytest.fixture
def bank(db: None) -> User:
    """A bank's verified account (a querier acts through its own verified subject account)."""
    return User.objects.create_user(
        "bank-officer",
        kind=User.Kind.SUBJECT,
        subject_code=OTHER_COMPANY_USCC,
        verified_at=NOW,
        verified_by="test",
    )


@pytest.fixture
def officer(db: None) -> User:
    unit = Unit.objects.create(
        code=complete_uscc("1135020000987654"),
        name="厦门市发展和改革委员会",
        purposes=["licensing_inspection_penalty"],
    )
    return User.objects.create_user("fgw-officer", kind=User.Kind.UNIT, unit=unit)


def test_verification_binds_the_account_and_a_mismatch_is_refused_on_the_record(records: None) -> None:
    user = User.objects.create_user("someone", kind=User.Kind.SUBJECT)

    wrong = verify_identity(
        user, IdentityClaim(COMPANY_USCC, "厦门鹭江贸易有限公司", "张三"), verifier=LocalRegisterVerifier()
    )
    right = verify_identity(
        user, IdentityClaim(COMPANY_USCC, "厦门鹭江贸易有限公司", "陈志明"), verifier=LocalRegisterVerifier()
    )

    assert (wrong.ok, wrong.reason) == (False, "法定代表人与登记不一致。")
    assert right.ok
    user.refresh_from_db()
    assert (user.subject_code, user.verified_by) == (COMPANY_USCC, LocalRegisterVerifier.label)
    assert (
        list(AuditEntry.objects.filter(action="identity.verify").values_list("subject_code", flat=True))
        == [COMPANY_USCC] * 2
    )


def test_the_development_verifier_says_so_on_screen(db: None) -> None:
    client = Client()
    client.force_login(User.objects.create_user("x", kind=User.Kind.SUBJECT))

    assert "当前为开发环境" in client.get("/account/verify/").content.decode()


def test_the_subject_sees_its_own_record_unmasked_and_that_is_not_a_lookup(person: User) -> None:
    view = read_subject(person, PERSON_ID)

    assert (view.audience, view.code) == (Audience.SELF, PERSON_ID)
    assert lookups_of(PERSON_ID) == []
    assert AuditEntry.objects.filter(action="subject.view_own", subject_code=PERSON_ID).count() == 1


def test_without_a_grant_or_purpose_nobody_sees_another_subject(bank: User, records: None) -> None:
    with pytest.raises(PlatformError) as refused:
        read_subject(bank, COMPANY_USCC)

    assert refused.value.error.code == "query.no_basis"
    assert not AuditEntry.objects.filter(action="subject.view_nonpublic").exists()


def test_a_grant_opens_the_record_until_it_ends(company: User, bank: User) -> None:
    until = NOW + dt.timedelta(days=30)
    create_grant(actor=company, grantee="bank-officer", purpose="贷款审查", valid_until=until)

    assert read_subject(bank, COMPANY_USCC).audience is Audience.AUTHORISED
    with travel_to(until - dt.timedelta(seconds=1)):
        assert read_subject(bank, COMPANY_USCC).purpose == "贷款审查"
    with travel_to(until), pytest.raises(PlatformError):
        read_subject(bank, COMPANY_USCC)


def test_a_revoked_grant_stops_at_once(company: User, bank: User) -> None:
    grant = create_grant(
        actor=company, grantee="bank-officer", purpose="贷款审查", valid_until=NOW + dt.timedelta(days=3)
    )
    read_subject(bank, COMPANY_USCC)

    revoke_grant(grant, actor=company)

    with pytest.raises(PlatformError):
        read_subject(bank, COMPANY_USCC)
    assert [e.action for e in AuditEntry.objects.filter(object_type="grant").order_by("seq")] == [
        "grant.create",
        "grant.revoke",
    ]


def test_a_grant_to_an_organisation_code_covers_its_unit_officers(company: User, officer: User) -> None:
    assert officer.unit is not None
    create_grant(
        actor=company,
        grantee=officer.unit.code,
        purpose="项目申报核查",
        valid_until=NOW + dt.timedelta(days=3),
    )

    assert read_subject(officer, COMPANY_USCC).audience is Audience.AUTHORISED


@pytest.mark.parametrize(
    ("grantee", "days", "code"),
    [
        ("bank-officer", 367, "grant.invalid_period"),
        ("nobody-here", 3, "grant.grantee_unknown"),
        (COMPANY_USCC, 3, "grant.self"),
    ],
)
def test_bad_grants_are_refused(company: User, bank: User, grantee: str, days: int, code: str) -> None:
    with pytest.raises(PlatformError) as refused:
        create_grant(actor=company, grantee=grantee, purpose="x", valid_until=NOW + dt.timedelta(days=days))
    assert refused.value.error.code == code


def test_a_unit_queries_for_a_listed_purpose_and_sees_masked_id_numbers(officer: User, records: None) -> None:
    view = read_subject(officer, PERSON_ID, "licensing_inspection_penalty")

    assert view.audience is Audience.GOVERNMENT
    assert view.code == PERSON_ID[:6] + "********" + PERSON_ID[-4:]
    assert PERSON_ID not in repr(view.records)


def test_a_unit_must_state_a_purpose_within_its_duties(officer: User, records: None) -> None:
    with pytest.raises(PlatformError) as missing:
        read_subject(officer, COMPANY_USCC)
    with pytest.raises(PlatformError) as outside:
        read_subject(officer, COMPANY_USCC, "personnel")

    assert (missing.value.error.code, outside.value.error.code) == (
        "query.purpose_required",
        "query.purpose_not_allowed",
    )


def test_the_subject_sees_who_looked_and_why(company: User, officer: User) -> None:
    read_subject(officer, COMPANY_USCC, "licensing_inspection_penalty")
    read_subject(company, COMPANY_USCC)

    client = Client()
    client.force_login(company)
    page = client.get("/account/").content.decode()

    [lookup] = lookups_of(COMPANY_USCC)
    assert (lookup.unit, lookup.actor_name) == ("厦门市发展和改革委员会", "fgw-officer")
    assert "实施行政许可、行政检查和较大数额行政处罚" in lookup.purpose
    assert "厦门市发展和改革委员会" in page and "fgw-officer" in page


def test_every_read_is_fingerprinted(officer: User, records: None) -> None:
    read_subject(officer, COMPANY_USCC, "licensing_inspection_penalty")

    entry = AuditEntry.objects.get(action="subject.view_nonpublic")
    assert len(entry.result_fingerprint) == 64
    assert entry.role == "unit"
