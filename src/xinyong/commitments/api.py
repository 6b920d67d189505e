"""Commitments API (信用承诺): accepting units record commitments and their outcomes, and ask whether a
subject may use 告知承诺. Provider systems call with their key; unit officers and provider staff with
their signed-in session (CSRF-checked for writes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.security import SessionAuth
from pydantic import Field

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.catalog.api import ProviderKey
from xinyong.catalog.models import Domain, Provider
from xinyong.commitments import errors, queries, services
from xinyong.commitments.eligibility import check_for
from xinyong.commitments.models import Commitment
from xinyong.core import clock
from xinyong.core.api import ErrorEnvelope
from xinyong.core.errors import NOT_FOUND, PlatformError
from xinyong.core.paging import SliceQuery
from xinyong.subjects.codes import normalise

router = Router(tags=["信用承诺 commitments"], auth=[ProviderKey(), SessionAuth()])
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404, 409, 422): ErrorEnvelope}


class EligibilityOut(Schema):
    subject: str
    allowed: bool = Field(description="是否可以适用告知承诺")
    reason: str
    rule: str = Field(description="所依据的规则 id@version")
    blocking: list[str] = Field(description="尚未修复的违诺承诺书编号")
    checked_on: dt.date


class CommitmentIn(Schema):
    subject_code: str = Field(description="统一社会信用代码或居民身份证号码", max_length=40)
    subject_name: str = Field(
        "", description="可省略，按主体登记名称记录；填写时须与登记名称一致", max_length=200
    )
    subject_kind: Literal["organisation", "individual_business", "person"]
    legal_representative: str = Field("", description="法人及非法人组织必填", max_length=100)
    type: str = Field(
        description="承诺类型，如 approval_substitute/notification（规则 commitments.types）", max_length=81
    )
    matter: str = Field(description="承诺事项（事项名称）", max_length=500)
    content: str = Field(description="承诺内容", max_length=4000)
    made_on: dt.date
    deadline: dt.date | None = Field(None, description="践诺期限；审批替代型必填")
    domain: int | None = Field(None, description="领域序号；默认本单位第一个职责领域")


class CommitmentOut(Schema):
    id: int
    number: str
    subject_code: str
    subject_name: str = Field(
        "", description="可省略，按主体登记名称记录；填写时须与登记名称一致", max_length=200
    )
    type: str
    type_name: str
    matter: str
    content: str
    made_on: dt.date
    deadline: dt.date | None
    state: str
    state_label: str
    accepted_by: str
    overdue: bool
    countdown: str
    record_id: int | None
    breach_record_id: int | None
    outcome_note: str

    @staticmethod
    def of(c: Commitment) -> dict[str, Any]:
        today = clock.today()
        left = queries.countdown(c, today)
        return {
            "id": c.pk, "number": c.number, "subject_code": c.subject_code, "subject_name": c.subject_name,
            "type": f"{c.type}/{c.subtype}" if c.subtype else c.type, "type_name": c.type_name,
            "matter": c.matter, "content": c.content, "made_on": c.made_on, "deadline": c.deadline,
            "state": c.state, "state_label": c.get_state_display(), "accepted_by": c.accepted_by,
            "overdue": c.is_overdue_on(today), "countdown": left.text if left else "",
            "record_id": c.record_id, "breach_record_id": c.breach_record_id, "outcome_note": c.outcome_note,
        }  # fmt: skip


class FulfilmentIn(Schema):
    note: str = Field("", description="践诺情况", max_length=4000)


class BreachIn(Schema):
    outcome: Literal["broken", "false"] = Field(description="broken 未践诺 / false 虚假承诺")
    reasons: str = Field(description="违诺情形", max_length=4000)
    document_no: str = Field(description="认定文书号", max_length=128)


def _actor(request: HttpRequest) -> User | Provider:
    actor = request.auth  # type: ignore[attr-defined]
    assert isinstance(actor, User | Provider)
    return actor


def _own(request: HttpRequest, commitment_id: int) -> Commitment:
    found = queries.accepted_by(_actor(request)).filter(pk=commitment_id).first()
    if found is None:
        raise PlatformError(NOT_FOUND)
    return found


@router.get("/commitments/eligibility", response={200: EligibilityOut, **ERRORS}, summary="能否适用告知承诺")
def eligibility(request: HttpRequest, subject: str) -> dict[str, Any]:
    answer = check_for(_actor(request), subject)
    return {"subject": normalise(subject), **asdict(answer), "checked_on": clock.today()}


@router.post("/commitments", response={201: CommitmentOut, **ERRORS}, summary="记录信用承诺")
def create(request: HttpRequest, payload: CommitmentIn) -> Status[dict[str, Any]]:
    domain = None
    if payload.domain is not None:
        domain = Domain.objects.filter(number=payload.domain).first()
        if domain is None:
            raise PlatformError(errors.NO_DOMAIN, field="domain", detail=f"（{payload.domain}）")
    c = services.record_commitment(actor=_actor(request), domain=domain, **payload.dict(exclude={"domain"}))
    return Status(201, CommitmentOut.of(c))


@router.get("/commitments", response={200: list[CommitmentOut], **ERRORS}, summary="信用承诺列表")
def listing(request: HttpRequest, window: Query[SliceQuery], subject: str = "") -> list[dict[str, Any]]:
    """An accepting unit sees the commitments it accepted (of ``subject`` if given); a subject its own."""
    actor = _actor(request)
    if isinstance(actor, User) and allowed(actor, Action.VIEW_OWN_COMMITMENTS):
        found = queries.of_subject(actor.subject_code)
    else:
        found = queries.accepted_by(actor)
        if subject:
            found = found.filter(subject_code=normalise(subject))
    return [CommitmentOut.of(c) for c in found.order_by("-made_on", "-pk")[window.offset : window.end]]


@router.get("/commitments/{commitment_id}", response={200: CommitmentOut, **ERRORS}, summary="信用承诺详情")
def detail(request: HttpRequest, commitment_id: int) -> dict[str, Any]:
    return CommitmentOut.of(_own(request, commitment_id))


@router.post(
    "/commitments/{commitment_id}/fulfilment", response={200: CommitmentOut, **ERRORS}, summary="记录已践诺"
)
def fulfilment(request: HttpRequest, commitment_id: int, payload: FulfilmentIn) -> dict[str, Any]:
    c = services.record_fulfilment(_own(request, commitment_id), actor=_actor(request), note=payload.note)
    return CommitmentOut.of(c)


@router.post(
    "/commitments/{commitment_id}/breach",
    response={200: CommitmentOut, **ERRORS},
    summary="认定未践诺或虚假承诺（自动形成违反信用承诺失信记录）",
)
def breach(request: HttpRequest, commitment_id: int, payload: BreachIn) -> dict[str, Any]:
    c = services.record_breach(
        _own(request, commitment_id),
        actor=_actor(request),
        outcome=payload.outcome,
        reasons=payload.reasons,
        document_no=payload.document_no,
    )
    return CommitmentOut.of(c)
