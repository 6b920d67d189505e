"""Credit repair verbs (信用修复): apply, city review, provincial review, overdue flagging.

Each verb takes its step through the case kit (``workflow.KIT``): in one transaction the case is
locked and the transition table checked (409 from the wrong state, 403 for the wrong actor), then the
case, an append-only ``RepairEvent`` and an audit entry are written; notifications go out on commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string

from xinyong.accounts.models import Role, User
from xinyong.accounts.notify import accounts_of_subject, accounts_with_role
from xinyong.audit.services import Actor
from xinyong.cases import evidence
from xinyong.core import case_numbers, clock, errors
from xinyong.core.calendar import CalendarMissing, WorkingCalendar, WorkingDays
from xinyong.core.errors import PlatformError
from xinyong.records.models import CreditRecord, Overlay, UpstreamNotice
from xinyong.records.services import add_overlay, queue_upstream
from xinyong.repairs import errors as repair_errors
from xinyong.repairs.eligibility import eligibility
from xinyong.repairs.models import RepairApplication, RepairAttachment
from xinyong.repairs.rules import DEADLINES, RESUBMISSION, STOPS_SHARING
from xinyong.repairs.workflow import KIT, MACHINE, OVERDUE_JOB, State
from xinyong.supervision.risk import review_risk_warnings
from xinyong.supervision.services import review_warnings

#: Shortest and longest obligations statement (履行法定义务的说明); the longest matches the objection
#: statement (disputes). Platform limits, not rules of a regulation.
MIN_STATEMENT_CHARS = 10
MAX_STATEMENT_CHARS = 5000
#: Files one application may carry, the training certificate included (a technical limit).
MAX_ATTACHMENTS = 10
#: Where the evidence of every application is stored, by content (``repairs/<sha256>.<ext>``).
EVIDENCE_FOLDER = "repairs"
AUTHORITY_FIELD = "处罚机关"


def commitment_letter(record: CreditRecord, on: dt.date) -> str:
    """The 信用修复承诺书 for ``record``, filled from its subject and latest version."""
    version = record.versions.select_related("kind").get(version=record.latest_version)
    authority_code = next((f["code"] for f in version.kind.schema if f.get("name") == AUTHORITY_FIELD), "")
    return render_to_string(
        "repairs/commitment_letter.txt",
        {
            "subject_name": record.subject.name,
            "subject_code": record.subject_code,
            "authority": version.data.get(authority_code) or record.provider.name,
            "kind_name": version.kind.name,
            "record_key": record.key,
            "date": f"{on.year}年{on.month}月{on.day}日",
        },
    ).strip()


def _due(start: dt.date, days: int, calendar: WorkingCalendar) -> dt.date:
    try:
        return WorkingDays(days).due(start, calendar)
    except CalendarMissing as missing:
        raise missing.refusal() from missing


def record_view(application: RepairApplication, reader: User) -> None:
    """A case read by anyone but its subject (centre staff) goes on the audit trail (repair.view): the
    case carries the subject's statement and evidence, which are not public."""
    if reader.kind == User.Kind.SUBJECT and reader.subject_code == application.subject_code:
        return
    KIT.audit(application, "view", actor=reader)


def _previous_and_rule(record: CreditRecord, on: dt.date) -> tuple[RepairApplication | None, str]:
    """The rejected application this one resubmits (if any), refusing once resubmissions are used up."""
    rejected = list(
        RepairApplication.objects.filter(record=record, state=State.REJECTED).order_by("-filed_at", "-pk")
    )
    if not rejected:
        return None, ""
    rule = RESUBMISSION.on(on)
    if len(rejected) > rule.value.max_resubmissions:
        raise PlatformError(
            repair_errors.RESUBMISSION_EXHAUSTED, field="record", count=len(rejected), rule=rule.citation
        )
    return rejected[0], rule.ref


def apply_for_repair(
    record: CreditRecord,
    *,
    actor: User,
    obligations_statement: str,
    committed: bool,
    uploads: Sequence[evidence.Upload] = (),
    training_certificate: evidence.Upload | None = None,
) -> RepairApplication:
    """File a repair application for one of the actor's own records. Refused (nothing written) when
    the actor may not apply, the record is not theirs, it is not eligible today, the resubmissions are
    used up, the commitment is not ticked, a file is bad, or the calendar cannot give the deadlines."""
    MACHINE.check(State.SUBMITTED, "submit", actor)
    if record.subject_code != actor.subject_code:
        raise PlatformError(errors.NOT_FOUND, field="record")
    statement = obligations_statement.strip()
    if len(statement) < MIN_STATEMENT_CHARS:
        raise PlatformError(
            repair_errors.STATEMENT_REQUIRED, field="obligations_statement", chars=MIN_STATEMENT_CHARS
        )
    if len(statement) > MAX_STATEMENT_CHARS:
        raise PlatformError(
            repair_errors.STATEMENT_TOO_LONG, field="obligations_statement", chars=MAX_STATEMENT_CHARS
        )
    if not committed:
        raise PlatformError(repair_errors.COMMITMENT_REQUIRED, field="committed")
    certificates = [] if training_certificate is None else [training_certificate]
    files = evidence.read([*uploads, *certificates], max_files=MAX_ATTACHMENTS)
    # The training certificate keeps its kind on the repair side; the files are read in this order.
    kinds = [RepairAttachment.Kind.EVIDENCE] * len(uploads) + [
        RepairAttachment.Kind.TRAINING_CERTIFICATE
    ] * len(certificates)
    now = clock.now()
    today = clock.local_date(now)
    judged = eligibility(record, today)
    if not judged.eligible:
        raise PlatformError(repair_errors.NOT_ELIGIBLE, field="record", reasons="；".join(judged.reasons))
    previous, resubmission_rule = _previous_and_rule(record, today)
    deadlines = DEADLINES.on(today)
    calendar = WorkingCalendar.load()
    city_due = _due(today, deadlines.value.city_review, calendar)
    # Planned at filing as the city's due day plus the provincial review; set again from the city's approval day.
    provincial_due = _due(city_due, deadlines.value.provincial_review, calendar)
    overall_due = _due(today, deadlines.value.overall, calendar)
    letter = commitment_letter(record, today)
    try:
        with transaction.atomic():
            application = RepairApplication.objects.create(
                number=f"tmp-{secrets.token_hex(8)}", subject_code=record.subject_code, record=record, applicant=actor,
                previous=previous, state=State.SUBMITTED, obligations_statement=statement, commitment_text=letter,
                committed_at=now, filed_at=now, filed_on=today, city_due=city_due, provincial_due=provincial_due,
                overall_due=overall_due, deadline_rule=deadlines.ref, eligibility_reasons=judged.reasons,
                eligibility_rules=judged.rules, earliest=judged.earliest, resubmission_rule=resubmission_rule,
            )  # fmt: skip
            application.number = case_numbers.number(case_numbers.REPAIR, today, application.pk)
            application.save(update_fields=["number"])
            for item, kind in zip(files, kinds, strict=True):
                RepairAttachment.objects.create(
                    application=application, subject_code=application.subject_code, kind=kind, uploaded_at=now,
                    **evidence.stored_fields(item, EVIDENCE_FOLDER),
                )  # fmt: skip
            KIT.event(application, "file", "提交信用修复申请", actor=actor, before="",
                      note="重新申请，前次申请 " + previous.number if previous else "")  # fmt: skip
            step = KIT.claim(application, "submit", actor)
            KIT.move(application, step, actor=actor, note=f"市级初审期限 {city_due}（{deadlines.citation}）")
            KIT.audit(
                application, "apply", actor=actor, eligibility=judged.rules, deadlines=deadlines.ref,
                previous=previous.number if previous else None, attachments=[f.sha256 for f in files],
            )  # fmt: skip
            KIT.notify(
                accounts_with_role(Role.CITY_REPAIR_REVIEWER),
                application,
                title=f"新的信用修复申请 {application.number} 待市级初审",
                body=f"{record.subject.name} 申请修复 {record.key}，初审期限 {city_due}。",
            )
            KIT.notify(
                [actor],
                application,
                title=f"信用修复申请 {application.number} 已提交",
                body=f"市级初审期限 {city_due}，办理期限 {overall_due}（{deadlines.citation}）。",
            )
    except IntegrityError as clash:  # another application for the record was filed at the same moment
        raise PlatformError(
            repair_errors.NOT_ELIGIBLE, field="record", reasons="已有办理中的信用修复申请"
        ) from clash
    return application


def _reasons(reasons: str) -> str:
    text = reasons.strip()
    if not text:
        raise PlatformError(repair_errors.REASONS_REQUIRED, field="reasons")
    return text


def city_approve(application: RepairApplication, *, actor: User, note: str = "") -> RepairApplication:
    """市级初审通过: on to the province, whose review days start today. The number of days is the
    one of ``repair.deadlines`` in force on the filing day (rulebook/repair.yaml: deadlines by filing)."""
    with transaction.atomic():
        step = KIT.claim(application, "city_approve", actor)
        deadlines = DEADLINES.on(application.filed_on)
        provincial_due = _due(clock.today(), deadlines.value.provincial_review, WorkingCalendar.load())
        application.provincial_due = provincial_due
        KIT.move(application, step, actor=actor, note=note or f"省级复核期限 {provincial_due}（{deadlines.citation}）",
                 fields=["provincial_due"])  # fmt: skip
        KIT.audit(
            application, "city_approve", actor=actor, provincial_due=str(provincial_due), note=note,
            rule=deadlines.ref,
        )  # fmt: skip
        KIT.notify(
            accounts_with_role(Role.PROVINCIAL_REPAIR_REVIEWER),
            application,
            title=f"信用修复申请 {application.number} 待省级复核",
            body=f"市级初审已通过，省级复核期限 {provincial_due}。",
        )
        KIT.notify(
            accounts_of_subject(application.subject_code),
            application,
            title=f"信用修复申请 {application.number} 已通过市级初审",
            body=f"已报送省级复核，期限 {provincial_due}。",
        )
    return application


def _reject(application: RepairApplication, name: str, *, actor: User, reasons: str) -> RepairApplication:
    with transaction.atomic():
        step = KIT.claim(application, name, actor)
        text = _reasons(reasons)
        application.decided_at = clock.now()
        application.decision_reasons = text
        KIT.move(application, step, actor=actor, note=text, fields=["decided_at", "decision_reasons"])
        KIT.audit(application, name, actor=actor, reasons=text)
        KIT.notify(
            accounts_of_subject(application.subject_code),
            application,
            title=f"信用修复申请 {application.number} 不予修复",
            body=f"理由：{text}\n{resubmission_left(application.record_id, clock.today())}",
        )
    return application


def resubmission_left(record_id: int, on: dt.date) -> str:
    """What the subject may still do after a rejection, counted like ``_previous_and_rule``: the
    first application plus ``max_resubmissions`` more, each rejection using one up."""
    rule = RESUBMISSION.on(on)
    rejected = RepairApplication.objects.filter(record_id=record_id, state=State.REJECTED).count()
    left = rule.value.max_resubmissions + 1 - rejected
    if left <= 0:
        return f"该记录不可再申请信用修复（{rule.citation}）。"
    return f"可按规定重新申请{'一' if left == 1 else left}次（{rule.citation}）。"


def city_reject(application: RepairApplication, *, actor: User, reasons: str) -> RepairApplication:
    """市级初审不予修复, with reasons."""
    return _reject(application, "city_reject", actor=actor, reasons=reasons)


def provincial_reject(application: RepairApplication, *, actor: User, reasons: str) -> RepairApplication:
    """省级复核不予修复, with reasons."""
    return _reject(application, "provincial_reject", actor=actor, reasons=reasons)


#: Overlays that forbid approval, with what the reviewer is told: revoked or repaired meanwhile (reject
#: instead), or an objection open on it (wait until it is closed, or reject).
_BLOCKING = {
    Overlay.Kind.REVOKED: "已被撤销，不能通过修复，请不予修复",
    Overlay.Kind.REPAIRED: "已完成信用修复，不能再次通过，请不予修复",
    Overlay.Kind.OBJECTION_PENDING: "有办理中的异议，不能通过修复，请待异议办结后再复核",
}


def _check_record_still_repairable(record: CreditRecord, at: dt.datetime) -> None:
    active = {o.kind for o in Overlay.objects.filter(record=record) if o.active_at(at)}
    for kind, why in _BLOCKING.items():
        if kind in active:
            raise PlatformError(repair_errors.RECORD_CHANGED, field="record", why=why)


def provincial_approve(application: RepairApplication, *, actor: User, note: str = "") -> RepairApplication:
    """省级复核通过 (已修复): the record stops being published, and shared too where the rule in force
    today says so; the subject's warnings are recomputed and the upstream platform is told."""
    now = clock.now()
    stops = STOPS_SHARING.on(clock.local_date(now))
    with transaction.atomic():
        step = KIT.claim(application, "provincial_approve", actor)
        # The record may have changed while the case was under review: read again here, under its row
        # lock, so a revocation, an objection or a new version landing now is seen (and the upstream
        # notice names the version that was repaired).
        record = (
            CreditRecord.objects.select_for_update().select_related("provider").get(pk=application.record_id)
        )
        _check_record_still_repairable(record, now)
        application.decided_at = now
        application.decision_reasons = note
        application.stops_sharing = stops.value
        application.stops_sharing_rule = stops.ref
        KIT.move(application, step, actor=actor, note=note,
                 fields=["decided_at", "decision_reasons", "stops_sharing", "stops_sharing_rule"])  # fmt: skip
        overlay = add_overlay(
            record,
            Overlay.Kind.REPAIRED,
            actor=Actor.of_user(actor),
            reason=f"信用修复申请 {application.number} 经市级初审、省级复核通过"
            + ("，停止公示和共享" if stops.value else "，停止公示")
            + f"（{stops.citation}）",
            source=f"信用修复 {application.number}",
            stops_sharing=stops.value,
        )
        queue_upstream(
            record, UpstreamNotice.Change.REPAIRED, source=f"信用修复 {application.number}",
            payload={
                "number": application.number, "subject_code": application.subject_code, "record_key": record.key,
                "kind": record.kind_code, "provider": record.provider.code, "repaired_at": now.isoformat(),
                "stops_sharing": stops.value, "rule": stops.ref,
            },
        )  # fmt: skip
        KIT.audit(application, "provincial_approve", actor=actor, overlay=overlay.pk, stops_sharing=stops.ref)
        # The subject's status: a repaired entry no longer counts towards a social credit warning or a
        # risk warning.
        review_warnings([application.subject_code], at=now)
        review_risk_warnings([application.subject_code], at=now)
        KIT.notify(
            accounts_of_subject(application.subject_code),
            application,
            title=f"信用修复申请 {application.number} 已修复",
            body=f"{record.key} 已停止公示" + ("和共享" if stops.value else "") + "。",
        )
    return application


@dataclass(frozen=True)
class _Step:
    """A reviewing step whose deadline the overdue job watches."""

    name: str
    due_field: str
    mark_field: str
    state: str
    role: str
    label: str


_STEPS = (
    _Step("city", "city_due", "city_overdue_at", State.CITY_REVIEW, Role.CITY_REPAIR_REVIEWER, "市级初审"),
    _Step("provincial", "provincial_due", "provincial_overdue_at", State.PROVINCIAL_REVIEW,
          Role.PROVINCIAL_REPAIR_REVIEWER, "省级复核"),
)  # fmt: skip


def flag_overdue_repairs(today: dt.date | None = None) -> list[RepairApplication]:
    """Mark each step past its deadline once (``CaseKit.sweep``: safe to run twice or late) and tell
    the reviewers of that step. Returns the cases flagged now."""
    now = clock.now()
    today = today or clock.local_date(now)
    return [case for step in _STEPS for case in _flag_step(step, today, now)]


def _flag_step(step: _Step, today: dt.date, now: dt.datetime) -> list[RepairApplication]:
    def flag(application: RepairApplication) -> None:
        due = getattr(application, step.due_field)
        KIT.event(
            application, f"{step.name}_overdue", f"{step.label}逾期", actor=OVERDUE_JOB, note=f"期限 {due}"
        )
        KIT.audit(application, f"{step.name}_overdue", actor=OVERDUE_JOB, due=str(due))
        KIT.notify(
            accounts_with_role(step.role),
            application,
            title=f"信用修复申请 {application.number} {step.label}已逾期",
            body=f"{step.label}期限 {due} 已过，请尽快办理。",
        )

    unflagged = {f"{step.mark_field}__isnull": True}
    return KIT.sweep(
        RepairApplication.objects.filter(
            state=step.state, **{f"{step.due_field}__lt": today}, **unflagged
        ).order_by(step.due_field, "pk"),
        still_due=lambda a: Q(state=step.state, **unflagged),
        mark=lambda a: {step.mark_field: now},
        act=flag,
    )
