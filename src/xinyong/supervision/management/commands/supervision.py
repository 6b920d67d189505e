"""``xinyong supervision warnings``: raise the social credit warnings intake has not raised and withdraw
those no longer due (a late run, lists removed or expired, records revoked or repaired). Idempotent; run
it daily from the scheduler or cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinyong.supervision.services import review_warnings


class Command(BaseCommand):
    help = "Raise and withdraw the social credit warnings due today (社会信用预警)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job", choices=["warnings"])

    def handle(self, *args: Any, job: str, **options: Any) -> None:
        changes = review_warnings(None)
        self.stdout.write(f"新发出社会信用预警 {len(changes.raised)} 条，撤回 {len(changes.withdrawn)} 条")
