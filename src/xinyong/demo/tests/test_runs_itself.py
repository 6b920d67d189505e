"""A fresh demo city runs its daily jobs without cron: the scheduler the worker of ``xinyong serve``
ticks (core.scheduler) finds every job due once the clock passes midnight, and records each run.

``core/tests/test_serve_supervision.py`` shows the worker of a real ``xinyong serve`` ticking; this test
shows the jobs succeed over the demo's data, day after day, without anyone running them."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from xinyong.core import jobs, scheduler
from xinyong.core.models import JobRun
from xinyong.core.testing import travel_to

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_a_fresh_demo_runs_every_daily_job_after_midnight_and_records_it(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR, settings.UPLOAD_DIR = tmp_path, tmp_path / "uploads"
    # June: from October on, the calendar check fails (as it should) until next year's holidays are in.
    with travel_to("2026-06-10 21:00"):
        call_command("demo", subjects=120, seed=2, no_serve=True, stdout=StringIO())
    every_job = {job.name for job in jobs.registered()}

    with travel_to("2026-06-10 23:59"):  # the platform's first tick: each job's latest slot is today's
        assert {run.job for run in scheduler.tick()} == every_job
    with travel_to("2026-06-11 23:00") as clock:  # past midnight and every job's time of day
        ran = scheduler.tick()
        clock.shift(dt.timedelta(minutes=1))
        assert scheduler.tick() == []  # once a day, however often the worker ticks

    assert {run.job for run in ran} == every_job
    runs = JobRun.objects.filter(slot=dt.date(2026, 6, 11))
    assert {(run.job, run.outcome) for run in runs} == {(job, JobRun.Outcome.OK) for job in every_job}
    assert all(run.finished_at is not None for run in runs)
