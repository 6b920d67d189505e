"""Public API over the disclosure read path: a subject's records and the 双公示 lists.

What a caller sees follows its credentials: anonymous callers get the public view; a signed-in
account gets what its basis allows (``purpose`` for government units), on the audit trail, and the
public view when it has none (``subject_page``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from xinyong.accounts.models import User
from xinyong.core.api import ErrorEnvelope
from xinyong.disclosure.queries import SubjectView, public_records, subject_page

router = Router(tags=["公示 disclosure"])
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 403, 404, 429): ErrorEnvelope}


class RecordOut(Schema):
    record_id: int
    kind: str
    kind_name: str
    category: str
    domain: str
    key: str
    decision_date: dt.date
    version: int
    provider: str
    state: str = Field(description="公示中 / 公示期满 / 已修复 / 异议处理中 …")
    explanation: str = Field(description="公示期与依据，例如“公示至 2027-03-01，依据……”")
    fields: dict[str, str]


class SubjectOut(Schema):
    code: str = Field(description="统一社会信用代码；自然人的身份证号码按规定遮蔽")
    name: str
    kind: str
    audience: str
    records: list[RecordOut]


def _out(view: SubjectView) -> dict[str, Any]:
    return {
        "code": view.code, "name": view.name, "kind": view.kind, "audience": view.audience.value,
        "records": [{**r.__dict__, "fields": dict(r.fields)} for r in view.records],
    }  # fmt: skip


def _signed_in(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


@router.get("/subjects/{code}", response={200: SubjectOut, **ERRORS}, summary="信用主体的信用信息")
def subject(request: HttpRequest, code: str, purpose: str = "") -> dict[str, Any]:
    return _out(subject_page(_signed_in(request), code, purpose))


class ListedOut(Schema):
    record_id: int
    subject_code: str
    subject_name: str
    key: str
    domain: str
    decision_date: dt.date
    publish_until: dt.date | None
    explanation: str


class ListedPage(Schema):
    page: int
    pages: int
    total: int
    items: list[ListedOut]


class ListFilters(Schema):
    domain: int | None = Field(None, ge=1, le=99, description="领域序号")
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)


@router.get(
    "/publicity/{which}", response={200: ListedPage, **ERRORS}, summary="双公示：最新行政处罚、行政许可"
)
def publicity(
    request: HttpRequest, which: Literal["penalties", "licences"], filters: Query[ListFilters]
) -> dict[str, Any]:
    kind = {"penalties": "penalty", "licences": "licence"}[which]
    page = public_records(
        kind,
        domain=filters.domain,
        since=filters.since,
        until=filters.until,
        page=filters.page,
        per_page=filters.per_page,
    )
    return {
        "page": page.number, "pages": page.paginator.num_pages, "total": page.paginator.count,
        "items": [
            {
                "record_id": r.pk, "subject_code": r.subject.public_code, "subject_name": r.subject.public_name,
                "key": r.key, "domain": r.domain.name, "decision_date": r.decision_date,
                "publish_until": r.publish_until, "explanation": r.publication_note,
            }
            for r in page.object_list
        ],
    }  # fmt: skip
