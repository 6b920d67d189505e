"""Evaluation API: a subject's grade (``GET /subjects/{code}/evaluation``) and a department's spot-check
list (``GET /spot-checks/{department}``). Neither is public."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.security import SessionAuth
from pydantic import Field

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor
from xinyong.catalog.api import ProviderKey
from xinyong.catalog.models import Provider
from xinyong.core.api import ErrorEnvelope
from xinyong.core.errors import FORBIDDEN, PlatformError
from xinyong.evaluation.queries import evaluation_for
from xinyong.evaluation.spot_checks import department, parse_grades, spot_check_list

router = Router(tags=["信用评价 evaluation"])
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404): ErrorEnvelope}


class IndicatorOut(Schema):
    code: str
    name: str
    count: int = Field(description="计入的记录数（部门数指标为部门数）")
    points: int = Field(description="对得分的贡献")
    record_ids: list[int] = Field(description="计入该指标的信用记录 id")
    hint: str = Field(description="仅本主体与信用中心可见：如完成信用修复等，预计等级的变化")


class EvaluationOut(Schema):
    subject_code: str
    subject_name: str
    grade: str = Field(description="A / B / C / D")
    grade_name: str
    score: int
    model: str = Field(description="评价模型 id@version")
    model_title: str
    evaluated_on: dt.date = Field(description="得出该结果的评价日")
    override: str = Field(description="决定等级的调整规则（如列入严重失信主体名单评为D级），无则为空")
    indicators: list[IndicatorOut]
    tags: list[str] = Field(description="信用标签")
    basis: str = Field(description="查看依据：self / staff / purpose")


def _signed_in(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


@router.get(
    "/subjects/{code}/evaluation",
    response={200: EvaluationOut, **ERRORS},
    summary="信用主体的公共信用综合评价",
)
def evaluation(request: HttpRequest, code: str, purpose: str = "") -> dict[str, Any]:
    view = evaluation_for(_signed_in(request), code, purpose)
    out = asdict(view)
    out["tags"] = [name for _, name in view.tags]
    return out


class SpotCheckQuery(Schema):
    grades: str = Field("", max_length=20, description="如 A,B；空为全部等级")
    seed: str = Field("", max_length=64, description="随机种子；空则随机生成并记录")
    tag: str = Field("", max_length=40, description="只列出带该信用标签的主体")


class CandidateOut(Schema):
    order: int = Field(description="在本等级中的抽取顺位")
    subject_code: str
    name: str
    grade: str
    score: int
    tags: list[str]
    drawn: bool


class SpotCheckOut(Schema):
    department: str
    day: dt.date
    seed: str = Field(description="随机种子：同一种子、同一名单，抽取结果相同")
    grades: list[str]
    tag: str
    percents: dict[str, int] = Field(description="各等级抽查比例（%）")
    rule: str
    candidates: list[CandidateOut]


@router.get(
    "/spot-checks/{department_code}",
    response={200: SpotCheckOut, **ERRORS},
    auth=[ProviderKey(), SessionAuth()],
    summary="按信用等级的双随机抽查名单",
)
def spot_checks(request: HttpRequest, department_code: str, params: Query[SpotCheckQuery]) -> dict[str, Any]:
    who: User | Provider = request.auth  # type: ignore[attr-defined]
    provider = department(department_code)
    own = who.pk == provider.pk if isinstance(who, Provider) else who.provider_id == provider.pk
    if not allowed(who, Action.SPOT_CHECKS) or not (own or (isinstance(who, User) and who.is_centre_staff)):
        raise PlatformError(FORBIDDEN)
    actor = Actor.of_provider(who) if isinstance(who, Provider) else Actor.of_user(who)
    result = spot_check_list(
        provider, grades=parse_grades(params.grades), seed=params.seed, tag=params.tag, actor=actor
    )
    return {
        "department": provider.code, "day": result.day, "seed": result.seed, "grades": result.grades,
        "tag": result.tag, "percents": result.percents, "rule": result.rule,
        "candidates": [{**asdict(c), "tags": [t for t in c.tags.split(",") if t]} for c in result.candidates],
    }  # fmt: skip
