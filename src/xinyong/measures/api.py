"""Joint rewards and punishments API (联合奖惩): the measure catalogue (public), the counter check
(嵌入式核查) and the officer's feedback. Checks are for unit officers, signed in (CSRF-checked writes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import SessionAuth
from pydantic import Field

from xinyong.accounts.http import session_user
from xinyong.core import clock
from xinyong.core.api import ErrorEnvelope
from xinyong.core.errors import NOT_FOUND, PlatformError
from xinyong.measures import services
from xinyong.measures.evaluation import measures_in_force
from xinyong.measures.models import Check, Measure, Scenario

router = Router(tags=["联合奖惩 joint measures"])
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404, 409): ErrorEnvelope}


class MeasureOut(Schema):
    ref: str = Field(description="措施代码@版本")
    name: str
    direction: str = Field(description="punishment 失信惩戒 / reward 守信激励")
    kind: str = Field(
        description="prohibit/restrict/scrutiny/green_channel/tolerance/fewer_inspections/priority"
    )
    instruction: str = Field(description="核查人员应当如何处理")
    triggers: list[dict[str, Any]]
    extends_to_persons: bool
    person_roles: list[str]
    basis: str
    national_item: str
    effective_from: dt.date
    effective_to: dt.date | None


class ScenarioOut(Schema):
    code: str
    name: str
    purpose: str = Field(description="默认查询事由代码")
    measures: list[MeasureOut]


class ReasonOut(Schema):
    record_id: int
    kind: str
    kind_name: str
    list_name: str
    key: str
    decided: dt.date
    domain: str
    authority: str
    via: str = Field(description="经由所任职组织触发时的说明，如“担任法定代表人的 X 公司”")
    organisation_code: str
    text: str


class AppliedOut(Schema):
    ref: str
    code: str
    name: str
    direction: str
    direction_label: str
    kind: str
    kind_label: str
    instruction: str
    basis: str
    national_item: str
    reasons: list[ReasonOut]


class CheckOut(Schema):
    id: int
    subject_code: str
    subject_name: str
    found: bool = Field(description="平台是否有该主体的信息")
    scenario: str
    purpose: str
    checked_at: dt.datetime
    measures: list[AppliedOut]
    feedback: dict[str, bool] = Field(description="已反馈的措施：措施 → 是否实施")

    @staticmethod
    def of(check: Check) -> dict[str, Any]:
        return {
            "id": check.pk, "subject_code": check.subject_code, "subject_name": check.subject_name,
            "found": check.result["found"], "scenario": check.scenario.code, "purpose": check.purpose,
            "checked_at": check.at, "measures": check.result["measures"],
            "feedback": {f.measure_ref: f.applied for f in check.feedback.all()},
        }  # fmt: skip


class FeedbackIn(Schema):
    measure: str = Field(description="措施代码@版本（核查结果中的 ref）", max_length=80)
    applied: bool
    reason: str = Field("", description="未实施的原因（未实施时必填）", max_length=1000)


class FeedbackOut(Schema):
    check: int
    measure: str
    applied: bool
    reason: str
    at: dt.datetime


@router.get("/measures/scenarios", response={200: list[ScenarioOut]}, summary="联合奖惩措施目录（现行）")
def scenarios(request: HttpRequest, on: dt.date | None = None) -> list[dict[str, Any]]:
    """The scenarios and the measures in force on ``on`` (default today): the published catalogue."""
    day = on or clock.today()
    return [
        {"code": s.code, "name": s.name, "purpose": s.purpose,
         "measures": [_measure(m) for m in measures_in_force(s, day)]}
        for s in Scenario.objects.all()
    ]  # fmt: skip


def _measure(m: Measure) -> dict[str, Any]:
    return {
        "ref": m.ref, "name": m.name, "direction": m.direction, "kind": m.kind, "instruction": m.instruction,
        "triggers": m.triggers, "extends_to_persons": m.extends_to_persons, "person_roles": m.person_roles,
        "basis": m.basis, "national_item": m.national_item, "effective_from": m.effective_from,
        "effective_to": m.effective_to,
    }  # fmt: skip


@router.get("/checks", response={200: CheckOut, **ERRORS}, auth=SessionAuth(), summary="联合奖惩嵌入式核查")
def check(request: HttpRequest, code: str, scenario: str, purpose: str = "") -> dict[str, Any]:
    """The measures of ``scenario`` that apply now to the organisation or person ``code``, each with its
    trigger records, list, legal basis and what the officer must do. Unit officers only, for a legal
    purpose of their unit (``purpose``, data/query_purposes.yaml); recorded on the audit trail and shown
    to the subject under "who looked"."""
    return CheckOut.of(services.check_subject(session_user(request), code[:60], scenario[:60], purpose[:80]))


@router.post(
    "/checks/{check_id}/feedback",
    response={201: FeedbackOut, **ERRORS},
    auth=SessionAuth(),
    summary="反馈奖惩措施实施情况",
)
def feedback(request: HttpRequest, check_id: int, payload: FeedbackIn) -> Status[dict[str, Any]]:
    user = session_user(request)
    found = services.checks_of(user).filter(pk=check_id).first()
    if found is None:
        raise PlatformError(NOT_FOUND)
    given = services.give_feedback(
        user, found, measure=payload.measure, applied=payload.applied, reason=payload.reason
    )
    return Status(
        201, {"check": found.pk, "measure": given.measure_ref, "applied": given.applied,
              "reason": given.reason, "at": given.at},
    )  # fmt: skip
