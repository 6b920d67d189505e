"""The financial edition's departments (金融专用版部门确认): who is asked, by when, what each sees, and
each one's seal.

《东莞市信用报告代替企业无违法违规证明改革实施方案》: the financial edition is printed "待部门确认（授权）加盖
电子印章后"; a department that cannot confirm online tells the subject where to get its proof. The rule
``report.financial_confirmation`` says which departments answer even without records (those that must
state "no record" for their domain) and how many working days each has; the state changes are in
``reports.services`` (``_ask_departments``, ``answer_confirmation``, ``flag_overdue_confirmations``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from xinyong.catalog.models import ProviderGrant
from xinyong.core.calendar import CalendarMissing, WorkingCalendar, WorkingDays
from xinyong.core.rulebook import Rule
from xinyong.disclosure.audience import Audience
from xinyong.disclosure.queries import RecordView, recorded_versions
from xinyong.reports.models import Confirmation, Report, ReportRecord
from xinyong.reports.rules import FinancialConfirmation
from xinyong.reports.signing import SignatureKind, department_signer

#: Each department's seal goes into a signature field of its own, named after the department.
SEAL_FIELD = "XinyongConfirmation{provider}"


def departments_to_ask(report: Report, rule: Rule[FinancialConfirmation]) -> dict[int, set[int]]:
    """Provider id → the domain ids it confirms: the domains where it holds records on the subject in
    the report's snapshot, and the covered domains of ``must_state_domains`` it is granted (it states
    "no record" there itself). A department with neither is not asked; an inactive one cannot be."""
    parts: dict[int, set[int]] = defaultdict(set)
    held = ReportRecord.objects.filter(
        report=report, subject_code=report.subject_code, record__provider__active=True
    ).values_list("record__provider_id", "record__domain_id")
    for provider_id, domain_id in held:
        parts[provider_id].add(domain_id)
    covered = {int(number) for number, _ in report.domains}
    must_state = covered & set(rule.value.must_state_domains)
    grants = ProviderGrant.objects.filter(domain__number__in=must_state, provider__active=True).values_list(
        "provider_id", "domain_id"
    )
    for provider_id, domain_id in grants:
        parts[provider_id].add(domain_id)
    return dict(parts)


def due_on(asked: dt.date, rule: Rule[FinancialConfirmation]) -> dt.date:
    """The last day to answer: ``deadline_working_days`` working days after the request day (day 0).
    A missing holiday calendar refuses the request (503 ``calendar.missing``), never guesses."""
    try:
        return WorkingDays(rule.value.deadline_working_days).due(asked, WorkingCalendar.load())
    except CalendarMissing as missing:
        raise missing.refusal() from missing


def part_records(confirmation: Confirmation) -> list[RecordView]:
    """What this department confirms: its own records in the report's snapshot, exactly as the report
    prints them (the one read path), and nobody else's."""
    report = confirmation.report
    snapshot = list(
        report.items.filter(
            subject_code=report.subject_code, record__provider_id=confirmation.provider_id
        ).values_list("record_id", "version", "state")
    )
    return recorded_versions(report.subject_code, snapshot, Audience(report.audience))


def seal(report: Report, pdf: bytes) -> bytes:
    """``pdf`` with the seal of every department that confirmed its part, in the order they answered;
    the platform's closing signature goes on after these."""
    confirmed = (
        report.confirmations.filter(state=Confirmation.State.CONFIRMED)
        .select_related("provider")
        .prefetch_related("domains")
        .order_by("answered_at", "pk")
    )
    for confirmation in confirmed:
        provider = confirmation.provider
        domains = "、".join(d.name for d in confirmation.domains.all())
        pdf = department_signer(provider.code, provider.name).sign(
            pdf,
            reason=f"{provider.name}确认{domains}内容 {report.number}",
            location=provider.name,
            field=SEAL_FIELD.format(provider=provider.pk),
            kind=SignatureKind.DEPARTMENT,
        )
    return pdf
