"""``xinyong calendar check``: which years the working-day calendar covers, and whether a year that
deadlines will soon need is missing (this year always, next year from October). Exit status 1 with a
message when one is, for cron and monitoring."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinyong.core import clock
from xinyong.core.calendar import WorkingCalendar, missing_years_ahead, years_wanted


class Command(BaseCommand):
    help = "Check the working-day calendar (工作日历) covers the years deadlines will need."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["check"])

    def handle(self, *args: Any, job: str, **options: Any) -> None:
        calendar = WorkingCalendar.load()
        today = clock.today()
        covered = "、".join(str(y) for y in sorted(calendar.years)) or "无"
        self.stdout.write(f"工作日历已录入年度：{covered}")
        missing = missing_years_ahead(calendar.years, today)
        if missing:
            years = "、".join(str(y) for y in missing)
            raise CommandError(
                f"工作日历缺少 {years} 年的节假日安排（今天 {today}）：请录入国务院办公厅通知，"
                "见 docs/operations.md“工作日历”。"
            )
        self.stdout.write("工作日历覆盖今年" + ("和明年" if len(years_wanted(today)) > 1 else "") + "。")
