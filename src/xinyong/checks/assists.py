"""协查 requests (信用互查互认): where the platform lacks a domain's data, the checking unit asks the
department concerned to check the batch's subjects; the department answers in its workspace within
``checks.assist_deadline`` working days, the answer is added to the result sheet, and a daily job flags
requests left unanswered past their deadline. A case workflow on the case kit (``cases``)::

    待答复 ──answer──▶ 已答复        (逾期: a flag set by the daily job, not a state)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import openpyxl
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action
from xinyong.cases.kit import CaseKit, Job
from xinyong.cases.workflow import StateMachine, Transition
from xinyong.catalog.models import Domain, Provider, ProviderGrant
from xinyong.checks import errors
from xinyong.checks.models import AssistRequest, BatchCheck
from xinyong.checks.rules import ASSIST_DEADLINE
from xinyong.core import clock
from xinyong.core.calendar import WorkingCalendar, WorkingDays
from xinyong.core.errors import PlatformError
from xinyong.core.spreadsheet import write_xlsx
from xinyong.measures.services import officer_of

S = AssistRequest.State
MACHINE = StateMachine(
    "assist",
    {str(value): str(label) for value, label in S.choices},
    [Transition("answer", "答复协查", frozenset({S.SENT}), S.ANSWERED, Action.ANSWER_ASSIST)],
)
KIT = CaseKit(
    AssistRequest,
    MACHINE,
    audit_prefix="assist",
    object_type="assist_request",
    object_id=lambda r: r.number,
    url_name="checks:assist",
    url_args=lambda r: [r.pk],
    audit_detail=lambda r: {"number": r.number, "batch": r.batch.number},
)
OVERDUE_JOB = Job("checks assist overdue", "协查逾期标记任务")
NO_RECORD = "经核查无违法违规记录"


def departments_for(domain: Domain) -> list[Provider]:
    """The departments that report in ``domain``: who a 协查 for it goes to."""
    ids = ProviderGrant.objects.filter(domain=domain).values("provider_id")
    return list(Provider.objects.filter(pk__in=ids, active=True).order_by("name"))


def send(user: User, batch: BatchCheck, domain: Domain, provider: Provider) -> AssistRequest:
    """The checking unit asks ``provider`` to check the batch's subjects in ``domain``."""
    officer = officer_of(user)
    if batch.unit_id != officer.unit_id or batch.state != BatchCheck.State.DONE:
        raise PlatformError(errors.NOT_READY, state=batch.get_state_display())
    if provider not in departments_for(domain):
        raise PlatformError(
            errors.ASSIST_WRONG_DEPARTMENT, field="provider", provider=provider.name, domain=domain.name
        )
    at = clock.now()
    rule = ASSIST_DEADLINE.on(clock.local_date(at))
    due = WorkingDays(rule.value).due(clock.local_date(at), WorkingCalendar.load())
    with transaction.atomic():
        count = AssistRequest.objects.filter(batch=batch).count()
        request = AssistRequest.objects.create(
            number=f"{batch.number}-{count + 1:02d}", batch=batch, subject_code=batch.unit.code, provider=provider,
            domain=domain, codes=[code for _, code, _ in batch.subjects], sent_at=at, due=due, rule=rule.ref,
        )  # fmt: skip
        KIT.event(request, "send", "发起协查", actor=officer, note=f"答复期限 {due}（{rule.value} 个工作日）")
        KIT.audit(request, "send", actor=officer, provider=provider.code, due=due.isoformat())
        KIT.notify(provider.staff.filter(is_active=True), request, title=f"协查请求 {request.number}",
                   body=f"{batch.unit.name}请求协查 {len(request.codes)} 个主体（{domain.name}），请于 {due} 前答复。")  # fmt: skip
    return request


def parse_findings(text: str, codes: set[str]) -> dict[str, str]:
    """``代码,情况`` per line (a comma, a full-width comma or a tab); refuses a code not in the request."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("，", ",").replace("\t", ",").split(",", 1)]
        if len(parts) < 2 or not parts[1] or parts[0].upper() not in codes:
            raise PlatformError(
                errors.ASSIST_FINDING_INVALID, field="findings", row=number, number=number, line=line[:60]
            )
        found[parts[0].upper()] = parts[1][:500]
    return found


def answer(user: User, request: AssistRequest, *, findings: dict[str, str], note: str = "") -> AssistRequest:
    """The department answers: findings for the subjects it has records on; the others have none."""
    with transaction.atomic():
        step = KIT.claim(request, "answer", user)
        if user.provider_id != request.provider_id:
            raise PlatformError(
                errors.ASSIST_WRONG_DEPARTMENT, provider=request.provider.name, domain=request.domain.name
            )
        request.findings, request.note, request.answered_at = findings, note[:2000], clock.now()
        KIT.move(request, step, actor=user, note=note, fields=["findings", "note", "answered_at"])
        KIT.audit(request, "answer", actor=user, findings=len(findings))
        add_to_sheet(request)
        KIT.notify([request.batch.officer], request, title=f"协查已答复 {request.number}",
                   body=f"{request.provider.name}已答复，核查结果表已更新。", link=batch_link(request))  # fmt: skip
    return request


def add_to_sheet(request: AssistRequest) -> None:
    """Rewrites the batch's result sheet with this department's answer in one more column."""
    source = Path(request.batch.sheet_path)
    old = openpyxl.load_workbook(source, read_only=True)
    by_code, asked = request.findings, set(request.codes)
    label = f"协查答复（{request.provider.name}，{request.domain.name}）"

    def rows() -> Iterator[list[object]]:
        for index, row in enumerate(old.worksheets[0].iter_rows(values_only=True)):
            values = list(row)
            if index == 1:
                values.append(label)
            elif index > 1:
                code = str(values[1] or "")
                values.append(by_code.get(code, NO_RECORD) if code in asked else "")
            yield values

    temporary = source.with_suffix(".tmp.xlsx")
    try:
        with temporary.open("wb") as handle:
            write_xlsx(handle, "核查结果", rows())
    finally:
        old.close()
    temporary.replace(source)


def batch_link(request: AssistRequest) -> str:
    """The checking unit's page for the request (the case page is the department's)."""
    return reverse("checks:batch", args=[request.batch_id])


def flag_overdue_assists(today: dt.date | None = None) -> list[AssistRequest]:
    """Flags unanswered requests past their deadline, once each, and tells both sides."""
    today = today or clock.today()
    due = AssistRequest.objects.filter(state=S.SENT, overdue_at__isnull=True, due__lt=today).select_related(
        "batch"
    )

    def act(request: AssistRequest) -> None:
        KIT.event(request, "overdue", "逾期未答复", actor=OVERDUE_JOB, note=f"答复期限 {request.due} 已过")
        KIT.audit(request, "overdue", actor=OVERDUE_JOB, due=request.due.isoformat())
        title, body = f"协查逾期未答复 {request.number}", f"答复期限 {request.due} 已过。"
        KIT.notify(request.provider.staff.filter(is_active=True), request, title=title, body=body)
        KIT.notify([request.batch.officer], request, title=title, body=body, link=batch_link(request))

    return KIT.sweep(
        due,
        still_due=lambda r: Q(state=S.SENT, overdue_at__isnull=True),
        mark=lambda r: {"overdue_at": clock.now()},
        act=act,
    )
