"""The change feed's API: ``GET /api/v1/changes?after=CURSOR&limit=N`` (docs/exchange.md).

Anyone may read it; what a caller gets follows its credentials: a provider's key (its own records),
a signed-in account (centre staff, a provider's staff, a verified subject, a unit officer stating a
legal ``purpose``), or nobody (what the public sees).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from xinyong.accounts.http import session_user
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.catalog.models import Provider
from xinyong.catalog.services import authenticate_key
from xinyong.core import errors as core_errors
from xinyong.core.api import ErrorEnvelope
from xinyong.core.errors import PlatformError
from xinyong.exchange import feed, watch
from xinyong.exchange.models import Watch

router = Router(tags=["数据交换 exchange"])
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 429): ErrorEnvelope}


class OverlayOut(Schema):
    id: int
    kind: str = Field(description="objection_pending / corrected / revoked / repaired")
    label: str
    reason: str | None = Field(None, description="标注理由：仅信用主体本人与信用中心可见")


class ChangeOut(Schema):
    id: str = Field(description="变更的稳定标识：v<记录>.<版本>，o<标注>（加注），e<标注>（标注结束）")
    cursor: str = Field(description="读到此条为止的游标")
    type: str = Field(description="version / exit / overlay / overlay_ended")
    at: dt.datetime
    record: int
    version: int | None
    overlay: OverlayOut | None
    visible: bool = Field(description="调用方现在能否看到该记录；false 时不含内容")
    state: str | None = None
    subject_code: str | None = None
    subject_name: str | None = None
    kind: str | None = None
    domain: int | None = None
    provider: str | None = None
    key: str | None = None
    decision_date: dt.date | None = None
    publish_until: dt.date | None = None
    fields: dict[str, Any] | None = Field(None, description="该版本的字段值（按字段代码），按调用方身份遮蔽")


class FeedPage(Schema):
    items: list[ChangeOut]
    next: str = Field(description="下次从此游标续读（本页未显示的变更也已越过）")
    more: bool = Field(description="true：立即可读下一页；false：已读到当前末尾，稍后再读")


class FeedQuery(Schema):
    after: str = Field("", max_length=80, description="上一页的 next；空：从头读取")
    limit: int = Field(feed.DEFAULT_LIMIT, ge=1, le=feed.MAX_LIMIT)
    purpose: str = Field("", max_length=80, description="政务共享：政府部门查询时说明的法定用途代码")
    authorised: bool = Field(
        False, description="授权查询：只读已授权本账号（或本单位）的信用主体，按授权查询所见"
    )


def caller_of(request: HttpRequest) -> User | Provider | None:
    """A provider's key if the request carries one (refused if invalid), else the signed-in account."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        provider = authenticate_key(header[7:].strip())
        if provider is None:
            raise PlatformError(core_errors.AUTH_INVALID_KEY)
        return provider
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


@router.get("/changes", response={200: FeedPage, **ERRORS}, summary="变更订阅源：按提交顺序读取记录变更")
def changes(request: HttpRequest, query: Query[FeedQuery]) -> dict[str, Any]:
    caller = caller_of(request)
    if query.authorised and not isinstance(caller, User):
        raise PlatformError(core_errors.AUTH_REQUIRED)
    scope = feed.scope_of(caller, query.purpose, under_grants=query.authorised)
    page = feed.read(scope, feed.Cursor.decode(query.after), query.limit)
    return {"items": page.items, "next": page.next.encode(), "more": page.more}


# --- 信用监测: following subjects, and the webhook ----------------------------------------------------------

watch_router = Router(tags=["信用监测 monitoring"], auth=django_auth)


class FollowIn(Schema):
    codes: list[str] = Field(max_length=watch.MAX_CODES, description="统一社会信用代码或身份证号码，一项一个")


class FollowOut(Schema):
    added: int
    following: list[str]


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="https 回调地址")


class WebhookOut(Schema):
    url: str
    secret: str = Field(description="签名密钥，仅此一次显示；请妥善保存")


def _watcher(request: HttpRequest) -> User:
    user = session_user(request)
    if not allowed(user, Action.WATCH_SUBJECTS):
        raise PlatformError(core_errors.FORBIDDEN)
    return user


def _following(user: User) -> list[str]:
    return list(
        Watch.objects.filter(user=user).order_by("subject_code").values_list("subject_code", flat=True)
    )


@watch_router.get("/watches", response={200: FollowOut, **ERRORS}, summary="我关注的信用主体")
def watches(request: HttpRequest) -> dict[str, Any]:
    return {"added": 0, "following": _following(_watcher(request))}


@watch_router.post(
    "/watches", response={200: FollowOut, **ERRORS}, summary="关注信用主体（可一次提交一批代码）"
)
def follow(request: HttpRequest, payload: FollowIn) -> dict[str, Any]:
    user = _watcher(request)
    return {"added": watch.follow(user, payload.codes), "following": _following(user)}


@watch_router.delete("/watches/{code}", response={200: FollowOut, **ERRORS}, summary="取消关注")
def unfollow(request: HttpRequest, code: str) -> dict[str, Any]:
    user = _watcher(request)
    watch.unfollow(user, code)
    return {"added": 0, "following": _following(user)}


@watch_router.put(
    "/webhook", response={200: WebhookOut, **ERRORS}, summary="设置回调地址（返回新的签名密钥）"
)
def webhook(request: HttpRequest, payload: WebhookIn) -> dict[str, Any]:
    user = _watcher(request)
    return {"url": payload.url, "secret": watch.register_webhook(user, payload.url)}
