"""Data-quality pages: the centre's scorecards and monthly notice, a provider's own card in its workspace."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.catalog.models import Provider, ProviderGrant
from xinyong.core.charts import Series, bar_chart, line_chart
from xinyong.core.errors import PlatformError
from xinyong.core.paging import PAGE_SIZE, page_number, whole_number
from xinyong.quality import codes, errors, notice, sampling, scorecard, services
from xinyong.quality.api import drill_down, masked
from xinyong.quality.models import CodeIssue, Declaration, SampleDraw, SampleItem
from xinyong.quality.months import current_month, label, last_complete_month, parse_month
from xinyong.quality.scorecard import Counts
from xinyong.records.publication import add_months

RATES = (("upload", "上报率"), ("compliance", "合规率"), ("timeliness", "及时率"))
MEASURES = {
    "rejected": "拒收原因（合规率）",
    "held": "重错码暂存（合规率）",
    "late": "超过归集时限（及时率）",
    "decided": "当月决定已报送的记录（上报率）",
}


def _series(counts: list[Counts]) -> list[Series]:
    """The three rates as chart series; a rate with nothing to count is drawn as 0 (the table beside
    the chart, and the scorecard table, show it as —)."""
    return [Series(_(name), [getattr(c, measure).percent or 0.0 for c in counts]) for measure, name in RATES]


def rates_chart(cards: list[scorecard.ProviderCard]) -> str:
    shown = [c for c in cards if c.total.score() is not None]
    if not shown:
        return ""
    return bar_chart(
        [c.provider.name for c in shown],
        _series([c.total for c in shown]),
        title=_("各单位比率（%，无可计算比率的记为 0）"),
        unit="%",
        horizontal=True,
    )


def trend_chart(history: list[tuple[dt.date, Counts]]) -> str:
    if not any(c.score() is not None for _m, c in history):
        return ""
    return line_chart(
        [label(m) for m, _c in history],
        _series([c for _m, c in history]),
        title=_("近12个月比率（%，无可计算比率的记为 0）"),
        unit="%",
    )


def _month(request: HttpRequest) -> dt.date:
    try:
        return parse_month(request.GET["month"]) if request.GET.get("month") else last_complete_month()
    except PlatformError:
        return last_complete_month()


def _staff(request: HttpRequest) -> User:
    user = signed_in(request)
    if not allowed(user, Action.VIEW_ALL_QUALITY):
        raise Http404
    return user


def _card_context(request: HttpRequest, provider: Provider, month: dt.date, reveal: bool) -> dict[str, Any]:
    card, of = scorecard.provider_card(provider, month)
    asked = request.GET.get("measure", "")
    measure = asked if asked in MEASURES else "rejected"
    page = Paginator(drill_down(provider, month, measure), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    targets = scorecard.targets_for(month)
    history = scorecard.trend([provider.pk], month).get(provider.pk, [])
    return {
        "card": card,
        "of": of,
        "month": month,
        "month_label": label(month),
        "previous": label(add_months(month, -1)),
        "next": label(add_months(month, 1)) if month < current_month() else "",
        "targets": targets,
        "shortfalls": card.shortfalls(targets),
        "errors": scorecard.error_breakdown(provider, month),
        "measure": measure,
        "measures": MEASURES,
        "page": page,
        "rows": [masked(row, reveal) for row in page],
        "history": [(label(m), c) for m, c in history],
        "chart": trend_chart(history),
    }


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    _staff(request)
    month = _month(request)
    cards = scorecard.scorecards(month)
    targets = scorecard.targets_for(month)
    context = {
        "cards": [(c, c.shortfalls(targets)) for c in cards],
        "month": month,
        "month_label": label(month),
        "previous": label(add_months(month, -1)),
        "next": label(add_months(month, 1)) if month < current_month() else "",
        "targets": targets,
        "chart": rates_chart(cards),
    }
    return render(request, "quality/centre.html", context)


@login_required
def centre_provider(request: HttpRequest, code: str) -> HttpResponse:
    _staff(request)
    provider = Provider.objects.filter(code=code).first()
    if provider is None:
        raise Http404
    context = _card_context(request, provider, _month(request), reveal=True)
    return render(request, "quality/provider.html", {**context, "staff": True})


@login_required
def centre_notice(request: HttpRequest, fmt: str) -> HttpResponse:
    user = _staff(request)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    month = _month(request)
    built = notice.build(month)
    content = notice.render_pdf(built) if fmt == "pdf" else notice.render_xlsx(built)
    notice.record_issue(built, fmt, actor=user)
    response = HttpResponse(content, content_type=notice.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{notice.filename(month, fmt)}"'
    return response


def _provider_user(request: HttpRequest) -> tuple[User, Provider]:
    user = signed_in(request)
    if user.provider is None or not allowed(user, Action.VIEW_OWN_QUALITY):
        raise Http404
    return user, user.provider


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    _user, provider = _provider_user(request)
    month = _month(request)
    context = _card_context(request, provider, month, reveal=False)
    kinds = sorted(set(ProviderGrant.objects.filter(provider=provider).values_list("kind_code", flat=True)))
    declared = dict(
        Declaration.objects.filter(provider=provider, month=month).values_list("kind_code", "count")
    )
    context["declaration"] = [(kind, declared.get(kind)) for kind in kinds]
    return render(request, "quality/provider.html", {**context, "staff": False})


@login_required
@require_POST
def declare(request: HttpRequest) -> HttpResponse:
    user, provider = _provider_user(request)
    if not allowed(user, Action.DECLARE_TOTALS):
        raise Http404
    try:
        month = parse_month(request.POST.get("month"))
        totals = []
        for kind in sorted(
            set(ProviderGrant.objects.filter(provider=provider).values_list("kind_code", flat=True))
        ):
            value = (request.POST.get(f"count_{kind}") or "").strip()
            if value == "":
                continue
            if not (value.isascii() and value.isdigit()) or len(value) > 9:
                raise PlatformError(errors.COUNT_INVALID, field=kind, limit=services.MAX_DECLARED)
            totals.append(services.Total(kind, int(value)))
        if totals:
            services.declare(provider, month, totals, actor=user)
            messages.success(request, _("已申报 %(month)s 的决定数。") % {"month": label(month)})
    except PlatformError as exc:
        messages.error(request, f"{exc.message}（{exc.error.code}）")
        return redirect("quality:workspace")
    return redirect(f"{request.path.rsplit('declare/', 1)[0]}?month={label(month)}")


def _sampler(request: HttpRequest) -> User:
    user = signed_in(request)
    if not allowed(user, Action.SAMPLE_RECORDS):
        raise Http404
    return user


def _provider(code: str) -> Provider:
    provider = Provider.objects.filter(code=code).first()
    if provider is None:
        raise Http404
    return provider


@login_required
def samples(request: HttpRequest, code: str) -> HttpResponse:
    """抽样核查: the month's sample of one provider, each record with its verdict form; or the draw form."""
    _sampler(request)
    provider = _provider(code)
    month = _month(request)
    drawn = SampleDraw.objects.filter(provider=provider, month=month).first()
    items = (
        SampleItem.objects.filter(draw=drawn).select_related("record").order_by("record_id")
        if drawn
        else SampleItem.objects.none()
    )
    page = Paginator(items, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    context = {
        "provider": provider,
        "month_label": label(month),
        "drawn": drawn,
        "page": page,
        "reviewed": items.exclude(verdict="").count() if drawn else 0,
        "max_sample": sampling.MAX_SAMPLE,
    }
    return render(request, "quality/samples.html", context)


@login_required
@require_POST
def sample_draw(request: HttpRequest, code: str) -> HttpResponse:
    user = _sampler(request)
    provider = _provider(code)
    month_text = request.POST.get("month", "")
    try:
        month = parse_month(month_text)
        size = whole_number(request.POST.get("size"), maximum=sampling.MAX_SAMPLE) or 0
        seed_text = (request.POST.get("seed") or "").strip()
        seed = whole_number(seed_text, maximum=2**62) if seed_text else None
        if seed_text and seed is None:
            raise PlatformError(errors.SAMPLE_SEED_INVALID, field="seed")
        drawn = sampling.draw(provider, month, size, seed=seed, actor=user)
        messages.success(
            request,
            _("已抽取 %(n)s 条记录（种子 %(seed)s）。") % {"n": drawn.items.count(), "seed": drawn.seed},
        )
    except PlatformError as exc:
        messages.error(request, f"{exc.message}（{exc.error.code}）")
    return redirect(f"{reverse('quality:samples', args=[code])}?month={month_text[:7]}")


@login_required
@require_POST
def sample_review(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _sampler(request)
    item = SampleItem.objects.select_related("draw__provider").filter(pk=item_id).first()
    if item is None:
        raise Http404
    try:
        sampling.review(
            item,
            request.POST.get("verdict", ""),
            request.POST.get("field", ""),
            request.POST.get("note", ""),
            actor=user,
        )
    except PlatformError as exc:
        messages.error(request, f"{exc.message}（{exc.error.code}）")
    target = reverse("quality:samples", args=[item.draw.provider.code])
    return redirect(f"{target}?month={label(item.draw.month)}&page={page_number(request.POST.get('page'))}")


def _judge(request: HttpRequest) -> User:
    user = signed_in(request)
    if not allowed(user, Action.JUDGE_CODES):
        raise Http404
    return user


@login_required
def code_issues(request: HttpRequest) -> HttpResponse:
    """重错码研判: open issues with their likely cause and a judgement form; judged ones can be reversed."""
    _judge(request)
    judged = request.GET.get("judged") == "1"
    open_ = CodeIssue.objects.filter(state=CodeIssue.State.OPEN)
    issues = CodeIssue.objects.exclude(state=CodeIssue.State.OPEN) if judged else open_
    page = Paginator(issues.order_by("-judged_at" if judged else "found_at", "pk"), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    context = {"page": page, "judged": judged, "verdicts": CodeIssue.State.choices[1:]}
    return render(request, "quality/codes.html", context)


@login_required
@require_POST
def code_judge(request: HttpRequest, issue_id: int) -> HttpResponse:
    user = _judge(request)
    issue = CodeIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        raise Http404
    try:
        if request.POST.get("reverse") == "1":
            codes.reverse(issue, actor=user)
            messages.success(request, _("已撤销研判，相关记录已恢复原状。"))
        else:
            codes.judge(
                issue,
                request.POST.get("verdict", ""),
                right_code=request.POST.get("right_code", ""),
                note=request.POST.get("note", ""),
                actor=user,
            )
            messages.success(request, _("已保存研判。"))
    except PlatformError as exc:
        messages.error(request, f"{exc.message}（{exc.error.code}）")
    return redirect(reverse("quality:codes"))
