"""``xinyong worker``: run queued background tasks (file imports) from the database queue, and the
periodic jobs at their times.

django-tasks-db's worker loop, restarted after transient database errors (``core.worker``). It stops
on SIGTERM or SIGINT once the task in hand is finished (a second signal ends the task too). Beside it a
thread runs the scheduler (``core.scheduler``) unless ``--no-scheduler``: any number of workers may run
it, each day's run of a job is claimed once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from xinyong.core import scheduler
from xinyong.core.worker import ResilientWorker


class Command(BaseCommand):
    help = "Run the background task worker (imports uploaded on the web)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls of an empty queue"
        )
        parser.add_argument(
            "--no-scheduler", action="store_true", help="do not run the periodic jobs (xinyong jobs list)"
        )

    def handle(self, *args: Any, interval: float, verbosity: int, no_scheduler: bool, **options: Any) -> None:
        # The library's log set-up: its messages on stdout unless logging is configured otherwise.
        DbWorkerCommand().configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=interval,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=True,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        if not no_scheduler:
            scheduler.start_thread()
        worker.run()
