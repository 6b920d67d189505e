"""``xinyong disputes overdue [--date YYYY-MM-DD]``: flag and escalate objections past a due date.
``xinyong disputes arrivals``: link to open objections for an omission (遗漏异议) the records their
departments have reported since. Both idempotent; schedule them daily (docs/operations.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from xinyong.core import clock
from xinyong.disputes.services import flag_overdue_objections, link_arrived_records


class Command(BaseCommand):
    help = (
        "overdue: flag objections whose current step is overdue and tell the handlers (异议逾期督办); "
        "arrivals: link records reported for objections for an omission (遗漏异议补录核对)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job", choices=["overdue", "arrivals"])
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="judge as of this date (default today)"
        )

    def handle(self, *args: Any, job: str, date: dt.date | None = None, **options: Any) -> None:
        if job == "arrivals":
            linked = link_arrived_records()
            self.stdout.write(f"新关联补录记录 {len(linked)} 件" + "".join(f"\n  {o.number}" for o in linked))
            return
        flagged = flag_overdue_objections(date or clock.today())
        self.stdout.write(f"新标记逾期异议 {len(flagged)} 件" + "".join(f"\n  {o.number}" for o in flagged))
