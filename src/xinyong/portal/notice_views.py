"""The public columns 通知公告 and 政策法规: what centre staff publish in the admin (``Notice``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from xinyong.core.paging import PAGE_SIZE, page_number
from xinyong.portal.models import Notice


def column(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in Notice.Kind.values:
        raise Http404
    items = Notice.objects.filter(kind=kind, is_published=True)
    page = Paginator(items, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return render(request, "portal/notices.html", {"page": page, "kind": Notice.Kind(kind)})


def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    item = get_object_or_404(Notice, pk=notice_id, is_published=True)
    return render(request, "portal/notice.html", {"notice": item})
