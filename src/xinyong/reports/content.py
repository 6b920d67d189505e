"""What a report says, built from its stored snapshot (one path for issuing and reissuing).

The words come from the template data (``data/report_template.yaml``, versioned); the records from
``disclosure.queries.recorded_versions`` (the one read path), exactly the versions and states the
report recorded when it was issued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from django.conf import settings

from xinyong.core import clock
from xinyong.disclosure.audience import Audience
from xinyong.disclosure.queries import RecordView, recorded_versions
from xinyong.reports.models import Confirmation, Edition, Report
from xinyong.reports.rules import PERIOD

#: Records from domains a report does not cover are still shown, here, rather than silently dropped.
OTHER_DOMAINS = (0, "其他领域")


@cache
def template() -> dict[str, Any]:
    with open(settings.REPORT_TEMPLATE, encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def words_of(version: str) -> dict[str, Any]:
    """The template's words as they were in ``version``: the current words with that version's entry in
    ``previous`` laid over them (a text that did not exist then is null there), so a reissued report says
    what it said when it was issued."""
    current = template()
    if version == str(current["version"]):
        return current
    return {**current, **current.get("previous", {}).get(version, {})}


def cutoff_statement(report: Report) -> str:
    """What the data cut-off leaves out, with its date ("" for a template version without the sentence).

    The number of working days is that of the ``report.period`` version in force on the application
    date, the one the period was computed with."""
    text = words_of(report.template_version).get("cutoff")
    if not text:
        return ""
    applied = clock.local_date(report.requested_at)
    lag = PERIOD.on(applied).value.lag_working_days
    return str(text).format(cutoff=_date(report.period_to), applied=_date(applied), lag=lag)


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Line:
    key: str  # 决定书文号
    decided: dt.date
    authority: str
    category: str
    content: str
    state: str  # 公示中, 公示期满, 已修复, 异议处理中, 已更正
    standing: str = ""  # entries that end by an exit: "至今未移出" or "2025-06-01 移出" (as of the issue)


@dataclass(frozen=True)
class Section:
    number: int
    name: str
    lines: list[Line]
    referral: str = ""  # financial edition: "请到本单位办理" and where, or 逾期未确认; replaces the lines
    confirmed: str = ""  # financial edition: which departments confirmed (and sealed) this section


@dataclass(frozen=True)
class ReportContent:
    number: str
    verification_code: str
    title: str
    purpose: str
    subject_name: str
    subject_code: str
    period_from: dt.date
    period_to: dt.date
    issued_at: dt.datetime
    sections: list[Section]
    summary: str
    issuer: str
    notes: list[str]  # data start, meaning of "no record", objection rights, responsibility
    no_record: str
    verify_url: str
    verify_how: str
    template_version: str


def _line(view: RecordView, content_fields: list[str]) -> Line:
    fields = dict(view.fields)
    authority = next(
        (v for k, v in fields.items() if k in ("处罚机关", "认定机关", "决定机关")), view.provider
    )
    content = "；".join(fields[name] for name in content_fields if fields.get(name))
    return Line(view.key, view.decision_date, authority, view.kind_name, content, view.state, view.standing)


def _answers(report: Report, words: dict[str, Any]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Financial edition, by domain number: what replaces the section (请到本单位办理 with the department's
    instructions, or 逾期未确认 after its deadline) and which departments confirmed it."""
    referrals: dict[int, list[str]] = {}
    confirmed: dict[int, list[str]] = {}
    answers = report.confirmations.exclude(state=Confirmation.State.PENDING).select_related("provider")
    for confirmation in answers.prefetch_related("domains").order_by("provider__name"):
        provider = confirmation.provider.name
        if confirmation.state == Confirmation.State.REFERRED:
            text, into = f"请到{provider}办理：{confirmation.instructions}", referrals
        elif confirmation.state == Confirmation.State.OVERDUE:
            text, into = str(words["overdue"]).format(provider=provider, due=confirmation.due_on), referrals
        elif words.get("confirmed"):  # not in template versions before 2026.3
            text, into = str(words["confirmed"]).format(provider=provider), confirmed
        else:
            continue
        for domain in confirmation.domains.all():
            into.setdefault(domain.number, []).append(text)
    return referrals, confirmed


def verify_url(report: Report) -> str:
    return f"{settings.PUBLIC_BASE_URL}/verify/?number={report.number}&code={report.verification_code}"


def build(report: Report) -> ReportContent:
    """The report's content from its snapshot."""
    words = words_of(report.template_version)
    snapshot = [(i.record_id, i.version, i.state) for i in report.items.all()]
    views = recorded_versions(report.subject_code, snapshot, Audience(report.audience))
    by_domain: dict[int, list[Line]] = {}
    for view in views:
        line = _line(view, words["content_fields"].get(view.kind, []))
        by_domain.setdefault(view.domain_number, []).append(line)
    referrals, confirmed = _answers(report, words) if report.edition == Edition.FINANCIAL else ({}, {})
    covered = [(int(n), str(name)) for n, name in report.domains]
    sections = [
        Section(
            n, name, by_domain.pop(n, []), "；".join(referrals.get(n, [])), "；".join(confirmed.get(n, []))
        )
        for n, name in covered
    ]
    leftover = [line for lines in by_domain.values() for line in lines]
    if leftover:
        referral, confirmation = (
            "；".join(text for n in by_domain for text in answers.get(n, []))
            for answers in (referrals, confirmed)
        )
        sections.append(Section(*OTHER_DOMAINS, leftover, referral, confirmation))
    edition = words["editions"][report.edition]
    cutoff = cutoff_statement(report)
    notes = [
        note
        for note in (
            cutoff,
            words["pre_data_start"].format(data_start=_date(report.data_start)),
            words["selection"],
            words["no_record_meaning"],
            words["objection_rights"],
            words["responsibility"],
        )
        if note
    ]
    return ReportContent(
        number=report.number,
        verification_code=report.verification_code,
        title=edition["title"],
        purpose=edition["purpose"],
        subject_name=report.subject_name,
        subject_code=report.subject_code_shown,
        period_from=report.period_from,
        period_to=report.period_to,
        issued_at=report.issued_at or report.requested_at,
        sections=sections,
        summary=words["summary_full" if report.edition == Edition.FULL else "summary"].format(
            domains=len(covered), found=sum(1 for s in sections if s.lines), records=len(views)
        ),
        issuer=words["issuer"],
        notes=notes,
        no_record=words["no_record"] if report.edition != Edition.FULL else words["no_record_full"],
        verify_url=verify_url(report),
        verify_how=words["verify_how"].format(verify_url=f"{settings.PUBLIC_BASE_URL}/verify/"),
        template_version=report.template_version,
    )
