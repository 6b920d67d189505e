"""``xinyong supervision <subcommand>``: supervision's jobs by hand. One plain subparser per subcommand.

- ``warnings [--date D]``: raise the social credit warnings (社会信用预警) and credit risk warnings
  (信用风险预警) due on the day and withdraw those no longer due (a late run, lists removed or expired,
  records revoked or repaired). Idempotent; run it daily from the scheduler or cron.
- ``interviews-overdue [--date D]``: flag the interviews (约谈) past their rectification deadline without
  an outcome.
- ``evaluate [--date D]``: the public credit composite evaluation (公共信用综合评价) of every subject on D
  (default today), storing the outcomes that changed (``evaluation.services.evaluate``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinyong.core import clock
from xinyong.evaluation.services import evaluate
from xinyong.supervision.interviews import flag_overdue_interviews
from xinyong.supervision.risk import review_risk_warnings
from xinyong.supervision.services import review_warnings


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date 须为 YYYY-MM-DD 格式的日期：{value}") from exc


def _at(options: dict[str, Any]) -> dt.datetime:
    """The instant of the run: now, or the end of the day ``--date`` (what had happened by then)."""
    day = options.get("date")
    if day is None:
        return clock.now()
    return clock.start_of_day(day + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)


class Command(BaseCommand):
    help = "Supervision jobs (监管): warnings, interviews-overdue, evaluate."

    def add_arguments(self, parser: Any) -> None:
        jobs = parser.add_subparsers(dest="job", required=True)
        warnings = jobs.add_parser("warnings", help="社会信用预警与信用风险预警的发出与撤回")
        warnings.add_argument("--date", type=_day, help="按该日结束时的情况判断（默认：现在）")
        overdue = jobs.add_parser("interviews-overdue", help="标记整改期限届满未认定结果的约谈")
        overdue.add_argument("--date", type=_day, help="判断逾期的日期（默认：今天）")
        evaluation = jobs.add_parser("evaluate", help="公共信用综合评价（全部主体）")
        evaluation.add_argument("--date", type=_day, help="评价日 YYYY-MM-DD，默认今天")

    def handle(self, *args: Any, job: str, **options: Any) -> None:
        if job == "evaluate":
            run = evaluate(day=options["date"])
            self.stdout.write(
                f"{run.day} 评价主体 {run.evaluated} 个，结果变化 {run.changed} 个（{run.model}，{run.seconds} 秒）"
            )
            return
        at = _at(options)
        if job == "warnings":
            social = review_warnings(None, at=at)
            risk = review_risk_warnings(None, at=at)
            self.stdout.write(
                f"新发出社会信用预警 {len(social.raised)} 条，撤回 {len(social.withdrawn)} 条；"
                f"新发出信用风险预警 {len(risk.raised)} 条，撤回 {len(risk.withdrawn)} 条"
            )
        elif job == "interviews-overdue":
            flagged = flag_overdue_interviews(today=clock.local_date(at))
            self.stdout.write(f"新标记逾期未认定整改结果的约谈 {len(flagged)} 件")
