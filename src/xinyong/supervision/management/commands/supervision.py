"""``xinyong supervision warnings``: raise social credit warnings that intake has not (a late run, or
records whose lists changed). Idempotent; run it daily from the scheduler or cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinyong.core import clock, rulebook
from xinyong.records.models import CreditRecord
from xinyong.records.publication import add_months
from xinyong.supervision.services import KEY_ATTENTION, WARNING_RULE, raise_warnings


class Command(BaseCommand):
    help = "Raise the social credit warnings due today (社会信用预警)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job", choices=["warnings"])

    def handle(self, *args: Any, job: str, **options: Any) -> None:
        today = clock.today()
        since = add_months(today, -rulebook.rule(WARNING_RULE, today).value["within_months"])
        codes = (
            CreditRecord.objects.filter(kind_code=KEY_ATTENTION, decision_date__gt=since)
            .values_list("subject_code", flat=True)
            .distinct()
        )
        raised = raise_warnings(codes.iterator())
        self.stdout.write(f"新发出社会信用预警 {len(raised)} 条")
