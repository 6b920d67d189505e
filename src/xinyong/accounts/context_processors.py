"""Template context shared by every page: warnings for centre staff (the working-day calendar, a
stalled task queue, a periodic job that has not succeeded)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django_tasks_db.models import DBTaskResult

from xinyong.accounts.models import User
from xinyong.core import clock, scheduler
from xinyong.core.calendar import missing_years_ahead
from xinyong.core.models import CalendarYear


def _is_centre_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return isinstance(user, User) and user.is_authenticated and user.kind == User.Kind.CENTRE


def calendar_warning(request: HttpRequest) -> dict[str, list[int]]:
    """``calendar_missing_years``: years whose holiday notice is missing although deadlines will soon
    need them (this year always, next year from October), shown to centre staff on every page so the
    notice is entered well before the year starts. One small query, once per request."""
    if not _is_centre_staff(request):
        return {}
    missing: list[int] | None = getattr(request, "_calendar_missing_years", None)
    if missing is None:
        # Only the covered years matter here, so the days themselves are not loaded.
        missing = missing_years_ahead(set(CalendarYear.objects.values_list("year", flat=True)), clock.today())
        request._calendar_missing_years = missing  # type: ignore[attr-defined]
    return {"calendar_missing_years": missing}


def queue_alarm(request: HttpRequest) -> dict[str, int]:
    """``queue_stalled``: how many background tasks (uploaded files waiting to be imported) have been
    queued longer than ``XINYONG_QUEUE_ALARM_MINUTES``, shown to centre staff on every page. Uploads are
    run by the task worker within seconds; a long wait means no worker is running (``xinyong serve``
    restarts it, but a worker run on its own, or one that could not be kept up, has nobody to).
    One count over the queue's partial index of ready tasks."""
    if not _is_centre_staff(request):
        return {}
    cutoff = clock.now() - dt.timedelta(minutes=settings.XINYONG_QUEUE_ALARM_MINUTES)
    waiting = DBTaskResult.objects.ready().filter(enqueued_at__lt=cutoff).count()
    return {"queue_stalled": waiting, "queue_alarm_minutes": settings.XINYONG_QUEUE_ALARM_MINUTES}


def jobs_alarm(request: HttpRequest) -> dict[str, object]:
    """``stale_jobs``: the periodic jobs that have not succeeded for ``XINYONG_JOB_ALARM_HOURS`` (a job
    failing, or no scheduler running), shown to centre staff on every page with a link to the health
    page. Two small queries."""
    if not _is_centre_staff(request):
        return {}
    return {"stale_jobs": scheduler.stale_jobs(), "job_alarm_hours": settings.XINYONG_JOB_ALARM_HOURS}
