"""``xinyong repairs overdue``: flag repair steps past their deadline and tell their reviewers.
Idempotent (each step is flagged once); run it daily from the scheduler or cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinyong.repairs.services import flag_overdue_repairs


class Command(BaseCommand):
    help = "Flag overdue credit repair steps (信用修复逾期)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job", choices=["overdue"])

    def handle(self, *args: Any, job: str, **options: Any) -> None:
        self.stdout.write(f"新标记逾期环节 {len(flag_overdue_repairs())} 个")
