"""The public credit website (信用中国(城市)): subject pages and 双公示 / red and black lists.

Everything here is 社会公开: read through ``disclosure`` for the public audience, nothing non-public.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from xinyong.catalog.models import Domain
from xinyong.core.errors import PlatformError
from xinyong.disclosure.queries import public_records, public_subject
from xinyong.portal.views import whole_number
from xinyong.subjects.search import search

LISTS = {
    "penalties": ("penalty", "行政处罚公示"),
    "licences": ("licence", "行政许可公示"),
    "red": ("commendation", "红名单（表彰奖励）"),
    "black": ("serious_dishonesty_list", "黑名单（严重失信主体名单）"),
}


def subject(request: HttpRequest, code: str) -> HttpResponse:
    """A subject's public page (none for natural persons: see ``public_subject``)."""
    try:
        view = public_subject(code)
    except PlatformError:
        raise Http404 from None
    return render(request, "portal/subject.html", {"view": view})


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def publicity(request: HttpRequest, which: str) -> HttpResponse:
    if which not in LISTS:
        raise Http404
    kind_code, title = LISTS[which]
    domain = whole_number(request.GET.get("domain"))
    since, until = _date(request.GET.get("since")), _date(request.GET.get("until"))
    page = public_records(
        kind_code,
        domain=domain,
        since=since,
        until=until,
        page=whole_number(request.GET.get("page")) or 1,
    )
    filters = {
        "domain": str(domain) if domain is not None else "",
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
    }
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "title": _(title), "page": page, "domains": Domain.objects.all(), "domain": domain,
        "since": since, "until": until, "query": query,
    }  # fmt: skip
    return render(request, "portal/publicity.html", context)


REFUSALS = {
    "too_short": "请至少输入两个字或完整的统一社会信用代码。",
    "too_deep": "结果太多，请输入更完整的名称。",  # paging stops early: no crawling the register page by page
}


def search_page(request: HttpRequest) -> HttpResponse:
    """Search by code or by any part of a name (no listing of all subjects without a query)."""
    q = request.GET.get("q", "").strip()[:100]
    offset = whole_number(request.GET.get("offset")) or 0
    context: dict[str, object] = {"q": q, "hits": [], "error": "", "previous": None, "next": None}
    if q:
        found = search(q, limit=20, offset=offset)
        if found.refusal is not None:
            context["error"] = _(REFUSALS.get(found.refusal.value, "请换一个查询词。"))
        context["hits"] = [
            {"code": h.public_code, "name": h.name, "old_name": h.former_name} for h in found.hits
        ]
        context["previous"] = max(0, offset - 20) if offset else None
        context["next"] = offset + 20 if found.has_more else None
    return render(request, "portal/search.html", context, status=400 if context["error"] else 200)
