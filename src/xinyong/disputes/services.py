"""The objection workflow's verbs (异议办理): one transaction each, with its audit entry, its line in the
case history and its notifications (sent on commit). Views, the API and the overdue command call these.

    file_objection     subject   → accepted (deadlines computed, 异议处理中 overlay laid)
    file_omission      subject   → accepted (an objection for a missing record, 遗漏异议; no overlay)
    forward_objection  centre    accepted → forwarded (provider's deadline computed)
    answer_objection   provider  forwarded → answered (a correction, or the missing record, is stored
                                 through the intake pipeline)
    close_objection    centre    accepted | answered → closed (corrected / revoked / maintained; for an
                                 omission added 已补录 / not added 不予补录)
    flag_overdue_objections  job: marks and escalates cases past a due date, once per step
    link_arrived_records     job: links the record a department reported for an open omission case
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q

from xinyong.accounts.models import Role, User
from xinyong.accounts.notify import accounts_of_provider, accounts_of_subject, accounts_with_role
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor
from xinyong.cases import evidence
from xinyong.cases.kit import Who
from xinyong.catalog.models import Provider, ProviderGrant, RecordKind
from xinyong.collection.services import kind_in_force, submit_records
from xinyong.core import case_numbers, clock
from xinyong.core.calendar import WorkingCalendar
from xinyong.core.errors import ErrorCode, PlatformError
from xinyong.core.rulebook import Rule
from xinyong.disclosure.audience import Audience, state_of
from xinyong.disputes import deadlines, errors
from xinyong.disputes.models import Objection, ObjectionAttachment, ObjectionEvent
from xinyong.disputes.rules import ObjectionDeadlines
from xinyong.disputes.workflow import ARRIVALS_JOB, KIT, OVERDUE_JOB
from xinyong.records.models import CreditRecord, Overlay, RecordVersion, UpstreamNotice
from xinyong.records.services import Stored, StoreResult, add_overlay, end_overlay, queue_upstream
from xinyong.supervision.risk import review_risk_warnings
from xinyong.supervision.services import review_warnings

S = Objection.State
SOURCE = "异议 {number}"
#: Files one objection may carry (a technical limit of the platform, not a legal rule).
MAX_ATTACHMENTS = 5


E = ObjectionEvent.Action


def _first_deadlines(today: dt.date) -> tuple[Rule[ObjectionDeadlines], dt.date, dt.date]:
    """(rule, comparison due, overall due) of an objection accepted on ``today``, of either kind."""
    rule = deadlines.rule_for(today)
    calendar = WorkingCalendar.load()
    return (
        rule,
        deadlines.due(rule, "compare", today, calendar),
        deadlines.due(rule, "overall", today, calendar),
    )


def _event(objection: Objection, action: E, *, actor: Who, note: str = "") -> None:
    """A line outside the transition table: filing (from no state) or a job's mark (state unchanged)."""
    before = "" if action == E.FILED else None
    KIT.event(objection, action.value, action.label, actor=actor, before=before, note=note)


def _handlers() -> Iterable[User]:
    return accounts_with_role(Role.OBJECTION_HANDLER)


def _applicant_side(objection: Objection) -> list[User]:
    return [objection.applicant, *accounts_of_subject(objection.subject_code)]


def _required(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise PlatformError(errors.REASONS_REQUIRED, field="reasons")
    return text


def record_read(objection: Objection, *, reader: User) -> None:
    """A case read by anyone but its subject (the provider, centre staff) goes on the audit trail:
    it carries the subject's statement and evidence, which are not public."""
    if reader.subject_code and reader.subject_code == objection.subject_code:
        return
    KIT.audit(objection, "view", actor=reader)


# --- filing -----------------------------------------------------------------------------------------


def _next_number(day: dt.date) -> str:
    prefix = case_numbers.number(case_numbers.OBJECTION, day, "")
    last = (
        Objection.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
    ).first()
    return case_numbers.number(case_numbers.OBJECTION, day, (int(last[len(prefix) :]) if last else 0) + 1)


def file_objection(
    *,
    actor: User,
    record: CreditRecord,
    grounds: str,
    statement: str,
    requested_correction: str = "",
    files: Sequence[evidence.Upload] = (),
) -> Objection:
    """A subject objects to one of its own records; accepted at once, deadlines from today (China)."""
    if not allowed(actor, Action.FILE_OBJECTION):
        raise PlatformError(errors.NOT_ALLOWED)
    if record.subject_code != actor.subject_code:
        raise PlatformError(errors.RECORD_NOT_YOURS, field="record")
    if grounds not in Objection.Grounds.values:
        raise PlatformError(errors.GROUNDS_INVALID, field="grounds", value=grounds)
    statement = (statement or "").strip()
    if not statement:
        raise PlatformError(errors.STATEMENT_REQUIRED, field="statement")
    now = clock.now()
    if not state_of(record, record.overlays.all(), Audience.SELF, now).visible:
        raise PlatformError(errors.RECORD_NOT_VISIBLE, field="record")
    _refuse_if_open(_same_record(record))
    checked = evidence.read(files, max_files=MAX_ATTACHMENTS)
    today = clock.local_date(now)
    rule, compare_due, overall_due = _first_deadlines(today)

    with transaction.atomic():
        objection = _create(
            number_day=today,
            same_case=_same_record(record),
            subject_code=record.subject_code,
            record=record,
            provider_id=record.provider_id,
            version_objected=record.latest_version,
            applicant=actor,
            grounds=grounds,
            statement=statement,
            requested_correction=(requested_correction or "").strip(),
            accepted_at=now,
            accepted_on=today,
            compare_due=compare_due,
            overall_due=overall_due,
            deadline_rule=rule.ref,
        )
        actor_ref = Actor.of_user(actor)
        objection.pending_overlay = add_overlay(
            record,
            Overlay.Kind.OBJECTION_PENDING,
            actor=actor_ref,
            reason=f"{objection.get_grounds_display()}：{statement[:200]}",
            source=SOURCE.format(number=objection.number),
        )
        objection.save(update_fields=["pending_overlay"])
        stored = _attach(objection, checked, by=actor)
        _event(objection, E.FILED, actor=actor, note=statement)
        KIT.audit(
            objection, "file", actor=actor, grounds=grounds, version=objection.version_objected,
            compare_due=compare_due, overall_due=overall_due, rule=rule.ref,
            attachments=[a.sha256 for a in stored],
        )  # fmt: skip
        KIT.notify(
            _handlers(),
            objection,
            title=f"新的异议申请 {objection.number}，请于 {compare_due} 前完成比对",
            body=f"{record.kind_code} {record.key}：{objection.get_grounds_display()}",
        )
        _notify_filed(objection, actor)
    return objection


def _notify_filed(objection: Objection, actor: User) -> None:
    kind = "遗漏异议" if objection.is_omission else "异议申请"
    KIT.notify(
        [actor],
        objection,
        title=f"您的{kind} {objection.number} 已受理",
        body=f"受理日期 {objection.accepted_on}，办结时限 {objection.overall_due}。",
    )


def resolve_provider(value: str) -> Provider:
    """The department a subject names: its full name or its USCC (any case), active."""
    value = (value or "").strip()
    provider = Provider.objects.filter(Q(name=value) | Q(code=value.upper()), active=True).first()
    if provider is None:
        raise PlatformError(errors.OMISSION_PROVIDER_UNKNOWN, field="provider", value=value)
    return provider


def resolve_kind(value: str, on: dt.date) -> RecordKind:
    """The record kind a subject names, by its code (licence) or its Chinese name (行政许可), in force on ``on``."""
    value = (value or "").strip()
    code = RecordKind.objects.filter(Q(code=value) | Q(name=value)).values_list("code", flat=True).first()
    try:
        return kind_in_force(code or "", on)
    except PlatformError as unknown:
        raise PlatformError(errors.OMISSION_KIND_UNKNOWN, field="kind", value=value) from unknown


def file_omission(
    *,
    actor: User,
    provider: str,
    kind: str,
    document_number: str,
    document_date: dt.date,
    statement: str,
    files: Sequence[evidence.Upload] = (),
) -> Objection:
    """A subject objects that a record is missing (遗漏异议): ``provider`` should have reported the
    record of ``kind`` numbered ``document_number`` and decided on ``document_date``. Accepted at once,
    with the same deadlines as any objection; nothing is marked on any record (there is none yet)."""
    if not allowed(actor, Action.FILE_OBJECTION):
        raise PlatformError(errors.NOT_ALLOWED)
    now = clock.now()
    today = clock.local_date(now)
    department = resolve_provider(provider)
    record_kind = resolve_kind(kind, today)
    if not ProviderGrant.objects.filter(provider=department, kind_code=record_kind.code).exists():
        raise PlatformError(
            errors.OMISSION_KIND_NOT_REPORTED, field="kind", provider=department.name, kind=record_kind.name
        )
    key = (document_number or "").strip()
    if not key:
        raise PlatformError(errors.OMISSION_NUMBER_REQUIRED, field="document_number")
    if document_date > today:
        raise PlatformError(errors.OMISSION_DATE_FUTURE, field="document_date", date=document_date)
    statement = (statement or "").strip()
    if not statement:
        raise PlatformError(errors.STATEMENT_REQUIRED, field="statement")
    if CreditRecord.objects.filter(subject_code=actor.subject_code, provider=department, key=key).exists():
        raise PlatformError(errors.OMISSION_ALREADY_RECORDED, field="document_number", key=key)
    same_case = _same_omission(actor.subject_code, department, key)
    _refuse_if_open(same_case, "document_number")
    checked = evidence.read(files, max_files=MAX_ATTACHMENTS)
    rule, compare_due, overall_due = _first_deadlines(today)

    with transaction.atomic():
        objection = _create(
            number_day=today,
            same_case=same_case,
            field="document_number",
            subject_code=actor.subject_code,
            provider=department,
            applicant=actor,
            grounds=Objection.Grounds.OMISSION,
            statement=statement,
            omitted_kind_code=record_kind.code,
            omitted_key=key,
            omitted_date=document_date,
            accepted_at=now,
            accepted_on=today,
            compare_due=compare_due,
            overall_due=overall_due,
            deadline_rule=rule.ref,
        )
        stored = _attach(objection, checked, by=actor)
        _event(objection, E.FILED, actor=actor, note=statement)
        KIT.audit(
            objection, "file", actor=actor, grounds=objection.grounds, provider=department.code,
            kind=record_kind.code, document_number=key, document_date=document_date,
            compare_due=compare_due, overall_due=overall_due, rule=rule.ref, attachments=[a.sha256 for a in stored],
        )  # fmt: skip
        KIT.notify(
            _handlers(),
            objection,
            title=f"新的遗漏异议 {objection.number}，请于 {compare_due} 前完成比对",
            body=f"{department.name} {record_kind.name} {key}（{document_date}）未归集",
        )
        _notify_filed(objection, actor)
    return objection


def _attach(objection: Objection, files: list[evidence.Evidence], *, by: User) -> list[ObjectionAttachment]:
    """Store the files under ``objections/<number>/`` and the rows that tie them to the case."""
    now = clock.now()
    rows = [
        ObjectionAttachment(
            objection=objection,
            subject_code=objection.subject_code,
            uploaded_by=by,
            uploaded_at=now,
            **evidence.stored_fields(f, f"objections/{objection.number}"),
        )
        for f in files
    ]
    return ObjectionAttachment.objects.bulk_create(rows)


def _refuse_if_open(same_case: Q, field: str = "record") -> None:
    open_case = Objection.objects.filter(same_case).exclude(state=S.CLOSED).first()
    if open_case is not None:
        raise PlatformError(errors.ALREADY_OPEN, field=field, number=open_case.number)


def _same_record(record: CreditRecord) -> Q:
    return Q(record=record)


def _same_omission(subject_code: str, provider: Provider, key: str) -> Q:
    return Q(record__isnull=True, subject_code=subject_code, provider=provider, omitted_key=key)


def _create(*, number_day: dt.date, same_case: Q, field: str = "record", **values: object) -> Objection:
    """Insert with the day's next number; a concurrent filing taking the same number retries, and one
    on the same record (or the same missing record) is refused by the one-open-objection constraints."""
    for _ in range(5):
        try:
            with transaction.atomic():
                return Objection.objects.create(number=_next_number(number_day), **values)
        except IntegrityError:
            _refuse_if_open(same_case, field)
    raise PlatformError(errors.ALREADY_OPEN, field=field, number="—")


# --- the centre forwards, the provider answers -------------------------------------------------------


def forward_objection(objection: Objection, *, actor: User, note: str = "") -> Objection:
    """The centre's comparison needs the provider: forward the case; its check is due in N working days."""
    with transaction.atomic():
        step = KIT.claim(objection, "forward_objection", actor)
        today = clock.today()
        rule = deadlines.rule_for(objection.accepted_on)
        objection.provider_due = deadlines.due(rule, "provider_check", today, WorkingCalendar.load())
        objection.forwarded_at = clock.now()
        objection.forward_note = (note or "").strip()
        KIT.move(
            objection, step, actor=actor, note=objection.forward_note,
            fields=["provider_due", "forwarded_at", "forward_note"], recorded_as=(E.FORWARDED, E.FORWARDED.label),
        )  # fmt: skip
        KIT.audit(objection, "forward", actor=actor, provider_due=objection.provider_due, rule=rule.ref)
        KIT.notify(
            accounts_of_provider(objection.provider),
            objection,
            title=f"异议 {objection.number} 转交贵单位核查，请于 {objection.provider_due} 前反馈",
            body=(
                f"{objection.target_key}：{objection.get_grounds_display()}"
                f"{'，请补录该记录或说明不予补录的理由' if objection.is_omission else ''}。{objection.forward_note}"
            ),
        )
    return objection


def answer_objection(
    objection: Objection,
    *,
    actor: User,
    answer: str,
    reasons: str,
    corrected: Mapping[str, str] | None = None,
    supplied: Mapping[str, str] | None = None,
) -> Objection:
    """The record's provider answers: the record is right (confirmed), here is the corrected record
    (corrected: stored now as a new version through the normal intake pipeline), or it should be revoked.
    For an omission the named department answers: here is the missing record (supplied: ``supplied`` is
    stored through the intake pipeline, or, without it, the record it already reported is linked), or it
    will not be added (declined, with the reasons the subject will read). A row that fails validation is
    refused with the pipeline's messages; nothing changes."""
    with transaction.atomic():
        step = KIT.claim(objection, "answer_objection", actor)
        if actor.provider_id != objection.provider_id:
            raise PlatformError(errors.NOT_ALLOWED)
        if answer not in (OMISSION_ANSWERS if objection.is_omission else RECORD_ANSWERS):
            raise PlatformError(errors.ANSWER_INVALID, field="answer", value=answer)
        reasons = _required(reasons)
        if answer == Objection.Answer.CORRECTED:
            objection.corrected_version = _store_correction(objection, dict(corrected or {}))
        if answer == Objection.Answer.SUPPLIED:
            objection.added_record = _supplied_record(objection, dict(supplied or {}))
        today = clock.today()
        rule = deadlines.rule_for(objection.accepted_on)
        objection.process_due = deadlines.due(rule, "process", today, WorkingCalendar.load())
        objection.answered_at = clock.now()
        objection.answered_by = actor
        objection.provider_answer = answer
        objection.provider_reasons = reasons
        KIT.move(
            objection, step, actor=actor, note=f"{objection.get_provider_answer_display()}：{reasons}",
            fields=["process_due", "answered_at", "answered_by", "provider_answer", "provider_reasons",
                    "corrected_version", "added_record"],
            recorded_as=(E.ANSWERED, E.ANSWERED.label),
        )  # fmt: skip
        KIT.audit(
            objection, "answer", actor=actor, answer=answer, corrected_version=objection.corrected_version,
            added_record=objection.added_record_id, process_due=objection.process_due, rule=rule.ref,
        )  # fmt: skip
        KIT.notify(
            _handlers(),
            objection,
            title=f"异议 {objection.number} 单位已反馈（{objection.get_provider_answer_display()}），"
            f"请于 {objection.process_due} 前办结",
            body=reasons,
        )
    return objection


RECORD_ANSWERS = frozenset({Objection.Answer.CONFIRMED, Objection.Answer.CORRECTED, Objection.Answer.REVOKE})
OMISSION_ANSWERS = frozenset({Objection.Answer.SUPPLIED, Objection.Answer.DECLINED})


def _supplied_record(objection: Objection, row: dict[str, str]) -> CreditRecord:
    """The missing record: ``row`` stored now through the intake pipeline (as the kind named in the case,
    with the case's document number, for the applicant), or else the one the department already sent."""
    if not row:
        record = objection.arrived_record()
        if record is None:
            raise PlatformError(errors.OMISSION_NOT_SUPPLIED, field="supplied")
        return record
    kind = kind_in_force(objection.omitted_kind_code, clock.today())
    outcome = _submit(objection.provider, kind.code, row, errors.OMISSION_RECORD_REJECTED)
    # Checked on what was stored, whichever spelling of the fields the row used; raised inside the
    # answer's transaction, so the stored row is rolled back with it.
    record = CreditRecord.objects.get(pk=outcome.record_id)
    if record.key != objection.omitted_key:
        raise PlatformError(errors.OMISSION_KEY_MISMATCH, field=kind.key_field, key=objection.omitted_key)
    if record.subject_code != objection.subject_code:
        raise PlatformError(errors.OMISSION_SUBJECT_MISMATCH, field="subject", code=objection.subject_code)
    return record


def _submit(provider: Provider, kind_code: str, row: dict[str, str], rejected: ErrorCode) -> StoreResult:
    """One row through the normal intake pipeline; its refusals become ``rejected`` with the pipeline's
    messages."""
    _, outcomes = submit_records(provider, kind_code, [row])
    outcome = outcomes[0]
    if outcome.errors:
        detail = "；".join(e.message for e in outcome.errors[:5])
        raise PlatformError(rejected, field=outcome.errors[0].field, detail=detail)
    assert outcome.stored is not None
    return outcome.stored


def _store_correction(objection: Objection, row: dict[str, str]) -> int:
    record = objection.record
    assert record is not None  # an objection to an existing record
    # The key field of the kind version the record was reported under, not of a newer version.
    current = RecordVersion.objects.get(record=record, version=record.latest_version)
    key_field = RecordKind.objects.get(pk=current.kind_id).key_field
    if (row.get(key_field) or "").strip() != record.key:
        raise PlatformError(errors.CORRECTION_KEY_CHANGED, field=key_field, key=record.key)
    # The record stays in its domain (a provider reporting a kind in several domains must name it).
    row.setdefault("领域", str(record.domain.number))
    stored = _submit(objection.provider, record.kind_code, row, errors.CORRECTION_REJECTED)
    if stored.status is Stored.UNCHANGED:
        raise PlatformError(errors.CORRECTION_UNCHANGED, field="corrected")
    return stored.version


# --- closing ------------------------------------------------------------------------------------------


def closing_outcomes(objection: Objection) -> list[Objection.Outcome]:
    """The outcomes the case may be closed with now: those ``close_objection`` would accept."""
    refusal = _omission_refusal if objection.is_omission else _record_refusal
    return [outcome for outcome in Objection.Outcome if not refusal(objection, outcome)]


def _check_outcome(objection: Objection, outcome: str) -> None:
    if outcome not in Objection.Outcome.values:
        raise PlatformError(
            errors.OUTCOME_NOT_ALLOWED, field="outcome", outcome=outcome, why="不是有效的处理结果"
        )
    why = (_omission_refusal if objection.is_omission else _record_refusal)(
        objection, Objection.Outcome(outcome)
    )
    if why:
        label = Objection.Outcome(outcome).label
        raise PlatformError(errors.OUTCOME_NOT_ALLOWED, field="outcome", outcome=label, why=why)


def _record_refusal(objection: Objection, outcome: Objection.Outcome) -> str:
    corrected = objection.provider_answer == Objection.Answer.CORRECTED
    if outcome in (Objection.Outcome.ADDED, Objection.Outcome.NOT_ADDED):
        return "仅适用于信息遗漏的异议"
    if outcome == Objection.Outcome.CORRECTED and not corrected:
        return "更正须由信息提供单位核查并报送更正后的记录"
    if corrected and outcome != Objection.Outcome.CORRECTED:
        return "信息提供单位已报送更正后的记录，应以“更正”办结"
    return ""


def _omission_refusal(objection: Objection, outcome: Objection.Outcome) -> str:
    arrived = objection.arrived_record() is not None
    if outcome not in (Objection.Outcome.ADDED, Objection.Outcome.NOT_ADDED):
        return "遗漏异议以“已补录”或“不予补录”办结"
    if outcome == Objection.Outcome.ADDED and not arrived:
        return "尚未收到信息提供单位补录的记录"
    if outcome == Objection.Outcome.NOT_ADDED and arrived:
        return "信息提供单位已报送该记录，应以“已补录”办结"
    if outcome == Objection.Outcome.NOT_ADDED and objection.provider_answer != Objection.Answer.DECLINED:
        return "不予补录须由信息提供单位核查并说明理由"
    return ""


def close_objection(objection: Objection, *, actor: User, outcome: str, reasons: str) -> Objection:
    """The centre concludes: corrected (the provider's new version is marked 已更正), revoked (已撤销) or
    maintained; the pending mark ends, corrections and revocations are queued upstream, the applicant
    is told. An omission closes as added (已补录: the record that arrived is linked and queued upstream)
    or not added (不予补录, after the department's reasoned refusal)."""
    with transaction.atomic():
        step = KIT.claim(objection, "close_objection", actor)
        _check_outcome(objection, outcome)
        reasons = _required(reasons)
        actor_ref = Actor.of_user(actor)
        source = SOURCE.format(number=objection.number)
        if objection.pending_overlay is not None:
            end_overlay(objection.pending_overlay, actor=actor_ref, reason=f"异议已办结：{reasons}")
        change = {
            Objection.Outcome.CORRECTED: (Overlay.Kind.CORRECTED, UpstreamNotice.Change.CORRECTED),
            Objection.Outcome.REVOKED: (Overlay.Kind.REVOKED, UpstreamNotice.Change.REVOKED),
        }.get(Objection.Outcome(outcome))
        now = clock.now()
        record = None
        if objection.record_id is not None:
            record = CreditRecord.objects.get(pk=objection.record_id)
        if change is not None and record is not None:
            add_overlay(record, change[0], actor=actor_ref, reason=reasons, source=source)
            queue_upstream(record, change[1], source=source)
            # A revoked entry no longer counts towards a social credit warning or a risk warning.
            review_warnings([record.subject_code], at=now)
            review_risk_warnings([record.subject_code], at=now)
        if outcome == Objection.Outcome.ADDED:
            record = objection.added_record = objection.arrived_record()
            assert record is not None  # _check_outcome
            queue_upstream(record, UpstreamNotice.Change.ADDED, source=source)
        objection.outcome = outcome
        objection.outcome_reasons = reasons
        objection.closed_at = now
        objection.closed_by = actor
        KIT.move(
            objection, step, actor=actor, note=f"{objection.get_outcome_display()}：{reasons}",
            fields=["outcome", "outcome_reasons", "closed_at", "closed_by", "added_record"],
            recorded_as=(E.CLOSED, E.CLOSED.label),
        )  # fmt: skip
        KIT.audit(
            objection, "close", actor=actor, outcome=outcome, added_record=objection.added_record_id,
            version=record.latest_version if record is not None else None,
        )  # fmt: skip
        title = f"您的异议 {objection.number} 已办结：{objection.get_outcome_display()}"
        KIT.notify(_applicant_side(objection), objection, title=title, body=reasons)
        if objection.forwarded_at is not None:
            KIT.notify(
                accounts_of_provider(objection.provider),
                objection,
                title=f"异议 {objection.number} 已办结：{objection.get_outcome_display()}",
                body=reasons,
            )
    return objection


# --- overdue ------------------------------------------------------------------------------------------


def overdue_filter(today: dt.date) -> Q:
    """Open cases past their current step's due date or the overall one (the queue's 已逾期 list)."""
    return Q(state__in=Objection.OPEN_STATES) & (
        Q(state=S.ACCEPTED, compare_due__lt=today)
        | Q(state=S.FORWARDED, provider_due__lt=today)
        | Q(state=S.ANSWERED, process_due__lt=today)
        | Q(overall_due__lt=today)
    )


def flag_overdue_objections(today: dt.date | None = None) -> list[Objection]:
    """Mark and escalate every case past a due date, once per step (``CaseKit.sweep``: running twice,
    late or in parallel escalates each step once)."""
    today = today or clock.today()

    def escalate(objection: Objection) -> None:
        due = min(d for d in (objection.step_due(), objection.overall_due) if d is not None)
        note = f"“{objection.get_state_display()}”已超过办理时限（{due}）"
        _event(objection, E.ESCALATED, actor=OVERDUE_JOB, note=note)
        KIT.audit(objection, "escalate", actor=OVERDUE_JOB, due=due, step=objection.state)
        recipients = list(_handlers())
        if objection.state == S.FORWARDED:
            recipients += list(accounts_of_provider(objection.provider))
        KIT.notify(recipients, objection, title=f"异议 {objection.number} 已逾期，请尽快办理", body=note)

    return KIT.sweep(
        Objection.objects.filter(overdue_filter(today)).select_related("provider").order_by("pk"),
        still_due=lambda o: Q(state=o.state) & ~Q(escalated_step=o.state),
        mark=lambda o: {"escalated_at": clock.now(), "escalated_step": o.state},
        act=escalate,
    )


# --- arrivals (遗漏异议) ------------------------------------------------------------------------------


def link_arrived_records() -> list[Objection]:
    """Link to each open omission case the record its department has reported since (matched by
    department + document number within the subject) and tell the handlers it can be closed as 已补录.
    One ``CaseKit.sweep``: running twice or in parallel links each case once. Pages do not wait for
    this job: ``Objection.arrived_record`` finds the record when read."""

    def arrived(objection: Objection) -> None:
        record = objection.added_record
        assert record is not None  # the mark
        note = f"{objection.provider.name} 已报送 {record.key}（第 {record.latest_version} 版）"
        _event(objection, E.ARRIVED, actor=ARRIVALS_JOB, note=note)
        KIT.audit(
            objection, "arrived", actor=ARRIVALS_JOB, added_record=record.pk, version=record.latest_version
        )
        KIT.notify(
            list(_handlers()),
            objection,
            title=f"遗漏异议 {objection.number} 的记录已报送，可以“已补录”办结",
            body=note,
        )

    def mark(objection: Objection) -> dict[str, object] | None:
        # one lookup per open omission case: there are few, each indexed
        record = objection.arrived_record()
        return None if record is None else {"added_record": record}

    return KIT.sweep(
        Objection.objects.filter(record__isnull=True, added_record__isnull=True)
        .exclude(state=S.CLOSED)
        .select_related("provider")
        .order_by("pk"),
        still_due=lambda o: Q(added_record__isnull=True) & ~Q(state=S.CLOSED),
        mark=mark,
        act=arrived,
    )
