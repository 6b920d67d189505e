"""``xinyong publication expire``: mark records whose publication window has closed (run daily).
``xinyong publication refresh``: judge every record's publication again after a rulebook correction."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinyong.records.jobs import expire_publications, refresh_publications


class Command(BaseCommand):
    help = "Materialise the end of publication windows (公示期满). Idempotent; reads never depend on it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job", choices=["expire", "refresh"])

    def handle(self, *args: Any, job: str, **options: Any) -> None:
        if job == "refresh":
            self.stdout.write(f"按现行规则库重新判定公示，更新 {refresh_publications()} 条")
        else:
            self.stdout.write(f"公示期满标记 {expire_publications()} 条")
