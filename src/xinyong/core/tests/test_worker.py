"""The task worker outlives database trouble: a locked or lost database is waited out with a back-off
(collection/tests/test_import_retry.py: the import task does the same)."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, ProgrammingError
from django_tasks_db.management.commands.db_worker import Worker

from xinyong.core import worker as core_worker
from xinyong.core.worker import MAX_FAILURES, ResilientWorker


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(core_worker.time, "sleep", waited.append)  # type: ignore[attr-defined]  # the module the worker sleeps through
    return waited


def _worker() -> ResilientWorker:
    return ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )


def _loop_failing(monkeypatch: pytest.MonkeyPatch, errors: list[Exception]) -> list[int]:
    """The library's loop raises ``errors`` one per run, then returns; returns the run counter."""
    runs = [0]

    def run(self: Worker) -> None:
        runs[0] += 1
        if errors:
            raise errors.pop(0)

    monkeypatch.setattr(Worker, "run", run)
    return runs


def test_it_carries_on_after_a_locked_database_with_a_growing_back_off(
    monkeypatch: pytest.MonkeyPatch, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    runs = _loop_failing(monkeypatch, [OperationalError("database is locked") for _ in range(3)])

    with caplog.at_level(logging.WARNING, logger="xinyong.core.worker"):
        _worker().run()

    assert runs == [4]
    assert sleeps == [0.5, 1.0, 2.0]
    assert sum("数据库暂时性错误（database is locked）" in m for m in caplog.messages) == 3


def test_it_gives_up_after_too_many_failures_in_a_row(
    monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    _loop_failing(monkeypatch, [OperationalError("database is locked") for _ in range(MAX_FAILURES + 5)])

    with pytest.raises(OperationalError):
        _worker().run()

    assert len(sleeps) == MAX_FAILURES - 1
    assert max(sleeps) == core_worker.BACKOFF_CAP_SECONDS


def test_an_error_that_will_not_pass_ends_it_at_once(
    monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    _loop_failing(monkeypatch, [ProgrammingError("relation does not exist")])

    with pytest.raises(ProgrammingError):
        _worker().run()

    assert sleeps == []
