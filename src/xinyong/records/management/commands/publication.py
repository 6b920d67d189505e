"""``xinyong publication expire``: mark records whose publication window has closed (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinyong.records.jobs import expire_publications


class Command(BaseCommand):
    help = "Materialise the end of publication windows (公示期满). Idempotent; reads never depend on it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job", choices=["expire"])

    def handle(self, *args: Any, job: str, **options: Any) -> None:
        self.stdout.write(f"公示期满标记 {expire_publications()} 条")
