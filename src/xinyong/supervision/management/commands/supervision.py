"""``xinyong supervision warnings``: raise the social credit warnings intake has not raised and withdraw
those no longer due (a late run, lists removed or expired, records revoked or repaired). Idempotent; run
it daily from the scheduler or cron.

``xinyong supervision evaluate [--date D]``: the public credit composite evaluation of every subject on D
(default today), storing the outcomes that changed (evaluation.services.evaluate)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xinyong.evaluation.services import evaluate
from xinyong.supervision.services import review_warnings


class Command(BaseCommand):
    help = "Raise and withdraw the social credit warnings due today (社会信用预警)."

    def add_arguments(self, parser: CommandParser) -> None:
        jobs = parser.add_subparsers(dest="job", required=True)
        jobs.add_parser("warnings", help="社会信用预警发出与撤回")
        evaluation = jobs.add_parser("evaluate", help="公共信用综合评价（全部主体）")
        evaluation.add_argument("--date", type=dt.date.fromisoformat, help="评价日 YYYY-MM-DD，默认今天")

    def handle(self, *args: Any, job: str, **options: Any) -> None:
        if job == "evaluate":
            self.stdout.write(evaluate_all(options["date"]))
            return
        changes = review_warnings(None)
        self.stdout.write(f"新发出社会信用预警 {len(changes.raised)} 条，撤回 {len(changes.withdrawn)} 条")


def evaluate_all(day: dt.date | None) -> str:
    run = evaluate(day=day)
    return (
        f"{run.day} 评价主体 {run.evaluated} 个，结果变化 {run.changed} 个（{run.model}，{run.seconds} 秒）"
    )
