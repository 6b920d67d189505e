"""The task worker that outlives database trouble (``xinyong worker``).

django-tasks-db's worker already skips a locked database while it *claims* a task, but anything else
a database can do ends it: "database is locked" when it opens its exclusive transaction or saves a
result, a PostgreSQL connection dropped by a restart or a failover. A worker that dies leaves uploads
queued with nobody to run them. Here a transient error is logged and the loop starts again after a
back-off (``backoff_seconds``: 0.5 s doubling to ``BACKOFF_CAP_SECONDS``); after ``MAX_FAILURES``
failures in a row the worker exits non-zero, and ``xinyong serve`` restarts it or gives up loudly.
Errors that are not transient (a missing table, a programming error) end the worker at once, logged.

``retry_transient`` gives a task the same treatment: an import that hit a locked database is run
again from its checkpoint instead of being marked failed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: The first wait after a transient error, doubled at each failure in a row up to the cap.
BACKOFF_FIRST_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 30.0
#: Failures in a row before giving up (about five minutes of waiting with the back-off above).
MAX_FAILURES = 14


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` may pass by itself: SQLite's "database is locked" / "busy", or on a server
    database a lost, refused or reset connection, a lock timeout or a serialisation failure (all
    ``OperationalError``). SQLite's other operational errors ("no such table") do not pass."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if connection.vendor == "sqlite":
        return is_locked_database_exception(error) or "busy" in str(error).lower()
    return True


def backoff_seconds(failures: int) -> float:
    """The wait after the ``failures``-th transient error in a row (1-based)."""
    return float(min(BACKOFF_CAP_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** (failures - 1)))


def _reset_connections() -> None:
    # A connection that failed may be unusable; the next query opens a fresh one. One inside a caller's
    # transaction is left alone: closing it would end that transaction, which the caller owns.
    for alias in connections:
        if connections[alias].in_atomic_block:
            continue
        try:
            connections[alias].close()
        except DatabaseError:
            logger.debug("closing a failed connection failed too", exc_info=True)


def retry_transient(call: Callable[[], T], *, what: str, attempts: int = MAX_FAILURES) -> T:
    """``call()``, run again after a back-off when it fails with a transient database error, at most
    ``attempts`` times in all; the last error propagates."""
    for failure in range(1, attempts + 1):
        try:
            return call()
        except DatabaseError as error:
            if not is_transient(error) or failure == attempts:
                raise
            delay = backoff_seconds(failure)
            logger.warning(
                "%s：数据库暂时不可用（%s），%.1f 秒后第 %d 次重试",
                what,
                error,
                delay,
                failure,
                exc_info=True,
            )
            _reset_connections()
            time.sleep(delay)
    raise AssertionError("unreachable: the loop returns or raises")


class ResilientWorker(Worker):
    """django-tasks-db's ``Worker`` whose loop restarts after transient database errors."""

    def run(self) -> None:
        failures = 0
        while True:
            started = time.monotonic()
            try:
                super().run()
                return
            except DatabaseError as error:
                if not is_transient(error):
                    logger.exception("任务进程因数据库错误退出")
                    raise
                if time.monotonic() - started > BACKOFF_CAP_SECONDS:
                    failures = 0  # it worked for a while: a new spell of trouble, not the same one
                failures += 1
                if failures >= MAX_FAILURES:
                    logger.exception("任务进程连续 %d 次遇到数据库错误，退出", failures)
                    raise
                delay = backoff_seconds(failures)
                logger.warning(
                    "任务进程遇到数据库暂时性错误（%s），%.1f 秒后继续（连续第 %d 次）",
                    error,
                    delay,
                    failures,
                    exc_info=True,
                )
                _reset_connections()
                self.startup_delay = False
                time.sleep(delay)
            if not self.running:
                return
