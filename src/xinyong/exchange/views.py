"""Centre pages of the exchange: reconciliation with the provincial platform, and the dead letters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor
from xinyong.core.charts import Series, bar_chart
from xinyong.core.errors import PlatformError
from xinyong.core.paging import page_number
from xinyong.exchange import queries, upstream
from xinyong.exchange.models import Delivery

DAYS = 14
PAGE_SIZE = 50


def _staff(request: HttpRequest) -> User:
    user = signed_in(request)
    if not allowed(user, Action.MANAGE_EXCHANGE):
        raise Http404
    return user


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    _staff(request)
    lines = queries.reconciliation(DAYS)
    labels, totals = queries.by_day(lines, DAYS)
    chart = bar_chart(
        labels,
        [Series(_("已发送"), totals["sent"]), Series(_("已确认"), totals["acknowledged"]),
         Series(_("失败"), totals["failed"])],
        title=_("近 %(days)s 日上报省平台情况") % {"days": DAYS}, unit=_("条"),
    )  # fmt: skip
    context = {
        "lines": lines,
        "chart": chart,
        "waiting": queries.waiting(),
        "configured": upstream.configured(),
    }
    return render(request, "exchange/reconciliation.html", context)


@login_required
def dead_letters(request: HttpRequest) -> HttpResponse:
    _staff(request)
    page = Paginator(queries.dead_letters(), PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return render(request, "exchange/dead_letters.html", {"page": page})


@login_required
@require_POST
def retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = _staff(request)
    delivery = get_object_or_404(Delivery, pk=delivery_id)
    try:
        upstream.retry(delivery, actor=Actor.of_user(user))
    except PlatformError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("已重新排队，将在下次上报时发送：%(id)s") % {"id": delivery.change_id})
    return redirect("exchange:dead_letters")
