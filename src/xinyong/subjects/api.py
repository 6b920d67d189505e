"""Public subject search: ``GET /api/v1/subjects?q=``. No authentication; natural persons are never
found, not even by their full ID number (subjects.search, docs/search.md)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from xinyong.core.errors import PlatformError
from xinyong.subjects import errors, search
from xinyong.subjects.models import Subject

router = Router(tags=["信用主体 subjects"])

_KIND_LABELS = dict(Subject.Kind.choices)


class SearchIn(Schema):
    q: str = Field(
        "", max_length=200, description="统一社会信用代码、身份证号码（完整），或名称中至少 2 个字"
    )
    limit: int = Field(20, ge=1, le=search.MAX_LIMIT, description="每页条数，最多 50")
    offset: int = Field(0, ge=0, le=search.MAX_WINDOW, description="跳过的条数；最多翻阅前 500 条")


class SubjectHitOut(Schema):
    code: str = Field(description="统一社会信用代码（自然人不在公开检索结果中）")
    name: str = Field(description="现用名称")
    kind: str = Field(description="organisation | individual_business")
    kind_label: str
    match: Literal["code", "exact", "prefix", "contains"]
    former_name: str | None = Field(description="命中的曾用名（现用名称未命中时）")


class SearchOut(Schema):
    query: str = Field(description="规范化后的检索词")
    hits: list[SubjectHitOut]
    limit: int
    offset: int
    has_more: bool


class ErrorEnvelope(Schema):
    code: str
    field: str | None
    row: int | None
    message: str


# 429: anonymous search is rate-limited per client address (core.ratelimit, before this view runs).
@router.get(
    "/subjects", response={200: SearchOut, (400, 429): ErrorEnvelope}, summary="检索信用主体", auth=None
)
def search_subjects(request: HttpRequest, params: Query[SearchIn]) -> dict[str, Any]:
    page = search.search(params.q, limit=params.limit, offset=params.offset)
    if page.refusal == search.Refusal.TOO_SHORT:
        raise PlatformError(errors.SEARCH_QUERY_TOO_SHORT, field="q", chars=search.MIN_QUERY_CHARS)
    if page.refusal == search.Refusal.TOO_DEEP:
        raise PlatformError(errors.SEARCH_PAGE_TOO_DEEP, field="offset", window=search.MAX_WINDOW)
    return {
        "query": page.query,
        "hits": [
            {
                "code": hit.public_code,
                "name": hit.name,
                "kind": hit.kind,
                "kind_label": _KIND_LABELS.get(hit.kind, hit.kind),
                "match": hit.match.value,
                "former_name": hit.former_name,
            }
            for hit in page.hits
        ],
        "limit": page.limit,
        "offset": page.offset,
        "has_more": page.has_more,
    }
