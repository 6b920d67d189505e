"""``audit verify`` names the first entry someone changed behind the platform's back.

Each test builds a short chain through ``record``, then plays an owner of the schema: it switches the
append-only triggers off inside the test's transaction (rolled back afterwards, triggers included)
and edits rows with raw SQL.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor, entry_hash, hashed_values, record
from xinyong.audit.verify import Problem, VerifyResult, verify_chain
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC

pytestmark = pytest.mark.django_db

#: Small pages, so every walk also crosses page boundaries.
PAGE = 4
TRIGGERS_OFF = {
    "sqlite": ["DROP TRIGGER audit_auditentry_no_update", "DROP TRIGGER audit_auditentry_no_delete"],
    "postgresql": ["ALTER TABLE audit_auditentry DISABLE TRIGGER USER"],
}


@pytest.fixture
def chain(db: None) -> list[AuditEntry]:
    actor = Actor(AuditEntry.ActorType.USER, "7", "王敏", "厦门市信用中心", "reviewer")
    return [
        record(
            actor=actor,
            action="subject.view_nonpublic",
            subject_code=(COMPANY_USCC, OTHER_COMPANY_USCC)[n % 2],
            purpose="行政审批",
            result={"n": n},
        )
        for n in range(10)
    ]


def behind_the_platforms_back(*statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in [*TRIGGERS_OFF[connection.vendor], *statements]:
            cursor.execute(statement)


def verify() -> VerifyResult:
    return verify_chain(batch_size=PAGE)


def test_an_untouched_chain_verifies(chain: list[AuditEntry]) -> None:
    assert verify() == VerifyResult(ok=True, checked=10)


def test_an_empty_chain_verifies(db: None) -> None:
    assert verify() == VerifyResult(ok=True, checked=0)


def test_it_names_an_entry_whose_content_was_altered(chain: list[AuditEntry]) -> None:
    behind_the_platforms_back("UPDATE audit_auditentry SET purpose = '随便看看' WHERE seq = 4")

    result = verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 4, Problem.ALTERED)
    assert result.checked == 4
    assert "篡改" in result.reason_zh and "altered" in result.reason_en


def test_it_names_the_next_entry_when_a_forger_also_rewrote_the_hash(chain: list[AuditEntry]) -> None:
    forged = AuditEntry.objects.get(seq=4)
    forged.purpose = "随便看看"
    new_hash = entry_hash(hashed_values(forged))
    behind_the_platforms_back(
        f"UPDATE audit_auditentry SET purpose = '随便看看', entry_hash = '{new_hash}' WHERE seq = 4"
    )

    result = verify()

    assert (result.first_bad_seq, result.problem) == (5, Problem.BROKEN_LINK)


def test_it_names_the_entry_after_a_removed_one(chain: list[AuditEntry]) -> None:
    behind_the_platforms_back("DELETE FROM audit_auditentry WHERE seq = 5")

    result = verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 6, Problem.GAP)
    assert "期望序号 5，实际 6" in result.reason_zh


def test_it_names_the_first_of_two_reordered_entries(chain: list[AuditEntry]) -> None:
    behind_the_platforms_back(
        "UPDATE audit_auditentry SET seq = -3 WHERE seq = 3",
        "UPDATE audit_auditentry SET seq = 3 WHERE seq = 7",
        "UPDATE audit_auditentry SET seq = 7 WHERE seq = -3",
    )

    result = verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 3, Problem.BROKEN_LINK)


def test_it_notices_a_removed_last_entry_by_the_head(chain: list[AuditEntry]) -> None:
    behind_the_platforms_back("DELETE FROM audit_auditentry WHERE seq = 10")

    result = verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 10, Problem.HEAD_MISMATCH)
    assert result.checked == 9


def test_it_notices_an_entry_appended_without_the_head(chain: list[AuditEntry]) -> None:
    # Inserts are allowed by the triggers; a well-formed entry slipped in past record() still shows.
    last = chain[-1]
    forged = AuditEntry(
        seq=11,
        at=last.at,
        actor_type="system",
        action="subject.view_nonpublic",
        prev_hash=last.entry_hash,
        entry_hash="",
    )
    forged.entry_hash = entry_hash(hashed_values(forged))
    forged.save(force_insert=True)

    result = verify()

    assert (result.first_bad_seq, result.problem) == (11, Problem.HEAD_MISMATCH)


def test_it_names_a_duplicated_sequence_number(chain: list[AuditEntry]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot drop the unique constraint on seq without rebuilding the table")
    columns = ", ".join(f.column for f in AuditEntry._meta.concrete_fields if not f.primary_key)
    behind_the_platforms_back(
        "ALTER TABLE audit_auditentry DROP CONSTRAINT audit_auditentry_seq_key",
        # The copy lands on a page boundary (seq 4, page size 4): it must be neither skipped nor repeated.
        f"INSERT INTO audit_auditentry ({columns}) SELECT {columns} FROM audit_auditentry WHERE seq = 4",
    )

    result = verify()

    assert (result.first_bad_seq, result.problem) == (4, Problem.DUPLICATE)


def test_the_cli_reports_an_intact_chain(chain: list[AuditEntry]) -> None:
    out = io.StringIO()

    call_command("audit", "verify", stdout=out)

    assert "审计链完整：已核验 10 条" in out.getvalue()


def test_the_cli_exits_1_naming_the_first_bad_entry(chain: list[AuditEntry]) -> None:
    behind_the_platforms_back("UPDATE audit_auditentry SET subject_code = '' WHERE seq = 2")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify", stdout=out, stderr=err)

    assert exit_.value.code == 1
    assert "已核验 2 条" in out.getvalue()
    assert "审计链在第 2 条处不一致：内容被篡改" in err.getvalue()
    assert "audit chain broken at seq 2: altered content" in err.getvalue()
