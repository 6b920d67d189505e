"""``xinyong measures relink``: rebuild every organisation's linked persons (相关责任人) from its records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from xinyong.audit.services import Actor, record
from xinyong.measures.links import rebuild_all


class Command(BaseCommand):
    help = "联合奖惩：relink 重建全部组织的法定代表人、主要负责人、实际控制人关联"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["relink"])

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            links = rebuild_all()
            record(
                actor=Actor.system("xinyong measures relink"),
                action="measures.relink",
                detail={"links": links},
            )
        self.stdout.write(f"已重建 {links} 条相关责任人关联")
