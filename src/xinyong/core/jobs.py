"""The registry of periodic jobs: what the platform runs by itself every day.

Each app registers its own jobs in its ``jobs.py`` (imported by ``registered()``, the way the admin
finds ``admin.py``), so the kernel knows no app::

    @register("repairs-overdue", title="信用修复逾期标记", at="00:50", counts={"flagged": "新标记逾期环节"})
    def overdue() -> dict[str, int]:
        return {"flagged": flag_overdue_repairs()}

A job is the same service function its management command calls, wrapped to return its counts (a
name → number map whose meanings ``counts`` gives in Chinese for the health page). It must be
idempotent: the scheduler (``core.scheduler``) runs each day's slot once, but a job may also be run by
hand, late, or after a crash in the middle of a run. Its time of day (Asia/Shanghai) is ``at`` unless
``XINYONG_JOB_TIMES`` names another one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

from xinyong.core import clock
from xinyong.core.calendar import missing_years_ahead
from xinyong.core.models import CalendarYear

JobFunction = Callable[[], Mapping[str, int]]


class JobFailed(Exception):
    """A job that ran but found something wrong that staff must fix (its message, in Chinese, is shown
    on the health page); the run is recorded as failed."""


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    run: JobFunction
    default_time: dt.time
    #: count name → what it counts, e.g. {"flagged": "新标记逾期异议（件）"}
    counts: Mapping[str, str]

    @property
    def time(self) -> dt.time:
        """The configured time of day (Asia/Shanghai): ``XINYONG_JOB_TIMES`` or the default."""
        configured = settings.XINYONG_JOB_TIMES.get(self.name)
        return dt.time.fromisoformat(configured) if configured else self.default_time

    @property
    def configured(self) -> bool:
        return self.name in settings.XINYONG_JOB_TIMES


_REGISTRY: dict[str, Job] = {}


def register(
    name: str, *, title: str, at: str, counts: Mapping[str, str]
) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function as the daily job ``name`` at ``at`` (``HH:MM``, Asia/Shanghai)."""

    def decorate(run: JobFunction) -> JobFunction:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.run is not run:
            raise ImproperlyConfigured(f"定时任务 {name} 已由 {existing.run.__module__} 注册")
        _REGISTRY[name] = Job(name, title, run, dt.time.fromisoformat(at), dict(counts))
        return run

    return decorate


@cache
def _discover() -> None:
    autodiscover_modules("jobs")


def registered() -> list[Job]:
    """Every registered job, by time of day then name."""
    _discover()
    return sorted(_REGISTRY.values(), key=lambda job: (job.time, job.name))


def get(name: str) -> Job:
    """The job called ``name``; ``KeyError`` names the known ones."""
    _discover()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"没有名为 {name} 的定时任务（可用：{'、'.join(sorted(_REGISTRY))}）") from None


# The kernel's own job. It fails (rather than reporting a count) so the health page shows the missing
# year in red, as ``xinyong calendar check`` exits 1 for it.
@register(
    "calendar-check",
    title="工作日历覆盖检查",
    at="01:10",
    counts={"years_covered": "已录入年度（个）"},
)
def check_calendar() -> dict[str, int]:
    years = set(CalendarYear.objects.values_list("year", flat=True))
    missing = missing_years_ahead(years, clock.today())
    if missing:
        raise JobFailed(
            f"工作日历缺少 {'、'.join(map(str, missing))} 年的节假日安排，请录入国务院办公厅通知。"
        )
    return {"years_covered": len(years)}
