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
from xinyong.exchange import queries, upstream, watch
from xinyong.exchange.models import Delivery, Watch, Webhook

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


#: A file of codes to follow: one code a line (TXT, or CSV's first column, with or without a header
#: line), at most this many bytes.
MAX_CODES_FILE_BYTES = 256 * 1024


def _watcher(request: HttpRequest) -> User:
    user = signed_in(request)
    if not allowed(user, Action.WATCH_SUBJECTS):
        raise Http404
    return user


@login_required
def watches(request: HttpRequest) -> HttpResponse:
    """信用监测: the subjects this account follows, forms to follow more (typed or from a file), to stop,
    and to set a webhook (its secret shown once, on the page that issues it)."""
    user = _watcher(request)
    secret = ""
    if request.method == "POST":
        try:
            secret = _act(request, user)
        except PlatformError as refused:
            messages.error(request, refused.message)
        if not secret:
            return redirect("exchange:watches")
    context = {
        "following": Watch.objects.filter(user=user).order_by("subject_code"),
        "webhook": Webhook.objects.filter(user=user).first(),
        "secret": secret,
    }
    return render(request, "exchange/watches.html", context)


def _act(request: HttpRequest, user: User) -> str:
    action = request.POST.get("action", "")
    if action == "follow":
        codes = request.POST.get("codes", "").splitlines()
        upload = request.FILES.get("file")
        if upload is not None:
            lines = upload.read(MAX_CODES_FILE_BYTES).decode("utf-8-sig", errors="replace").splitlines()
            if lines and not any(ch.isdigit() for ch in lines[0]):
                lines = lines[1:]  # a header line (代码, 统一社会信用代码 …): every code has digits
            codes += [line.split(",")[0].strip().strip('"') for line in lines]
        added = watch.follow(user, codes)
        messages.success(request, _("新关注 %(n)s 个信用主体。") % {"n": added})
    elif action == "unfollow":
        watch.unfollow(user, request.POST.get("code", ""))
        messages.success(request, _("已取消关注。"))
    elif action == "webhook":
        return watch.register_webhook(user, request.POST.get("url", "").strip())
    return ""
