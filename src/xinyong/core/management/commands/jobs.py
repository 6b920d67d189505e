"""``xinyong jobs list``: every registered periodic job, its time of day and its latest run.
``xinyong jobs run NAME``: run one now, recorded like a scheduled run (exit status 1 if it failed).

The jobs run by themselves in ``xinyong serve`` (its worker); see docs/operations.md "Periodic jobs".
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.timezone import localtime

from xinyong.core import jobs, scheduler
from xinyong.core.models import JobRun


class Command(BaseCommand):
    help = "List the periodic jobs (定时任务) or run one by hand."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "run"])
        parser.add_argument("name", nargs="?", help="the job to run (xinyong jobs list names them)")

    def handle(self, *args: Any, action: str, name: str | None, **options: Any) -> None:
        if action == "list":
            self._list()
            return
        if not name:
            raise CommandError("请指定任务名称：xinyong jobs run NAME（xinyong jobs list 列出全部）")
        try:
            job = jobs.get(name)
        except KeyError as e:
            raise CommandError(e.args[0]) from None
        run = scheduler.run_now(job)
        if run.outcome != JobRun.Outcome.OK:
            raise CommandError(f"{job.name}（{job.title}）失败：{run.error_summary}")
        counts = "，".join(f"{job.counts.get(k, k)} {v}" for k, v in run.counts.items()) or "无"
        self.stdout.write(f"{job.name}（{job.title}）完成：{counts}")

    def _list(self) -> None:
        for job in jobs.registered():
            last = JobRun.objects.filter(job=job.name).order_by("-started_at").first()
            state = (
                f"{last.get_outcome_display()} {localtime(last.started_at):%Y-%m-%d %H:%M}"
                if last
                else "从未运行"
            )
            source = "XINYONG_JOB_TIMES" if job.configured else "默认"
            self.stdout.write(f"{job.name:<22} {job.time:%H:%M}（{source}）  {job.title}  · 最近：{state}")
