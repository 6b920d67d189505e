"""Site-wide pages that belong to no app: the robots policy, the periodic jobs' health page."""

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


#: Crawlers may index the home page and the 双公示 / red and black lists, which exist to be found;
#: not search, subject pages (a crawl of them is the wholesale copy of the register that the public
#: rate limit is there to prevent), nor the API, accounts, workspaces, the admin or the centre's pages.
ROBOTS = """\
User-agent: *
Allow: /$
Allow: /publicity/
Allow: /static/
Disallow: /search
Disallow: /s/
Disallow: /api/
Disallow: /query/
Disallow: /account/
Disallow: /accounts/
Disallow: /workspace/
Disallow: /admin/
Disallow: /centre/
Disallow: /i18n/
"""


@require_safe  # GET and HEAD: some crawlers check with HEAD first
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")


@login_required
@require_safe
def job_health(request: HttpRequest) -> HttpResponse:
    """定时任务运行情况 for centre staff: each job's time and latest run, then every run, newest first."""
    user = request.user
    if not (isinstance(user, User) and user.kind == User.Kind.CENTRE):
        raise PermissionDenied
    runs = JobRun.objects.order_by("-started_at", "-pk")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    health = scheduler.health()
    known = {h.job.name: h.job for h in health}
    context = {
        "jobs": [(h, h.latest and RunRow.of(h.latest, known)) for h in health],
        "page": page,
        "rows": [RunRow.of(run, known) for run in page.object_list],
        "alarm_hours": settings.XINYONG_JOB_ALARM_HOURS,
    }
    return render(request, "core/job_health.html", context)
