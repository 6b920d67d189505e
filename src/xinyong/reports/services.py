"""Issuing credit reports: snapshot → render → sign → archive (docs/architecture.md, data flow).

``request_report`` decides who may have which edition, takes the snapshot through the disclosure read
path, and either issues at once (special and full editions) or waits for the departments to confirm
their parts (financial edition, ``answer_confirmation``). Every request, issue and download is on the
audit trail. Nothing about an issued report changes except its file (``reissue``) and, after
retention, the file's deletion (``purge_expired``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from xinyong.accounts import notify
from xinyong.accounts.models import User
from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Category, Domain
from xinyong.core import case_numbers, clock
from xinyong.core.calendar import CalendarMissing, WorkingCalendar
from xinyong.core.errors import NOT_FOUND, PlatformError
from xinyong.disclosure.access import decide
from xinyong.disclosure.audience import AUDIENCE_OF_BASIS, Audience
from xinyong.disclosure.queries import RecordView, report_records
from xinyong.records.publication import add_months
from xinyong.reports import confirmations, content, errors, render
from xinyong.reports.models import Confirmation, Edition, FinancialListEntry, Report, ReportFile, ReportRecord
from xinyong.reports.rules import DATA_START, FINANCIAL_CONFIRMATION, PERIOD, RETENTION
from xinyong.reports.signing import SignatureKind, get_signer
from xinyong.reports.storage import archive_name, get_storage
from xinyong.subjects.models import Subject

#: Unambiguous characters for numbers and codes read aloud or typed from paper (no 0/O, 1/I/L).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Requester:
    """Who asks: an account, or the system (``xinyong report`` run by an operator)."""

    user: User | None
    name: str

    @property
    def actor(self) -> Actor:
        return Actor.of_user(self.user) if self.user is not None else Actor.system(self.name)


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _period(years: int, today: dt.date) -> tuple[dt.date, dt.date, dt.date, list[str]]:
    """(from, to, data start, rule refs): ``years`` back from the data cut-off, never before the data start."""
    period = PERIOD.on(today)
    start = DATA_START.on(today)
    if years not in period.value.years:
        raise PlatformError(
            errors.INVALID_YEARS, field="years", choices="、".join(str(y) for y in period.value.years)
        )
    try:
        cutoff = WorkingCalendar.load().add_working_days(today, -period.value.lag_working_days)
    except CalendarMissing as missing:
        raise missing.refusal() from missing
    data_start = start.value
    return max(add_months(cutoff, -12 * years), data_start), cutoff, data_start, [period.ref, start.ref]


def _in_report(view: RecordView, edition: str, period_to: dt.date) -> bool:
    if view.decision_date > period_to:
        return False
    # The no-violation editions list violations; the full report lists everything the audience may see.
    return edition == Edition.FULL or view.category == Category.DISHONESTY


def _fingerprint(values: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _audience_and_basis(
    requester: Requester, subject_code: str, edition: str, purpose: str
) -> tuple[Audience, str, str]:
    """(audience the content is for, basis, purpose as audited); refuses a requester without a basis."""
    if requester.user is None:
        basis, audited_purpose, audience = "system", purpose or "信用中心出具", Audience.STAFF
    else:
        decision = decide(requester.user, subject_code, purpose, clock.now())
        basis, audited_purpose, audience = (
            decision.basis.value,
            decision.purpose,
            AUDIENCE_OF_BASIS[decision.basis],
        )
    # The no-violation editions are documents handed to third parties: the same content whoever asks,
    # namely what an authorised querier may see (docs/reports.md).
    if edition != Edition.FULL:
        audience = Audience.AUTHORISED
    return audience, basis, audited_purpose


def request_report(
    requester: Requester, subject_code: str, *, edition: str, years: int, purpose: str = ""
) -> Report:
    """Issue (or, for the financial edition, open) a report; to the same requester, the same report again
    when nothing changed today."""
    if edition not in Edition.values:
        raise PlatformError(errors.INVALID_EDITION, field="edition")
    # The basis first: whether a code is on the platform is itself non-public (a person's especially).
    audience, basis, audited_purpose = _audience_and_basis(requester, subject_code, edition, purpose)
    subject = Subject.objects.filter(code=subject_code).first()
    if subject is None:
        raise PlatformError(NOT_FOUND, field="subject")
    if (
        edition == Edition.FINANCIAL
        and not FinancialListEntry.objects.filter(subject_code=subject_code, active=True).exists()
    ):
        raise PlatformError(errors.NOT_ON_FINANCIAL_LIST, field="edition")
    now = clock.now()
    today = clock.local_date(now)
    period_from, period_to, data_start, rules = _period(years, today)
    views = [
        v
        for v in report_records(subject_code, audience, period_from, now)
        if _in_report(v, edition, period_to)
    ]
    domains = [[d.number, d.name] for d in Domain.objects.filter(in_special_report=True).order_by("number")]
    words = content.template()
    snapshot = {
        "edition": edition, "subject": subject_code, "name": subject.name, "years": years,
        "from": period_from, "to": period_to, "audience": audience.value, "domains": domains, "rules": rules,
        "template": words["version"], "items": sorted((v.record_id, v.version, v.state) for v in views),
    }  # fmt: skip
    fingerprint = _fingerprint(snapshot)
    with transaction.atomic():
        # Serialises requests for one subject, so two at once cannot both issue the same report.
        Subject.objects.select_for_update().filter(pk=subject.pk).first()
        same = (
            Report.objects.filter(subject_code=subject_code, edition=edition, fingerprint=fingerprint)
            .filter(requested_by=requester.user, requested_at__gte=clock.start_of_day(today))
            .exclude(state=Report.State.REVOKED)
            .order_by("-requested_at")
            .first()
        )
        if same is not None:
            _audit(requester, "reports.request", same, audited_purpose, {"reused": True, "basis": basis})
            return same
        report = Report.objects.create(
            number=_new_number(today),
            verification_code=_random(6),
            edition=edition,
            subject_code=subject_code,
            subject_name=subject.name,
            subject_code_shown=subject.public_code,
            years=years,
            period_from=period_from,
            period_to=period_to,
            data_start=data_start,
            state=Report.State.AWAITING if edition == Edition.FINANCIAL else Report.State.ISSUED,
            requested_at=now,
            requested_by=requester.user,
            requester_name=requester.name,
            basis=basis,
            purpose=audited_purpose,
            audience=audience.value,
            domains=domains,
            rules=[*rules, RETENTION.on(today).ref],
            template_version=str(words["version"]),
            fingerprint=fingerprint,
            retain_until=add_months(today, 12 * RETENTION.on(today).value),
        )
        ReportRecord.objects.bulk_create(
            [
                ReportRecord(
                    report=report,
                    record_id=v.record_id,
                    subject_code=subject_code,
                    version=v.version,
                    state=v.state,
                )
                for v in views
            ]
        )
        _audit(requester, "reports.request", report, audited_purpose, {"basis": basis, "records": len(views)})
        if report.state == Report.State.AWAITING:
            _ask_departments(report)
        else:
            _issue(report, requester.actor)
    return report


def _new_number(today: dt.date) -> str:
    while True:
        number = case_numbers.number(case_numbers.REPORT, today, _random(6))
        if not Report.objects.filter(number=number).exists():
            return number


def _audit(
    requester: Requester, action: str, report: Report, purpose: str, detail: dict[str, object]
) -> None:
    record(
        actor=requester.actor,
        action=action,
        subject_code=report.subject_code,
        purpose=purpose,
        object_type="report",
        object_id=report.number,
        detail={"edition": report.edition, "years": report.years, **detail},
    )


def _sign_and_store(report: Report) -> ReportFile:
    pdf = render.render(content.build(report))
    kind = SignatureKind.CERTIFICATION
    if (
        report.edition == Edition.FINANCIAL
        and report.confirmations.filter(state=Confirmation.State.CONFIRMED).exists()
    ):
        pdf, kind = confirmations.seal(report, pdf), SignatureKind.CLOSING
    signed = get_signer().sign(
        pdf, reason=f"{report.get_edition_display()} {report.number}", location="公共信用信息平台", kind=kind
    )
    now = clock.now()
    name = archive_name(report.number, now)
    storage = get_storage()
    storage.save(name, signed)
    # The file is written before the rows that name it, so no row ever names a missing file; a
    # transaction that fails later leaves at most an unnamed file behind, which nothing serves.
    try:
        sha = hashlib.sha256(signed).hexdigest()
        file = ReportFile.objects.create(
            report=report, sha256=sha, name=name, size=len(signed), created_at=now
        )
        report.pdf_name, report.pdf_sha256 = name, sha
        report.save(update_fields=["pdf_name", "pdf_sha256"])
    except Exception:
        storage.delete(name)
        raise
    return file


def _issue(report: Report, actor: Actor) -> None:
    report.issued_at = report.issued_at or clock.now()
    report.state = Report.State.ISSUED
    report.save(update_fields=["issued_at", "state"])
    file = _sign_and_store(report)
    record(
        actor=actor,
        action="reports.issue",
        subject_code=report.subject_code,
        object_type="report",
        object_id=report.number,
        detail={"sha256": file.sha256, "records": report.items.count(), "template": report.template_version},
    )
    notify.notify(
        notify.accounts_of_subject(report.subject_code),
        title=f"信用报告 {report.number} 已出具",
        body=f"{report.get_edition_display()}，查询期间 {report.period_from} 至 {report.period_to}。",
        link=f"/reports/{report.number}/",
    )


def _ask_departments(report: Report) -> None:
    """Financial edition: one confirmation per department holding records on the subject in the period
    or bound to state "no record" for its domain (``reports.confirmations``), each with its deadline."""
    asked = clock.local_date(report.requested_at)
    rule = FINANCIAL_CONFIRMATION.on(asked)
    parts = confirmations.departments_to_ask(report, rule)
    if not parts:
        _issue(report, Actor.system("reports"))
        return
    due = confirmations.due_on(asked, rule)
    for provider_id, domain_ids in sorted(parts.items()):
        confirmation = Confirmation.objects.create(
            report=report,
            subject_code=report.subject_code,
            provider_id=provider_id,
            due_on=due,
            deadline_rule=rule.ref,
        )
        confirmation.domains.set(domain_ids)
        notify.notify(
            notify.accounts_of_provider(confirmation.provider),
            title=f"金融专用版信用报告 {report.number} 待本单位确认",
            body=f"{report.subject_name}（{report.subject_code_shown}）申请金融专用版信用报告，"
            f"请于 {due} 前核对并确认本单位领域内容；逾期报告将载明“逾期未确认，请到本单位办理”。",
            link=f"/reports/confirmations/{confirmation.pk}/",
        )


def answer_confirmation(
    confirmation: Confirmation, *, actor: User, confirm: bool, instructions: str = ""
) -> Confirmation:
    """A department confirms its part (sealed with its own key when the report is issued), or answers
    请到本单位办理 with instructions, up to and including its deadline. The last answer issues."""
    with transaction.atomic():
        confirmation = Confirmation.objects.select_for_update().get(pk=confirmation.pk)
        if confirmation.is_overdue_on(clock.today()):
            raise PlatformError(errors.CONFIRMATION_OVERDUE, due=confirmation.due_on)
        if confirmation.state != Confirmation.State.PENDING:
            raise PlatformError(errors.ALREADY_ANSWERED)
        if not confirm and not instructions.strip():
            raise PlatformError(errors.INSTRUCTIONS_REQUIRED, field="instructions")
        limit = Confirmation._meta.get_field("instructions").max_length or 0
        if len(instructions.strip()) > limit:
            raise PlatformError(errors.INSTRUCTIONS_TOO_LONG, field="instructions", limit=limit)
        confirmation.state = Confirmation.State.CONFIRMED if confirm else Confirmation.State.REFERRED
        confirmation.instructions = instructions.strip()
        confirmation.answered_by, confirmation.answered_at = actor, clock.now()
        confirmation.save()
        report = Report.objects.get(pk=confirmation.report_id)
        record(
            actor=Actor.of_user(actor),
            action="reports.confirm" if confirm else "reports.refer",
            subject_code=report.subject_code,
            object_type="report",
            object_id=report.number,
            detail={"provider": confirmation.provider.name, "instructions": confirmation.instructions},
        )
        _issue_when_answered(report, Actor.of_user(actor))
    return confirmation


def _issue_when_answered(report: Report, actor: Actor) -> None:
    """Issue a financial-edition report once no department is left to answer (inside a transaction)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    pending = report.confirmations.filter(state=Confirmation.State.PENDING).exists()
    if report.state == Report.State.AWAITING and not pending:
        _issue(report, actor)


def flag_overdue_confirmations(today: dt.date | None = None, *, report: Report | None = None) -> int:
    """Mark each confirmation past its deadline 逾期未确认 once (a conditional update: safe to run twice,
    late or in parallel), and issue the reports no department is left to answer. Returns how many were
    marked now. Run daily (``xinyong report overdue``); the report's page and download also run it for
    their report, so a report is issued on time even if the job did not run."""
    now = clock.now()
    today = today or clock.local_date(now)
    due = Confirmation.objects.filter(state=Confirmation.State.PENDING, due_on__lt=today)
    if report is not None:
        due = due.filter(report=report, subject_code=report.subject_code)
    flagged = 0
    for pk in list(due.order_by("due_on").values_list("pk", flat=True)[:10000]):
        with transaction.atomic():
            claimed = Confirmation.objects.filter(
                pk=pk, state=Confirmation.State.PENDING, due_on__lt=today
            ).update(state=Confirmation.State.OVERDUE, overdue_at=now)
            if claimed != 1:
                continue
            confirmation = Confirmation.objects.select_related("provider", "report").get(pk=pk)
            actor = Actor.system("report confirmation overdue")
            record(
                actor=actor,
                action="reports.confirmation_overdue",
                subject_code=confirmation.subject_code,
                object_type="report",
                object_id=confirmation.report.number,
                detail={
                    "provider": confirmation.provider.name,
                    "due": str(confirmation.due_on),
                    "rule": confirmation.deadline_rule,
                },
            )
            _issue_when_answered(confirmation.report, actor)
            flagged += 1
    return flagged


def settle(report: Report) -> Report:
    """The report as it stands today: a financial edition whose last departments let their deadline pass
    is issued now, with 逾期未确认 in their sections (read-time correctness, docs/architecture.md, principle 5)."""
    if report.state == Report.State.AWAITING and flag_overdue_confirmations(report=report):
        report.refresh_from_db()
    return report


def reissue(report: Report, *, actor: Actor) -> ReportFile:
    """Render the same report again from its snapshot (same content, a new signature), e.g. after its
    file was lost. The report's number, issue time and content do not change."""
    if report.state != Report.State.ISSUED:
        raise PlatformError(errors.NOT_READY)
    with transaction.atomic():
        file = _sign_and_store(report)
        record(
            actor=actor,
            action="reports.reissue",
            subject_code=report.subject_code,
            object_type="report",
            object_id=report.number,
            detail={"sha256": file.sha256},
        )
    return file


def may_download(user: User, report: Report) -> bool:
    """The requester, the subject's own accounts and centre staff."""
    return (
        (report.requested_by_id is not None and report.requested_by_id == user.pk)
        or (
            bool(user.subject_code)
            and user.subject_code == report.subject_code
            and user.verified_at is not None
        )
        or (user.is_centre_staff and bool(user.roles))
    )


def download(report: Report, *, actor: Requester) -> bytes:
    """The report's signed PDF, on the audit trail."""
    if settle(report).state == Report.State.AWAITING:
        raise PlatformError(errors.NOT_READY)
    if report.purged_at is not None or not report.pdf_name:
        raise PlatformError(errors.PURGED)
    data = get_storage().open(report.pdf_name)
    with transaction.atomic():
        _audit(actor, "reports.download", report, report.purpose, {"sha256": report.pdf_sha256})
    return data


def revoke(report: Report, *, actor: User, reason: str) -> None:
    """Withdraw an issued report (出具错误): verification answers "revoked" from now on."""
    with transaction.atomic():
        updated = (
            Report.objects.filter(pk=report.pk)
            .exclude(state=Report.State.REVOKED)
            .update(state=Report.State.REVOKED, revoked_at=clock.now(), revoked_reason=reason)
        )
        if updated:
            _audit(Requester(actor, actor.get_username()), "reports.revoke", report, "", {"reason": reason})
    report.refresh_from_db()


def purge_expired(today: dt.date | None = None) -> int:
    """Delete the files of reports past retention (10 years). Idempotent: each report is claimed by a
    conditional update before its files go; the report's facts stay verifiable."""
    today = today or clock.today()
    storage = get_storage()
    purged = 0
    due = Report.objects.filter(retain_until__lt=today, purged_at__isnull=True).values_list("pk", flat=True)
    for pk in list(due[:10000]):
        with transaction.atomic():
            claimed = Report.objects.filter(Q(pk=pk), purged_at__isnull=True).update(purged_at=clock.now())
            if not claimed:
                continue
            names = list(ReportFile.objects.filter(report_id=pk).values_list("name", flat=True))
            for name in names:
                storage.delete(name)
            report = Report.objects.only("number", "subject_code").get(pk=pk)
            record(
                actor=Actor.system("report retention"),
                action="reports.purge",
                subject_code=report.subject_code,
                object_type="report",
                object_id=report.number,
                detail={"files": names, "rule": RETENTION.id},
            )
            purged += 1
    return purged
