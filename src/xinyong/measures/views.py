"""Joint-measure pages: the unit officer's counter check in the browser (核查 and 反馈), and the centre's
feedback statistics (奖惩反馈统计) with charts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.core import clock
from xinyong.core.charts import Series, bar_chart
from xinyong.core.errors import PlatformError
from xinyong.measures import queries, services
from xinyong.measures.forms import CheckForm, FeedbackForm, PeriodForm
from xinyong.measures.models import Check


def _officer(request: HttpRequest) -> User:
    user = signed_in(request)
    if not allowed(user, Action.RUN_CHECKS) or user.unit is None:
        raise Http404
    return user


def _context(check: Check) -> dict[str, object]:
    given = {f.measure_ref: f for f in check.feedback.all()}
    return {"check": check, "rows": [(m, given.get(m["ref"]), FeedbackForm(initial={"measure": m["ref"]}))
                                     for m in check.result["measures"]]}  # fmt: skip


@login_required
def check_page(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    assert user.unit is not None
    form = CheckForm(request.GET or None, unit_purposes=list(user.unit.purposes))
    context: dict[str, object] = {"form": form}
    status = 200
    if request.GET and form.is_valid():
        try:
            data = form.cleaned_data
            check = services.check_subject(user, data["code"], data["scenario"], data["purpose"])
        except PlatformError as exc:
            form.add_error(None, f"{exc.message}（{exc.error.code}）")
            status = exc.error.status
        else:
            context.update(_context(check))
    return render(request, "measures/check.html", context, status=status)


@login_required
def check_detail(request: HttpRequest, check_id: int) -> HttpResponse:
    user = _officer(request)
    check = services.checks_of(user).filter(pk=check_id).first()
    if check is None:
        raise Http404
    assert user.unit is not None
    return render(
        request,
        "measures/check.html",
        {"form": CheckForm(unit_purposes=list(user.unit.purposes)), **_context(check)},
    )


@login_required
@require_POST
def feedback(request: HttpRequest, check_id: int) -> HttpResponse:
    user = _officer(request)
    check = services.checks_of(user).filter(pk=check_id).first()
    if check is None:
        raise Http404
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择实施情况。"))
    else:
        try:
            services.give_feedback(user, check, **form.cleaned_data)
        except PlatformError as exc:
            messages.error(request, f"{exc.message}（{exc.error.code}）")
        else:
            messages.success(request, _("已记录反馈。"))
    return redirect("measures:check_detail", check_id=check.pk)


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    if not allowed(signed_in(request), Action.VIEW_MEASURE_STATISTICS):
        raise Http404
    form = PeriodForm(request.GET or None)
    since, until = form.period(clock.today())
    tallies = queries.feedback_statistics(since, until)
    charts = []
    for attribute, title in (("unit", _("各部门奖惩反馈")), ("scenario", _("各场景奖惩反馈"))):
        totals = queries.totals_by(tallies, attribute)
        if totals:
            labels = [getattr(t, attribute) for t in totals]
            series = [
                Series(_("已实施"), [t.applied for t in totals]),
                Series(_("未实施"), [t.not_applied for t in totals]),
                Series(_("待反馈"), [t.awaiting for t in totals]),
            ]
            charts.append(bar_chart(labels, series, title=title, unit=_("项"), stacked=True, horizontal=True))
    context = {"form": form, "since": since, "until": until, "tallies": tallies, "charts": charts}
    return render(request, "measures/statistics.html", context)
