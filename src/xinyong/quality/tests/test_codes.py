"""重错码: each kind of suspected code is found once; a judgement moves the records and is reversible."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Role, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, PERSON_ID, centre_staff, penalty
from xinyong.core.errors import PlatformError
from xinyong.quality import codes
from xinyong.quality.models import CodeIssue
from xinyong.quality.tests.conftest import WRONG_CHECK, QualityMonth
from xinyong.records.models import CreditRecord, RecordVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> User:
    return centre_staff("judge", Role.CATALOGUE_ADMIN)


def _post(november: QualityMonth, *rows: dict[str, str]) -> None:
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        assert november.market.post(Client(), list(rows)).status_code == 200


def _issue(kind: str, code: str) -> CodeIssue:
    return CodeIssue.objects.get(kind=kind, subject_code=code)


def test_a_failed_check_digit_is_queued_with_the_likely_code(november: QualityMonth) -> None:
    assert codes.detect() >= 1
    issue = _issue("check_digit", WRONG_CHECK)
    assert issue.suggested_code == COMPANY_USCC
    assert "已登记" in issue.suggestion
    assert codes.detect() == 0  # remembered: the same issue is not queued twice


def test_a_wrong_code_judgement_moves_every_record_and_reverses(november: QualityMonth, admin: User) -> None:
    codes.detect()
    issue = _issue("check_digit", WRONG_CHECK)
    held = CreditRecord.objects.get(key="厦市监罚〔2026〕E号")
    assert (held.subject_code, held.hold) == (WRONG_CHECK, "code_conflict")

    codes.judge(issue, "wrong_code", right_code=COMPANY_USCC, actor=admin)
    moved = CreditRecord.objects.get(pk=held.pk)
    assert (moved.subject_code, moved.hold, moved.subject.code) == (COMPANY_USCC, "", COMPANY_USCC)
    # The version keeps the code it was submitted with: the lineage of the record.
    assert list(RecordVersion.objects.filter(record=held).values_list("subject_code", flat=True)) == [
        WRONG_CHECK
    ]
    with pytest.raises(PlatformError) as twice:
        codes.judge(issue, "different_subjects", actor=admin)
    assert twice.value.error.code == "workflow.transition_not_allowed"

    codes.reverse(issue, actor=admin)
    back = CreditRecord.objects.get(pk=held.pk)
    assert (back.subject_code, back.hold, back.subject_id) == (WRONG_CHECK, "code_conflict", held.subject_id)
    assert CodeIssue.objects.get(pk=issue.pk).state == "open"
    actions = list(
        AuditEntry.objects.filter(action__startswith="quality.code.").values_list("action", "detail")
    )
    assert [a for a, _ in actions] == ["quality.code.judge_wrong_code", "quality.code.reverse"]
    assert list(issue.events.values_list("action", "to_state")) == [
        ("judge_wrong_code", "wrong_code"),
        ("reverse", "open"),
    ]
    assert json.loads(actions[0][1])["right_code"] == COMPANY_USCC


def test_one_code_under_two_names_at_once_is_queued_but_a_rename_is_not(
    november: QualityMonth, admin: User
) -> None:
    _post(
        november,
        penalty(行政处罚决定书文号="N-1", 统一社会信用代码=OTHER_COMPANY_USCC, 行政相对人名称="厦门甲公司", 处罚决定日期="2026-11-10"),
        penalty(行政处罚决定书文号="N-2", 统一社会信用代码=OTHER_COMPANY_USCC, 行政相对人名称="厦门乙公司", 处罚决定日期="2026-11-10"),
    )  # fmt: skip
    codes.detect()
    issue = _issue("two_names", OTHER_COMPANY_USCC)
    assert set(issue.names.split("；")) == {"厦门甲公司", "厦门乙公司"}
    # The company that renamed itself (鹭江 earlier, a new name later) is not asked about.
    _post(
        november,
        penalty(行政处罚决定书文号="N-3", 行政相对人名称="厦门鹭江新贸易有限公司", 处罚决定日期="2026-11-20"),
    )
    codes.detect()
    assert not CodeIssue.objects.filter(kind="two_names", subject_code=COMPANY_USCC).exists()
    with pytest.raises(PlatformError) as refused:
        codes.judge(issue, "wrong_code", right_code=COMPANY_USCC, actor=admin)
    assert refused.value.error.code == "quality.wrong_code_for_names"
    codes.judge(issue, "different_subjects", actor=admin)
    assert CodeIssue.objects.get(pk=issue.pk).state == "different_subjects"


def test_one_name_under_two_codes_is_queued_and_judged_as_a_wrong_code(
    november: QualityMonth, admin: User
) -> None:
    _post(november, penalty(行政处罚决定书文号="T-1", 统一社会信用代码=OTHER_COMPANY_USCC))
    codes.detect()
    issue = CodeIssue.objects.get(kind="two_codes")
    assert {issue.subject_code, issue.other_code} == {COMPANY_USCC, OTHER_COMPANY_USCC}
    codes.judge(issue, "wrong_code", right_code=COMPANY_USCC, actor=admin)
    assert CreditRecord.objects.get(key="T-1").subject_code == COMPANY_USCC


def test_a_person_id_on_an_organisation_record_is_queued(november: QualityMonth) -> None:
    _post(
        november, penalty(行政处罚决定书文号="P-1", 统一社会信用代码=PERSON_ID, 行政相对人名称="厦门某商行")
    )
    codes.detect()
    issue = _issue("person_id", PERSON_ID)
    assert "身份证" in issue.suggestion


def test_staff_judge_from_the_queue_page(november: QualityMonth, admin: User) -> None:
    codes.detect()
    issue = _issue("check_digit", WRONG_CHECK)
    client = Client()
    client.force_login(admin)
    assert WRONG_CHECK in client.get("/centre/quality/codes/").content.decode()
    client.post(f"/centre/quality/codes/{issue.pk}/", {"verdict": "wrong_code", "right_code": COMPANY_USCC})
    assert CodeIssue.objects.get(pk=issue.pk).state == "wrong_code"
    client.post(f"/centre/quality/codes/{issue.pk}/", {"reverse": "1"})
    assert CodeIssue.objects.get(pk=issue.pk).state == "open"
