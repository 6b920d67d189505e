"""Repair API (信用修复) for signed-in accounts (session; CSRF on POST): eligibility of one's own record,
filing an application, reading a case. Same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from xinyong.accounts.http import session_user
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.core import clock, errors
from xinyong.core.api import ErrorEnvelope
from xinyong.core.calendar import WorkingCalendar, countdown
from xinyong.core.errors import PlatformError
from xinyong.disclosure.queries import own_record
from xinyong.records.models import CreditRecord
from xinyong.repairs import services
from xinyong.repairs.eligibility import eligibility
from xinyong.repairs.models import RepairApplication
from xinyong.repairs.workflow import MACHINE

router = Router(tags=["信用修复 repairs"], auth=django_auth)
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404, 409, 503): ErrorEnvelope}


class EligibilityOut(Schema):
    record: int
    eligible: bool
    reasons: list[str] = Field(description="为何可以或不可以申请，每条一句")
    earliest: dt.date | None = Field(description="最早可申请日；不可修复时为空")
    rules: list[str] = Field(description="所依据的规则 id@version")
    offered: bool = Field(description="是否属于本市信用修复事项；否：由作出决定的机关移出（如失信被执行人）")


class ApplyIn(Schema):
    record: int
    obligations_statement: str = Field(
        max_length=services.MAX_STATEMENT_CHARS, description="履行法定义务、纠正失信行为的说明"
    )
    committed: bool = Field(description="已阅读信用修复承诺书并承诺（我已阅读并承诺）")


class EventOut(Schema):
    at: dt.datetime
    label: str
    actor: str
    note: str


class ApplicationOut(Schema):
    number: str
    state: str
    state_label: str
    record: int
    subject_code: str
    filed_on: dt.date
    city_due: dt.date
    provincial_due: dt.date
    overall_due: dt.date
    deadline_rule: str
    countdown: str | None = Field(description="当前环节：剩余 N 个工作日 / 今日到期 / 已逾期 N 个工作日")
    eligibility_reasons: list[str]
    eligibility_rules: list[str]
    commitment_text: str
    decision_reasons: str
    stops_sharing: bool | None
    stops_sharing_rule: str
    previous: str | None
    events: list[EventOut]


def _out(application: RepairApplication) -> dict[str, Any]:
    due = application.step_due()
    today = clock.today()
    return {
        "number": application.number, "state": application.state, "state_label": MACHINE.states[application.state],
        "record": application.record_id, "subject_code": application.subject_code, "filed_on": application.filed_on,
        "city_due": application.city_due, "provincial_due": application.provincial_due,
        "overall_due": application.overall_due, "deadline_rule": application.deadline_rule,
        "countdown": countdown(due, today, WorkingCalendar.load()).text if due else None,
        "eligibility_reasons": application.eligibility_reasons, "eligibility_rules": application.eligibility_rules,
        "commitment_text": application.commitment_text, "decision_reasons": application.decision_reasons,
        "stops_sharing": application.stops_sharing, "stops_sharing_rule": application.stops_sharing_rule,
        "previous": application.previous.number if application.previous else None,
        "events": [
            {"at": e.at, "label": e.label, "actor": e.actor_name, "note": e.note} for e in application.events.all()
        ],
    }  # fmt: skip


def _own_record(user: User, record_id: int) -> CreditRecord:
    record = own_record(user, record_id) if allowed(user, Action.REPAIRS_APPLY) else None
    if record is None:
        raise PlatformError(errors.NOT_FOUND, field="record")
    return record


@router.get("/repairs/eligibility", response={200: EligibilityOut, **ERRORS}, summary="可否申请信用修复")
def eligibility_of(request: HttpRequest, record: int) -> dict[str, Any]:
    result = eligibility(_own_record(session_user(request), record), clock.today())
    return {"record": record, **result.__dict__}


@router.post("/repairs", response={201: ApplicationOut, **ERRORS}, summary="提交信用修复申请")
def apply(request: HttpRequest, payload: ApplyIn) -> Status[dict[str, Any]]:
    user = session_user(request)
    application = services.apply_for_repair(
        _own_record(user, payload.record), actor=user, obligations_statement=payload.obligations_statement,
        committed=payload.committed,
    )  # fmt: skip
    return Status(201, _out(application))


@router.get("/repairs/{number}", response={200: ApplicationOut, **ERRORS}, summary="信用修复申请办理情况")
def case(request: HttpRequest, number: str) -> dict[str, Any]:
    user = session_user(request)
    application = RepairApplication.objects.select_related("previous").filter(number=number).first()
    own = application is not None and application.subject_code == user.subject_code
    if application is None or not (
        (own and allowed(user, Action.REPAIRS_APPLY)) or allowed(user, Action.REPAIRS_VIEW_ALL)
    ):
        raise PlatformError(errors.NOT_FOUND, field="number")
    services.record_view(application, user)
    return _out(application)
