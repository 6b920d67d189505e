"""``xinyong disputes overdue [--date YYYY-MM-DD]``: flag and escalate objections past a due date.
Idempotent (each step of a case is escalated once); schedule it daily (docs/operations.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from xinyong.core import clock
from xinyong.disputes.services import flag_overdue_objections


class Command(BaseCommand):
    help = "Flag objections whose current step is overdue and tell the handlers (异议逾期督办)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job", choices=["overdue"])
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="judge as of this date (default today)"
        )

    def handle(self, *args: Any, job: str, date: dt.date | None = None, **options: Any) -> None:
        flagged = flag_overdue_objections(date or clock.today())
        self.stdout.write(f"新标记逾期异议 {len(flagged)} 件" + "".join(f"\n  {o.number}" for o in flagged))
