"""Periodic jobs run by themselves: the scheduler runs each registered job once per day's slot (twice
ticking, two schedulers, or a late start change nothing), records every run, keeps going past a
failing job, and centre staff see an alarm when a job has not succeeded for 26 hours."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings

from xinyong.accounts.models import Role, User
from xinyong.conftest import ProviderPersona, centre_staff
from xinyong.core import clock, jobs, scheduler
from xinyong.core.checks import check_job_times
from xinyong.core.models import CalendarYear, JobRun
from xinyong.settings import env_times

pytestmark = pytest.mark.django_db

ALARM = "个定时任务超过 26 小时没有成功运行"
EVERY_JOB = {
    "publication-expire",
    "supervision-warnings",
    "disputes-overdue",
    "disputes-arrivals",
    "repairs-overdue",
    "commitments-overdue",
    "calendar-check",
    "reports-purge",
    "reports-confirmations-overdue",
    "exchange-upstream",
    "exchange-watch",
}


@pytest.fixture(autouse=True)
def covered_calendar() -> None:
    # calendar-check fails without this and next year (the demo calendar's years are the suite's).
    for year in (2026, 2027):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "测试"})


@pytest.fixture
def centre() -> Client:
    client = Client()
    client.force_login(centre_staff("catalogue", Role.CATALOGUE_ADMIN))
    return client


@pytest.fixture
def installed_long_ago() -> None:
    """The run table has existed for days, so a job that never succeeded is overdue."""
    MigrationRecorder.Migration.objects.filter(app="core", name=scheduler.RUNS_MIGRATION).update(
        applied=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )


def _runs(**filters: Any) -> list[tuple[str, dt.date, str]]:
    rows = JobRun.objects.filter(**filters).order_by("job", "slot")
    return [(run.job, run.slot, run.outcome) for run in rows]


def test_it_registers_every_periodic_job_of_every_app() -> None:
    assert {job.name for job in jobs.registered()} == EVERY_JOB


def test_every_registered_job_is_in_the_operations_doc_with_its_default_time() -> None:
    doc = (settings.REPO_DIR / "docs" / "operations.md").read_text(encoding="utf-8")

    for job in jobs.registered():
        assert f"| `{job.name}` | {job.default_time:%H:%M} |" in doc, job.name


def test_it_runs_the_jobs_due_after_midnight_once_even_when_the_tick_runs_twice() -> None:
    """GIVEN yesterday's runs done, WHEN the clock passes midnight and then 00:35 and the tick runs
    twice each time, THEN each job whose time has come runs once for today, the others wait."""
    with time_machine.travel("2026-11-22 23:59 +0800", tick=False):
        first = scheduler.tick()
        assert {run.job for run in first} == EVERY_JOB
        assert {run.slot for run in first} == {dt.date(2026, 11, 22)}
    with time_machine.travel("2026-11-23 00:01 +0800", tick=False):
        assert scheduler.tick() == []  # nothing of the 23rd is due before 00:05
    with time_machine.travel("2026-11-23 00:35 +0800", tick=False):
        ran = scheduler.tick()
        again = scheduler.tick()

    assert again == []
    assert sorted(run.job for run in ran) == [
        "disputes-overdue",
        "publication-expire",
        "supervision-warnings",
    ]
    today = _runs(slot=dt.date(2026, 11, 23))
    assert today == [
        ("disputes-overdue", dt.date(2026, 11, 23), "ok"),
        ("publication-expire", dt.date(2026, 11, 23), "ok"),
        ("supervision-warnings", dt.date(2026, 11, 23), "ok"),
    ]
    assert JobRun.objects.count() == len(EVERY_JOB) + 3


def test_a_second_scheduler_cannot_claim_a_slot_already_claimed() -> None:
    job = jobs.get("repairs-overdue")
    day = dt.date(2026, 11, 23)

    assert scheduler.claim(job, day) is not None
    assert scheduler.claim(job, day) is None
    assert JobRun.objects.filter(job=job.name).count() == 1


def test_a_run_missed_while_the_platform_was_down_runs_once_when_it_comes_back() -> None:
    with time_machine.travel("2026-11-20 03:00 +0800", tick=False):
        scheduler.tick()
    # down from the 20th until the 23rd at 09:00: only the latest slot runs, once
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False):
        ran = scheduler.tick()
        scheduler.tick()

    assert {run.job for run in ran} == EVERY_JOB
    assert {run.slot for run in ran} == {dt.date(2026, 11, 23)}
    assert JobRun.objects.filter(slot__in=[dt.date(2026, 11, 21), dt.date(2026, 11, 22)]).count() == 0


@pytest.fixture
def broken_purge(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    job = jobs.get("reports-purge")

    def explode() -> dict[str, int]:
        raise RuntimeError("存储不可用")

    monkeypatch.setitem(
        jobs._REGISTRY, job.name, jobs.Job(job.name, job.title, explode, job.default_time, job.counts)
    )
    yield


@pytest.mark.usefixtures("broken_purge")
def test_a_failing_job_is_recorded_failed_and_the_others_still_run() -> None:
    with time_machine.travel("2026-11-23 03:00 +0800", tick=False):
        ran = scheduler.tick()

    assert {run.job for run in ran} == EVERY_JOB
    failed = JobRun.objects.get(job="reports-purge")
    assert failed.outcome == JobRun.Outcome.FAILED
    assert "RuntimeError: 存储不可用" in failed.error
    assert failed.finished_at is not None
    assert JobRun.objects.exclude(job="reports-purge").exclude(outcome=JobRun.Outcome.OK).count() == 0
    # the failed slot is not retried by the scheduler: the next day's slot is
    with time_machine.travel("2026-11-23 04:00 +0800", tick=False):
        assert scheduler.tick() == []


def test_it_runs_a_job_at_the_time_the_settings_give() -> None:
    with override_settings(XINYONG_JOB_TIMES={"reports-purge": "00:15"}):
        job = jobs.get("reports-purge")
        assert job.time == dt.time(0, 15)
        assert scheduler.latest_slot(job, dt.datetime(2026, 11, 23, 0, 14, tzinfo=clock.CHINA)) == dt.date(
            2026, 11, 22
        )
        assert scheduler.latest_slot(job, dt.datetime(2026, 11, 23, 0, 15, tzinfo=clock.CHINA)) == dt.date(
            2026, 11, 23
        )


def test_a_time_for_an_unknown_job_fails_the_system_check() -> None:
    with override_settings(XINYONG_JOB_TIMES={"reports-purg": "03:00"}):
        errors = check_job_times()

    assert [e.id for e in errors] == ["core.E010"]
    assert "reports-purg" in errors[0].msg


def test_jobs_run_runs_one_by_hand_and_records_it_even_after_its_scheduled_run() -> None:
    with time_machine.travel("2026-11-23 03:00 +0800", tick=False):
        scheduler.tick()
        call_command("jobs", "run", "repairs-overdue")

    assert _runs(job="repairs-overdue") == [("repairs-overdue", dt.date(2026, 11, 23), "ok")] * 2
    assert JobRun.objects.filter(job="repairs-overdue", trigger=JobRun.Trigger.MANUAL).count() == 1


@pytest.mark.usefixtures("broken_purge")
def test_jobs_run_fails_loudly_for_a_failing_or_unknown_job() -> None:
    with pytest.raises(CommandError, match="存储不可用"):
        call_command("jobs", "run", "reports-purge")
    with pytest.raises(CommandError, match="没有名为 nope 的定时任务"):
        call_command("jobs", "run", "nope")

    assert _runs() == [("reports-purge", clock.today(), "failed")]


@pytest.mark.usefixtures("installed_long_ago")
@pytest.mark.parametrize(
    ("later", "alarm"),
    [(dt.timedelta(hours=25, minutes=59), False), (dt.timedelta(hours=26), True)],
    ids=["25h59m", "26h"],
)
def test_it_alarms_when_a_job_has_not_succeeded_for_26_hours(
    centre: Client, later: dt.timedelta, alarm: bool
) -> None:
    succeeded = dt.datetime(2026, 11, 23, 1, 0, tzinfo=clock.CHINA)
    with time_machine.travel(succeeded, tick=False):
        scheduler.run_now(jobs.get("reports-purge"))
    with time_machine.travel(succeeded + later, tick=False):
        for job in jobs.registered():
            if job.name != "reports-purge":
                scheduler.run_now(job)  # the others are fresh
        page = centre.get("/workspace/").content.decode()

    assert (ALARM in page) is alarm
    if alarm:
        assert "有 1 个定时任务" in page
        assert "删除超过保存期限的报告文件（reports-purge）" in page


@pytest.mark.usefixtures("installed_long_ago")
def test_it_alarms_when_the_scheduler_never_ran_and_shows_it_on_the_admin(centre: Client) -> None:
    assert f"有 {len(EVERY_JOB)} {ALARM}" in centre.get("/workspace/").content.decode()
    admin = centre.get("/admin/").content.decode()
    assert ALARM in admin
    assert 'href="/centre/jobs/"' in admin  # the health page is one click from the admin too


def test_a_fresh_installation_is_no_alarm(centre: Client) -> None:
    assert ALARM not in centre.get("/workspace/").content.decode()


@pytest.mark.usefixtures("installed_long_ago")
def test_provider_staff_see_no_alarm_and_no_health_page(market_bureau: ProviderPersona) -> None:
    client = Client()
    client.force_login(
        User.objects.create_user("scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider)
    )

    assert ALARM not in client.get("/workspace/").content.decode()
    assert client.get("/centre/jobs/").status_code == 403


@pytest.mark.usefixtures("broken_purge")
def test_the_health_page_shows_each_job_its_latest_run_and_every_run_paginated(centre: Client) -> None:
    with time_machine.travel("2026-11-23 03:00 +0800", tick=False):
        scheduler.tick()
    JobRun.objects.bulk_create(
        JobRun(job="disputes-overdue", slot=dt.date(2026, 10, 1), trigger=JobRun.Trigger.MANUAL,
               started_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC), outcome=JobRun.Outcome.OK)
        for _ in range(60)
    )  # fmt: skip

    page = centre.get("/centre/jobs/").content.decode()
    second = centre.get("/centre/jobs/?page=2").content.decode()

    assert "定时任务运行情况" in page
    assert "异议逾期督办" in page and "00:30" in page
    assert "新标记逾期异议（件）：0" in page
    assert "失败" in page and "存储不可用" in page
    assert "第 1 / 2 页" in page
    assert "第 2 / 2 页" in second


def test_a_job_that_meets_a_locked_database_is_run_again_not_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    job = jobs.get("repairs-overdue")
    calls = []

    def locked_once() -> dict[str, int]:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return {"flagged": 0}

    monkeypatch.setattr("xinyong.core.worker.time.sleep", lambda seconds: None)
    monkeypatch.setitem(
        jobs._REGISTRY, job.name, jobs.Job(job.name, job.title, locked_once, job.default_time, job.counts)
    )

    run = scheduler.run_now(jobs.get("repairs-overdue"))

    assert (run.outcome, run.counts, len(calls)) == ("ok", {"flagged": 0}, 2)


def test_the_scheduler_loop_carries_on_after_a_tick_that_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()
    ticks = []

    def tick() -> list[JobRun]:
        ticks.append(1)
        if len(ticks) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        stop.set()
        return []

    monkeypatch.setattr(scheduler, "tick", tick)
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)  # the test's own transaction

    scheduler.run_forever(stop, interval=0)

    assert len(ticks) == 2


def test_job_times_are_read_from_the_environment_and_a_bad_one_fails_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XINYONG_JOB_TIMES", " reports-purge=03:30 , calendar-check=09:00,")
    assert env_times("XINYONG_JOB_TIMES") == {"reports-purge": "03:30", "calendar-check": "09:00"}

    monkeypatch.setenv("XINYONG_JOB_TIMES", "reports-purge=3.30")
    with pytest.raises(ValueError, match="is not NAME=HH:MM"):
        env_times("XINYONG_JOB_TIMES")
