"""Appending to the audit chain, and the database refusing to change what was appended."""

from __future__ import annotations

import hashlib

import pytest
from django.db import DatabaseError, connection, transaction

from xinyong.audit.models import AuditEntry, AuditHead
from xinyong.audit.services import GENESIS, Actor, fingerprint, record
from xinyong.conftest import COMPANY_USCC, ProviderPersona
from xinyong.core import request_id

pytestmark = pytest.mark.django_db

CENTRE_STAFF = Actor(AuditEntry.ActorType.USER, "7", "王敏", "厦门市信用中心", "reviewer")


def read(n: int = 0) -> AuditEntry:
    return record(
        actor=CENTRE_STAFF,
        action="subject.view_nonpublic",
        subject_code=COMPANY_USCC,
        purpose="行政审批",
        result={"records": n},
    )


def test_record_appends_entries_linked_from_genesis() -> None:
    first, second, third = read(1), read(2), read(3)

    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    assert len({first.entry_hash, second.entry_hash, third.entry_hash}) == 3
    head = AuditHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, third.entry_hash)


def test_record_keeps_who_why_and_what_was_shown() -> None:
    entry = AuditEntry.objects.get(pk=read(5).pk)

    assert (entry.actor_name, entry.unit, entry.role) == ("王敏", "厦门市信用中心", "reviewer")
    assert (entry.purpose, entry.subject_code, entry.action) == (
        "行政审批",
        COMPANY_USCC,
        "subject.view_nonpublic",
    )
    assert entry.result_fingerprint == fingerprint({"records": 5})


def test_a_provider_system_is_recorded_under_its_own_name(market_bureau: ProviderPersona) -> None:
    entry = record(actor=Actor.of_provider(market_bureau.provider), action="batch.submit", object_id=12)

    assert (entry.actor_type, entry.actor_id) == ("provider", market_bureau.provider.code)
    assert (entry.unit, entry.role, entry.object_id) == ("厦门市市场监督管理局", "provider_system", "12")


def test_the_fingerprint_is_a_stable_hash_of_canonical_json() -> None:
    # Key order must not matter: the digest is of compact, unescaped JSON with keys in code-point order.
    canonical = '{"主体":"厦门鹭江贸易有限公司","件数":2}'

    assert fingerprint({"主体": "厦门鹭江贸易有限公司", "件数": 2}) == fingerprint(
        {"件数": 2, "主体": "厦门鹭江贸易有限公司"}
    )
    assert (
        fingerprint({"件数": 2, "主体": "厦门鹭江贸易有限公司"})
        == hashlib.sha256(canonical.encode()).hexdigest()
    )


def test_an_empty_result_still_gets_a_fingerprint_and_no_result_gets_none() -> None:
    assert record(
        actor=CENTRE_STAFF, action="subject.view_nonpublic", result=[]
    ).result_fingerprint == fingerprint([])
    assert record(actor=CENTRE_STAFF, action="subject.view_nonpublic").result_fingerprint == ""


def test_the_request_id_of_the_current_request_is_captured() -> None:
    token = request_id._current.set("req-0123456789abcdef")
    try:
        entry = read()
    finally:
        request_id._current.reset(token)

    assert entry.request_id == "req-0123456789abcdef"
    assert read().request_id == ""


def test_the_orm_cannot_update_or_delete_an_entry() -> None:
    entry = read()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="篡改")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.purpose = "篡改"
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()

    assert AuditEntry.objects.get().purpose == "行政审批"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET purpose = '篡改'",
        "UPDATE audit_auditentry SET seq = seq + 100",
        "DELETE FROM audit_auditentry",
    ],
)
def test_raw_sql_cannot_change_or_remove_an_entry(statement: str) -> None:
    read()

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert AuditEntry.objects.get().purpose == "行政审批"


def test_truncate_is_refused_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE trigger covers the case")
    read()

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditentry")

    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_audithead SET last_seq = last_seq - 1",
        "UPDATE audit_audithead SET last_seq = last_seq + 2",
        "DELETE FROM audit_audithead",
    ],
)
def test_the_head_only_moves_forward_one_entry_at_a_time(statement: str) -> None:
    """Rewinding the head to hide removed entries needs DDL rights, which verification then exposes."""
    read()

    with (
        pytest.raises(DatabaseError, match="only moves forward"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
