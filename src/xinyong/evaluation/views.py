"""Evaluation pages: a subject's grade (its own account, centre staff, a unit with a legal purpose), the
staff distribution with its charts and the graded list, and a department's spot-check list (XLSX)."""

from __future__ import annotations

import io
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xinyong.accounts import errors as account_errors
from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.accounts.purposes import purposes
from xinyong.audit.services import Actor
from xinyong.catalog.models import Domain, Provider
from xinyong.core import clock
from xinyong.core.charts import Series, bar_chart, line_chart
from xinyong.core.errors import PlatformError
from xinyong.core.paging import PAGE_SIZE, page_number
from xinyong.core.spreadsheet import write_xlsx
from xinyong.evaluation import errors
from xinyong.evaluation.models import Evaluation, GradeCount
from xinyong.evaluation.queries import evaluation_for
from xinyong.evaluation.rules import TAGS, Grade
from xinyong.evaluation.spot_checks import department, matches_tag, parse_grades, spot_check_list, xlsx_rows
from xinyong.subjects.models import Subject

GRADES = [g.value for g in Grade]
#: Days of history the distribution chart shows.
CHART_DAYS = 30


@login_required
def subject(request: HttpRequest, code: str) -> HttpResponse:
    """A subject's evaluation for its own account, centre staff, or a unit officer stating a purpose."""
    user = signed_in(request)
    purpose = request.GET.get("purpose", "")[:60]
    try:
        view = evaluation_for(user, code, purpose)
    except PlatformError as refused:
        if refused.error is account_errors.QUERY_PURPOSE_REQUIRED:
            choices = [(c, p.name) for c, p in purposes().items() if user.unit and c in user.unit.purposes]
            return render(request, "evaluation/purpose.html", {"code": code, "choices": choices})
        if refused.error is errors.NOT_EVALUATED and allowed(user, Action.VIEW_OWN_EVALUATION):
            return render(request, "evaluation/subject.html", {"view": None, "message": refused.message})
        raise Http404 from refused  # pages do not tell who exists (docs/architecture.md, Access)
    return render(request, "evaluation/subject.html", {"view": view, "purpose": purpose})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的信用评价: the verified subject account's own grade and what would change it."""
    user = signed_in(request)
    if user.kind != User.Kind.SUBJECT:
        raise Http404
    if not allowed(user, Action.VIEW_OWN_EVALUATION):
        return redirect("portal:verify")
    return subject(request, user.subject_code)


def _staff(request: HttpRequest) -> User:
    user = signed_in(request)
    if not allowed(user, Action.VIEW_EVALUATIONS):
        raise Http404
    return user


@login_required
def distribution(request: HttpRequest) -> HttpResponse:
    """Staff: grades by domain and over time (charts), and the graded subjects by grade and tag (paged)."""
    _staff(request)
    latest = GradeCount.objects.order_by("-day").values_list("day", flat=True).first()
    counts = GradeCount.objects.filter(day=latest) if latest else GradeCount.objects.none()
    by_domain: dict[int, dict[str, int]] = defaultdict(dict)
    for c in counts:
        by_domain[c.domain_number][c.grade] = c.subjects
    names = dict(Domain.objects.values_list("number", "name"))
    domains = sorted(n for n in by_domain if n)
    charts = []
    if latest:
        charts.append(
            bar_chart(
                GRADES,
                [Series("主体数", [by_domain[0].get(g, 0) for g in GRADES])],
                title=f"{latest} 各等级主体数",
            )
        )
        if domains:
            charts.append(
                bar_chart(
                    [f"{n} {names.get(n, '')[:8]}" for n in domains],
                    [Series(f"{g}级", [by_domain[n].get(g, 0) for n in domains]) for g in GRADES],
                    title="各领域主体的等级分布（在该领域有记录的主体）", stacked=True, horizontal=True,
                )
            )  # fmt: skip
        days = sorted(set(GradeCount.objects.filter(domain_number=0).values_list("day", flat=True)))[
            -CHART_DAYS:
        ]
        if len(days) > 1:
            over_time: dict[tuple[str, str], int] = {
                (d.isoformat(), g): n
                for d, g, n in GradeCount.objects.filter(domain_number=0, day__in=days).values_list(
                    "day", "grade", "subjects"
                )
            }
            labels = [d.isoformat() for d in days]
            charts.append(
                line_chart(
                    labels,
                    [Series(f"{g}级", [over_time.get((d, g), 0) for d in labels]) for g in GRADES],
                    title="各等级主体数变化",
                )
            )
    grade = request.GET.get("grade", "")
    tag = request.GET.get("tag", "")
    listed = Evaluation.objects.filter(current=True)
    if grade in GRADES:
        listed = listed.filter(grade=grade)
    tags = [(t.code, t.name) for t in TAGS.on(clock.today()).value]
    if tag in dict(tags):
        listed = listed.filter(matches_tag(tag))
    page = Paginator(listed.order_by("grade", "subject_code"), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    subject_names = dict(
        Subject.objects.filter(code__in=[e.subject_code for e in page]).values_list("code", "name")
    )
    return render(request, "evaluation/distribution.html", {
        "latest": latest, "charts": charts, "page": page, "grades": GRADES, "grade": grade, "tags": tags, "tag": tag,
        "rows": [(e, subject_names.get(e.subject_code, ""), [dict(tags).get(t, t) for t in e.tag_codes]) for e in page],
        "query": urlencode({"grade": grade, "tag": tag}),
    })  # fmt: skip


@login_required
def spot_checks(request: HttpRequest) -> HttpResponse:
    """A department's spot-check list: its own for provider staff, any department's for centre staff."""
    user = signed_in(request)
    if not allowed(user, Action.SPOT_CHECKS):
        raise Http404
    departments = Provider.objects.order_by("name") if user.is_centre_staff else Provider.objects.none()
    chosen = user.provider if user.provider_id else None
    if user.is_centre_staff and request.GET.get("department"):
        try:
            chosen = department(request.GET["department"])
        except PlatformError:
            raise Http404 from None
    context: dict[str, object] = {
        "departments": departments,
        "chosen": chosen,
        "tags": [(t.code, t.name) for t in TAGS.on(clock.today()).value],
    }
    if chosen is None or "grades" not in request.GET:
        return render(request, "evaluation/spot_checks.html", context)
    try:
        grades = parse_grades(request.GET.get("grades", ""))
        result = spot_check_list(chosen, grades=grades, seed=request.GET.get("seed", "").strip(),
                                 tag=request.GET.get("tag", ""), actor=Actor.of_user(user))  # fmt: skip
    except PlatformError as refused:
        return render(
            request, "evaluation/spot_checks.html", {**context, "error": refused.message}, status=400
        )
    if request.GET.get("format") == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, "抽查名单", xlsx_rows(result))
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="spot-check-{chosen.code}-{result.seed}.xlsx"'
        )
        return response
    query = urlencode({"department": chosen.code, "grades": ",".join(grades), "seed": result.seed,
                       "tag": result.tag, "format": "xlsx"})  # fmt: skip
    return render(request, "evaluation/spot_checks.html", {**context, "result": result, "xlsx_query": query})
