"""Runs the registered periodic jobs (``core.jobs``) at their times, recording every run (``JobRun``).

- **One run per job and day.** A job at 00:30 has one *slot* a day: the day (Asia/Shanghai) whose 00:30
  has passed. A tick runs each job whose latest slot has no scheduled run yet; it claims the slot by
  inserting the run, and the unique constraint on (job, slot) makes a second scheduler (another worker,
  another ``xinyong serve``) fail the insert and run nothing.
- **Late, not lost.** After downtime the latest slot is still unclaimed, so the job runs once when the
  platform comes back; slots of earlier days are not replayed one by one (every job is idempotent and
  catches up on everything due in one run).
- **One failure stops nothing.** A job that raises is recorded failed with its error, logged, and the
  next job runs. A failed slot is not retried by the scheduler (the next day's slot is); staff retry it
  with ``xinyong jobs run NAME`` and see it on the health page and in the 26-hour alarm meanwhile.

``xinyong worker`` runs ``run_forever`` in a thread beside the task queue, so ``xinyong serve``
(which supervises the worker) schedules the jobs without cron.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max

from xinyong.core import clock
from xinyong.core.jobs import Job, JobFailed, registered
from xinyong.core.models import JobRun
from xinyong.core.worker import retry_transient

logger = logging.getLogger(__name__)

#: The migration that created ``JobRun``.
RUNS_MIGRATION = "0003_jobrun"
#: Enough of a traceback to find the failing line; the whole one is in the log.
ERROR_CHARS = 4000


def latest_slot(job: Job, now: dt.datetime) -> dt.date:
    """The day whose run of ``job`` is the latest one due at ``now``."""
    local = now.astimezone(clock.CHINA)
    return local.date() if local.time() >= job.time else local.date() - dt.timedelta(days=1)


def claim(job: Job, slot: dt.date, trigger: str = JobRun.Trigger.SCHEDULE) -> JobRun | None:
    """Insert the run of ``job`` for ``slot``; None when a scheduled run of that slot exists already."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, slot=slot, trigger=trigger, started_at=clock.now())
    except IntegrityError:
        return None


def execute(job: Job, run: JobRun) -> JobRun:
    """Run ``job`` and record the outcome on ``run``; never raises for the job's own errors."""
    try:
        # A locked or dropped database is waited out (the job is idempotent, so it may run again).
        result = retry_transient(job.run, what=f"定时任务 {job.name}")
        counts = {key: int(value) for key, value in result.items()}
    except JobFailed as e:
        logger.warning("定时任务 %s 失败：%s", job.name, e)
        run.outcome, run.counts, run.error = JobRun.Outcome.FAILED, {}, str(e)
    except Exception:
        logger.exception("定时任务 %s 出错", job.name)
        run.outcome, run.counts, run.error = JobRun.Outcome.FAILED, {}, traceback.format_exc()[-ERROR_CHARS:]
    else:
        run.outcome, run.counts, run.error = JobRun.Outcome.OK, counts, ""
    run.finished_at = clock.now()
    retry_transient(
        lambda: run.save(update_fields=["outcome", "counts", "error", "finished_at"]),
        what=f"记录定时任务 {job.name} 的结果",
    )
    return run


def run_now(job: Job) -> JobRun:
    """Run ``job`` by hand (``xinyong jobs run``), recorded like a scheduled run and never refused: a
    manual run is outside the one-per-slot rule, so it can retry a failed slot."""
    run = claim(job, clock.today(), JobRun.Trigger.MANUAL)
    assert run is not None  # manual runs are not unique per slot
    return execute(job, run)


def tick(now: dt.datetime | None = None) -> list[JobRun]:
    """Run every job whose latest slot has no scheduled run yet; returns the runs made here."""
    now = now or clock.now()
    done = []
    for job in registered():
        slot = latest_slot(job, now)
        if JobRun.objects.filter(job=job.name, trigger=JobRun.Trigger.SCHEDULE, slot__gte=slot).exists():
            continue
        run = claim(job, slot)
        if run is not None:  # else another scheduler claimed it a moment ago
            done.append(execute(job, run))
    return done


def run_forever(stop: threading.Event, interval: float | None = None) -> None:
    """Tick until ``stop`` is set: at once, then every ``XINYONG_JOB_TICK_SECONDS``. An error in a tick
    (the database restarting) is logged and the next tick tries again: a scheduler thread that died
    silently would leave the worker looking healthy while no job runs."""
    interval = settings.XINYONG_JOB_TICK_SECONDS if interval is None else interval
    while not stop.is_set():
        close_old_connections()
        try:
            tick()
        except Exception:
            logger.exception("定时任务调度出错，%s 秒后重试", interval)
        stop.wait(interval)


def start_thread() -> tuple[threading.Thread, threading.Event]:
    """``run_forever`` in a daemon thread (it ends with the process: a job cut off mid-run stays
    "运行中" on the health page, and the alarm tells of it once its day has passed)."""
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop,), name="xinyong-scheduler", daemon=True)
    thread.start()
    return thread, stop


def installed_at() -> dt.datetime | None:
    """When the run table was created (its migration applied): the start of the alarm's clock for a job
    that has never succeeded, so a platform whose scheduler never ran at all is noticed too."""
    return (
        MigrationRecorder.Migration.objects.filter(app="core", name=RUNS_MIGRATION)
        .values_list("applied", flat=True)
        .first()
    )


@dataclass(frozen=True)
class JobHealth:
    job: Job
    latest: JobRun | None
    last_success: dt.datetime | None
    #: no success for ``XINYONG_JOB_ALARM_HOURS`` (counted from installation if it never succeeded)
    alarming: bool


def _alarm_check(now: dt.datetime | None) -> Callable[[Job], tuple[dt.datetime | None, bool]]:
    """For each job: its last success, and whether it is alarming. Two queries."""
    cutoff = (now or clock.now()) - dt.timedelta(hours=settings.XINYONG_JOB_ALARM_HOURS)
    ok = JobRun.objects.filter(outcome=JobRun.Outcome.OK).values("job").annotate(last=Max("finished_at"))
    successes: dict[str, dt.datetime] = dict(ok.values_list("job", "last"))
    since = installed_at()

    def check(job: Job) -> tuple[dt.datetime | None, bool]:
        success = successes.get(job.name)
        reference = success or since
        return success, reference is not None and reference <= cutoff

    return check


def stale_jobs(now: dt.datetime | None = None) -> list[Job]:
    """The jobs without a success for ``XINYONG_JOB_ALARM_HOURS`` (counted from installation for a job
    that never succeeded, so a platform whose scheduler never ran is noticed). Two queries."""
    check = _alarm_check(now)
    return [job for job in registered() if check(job)[1]]


def health(now: dt.datetime | None = None) -> list[JobHealth]:
    """Every registered job with its latest run, its last success and whether it is alarming."""
    check = _alarm_check(now)
    newest = JobRun.objects.values("job").annotate(last=Max("pk")).values_list("last", flat=True)
    latest = {run.job: run for run in JobRun.objects.filter(pk__in=newest)}
    return [JobHealth(job, latest.get(job.name), *check(job)) for job in registered()]
