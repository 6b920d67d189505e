"""Objection API (异议) for signed-in accounts: ninja's ``django_auth`` takes the session, as the pages do,
and checks the CSRF token (not signed in: 401 ``auth.required``; no token: 403 ``request.csrf_failed``).

POST /api/v1/objections            a subject objects to one of its records (accepted at once)
POST /api/v1/objections/omissions  a subject objects that a record is missing (遗漏异议, accepted at once)
GET  /api/v1/objections/{number}   the case, to its applicant side, the record's provider, the centre
GET  /api/v1/objections            centre objection handlers: cases by state, overdue only, paged
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from xinyong.accounts.http import session_user
from xinyong.accounts.permissions import Action, allowed
from xinyong.core import clock
from xinyong.core import errors as core_errors
from xinyong.core.api import ErrorEnvelope
from xinyong.core.calendar import Countdown
from xinyong.core.errors import PlatformError
from xinyong.core.paging import PageQuery
from xinyong.disputes import errors, queries, services
from xinyong.disputes.models import Objection
from xinyong.records.models import CreditRecord

router = Router(tags=["异议 objections"], auth=django_auth)
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404, 409, 503): ErrorEnvelope}


#: Text without NUL characters: PostgreSQL refuses them in a query or a text column (a 500 otherwise).
NO_NUL = r"^[^\x00]*$"


class ObjectionIn(Schema):
    record_id: int = Field(description="异议所指信用记录的编号（“我的信用”中每条记录的 record_id）")
    grounds: Literal["error", "omission", "trade_secret", "privacy", "other_rights"] = Field(
        description="error 信息错误 / omission 信息遗漏 / trade_secret 侵犯商业秘密 / privacy 侵犯个人隐私 / "
        "other_rights 侵犯其他合法权益"
    )
    statement: str = Field(description="异议理由", max_length=5000, pattern=NO_NUL)
    requested_correction: str = Field(
        "", description="申请更正的内容（可选）", max_length=5000, pattern=NO_NUL
    )


class OmissionIn(Schema):
    provider: str = Field(
        description="应报送该记录的部门（信息提供单位）全称或统一社会信用代码", max_length=200, pattern=NO_NUL
    )
    kind: str = Field(
        description="信息事项：名称或代码，如“表彰奖励”/commendation、“行政许可”/licence",
        max_length=100,
        pattern=NO_NUL,
    )
    document_number: str = Field("", description="决定书文号或许可编号", max_length=200, pattern=NO_NUL)
    document_date: dt.date = Field(description="决定日期（不得晚于今天）")
    statement: str = Field(description="遗漏情况说明", max_length=5000, pattern=NO_NUL)


class OmissionOut(Schema):
    provider_code: str
    kind: str = Field(description="信息事项代码")
    document_number: str
    document_date: dt.date
    added_record_id: int | None = Field(
        description="部门补录的记录（已报送时），按部门 + 文号匹配；列表中仅显示已由补录核对任务关联的"
    )


class DeadlinesOut(Schema):
    compare_due: dt.date
    provider_due: dt.date | None
    process_due: dt.date | None
    overall_due: dt.date
    rule: str = Field(description="时限依据规则 id@version")
    step_due: dt.date | None
    step_remaining_working_days: int | None = Field(
        description="本环节剩余工作日（0 为今日到期；逾期为 null）"
    )
    overall_remaining_working_days: int | None
    overdue: bool


class EventOut(Schema):
    at: dt.datetime
    action: str
    actor: str
    state: str
    note: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class ObjectionOut(Schema):
    number: str = Field(description="异议编号，YY + 受理日期 + 当日序号，例如 YY20261122-0001")
    subject_code: str
    record_id: int | None = Field(description="异议所指记录；遗漏异议为 null，见 omission")
    record_key: str | None
    omission: OmissionOut | None = Field(description="遗漏异议所述的记录（对已有记录的异议为 null）")
    provider: str
    version_objected: int | None
    grounds: str
    statement: str
    requested_correction: str
    state: Literal["accepted", "forwarded", "answered", "closed"]
    state_label: str
    accepted_at: dt.datetime
    deadlines: DeadlinesOut
    provider_answer: str = Field(
        description="confirmed / corrected / revoke；遗漏异议 supplied 已报送补录 / declined 不予补录；未反馈为空"
    )
    provider_reasons: str
    corrected_version: int | None
    outcome: str = Field(
        description="corrected 更正 / revoked 撤销 / maintained 维持；遗漏异议 added 已补录 / not_added 不予补录；"
        "未办结为空"
    )
    outcome_reasons: str
    closed_at: dt.datetime | None
    escalated_at: dt.datetime | None
    events: list[EventOut]
    attachments: list[AttachmentOut]


class ObjectionPage(Schema):
    page: int
    pages: int
    count: int
    items: list[ObjectionOut]


def _remaining(countdown: Countdown | None) -> int | None:
    """Working days left (0: due today); None once overdue, for a closed case, or without a calendar."""
    if countdown is None or countdown.days is None or countdown.overdue:
        return None
    return countdown.days


def _out(row: queries.CaseRow, *, with_history: bool = True) -> dict[str, Any]:
    o = row.objection
    # The case looks the arrived record up when read; the list shows only what the arrivals job linked
    # (one query per page, not per case).
    arrived_id = o.added_record_id
    if with_history and arrived_id is None and o.is_omission:
        arrived = o.arrived_record()
        arrived_id = arrived.pk if arrived is not None else None
    omission = (
        None
        if o.record is not None
        else {
            "provider_code": o.provider.code,
            "kind": o.omitted_kind_code,
            "document_number": o.omitted_key,
            "document_date": o.omitted_date,
            "added_record_id": arrived_id,
        }
    )
    return {
        "number": o.number, "subject_code": o.subject_code, "record_id": o.record_id,
        "record_key": o.record.key if o.record is not None else None, "omission": omission,
        "provider": o.provider.name, "version_objected": o.version_objected, "grounds": o.grounds,
        "statement": o.statement, "requested_correction": o.requested_correction, "state": o.state,
        "state_label": o.get_state_display(), "accepted_at": o.accepted_at,
        "deadlines": {
            "compare_due": o.compare_due, "provider_due": o.provider_due, "process_due": o.process_due,
            "overall_due": o.overall_due, "rule": o.deadline_rule, "step_due": o.step_due(),
            "step_remaining_working_days": _remaining(row.step),
            "overall_remaining_working_days": _remaining(row.overall),
            "overdue": row.overdue,
        },
        "provider_answer": o.provider_answer, "provider_reasons": o.provider_reasons,
        "corrected_version": o.corrected_version, "outcome": o.outcome, "outcome_reasons": o.outcome_reasons,
        "closed_at": o.closed_at, "escalated_at": o.escalated_at,
        "events": [
            {"at": e.at, "action": e.action, "actor": e.actor_name, "state": e.to_state, "note": e.note}
            for e in (queries.timeline(o) if with_history else [])
        ],
        "attachments": [
            {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256}
            for a in (o.attachments.order_by("pk") if with_history else [])
        ],
    }  # fmt: skip


@router.post("/objections", response={201: ObjectionOut, **ERRORS}, summary="提出异议（信用主体）")
def file_objection(request: HttpRequest, payload: ObjectionIn) -> Status[dict[str, Any]]:
    user = session_user(request)
    if not allowed(user, Action.FILE_OBJECTION):
        raise PlatformError(errors.NOT_ALLOWED)
    # Another subject's record answers as an unknown one does: no hint that it exists.
    record = CreditRecord.objects.filter(pk=payload.record_id, subject_code=user.subject_code).first()
    if record is None:
        raise PlatformError(core_errors.NOT_FOUND, field="record_id")
    objection = services.file_objection(
        actor=user,
        record=record,
        grounds=payload.grounds,
        statement=payload.statement,
        requested_correction=payload.requested_correction,
    )
    [row] = queries.with_countdowns([queries.case_for(user, objection.number)])
    return Status(201, _out(row))


@router.post(
    "/objections/omissions",
    response={201: ObjectionOut, **ERRORS},
    summary="报告信息遗漏（信用主体，遗漏异议）",
)
def file_omission(request: HttpRequest, payload: OmissionIn) -> Status[dict[str, Any]]:
    user = session_user(request)
    objection = services.file_omission(actor=user, **payload.model_dump())
    [row] = queries.with_countdowns([queries.case_for(user, objection.number)])
    return Status(201, _out(row))


@router.get("/objections/{number}", response={200: ObjectionOut, **ERRORS}, summary="异议办理情况")
def objection(request: HttpRequest, number: str) -> dict[str, Any]:
    user = session_user(request)
    case = queries.case_for(user, number)
    services.record_read(case, reader=user)
    [row] = queries.with_countdowns([case])
    return _out(row)


class ListFilter(PageQuery):
    state: Literal["", "open", "accepted", "forwarded", "answered", "closed"] = ""
    overdue: bool = False


@router.get("/objections", response={200: ObjectionPage, **ERRORS}, summary="异议列表（信用中心）")
def objections(request: HttpRequest, filters: Query[ListFilter]) -> dict[str, Any]:
    user = session_user(request)
    if not allowed(user, Action.HANDLE_OBJECTIONS):
        raise PlatformError(errors.NOT_ALLOWED)
    cases = queries.visible_to(user)
    if filters.state == "open":
        cases = cases.exclude(state=Objection.State.CLOSED)
    elif filters.state:
        cases = cases.filter(state=filters.state)
    if filters.overdue:
        cases = queries.overdue(cases, clock.today())
    paginator = Paginator(cases.order_by("overall_due", "pk"), filters.per_page)
    page = paginator.get_page(filters.page)
    rows = queries.with_countdowns(list(page.object_list))
    return {
        "page": page.number,
        "pages": paginator.num_pages,
        "count": paginator.count,
        "items": [_out(r, with_history=False) for r in rows],
    }
