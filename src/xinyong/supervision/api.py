"""Risk warnings and interviews API (信用风险预警、约谈). Government unit officers and centre staff read
warnings with their signed-in session (a provider's staff: the warnings with a record of their
department); the department's people (session, CSRF-checked) or its system (provider key) record
interviews on a warning in which the department has a record. Everyone else: 403."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.security import SessionAuth
from pydantic import Field

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.catalog.api import ProviderKey
from xinyong.catalog.models import Provider
from xinyong.core.api import ErrorEnvelope
from xinyong.core.errors import FORBIDDEN, NOT_FOUND, PlatformError
from xinyong.core.paging import SliceQuery
from xinyong.supervision import interviews, queries
from xinyong.supervision.models import Interview, RiskWarning

router = Router(tags=["信用风险预警 risk warnings"], auth=[ProviderKey(), SessionAuth()])
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404, 409, 422): ErrorEnvelope}


class WarningOut(Schema):
    id: int
    subject_code: str
    rule: str = Field(description="预警规则 id@version")
    title: str = Field(description="预警条件")
    measured: int = Field(description="发出时的计数")
    threshold: int
    window_start: dt.date | None = Field(description="统计起始日；空：在列名单不限时间")
    window_end: dt.date
    raised_at: dt.datetime
    explanation: str
    state: Literal["standing", "withdrawn"]
    withdrawn_at: dt.datetime | None
    withdrawal_note: str
    departments: list[str] = Field(description="有记录的执法部门的统一社会信用代码")
    records: list[int] = Field(description="触发预警的记录 id")

    @staticmethod
    def of(w: RiskWarning) -> dict[str, Any]:
        return {
            "id": w.pk, "subject_code": w.subject_code, "rule": w.rule, "title": w.title, "measured": w.measured,
            "threshold": w.threshold, "window_start": w.window_start, "window_end": w.window_end,
            "raised_at": w.raised_at, "explanation": w.explanation, "state": w.state, "withdrawn_at": w.withdrawn_at,
            "withdrawal_note": w.withdrawal_note, "departments": sorted(d.code for d in w.departments.all()),
            "records": sorted(r.pk for r in w.records.all()),
        }  # fmt: skip


class WarningFilter(Schema):
    department: str = Field("", max_length=18, description="执法部门（信息提供单位）统一社会信用代码")
    state: Literal["", "standing", "withdrawn"] = Field("", description="standing 预警中 / withdrawn 已撤回")


class InterviewIn(Schema):
    type: Literal["reminder", "caution"] = Field(description="reminder 提示约谈 / caution 警示约谈")
    held_on: dt.date = Field(description="约谈日期")
    place: str = Field(description="约谈地点", min_length=1, max_length=200)
    attendees: str = Field(description="参加人员", min_length=1, max_length=1000)
    obligations: str = Field(description="督促履行的义务", min_length=1, max_length=4000)
    deadline: dt.date = Field(description="整改期限（逢节假日顺延至其后第一个工作日）")


class InterviewOut(Schema):
    id: int
    number: str
    warning_id: int | None
    subject_code: str
    department: str
    type: str
    held_on: dt.date
    deadline: dt.date
    due_on: dt.date
    state: str
    state_label: str
    record_id: int | None

    @staticmethod
    def of(i: Interview) -> dict[str, Any]:
        return {
            "id": i.pk, "number": i.number, "warning_id": i.warning_id, "subject_code": i.subject_code,
            "department": i.department.code, "type": i.type, "held_on": i.held_on, "deadline": i.deadline,
            "due_on": i.due_on, "state": i.state, "state_label": i.get_state_display(), "record_id": i.record_id,
        }  # fmt: skip


def _actor(request: HttpRequest) -> User | Provider:
    actor = request.auth  # type: ignore[attr-defined]
    assert isinstance(actor, User | Provider)
    return actor


@router.get(
    "/warnings", response={200: list[WarningOut], **ERRORS}, summary="信用风险预警列表（政府部门、信用中心）"
)
def warnings(
    request: HttpRequest,
    window: Query[SliceQuery],
    filters: Query[WarningFilter],
) -> list[dict[str, Any]]:
    actor = _actor(request)
    if isinstance(actor, Provider) or not allowed(actor, Action.VIEW_RISK_WARNINGS):
        raise PlatformError(FORBIDDEN)
    found = queries.filtered(
        queries.visible_warnings(actor), department=filters.department, state=filters.state
    )
    page = found.prefetch_related("departments", "records")[window.offset : window.end]
    return [WarningOut.of(w) for w in page]


@router.post(
    "/warnings/{warning_id}/interviews",
    response={201: InterviewOut, **ERRORS},
    summary="就信用风险预警录入约谈",
)
def interview(request: HttpRequest, warning_id: int, payload: InterviewIn) -> Status[dict[str, Any]]:
    actor = _actor(request)
    if not allowed(actor, Action.RECORD_INTERVIEWS):
        raise PlatformError(FORBIDDEN)
    found = RiskWarning.objects.select_related("subject").filter(pk=warning_id).first()
    if found is None:
        raise PlatformError(NOT_FOUND)
    done = interviews.record_interview(actor=actor, warning=found, **payload.dict())
    return Status(201, InterviewOut.of(done))
