"""Personas for the commitment tests: a unit that accepts commitments (发展和改革委员会), its officer, a
verified company account, and a commitment made on 2026-11-02 with a deadline of 2026-11-30."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from xinyong.accounts.models import Unit, User
from xinyong.catalog.models import Domain
from xinyong.commitments import services
from xinyong.commitments.models import Commitment
from xinyong.conftest import COMPANY_USCC, PERSON_ID
from xinyong.core import clock
from xinyong.core.testing import travel_to
from xinyong.subjects.codes import complete_uscc
from xinyong.subjects.models import Subject

NOW = "2026-11-22 10:00 +0800"
UNIT_USCC = complete_uscc("1135020000987654")


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with travel_to(NOW):
        yield


def register(code: str, name: str, kind: str = Subject.Kind.ORGANISATION, legal: str = "") -> Subject:
    code_type = Subject.CodeType.RESIDENT_ID if kind == Subject.Kind.PERSON else Subject.CodeType.USCC
    return Subject.objects.create(
        code=code, code_type=code_type, kind=kind, name=name, legal_representative=legal,
        created_at=clock.now(), updated_at=clock.now(),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def registered(db: None) -> None:
    """The subjects the tests make commitments about are in the registry (a commitment creates none)."""
    register(COMPANY_USCC, "厦门鹭江贸易有限公司", legal="陈志明")
    register(PERSON_ID, "林小华", Subject.Kind.PERSON)


@pytest.fixture
def unit(db: None) -> Unit:
    unit = Unit.objects.create(code=UNIT_USCC, name="厦门市发展和改革委员会", purposes=[])
    unit.domains.add(Domain.objects.get(number=2))
    return unit


@pytest.fixture
def officer(unit: Unit) -> User:
    return User.objects.create_user("fgw", kind=User.Kind.UNIT, unit=unit, email="fgw@example.cn")


@pytest.fixture
def company(db: None) -> User:
    user = User.objects.create_user("company", kind=User.Kind.SUBJECT, email="boss@example.cn")
    User.objects.filter(pk=user.pk).update(
        subject_code=COMPANY_USCC, verified_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    )
    return User.objects.get(pk=user.pk)


def commitment_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "subject_code": COMPANY_USCC,
        "subject_name": "厦门鹭江贸易有限公司",
        "subject_kind": "organisation",
        "legal_representative": "陈志明",
        "type": "approval_substitute/notification",
        "matter": "粮食收购资格认定",
        "content": "本单位承诺所填报信息真实，符合审批条件，并在期限内补交仓储设施证明。",
        "made_on": dt.date(2026, 11, 2),
        "deadline": dt.date(2026, 11, 30),
    }
    return fields | changes


@pytest.fixture
def commitment(officer: User) -> Commitment:
    return services.record_commitment(actor=officer, **commitment_fields())
