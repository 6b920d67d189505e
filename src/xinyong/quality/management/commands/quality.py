"""``xinyong quality notice --month YYYY-MM --out DIR``: write the monthly notice as PDF and XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from xinyong.core.errors import PlatformError
from xinyong.quality import notice
from xinyong.quality.months import last_complete_month, parse_month


class Command(BaseCommand):
    help = "数据质量：生成月度通报（PDF 与 XLSX）"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        made = commands.add_parser("notice", help="生成月度通报")
        made.add_argument("--month", help="YYYY-MM，缺省为上一个自然月")
        made.add_argument("--out", required=True, type=Path, help="输出目录")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"]) if options["month"] else last_complete_month()
        except PlatformError as exc:
            raise CommandError(exc.message) from exc
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        built = notice.build(month)
        for fmt, render in (("pdf", notice.render_pdf), ("xlsx", notice.render_xlsx)):
            path = out / notice.filename(month, fmt)
            path.write_bytes(render(built))
            with transaction.atomic():
                notice.record_issue(built, fmt, actor=None)
            self.stdout.write(str(path))
