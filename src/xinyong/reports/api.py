"""Report API: request a report, download its PDF, verify one by number and code or by file.

Requesting and downloading need a signed-in account (session, with the CSRF token on POST): the subject
itself, a holder of the subject's authorisation, or a government unit stating a legal purpose.
Verification is public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import Field

from xinyong.accounts.http import session_user
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor
from xinyong.core.api import ErrorEnvelope
from xinyong.core.errors import FORBIDDEN, NOT_FOUND, PlatformError
from xinyong.reports import errors, services
from xinyong.reports import financial_list as entries
from xinyong.reports.content import verify_url
from xinyong.reports.models import FinancialListEntry, Report
from xinyong.reports.queries import Verification, verify_by_number, verify_file
from xinyong.subjects.codes import normalise

router = Router(tags=["信用报告 reports"])
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404, 409, 410, 429): ErrorEnvelope}
#: A report PDF is a few hundred kilobytes; anything much larger is not one of ours.
MAX_UPLOAD_MB = 10


class ReportIn(Schema):
    subject: str = Field(description="统一社会信用代码或身份证号码")
    edition: Literal["special", "financial", "full"] = "special"
    years: int = Field(3, description="查询年限（年），须为规则 report.period 允许的年数之一")
    purpose: str = Field("", description="政府部门依法查询时的查询事由代码")


class ReportOut(Schema):
    number: str
    verification_code: str
    edition: str
    state: str = Field(description="awaiting 待部门确认 / issued 已出具 / revoked 已作废")
    subject_name: str
    period_from: dt.date
    period_to: dt.date
    issued_at: dt.datetime | None
    pdf: str = Field(description="PDF 下载地址（需登录）")
    verify: str = Field(description="公开核验地址")


class VerificationOut(Schema):
    status: str = Field(description="authentic / superseded / revoked / awaiting / tampered / unknown")
    label: str
    number: str
    edition: str
    subject_name: str
    subject_code: str = Field(description="报告所载主体代码（自然人身份证号已遮蔽）")
    issued_at: dt.datetime | None
    period: str
    sha256: str
    since: dt.datetime | None = Field(description="被更新或作废的时间")
    problem: str


def _out(report: Report) -> dict[str, Any]:
    return {
        "number": report.number, "verification_code": report.verification_code, "edition": report.edition,
        "state": report.state, "subject_name": report.subject_name, "period_from": report.period_from,
        "period_to": report.period_to, "issued_at": report.issued_at,
        "pdf": f"/api/v1/reports/{report.number}/pdf", "verify": verify_url(report),
    }  # fmt: skip


def _verification(answer: Verification) -> dict[str, Any]:
    return answer.__dict__


@router.post("/reports", response={201: ReportOut, **ERRORS}, summary="申请信用报告", auth=django_auth)
def create(request: HttpRequest, body: ReportIn) -> Status[Any]:
    user = session_user(request)
    report = services.request_report(
        services.Requester(user, user.get_username()),
        normalise(body.subject),
        edition=body.edition,
        years=body.years,
        purpose=body.purpose,
    )
    return Status(201, _out(report))


@router.get("/reports/verify", response={200: VerificationOut, **ERRORS}, summary="按报告编号和验证码核验")
def verify(request: HttpRequest, number: str = "", code: str = "") -> dict[str, Any]:
    return _verification(verify_by_number(number, code))


@router.post("/reports/verify", response={200: VerificationOut, **ERRORS}, summary="上传报告 PDF 核验")
def verify_upload(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    if file.size is None or file.size > MAX_UPLOAD_MB * 1024 * 1024:
        raise PlatformError(errors.NOT_A_PDF, field="file", mb=MAX_UPLOAD_MB)
    return _verification(verify_file(file.read()))


class FinancialListEntryIn(Schema):
    subject_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="企业名称")
    reason: str = Field("", description="列入事由，如拟上市挂牌、再融资、并购")


class FinancialListEntryOut(Schema):
    subject_code: str
    name: str
    reason: str
    active: bool
    added_at: dt.datetime


def _financial_bureau(request: HttpRequest) -> User:
    user = session_user(request)
    if not allowed(user, Action.MANAGE_FINANCIAL_LIST):
        raise PlatformError(FORBIDDEN)
    return user


@router.get(
    "/reports/financial-list",
    response={200: list[FinancialListEntryOut], **ERRORS},
    summary="金融专用版企业名单（金融工作部门）",
    auth=django_auth,
)
def financial_list(request: HttpRequest, active: bool | None = None) -> list[FinancialListEntry]:
    _financial_bureau(request)
    entries = FinancialListEntry.objects.order_by("subject_code")
    return list(entries if active is None else entries.filter(active=active))


@router.post(
    "/reports/financial-list",
    response={200: FinancialListEntryOut, **ERRORS},
    summary="列入金融专用版企业名单（金融工作部门）",
    auth=django_auth,
)
def financial_list_put(request: HttpRequest, body: FinancialListEntryIn) -> FinancialListEntry:
    user = _financial_bureau(request)
    return entries.put_entry(body.subject_code, body.name, body.reason, actor=Actor.of_user(user))


@router.delete(
    "/reports/financial-list/{code}",
    response={200: FinancialListEntryOut, **ERRORS},
    summary="移出金融专用版企业名单（金融工作部门）",
    auth=django_auth,
)
def financial_list_remove(request: HttpRequest, code: str) -> FinancialListEntry:
    user = _financial_bureau(request)
    return entries.remove_entry(code, actor=Actor.of_user(user))


def _own_report(request: HttpRequest, number: str) -> tuple[User, Report]:
    user = session_user(request)
    report = Report.objects.filter(number=number).first()
    if report is None or not services.may_download(user, report):
        raise PlatformError(NOT_FOUND, field="number")
    return user, report


@router.get("/reports/{number}", response={200: ReportOut, **ERRORS}, summary="报告信息", auth=django_auth)
def detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return _out(services.settle(_own_report(request, number)[1]))


@router.get("/reports/{number}/pdf", response={200: None, **ERRORS}, summary="下载报告 PDF", auth=django_auth)
def pdf(request: HttpRequest, number: str) -> HttpResponse:
    user, report = _own_report(request, number)
    data = services.download(report, actor=services.Requester(user, user.get_username()))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response
