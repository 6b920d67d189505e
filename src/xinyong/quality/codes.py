"""Duplicate and wrong codes (重错码): found set-based, judged by staff, applied to every affected record.

Detection (``detect``) finds four kinds and puts each into the queue once (``CodeIssue``, unique per
kind and pair of codes, so a judged pair is never asked again):

- 校验位错误: a code that fails its check (held at intake, ``records`` hold ``code_conflict``), with the
  code its check digits would make (``subjects.codes``) and whether a subject with that code exists;
- 一码多名: one organisation's code reported under two names in overlapping periods (a rename, where
  the old name stops before the new one starts, is not one);
- 一名多码: one organisation name under two valid codes;
- 组织记录使用身份证号码: an organisation or individual business keyed by a valid resident ID number.

A judgement (``judge``) is one of: same subject, different subjects (nothing changes), or wrong code
with the right one: every record of the wrong code moves to the right subject, set-based, its hold for
the code conflict lifted; the records' versions keep the code they were submitted with, and
``CodeCorrection`` keeps what each record was, so ``reverse`` puts everything back. Both are audited.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, Max, Min

from xinyong.accounts.models import User
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.quality import errors
from xinyong.quality.machine import KIT, VERDICTS
from xinyong.quality.models import CodeCorrection, CodeIssue
from xinyong.records.models import CreditRecord, Overlay
from xinyong.subjects.codes import (
    CodeProblem,
    org_code_check_char,
    resident_id_check_char,
    resident_id_problem,
    uscc_check_char,
    uscc_problem,
)
from xinyong.subjects.models import Subject

ORGANISATIONS = (Subject.Kind.ORGANISATION, Subject.Kind.INDIVIDUAL_BUSINESS)


def likely_code(code: str, code_type: str) -> str:
    """The code its own check digits would make: the likeliest correct code when one digit was mistyped
    in the check character (or, for a USCC, in the organisation code's check)."""
    if code_type == Subject.CodeType.RESIDENT_ID and len(code) == 18:
        return code[:17] + resident_id_check_char(code[:17])
    if code_type != Subject.CodeType.USCC or len(code) != 18:
        return ""
    body = code[:17]
    if uscc_problem(code) == CodeProblem.ORG_CHECK:
        body = code[:16] + org_code_check_char(code[8:16])
    return body + uscc_check_char(body)


def _check_digit_issues() -> list[CodeIssue]:
    held = list(Subject.objects.filter(code_valid=False).values_list("code", "code_type", "name"))
    suggested = {code: likely_code(code, code_type) for code, code_type, _ in held}
    known = set(
        Subject.objects.filter(code__in=[s for s in suggested.values() if s]).values_list("code", flat=True)
    )
    issues = []
    for code, _type, name in held:
        right = suggested[code]
        if right and right in known:
            why = f"校验位不符；按校验规则应为 {right}，该代码已登记，可能为同一主体"
        elif right:
            why = f"校验位不符；按校验规则应为 {right}（未登记），也可能是其他位录入错误"
        else:
            why = "代码未通过校验"
        issues.append(
            CodeIssue(
                kind=CodeIssue.Kind.CHECK_DIGIT,
                subject_code=code,
                names=name,
                suggestion=why,
                suggested_code=right,
            )
        )
    return issues


def _two_names_issues() -> list[CodeIssue]:
    """Names of one organisation used in overlapping periods (one self-join)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.subject_code, a.name, b.name
            FROM subjects_subjectname a
            JOIN subjects_subjectname b
              ON b.subject_id = a.subject_id AND a.id < b.id
             AND a.first_seen_on <= b.last_seen_on AND b.first_seen_on <= a.last_seen_on
            JOIN subjects_subject s ON s.id = a.subject_id
            WHERE s.kind <> %s
            """,
            [Subject.Kind.PERSON],
        )
        rows = cursor.fetchall()
    return [
        CodeIssue(kind=CodeIssue.Kind.TWO_NAMES, subject_code=code, other_code="", names=f"{first}；{second}"[:500],
                  suggestion="同一代码在同一时期以两个名称报送（非先后更名）：可能是代码录错，或名称不规范")
        for code, first, second in rows
    ]  # fmt: skip


def _two_codes_issues() -> list[CodeIssue]:
    """One organisation name under two valid codes (one GROUP BY)."""
    rows = (
        Subject.objects.filter(kind__in=ORGANISATIONS, code_valid=True)
        .values("name")
        .annotate(n=Count("pk"), low=Min("code"), high=Max("code"))
        .filter(n__gt=1)
        .order_by()
    )
    return [
        CodeIssue(kind=CodeIssue.Kind.TWO_CODES, subject_code=r["low"], other_code=r["high"], names=r["name"],
                  suggestion=f"同一名称对应 {r['n']} 个代码：可能其中一个代码错误，也可能是同名的不同主体")
        for r in rows
    ]  # fmt: skip


def _person_id_issues() -> list[CodeIssue]:
    candidates = Subject.objects.filter(kind__in=ORGANISATIONS, code__regex=r"^[0-9]{17}[0-9X]$").values_list(
        "code", "name"
    )
    return [
        CodeIssue(kind=CodeIssue.Kind.PERSON_ID, subject_code=code, names=name,
                  suggestion="组织记录的代码是有效的居民身份证号码：可能把法定代表人的证件号码填入了统一社会信用代码")
        for code, name in candidates
        if resident_id_problem(code) is None
    ]  # fmt: skip


def detect() -> int:
    """Put every issue found into the queue once; returns how many were new."""
    now = clock.now()
    found = _check_digit_issues() + _two_names_issues() + _two_codes_issues() + _person_id_issues()
    for issue in found:
        issue.found_at = now
    before = CodeIssue.objects.count()
    CodeIssue.objects.bulk_create(found, ignore_conflicts=True, batch_size=1000)
    return CodeIssue.objects.count() - before


@transaction.atomic
def judge(issue: CodeIssue, verdict: str, *, right_code: str = "", note: str = "", actor: User) -> CodeIssue:
    """研判: take the verdict's transition; for a wrong code, move every record of the wrong code to
    ``right_code``. A judged issue is refused (``workflow.transition_not_allowed``): reverse it first."""
    if verdict not in VERDICTS:
        raise PlatformError(errors.ISSUE_VERDICT_INVALID, field="verdict")
    step = KIT.claim(issue, VERDICTS[CodeIssue.State(verdict)], actor)
    right_code = right_code.strip().upper()
    wrong = ""
    if verdict == CodeIssue.State.WRONG_CODE:
        if issue.kind == CodeIssue.Kind.TWO_NAMES:
            raise PlatformError(errors.WRONG_CODE_FOR_NAMES, field="verdict")
        right = Subject.objects.filter(code=right_code, code_valid=True).first()
        wrong = issue.other_code if right_code == issue.subject_code else issue.subject_code
        if right is None or not wrong or wrong == right_code:
            raise PlatformError(errors.RIGHT_CODE_UNKNOWN, field="right_code", code=right_code[:40])
        _move(issue, wrong, right, actor)
    issue.right_code, issue.note = (right_code if wrong else ""), note.strip()[:500]
    issue.judged_at, issue.judged_by = clock.now(), actor
    KIT.move(
        issue, step, actor=actor, note=issue.note, fields=["right_code", "note", "judged_at", "judged_by"]
    )
    KIT.audit(issue, step.name, actor=actor, wrong_code=wrong, right_code=issue.right_code)
    return issue


def _move(issue: CodeIssue, wrong: str, right: Subject, actor: User) -> CodeCorrection:
    records = CreditRecord.objects.filter(subject_code=wrong)
    before = [list(row) for row in records.values_list("pk", "subject_id", "hold")]
    correction = CodeCorrection.objects.create(
        issue=issue,
        from_code=wrong,
        to_code=right.code,
        before=before,
        applied_at=clock.now(),
        applied_by=actor,
    )
    ids = [pk for pk, _s, _h in before]
    CreditRecord.objects.filter(pk__in=ids).update(subject=right, subject_code=right.code)
    CreditRecord.objects.filter(pk__in=ids, hold=CreditRecord.Hold.CODE_CONFLICT).update(
        hold=CreditRecord.Hold.NONE
    )
    Overlay.objects.filter(record_id__in=ids).update(subject_code=right.code)
    return correction


@transaction.atomic
def reverse(issue: CodeIssue, *, actor: User, note: str = "") -> CodeIssue:
    """撤销研判: put every moved record back as it was and reopen the issue (it is asked again)."""
    step = KIT.claim(issue, "reverse", actor)
    moved = 0
    for correction in issue.corrections.select_for_update().filter(reversed_at=None):
        by_state: dict[tuple[int, str], list[int]] = {}
        for pk, subject_id, hold in correction.before:
            by_state.setdefault((subject_id, hold), []).append(pk)
        for (subject_id, hold), ids in by_state.items():
            CreditRecord.objects.filter(pk__in=ids).update(
                subject_id=subject_id, subject_code=correction.from_code, hold=hold
            )
            Overlay.objects.filter(record_id__in=ids).update(subject_code=correction.from_code)
            moved += len(ids)
        correction.reversed_at, correction.reversed_by = clock.now(), actor
        correction.save(update_fields=["reversed_at", "reversed_by"])
    earlier = issue.state
    issue.right_code, issue.judged_at, issue.judged_by = "", None, None
    KIT.move(issue, step, actor=actor, note=note, fields=["right_code", "judged_at", "judged_by"])
    KIT.audit(issue, step.name, actor=actor, earlier=earlier, records=moved)
    return issue
