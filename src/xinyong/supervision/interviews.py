"""Interviews (约谈): a department's 提示约谈 or 警示约谈 with a subject and its outcome.

闽信用〔2019〕7号 七: "谁认定、谁约谈" — the department that decided the dishonesty interviews the subject,
demands it meet its obligations and remove the harm; the interview record enters the subject's credit
record and the department sends it to the provincial platform. Here a department interviews on a risk
warning in which it has a record, or on a dishonesty record it decided itself. The interview enters the
credit record as an ``interview`` record through the one intake pipeline, in the department's name (so
its 数据来源单位 is the department), and is queued for the upstream platform; its outcome is a new version
of that record, queued again.

    整改中 ──record_rectified──────▶ 整改完成
    整改中 ──record_not_rectified──▶ 未整改

Being overdue (no outcome after the deadline) is a flag, not a state: the department decides.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor
from xinyong.audit.services import record as audit_record
from xinyong.cases.kit import CaseKit, Job
from xinyong.cases.workflow import StateMachine, Transition
from xinyong.catalog.models import Category, Domain, Provider, ProviderGrant, RecordKind
from xinyong.collection.services import submit_records
from xinyong.core import clock
from xinyong.core.calendar import CalendarMissing, WorkingCalendar
from xinyong.core.errors import PlatformError
from xinyong.records.models import CreditRecord, UpstreamNotice
from xinyong.records.services import queue_upstream
from xinyong.subjects.models import Subject
from xinyong.supervision import errors
from xinyong.supervision.models import Interview, RiskWarning
from xinyong.supervision.risk import department_users
from xinyong.supervision.rules import INTERVIEW, DayOff, InterviewRule

S = Interview.State

MACHINE = StateMachine(
    "interview",
    {str(value): str(label) for value, label in S.choices},
    [
        Transition(
            "record_rectified",
            "认定整改完成",
            frozenset({S.RECTIFYING}),
            S.RECTIFIED,
            Action.RECORD_INTERVIEWS,
        ),
        Transition(
            "record_not_rectified",
            "认定未整改",
            frozenset({S.RECTIFYING}),
            S.NOT_RECTIFIED,
            Action.RECORD_INTERVIEWS,
        ),
    ],
)

KIT = CaseKit(
    Interview,
    MACHINE,
    audit_prefix="interviews",
    object_type="interview",
    object_id=lambda i: i.pk,
    url_name="supervision:interview",
    url_args=lambda i: [i.pk],
    audit_detail=lambda i: {"number": i.number, "department": i.department.code},
)
OVERDUE_JOB = Job("interview overdue", "约谈逾期提示任务")
SYSTEM = Actor.system("interviews")
OUTCOME_LABEL = {S.RECTIFIED: "整改完成", S.NOT_RECTIFIED: "未整改"}


def department_of(who: User | Provider) -> Provider | None:
    """The department (the provider) a person or system acts for: a provider's staff or system, or a
    government unit's officer whose unit reports records under the same USCC."""
    if isinstance(who, Provider):
        return who
    if who.kind == User.Kind.PROVIDER:
        return who.provider
    if who.kind == User.Kind.UNIT and who.unit is not None:
        return Provider.objects.filter(code=who.unit.code).first()
    return None


def interviews_of(department: Provider) -> QuerySet[Interview]:
    return Interview.objects.filter(department=department)


def due_date(deadline: dt.date, rule: InterviewRule, calendar: WorkingCalendar | None = None) -> dt.date:
    """The last day for rectification: ``deadline``, moved to the next working day when it is a day off."""
    if rule.deadline_on_day_off != DayOff.NEXT_WORKING_DAY:
        return deadline
    calendar = calendar or WorkingCalendar.load()
    day = deadline
    try:
        while not calendar.is_working_day(day):
            day += dt.timedelta(days=1)
    except CalendarMissing as missing:
        # The department chose the date: a year whose holidays are not published yet is its to avoid.
        raise PlatformError(
            errors.DEADLINE_BEYOND_CALENDAR, field="deadline", deadline=deadline, year=missing.year
        ) from missing
    return day


def _basis(
    department: Provider, warning: RiskWarning | None, basis: CreditRecord | None
) -> tuple[Subject, CreditRecord]:
    """The subject and the department's own record the interview rests on ("谁认定、谁约谈")."""
    if warning is not None:
        if warning.state != RiskWarning.State.STANDING:
            raise PlatformError(
                errors.WARNING_WITHDRAWN, field="warning", at=f"{warning.withdrawn_at:%Y-%m-%d}"
            )
        own = warning.records.filter(provider=department).order_by("-decision_date", "-pk").first()
        if own is None:
            raise PlatformError(errors.NOT_YOUR_DEPARTMENT, field="warning")
        return warning.subject, own
    assert basis is not None
    if basis.provider_id != department.pk:
        raise PlatformError(errors.NOT_YOUR_DEPARTMENT, field="record")
    dishonest = RecordKind.objects.filter(code=basis.kind_code, category=Category.DISHONESTY).exists()
    if not dishonest or basis.hold:
        raise PlatformError(errors.NOT_DISHONESTY, field="record")
    return basis.subject, basis


def _grant(department: Provider, domain: Domain, kind: str) -> None:
    _, created = ProviderGrant.objects.get_or_create(provider=department, domain=domain, kind_code=kind)
    if created:
        audit_record(actor=SYSTEM, action="provider.grant", object_type="provider", object_id=department.code,
                     detail={"domain": domain.number, "kind": kind, "for": "约谈"})  # fmt: skip


def _row(interview: Interview, subject: Subject, reason: str) -> dict[str, Any]:
    d = interview.department
    row: dict[str, Any] = {
        "ytjl_xdr_mc": subject.name, "ytjl_xdr_lb": Subject.Kind(subject.kind).label,
        "ytjl_bh": interview.number, "ytjl_lx": interview.get_type_display(), "ytjl_rq": interview.held_on.isoformat(),
        "ytjl_dd": interview.place, "ytjl_cjry": interview.attendees, "ytjl_yy": reason,
        "ytjl_yw": interview.obligations, "ytjl_zgqx": interview.deadline.isoformat(),
        "ytjl_ytbm": d.name, "ytjl_ytbmdm": d.code, "ytjl_sjly": d.name, "ytjl_sjlydm": d.code,
    }  # fmt: skip
    if subject.kind == Subject.Kind.PERSON:
        row |= {"ytjl_xdr_zjlx": "身份证", "ytjl_xdr_zjhm": subject.code}
    else:
        row |= {"ytjl_xdr_shxym": subject.code, "ytjl_frdb": subject.legal_representative}
    if interview.state != S.RECTIFYING:
        row |= {"ytjl_zgjg": OUTCOME_LABEL[S(interview.state)], "ytjl_zgqk": interview.outcome_note}
    return row


def _submit(interview: Interview, row: dict[str, Any], kind: str) -> CreditRecord:
    """Submit the interview record as its department; a refused row refuses the whole step."""
    _, outcomes = submit_records(interview.department, kind, [row])
    outcome = outcomes[0]
    if outcome.stored is None:
        detail = "；".join(f"{e.field or ''} {e.message}".strip() for e in outcome.errors)
        raise PlatformError(errors.INTAKE_REFUSED, kind=kind, detail=detail)
    return CreditRecord.objects.get(pk=outcome.stored.record_id)


def _reason(interview: Interview, basis: CreditRecord) -> str:
    if interview.warning is not None:
        return f"信用风险预警：{interview.warning.title}（{interview.warning.window_text}）"
    return f"{basis.kind_code} {basis.key}"


def _recipients(interview: Interview) -> QuerySet[User]:
    return department_users([interview.department])


@transaction.atomic
def record_interview(
    *,
    actor: User | Provider,
    type: str,
    held_on: dt.date,
    place: str,
    attendees: str,
    obligations: str,
    deadline: dt.date,
    warning: RiskWarning | None = None,
    basis: CreditRecord | None = None,
) -> Interview:
    """录入约谈: the department records an interview it held, on ``warning`` or on its own record ``basis``."""
    if not allowed(actor, Action.RECORD_INTERVIEWS):
        raise PlatformError(errors.NOT_YOUR_DEPARTMENT)
    department = department_of(actor)
    if department is None:
        raise PlatformError(errors.NO_DEPARTMENT)
    today = clock.today()
    rule = INTERVIEW.on_or_none(held_on)
    if rule is None:
        raise PlatformError(errors.DATE_BEFORE_RULES, field="held_on", held_on=held_on, rule=INTERVIEW.id)
    if type not in {t.code for t in rule.value.types}:
        raise PlatformError(errors.TYPE_UNKNOWN, field="type", type=type, rule=rule.ref)
    if held_on > today:
        raise PlatformError(errors.FUTURE_INTERVIEW, field="held_on", held_on=held_on)
    if deadline < held_on:
        raise PlatformError(
            errors.DEADLINE_BEFORE_INTERVIEW, field="deadline", deadline=deadline, held_on=held_on
        )
    if warning is not None:
        warning = RiskWarning.objects.select_for_update().get(pk=warning.pk)
    subject, own = _basis(department, warning, basis)
    name = actor.case_name() if isinstance(actor, User) else f"{department.name}（系统接口）"
    interview = Interview.objects.create(
        subject=subject, subject_code=subject.code, warning=warning, basis=None if warning else own,
        department=department, type=type, held_on=held_on, place=place, attendees=attendees,
        obligations=obligations, deadline=deadline, due_on=due_date(deadline, rule.value), rule=rule.ref,
        recorded_by=actor if isinstance(actor, User) else None, recorded_by_name=name, recorded_at=clock.now(),
    )  # fmt: skip
    interview.number = f"YT{held_on:%Y}{interview.pk:06d}"
    interview.save(update_fields=["number"])
    kind = rule.value.record_kind
    _grant(department, own.domain, kind)
    interview.record = _submit(interview, _row(interview, subject, _reason(interview, own)), kind)
    interview.save(update_fields=["record"])
    queue_upstream(interview.record, UpstreamNotice.Change.INTERVIEW, source=f"约谈 {interview.number}",
                   payload={"type": interview.get_type_display(), "deadline": deadline.isoformat()})  # fmt: skip
    KIT.event(interview, "record", "录入约谈", actor=actor, before="",
              note=f"{interview.get_type_display()}，整改期限 {deadline}")  # fmt: skip
    KIT.audit(interview, "record", actor=actor, type=type, warning=warning.pk if warning else None,
              record=interview.record.pk, deadline=deadline.isoformat())  # fmt: skip
    return interview


@transaction.atomic
def record_outcome(interview: Interview, *, actor: User | Provider, rectified: bool, note: str) -> Interview:
    """认定整改结果: 整改完成 or 未整改, as a new version of the interview record, queued upstream."""
    if department_of(actor) != interview.department:
        raise PlatformError(errors.NOT_YOUR_DEPARTMENT)
    name = "record_rectified" if rectified else "record_not_rectified"
    step = KIT.claim(interview, name, actor if isinstance(actor, User) else None)
    interview.outcome_on = clock.today()
    interview.outcome_note = note
    KIT.move(interview, step, actor=actor, note=note, fields=["outcome_on", "outcome_note"])
    assert interview.record is not None
    reason = _recorded_reason(interview.record)
    record = _submit(interview, _row(interview, interview.subject, reason), interview.record.kind_code)
    queue_upstream(record, UpstreamNotice.Change.INTERVIEW, source=f"约谈 {interview.number}",
                   payload={"outcome": OUTCOME_LABEL[S(interview.state)]})  # fmt: skip
    KIT.audit(interview, "rectified" if rectified else "not_rectified", actor=actor, record=record.pk)
    KIT.notify(_recipients(interview), interview, title=f"约谈整改结果：{interview.get_state_display()}",
               body=f"约谈 {interview.number}（{interview.subject_code}）：{note}")  # fmt: skip
    return interview


def _recorded_reason(record: CreditRecord) -> str:
    """The 约谈事由 the record carries, kept in the outcome version (a new version replaces the whole row)."""
    latest = record.versions.order_by("-version").values_list("data", flat=True).first()
    return str((latest or {}).get("ytjl_yy", ""))


def flag_overdue_interviews(today: dt.date | None = None) -> list[Interview]:
    """逾期提示: interviews past their deadline (moved past days off) without an outcome, each flagged
    once and put before the department. Running twice, late or in parallel flags each once."""
    today = today or clock.today()

    def flag(i: Interview) -> None:
        KIT.event(i, "flag_overdue", "整改期限届满未认定结果", actor=OVERDUE_JOB, note=f"整改期限 {i.due_on}")
        KIT.audit(i, "overdue", actor=OVERDUE_JOB, due_on=i.due_on.isoformat())
        KIT.notify(_recipients(i), i, title=f"约谈整改逾期：{i.subject_code}",
                   body=f"约谈 {i.number} 的整改期限 {i.due_on} 已过，请认定整改完成或未整改。")  # fmt: skip

    rectifying = Q(state=S.RECTIFYING, overdue_flagged_at__isnull=True)
    return KIT.sweep(
        Interview.objects.filter(rectifying, due_on__lt=today).select_related("department").order_by("pk"),
        still_due=lambda i: rectifying,
        mark=lambda i: {"overdue_flagged_at": clock.now()},
        act=flag,
    )
