"""The public credit website (信用中国(城市)): subject pages and 双公示 / red and black lists.

Everything here is 社会公开: read through ``disclosure`` for the public audience, nothing non-public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.core.paging import page_number, whole_number
from xinyong.core.ratelimit import client_key, counted, refusal
from xinyong.core.spreadsheet import XLSX_CONTENT_TYPE, csv_row, csv_writer, write_xlsx
from xinyong.disclosure.queries import latest_data, public_list, public_records, public_subject
from xinyong.portal.forms import PublicListForm
from xinyong.subjects.search import search


@dataclass(frozen=True)
class PublicList:
    """One public list: its record kind and title; for the red and black lists, the fields (codes of
    the kind's schema) that say which list an entry is on and why."""

    kind_code: str
    title: str
    which: str = ""  # 名单类型 / 荣誉名称
    why: str = ""  # 列入事由 / 表彰内容


LISTS = {
    "penalties": PublicList("penalty", "行政处罚公示"),
    "licences": PublicList("licence", "行政许可公示"),
    "red": PublicList("commendation", "红名单（表彰奖励）", which="bz_rymc", why="bz_nr"),
    "black": PublicList(
        "serious_dishonesty_list", "黑名单（严重失信主体名单）", which="yzsx_mdlx", why="yzsx_sy"
    ),
}
#: At most this many rows in one export: a visitor narrows the filters for more.
EXPORT_CAP = 5000


def subject(request: HttpRequest, code: str) -> HttpResponse:
    """A subject's public page (none for natural persons: see ``public_subject``); ``?expand=1`` opens
    every record (全部展开) without JavaScript."""
    try:
        view = public_subject(code)
    except PlatformError:
        raise Http404 from None
    return render(request, "portal/subject.html", {"view": view, "expand": request.GET.get("expand") == "1"})


def publicity(request: HttpRequest, which: str) -> HttpResponse:
    """A public list with its filters (名称、文号、信息提供单位、领域、决定日期), the count of what they
    match, and the matching rows as XLSX or CSV (``?format=xlsx|csv``)."""
    if which not in LISTS:
        raise Http404
    listed = LISTS[which]
    query = request.GET.copy()
    # A domain that is no whole number (ASCII digits only: whole_number) is ignored, as before the form.
    domain = whole_number(query.get("domain"))
    query["domain"] = "" if domain is None else str(domain)
    form = PublicListForm(query)
    valid = form.is_valid()
    filters = form.filters() if valid else {}
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "csv") and valid:
        return _export(request, listed, which, fmt, filters)
    page = public_records(listed.kind_code, page=page_number(request.GET.get("page")), **filters)
    data = latest_data(page.object_list) if listed.which else {}
    rows = [
        (r, data.get(r.pk, {}).get(listed.which, ""), data.get(r.pk, {}).get(listed.why, "")) for r in page
    ]
    context = {
        "title": _(listed.title), "page": page, "rows": rows, "form": form, "listed": listed,
        "export_cap": EXPORT_CAP, "refused": not valid,
    }  # fmt: skip
    return render(request, "portal/publicity.html", context, status=200 if valid else 400)


def _export(
    request: HttpRequest, listed: PublicList, which: str, fmt: str, filters: dict[str, Any]
) -> HttpResponse:
    """The filtered list as a file, at most ``EXPORT_CAP`` rows and a few files a minute per visitor
    (an export costs what dozens of pages do)."""
    limit = settings.XINYONG_EXPORTS_PER_MINUTE
    if limit > 0:
        who = f"user:{request.user.pk}" if request.user.is_authenticated else client_key(request)
        so_far = counted(who, "export")
        if so_far is not None and so_far > limit:
            return refusal(request, limit)
    records = list(public_list(listed.kind_code, **filters)[:EXPORT_CAP])
    data = latest_data(records) if listed.which else {}
    heading = [
        _("决定日期"),
        _("行政相对人"),
        _("统一社会信用代码"),
        _("文号/编号"),
        _("领域"),
        _("信息提供单位"),
    ]
    if listed.which:
        heading += [_("所列名单"), _("列入事由")]
    rows: list[list[object]] = [[*heading, _("公示期")]]
    for r in records:
        row: list[object] = [
            r.decision_date.isoformat(), r.subject.public_name, r.subject.public_code, r.key, r.domain.name,
            r.provider.name,
        ]  # fmt: skip
        if listed.which:
            row += [data.get(r.pk, {}).get(listed.which, ""), data.get(r.pk, {}).get(listed.why, "")]
        rows.append([*row, r.publication_note])
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel reads UTF-8 CSV as such only after a byte-order mark
        writer = csv_writer(response)
        for row in rows:
            writer.writerow(csv_row(row))
    else:
        response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
        write_xlsx(response, str(_(listed.title))[:31], rows)
    response["Content-Disposition"] = f'attachment; filename="{which}-{clock.today():%Y%m%d}.{fmt}"'
    return response


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
