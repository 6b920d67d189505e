"""The periodic jobs' health page for centre staff (定时任务运行情况): the kernel runs and records the
jobs (core.jobs, core.scheduler); who may look at them is an accounts question, so the page lives here."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xinyong.accounts.models import User
from xinyong.core import scheduler
from xinyong.core.jobs import Job
from xinyong.core.models import JobRun
from xinyong.core.paging import page_number

PAGE_SIZE = 50


@dataclass(frozen=True)
class RunRow:
    """A run as the health page shows it: its job's title, its counts under their Chinese names."""

    run: JobRun
    title: str
    counts: str

    @classmethod
    def of(cls, run: JobRun, known: dict[str, Job]) -> RunRow:
        job = known.get(run.job)  # a job since unregistered keeps its runs, shown by name
        labels = job.counts if job else {}
        counts = "；".join(f"{labels.get(key, key)}：{value}" for key, value in run.counts.items())
        return cls(run, job.title if job else run.job, counts)


@login_required
@require_safe
def job_health(request: HttpRequest) -> HttpResponse:
    """定时任务运行情况 for centre staff: each job's time and latest run, then every run, newest first."""
    user = request.user
    if not (isinstance(user, User) and user.kind == User.Kind.CENTRE):
        raise PermissionDenied
    runs = JobRun.objects.order_by("-started_at", "-pk")
    page = Paginator(runs, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    health = scheduler.health()
    known = {h.job.name: h.job for h in health}
    context = {
        "jobs": [(h, h.latest and RunRow.of(h.latest, known)) for h in health],
        "page": page,
        "rows": [RunRow.of(run, known) for run in page.object_list],
        "alarm_hours": settings.XINYONG_JOB_ALARM_HOURS,
    }
    return render(request, "core/job_health.html", context)
