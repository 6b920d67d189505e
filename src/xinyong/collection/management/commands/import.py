"""``xinyong import FILE --provider CODE``: import a CSV / XLSX / JSON Lines file with progress.

Re-running the same file after a crash or kill resumes from the last committed chunk.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinyong.catalog.models import Provider
from xinyong.collection import errors
from xinyong.collection.models import Batch
from xinyong.collection.services import run_batch, start_file_import
from xinyong.core.errors import PlatformError


class Command(BaseCommand):
    help = "Import a file of credit records for a provider (resumes an interrupted import of the same file)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--provider", required=True, help="the provider's USCC")
        parser.add_argument("--kind", help="record kind code (default: detected from the header)")
        parser.add_argument("--quiet", action="store_true", help="no progress line")

    def handle(
        self, *args: Any, file: Path, provider: str, kind: str | None, quiet: bool, **options: Any
    ) -> None:
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        owner = Provider.objects.filter(code=provider).first()
        if owner is None:
            raise CommandError(PlatformError(errors.PROVIDER_UNKNOWN, code=provider).message)
        started = time.monotonic()
        try:
            batch = start_file_import(owner, file, kind_code=kind)
            if batch.rows_done:
                self.stdout.write(f"续传批次 {batch.pk}：从第 {batch.rows_done + 1} 行继续")
            batch = run_batch(batch, progress=None if quiet else self._progress(started))
        except PlatformError as exc:
            raise CommandError(f"{exc.error.code}: {exc.message}") from None
        if not quiet:
            sys.stderr.write("\n")
        self._summary(batch, time.monotonic() - started)

    def _progress(self, started: float) -> Any:
        def show(batch: Batch) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            total = f"/{batch.rows_estimated}" if batch.rows_estimated else ""
            percent = f" {batch.percent}%" if batch.percent is not None else ""
            sys.stderr.write(
                f"\r批次 {batch.pk}: {batch.rows_done}{total} 行{percent} · {batch.rows_done / elapsed:,.0f} 行/秒 "
            )
            sys.stderr.flush()

        return show

    def _summary(self, batch: Batch, seconds: float) -> None:
        self.stdout.write(
            f"批次 {batch.pk} 完成：新增 {batch.created_count}，新版本 {batch.versioned_count}，"
            f"未变化 {batch.unchanged_count}，重错码 {batch.held_count}，拒收 {batch.rejected_count}（{seconds:.1f} 秒）"
        )
        if batch.rejected_count:
            self.stdout.write(f"拒收明细：/workspace/batches/{batch.pk}/rejections.csv 或 .xlsx")
