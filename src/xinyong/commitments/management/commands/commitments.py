"""``xinyong commitments overdue``: flag pending commitments past their deadline and tell the units
that accepted them. Idempotent (each commitment is flagged once); run it daily from the scheduler."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xinyong.commitments.services import flag_overdue_commitments


class Command(BaseCommand):
    help = "Flag credit commitments past their fulfilment deadline (逾期未践诺)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["overdue"])

    def handle(self, *args: Any, job: str, **options: Any) -> None:
        flagged = flag_overdue_commitments()
        for c in flagged:
            self.stdout.write(
                f"{c.number} {c.subject_name} {c.matter} 践诺期限 {c.deadline} · {c.accepted_by}"
            )
        self.stdout.write(f"新标记逾期未践诺承诺 {len(flagged)} 项")
