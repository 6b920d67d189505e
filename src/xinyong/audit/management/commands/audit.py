"""``xinyong audit verify`` and ``xinyong audit export``: check the audit chain, hand it to a regulator."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinyong.audit import export
from xinyong.audit.services import Actor
from xinyong.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit hash chain (exit status 1 names the first bad entry) or export it with its proof."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute the whole chain; exit status 1 if anything was altered")
        out = sub.add_parser("export", help="CSV or JSON of the trail with the chain proof")
        out.add_argument("--format", choices=["csv", "json"], required=True)
        out.add_argument("--since", type=_date, help="first day, YYYY-MM-DD (Beijing time)")
        out.add_argument("--until", type=_date, help="last day, inclusive, YYYY-MM-DD")
        out.add_argument("--subject", default="", help="only entries about this subject code")
        out.add_argument("--out", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _verify(self, **_: Any) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"审计链完整：已核验 {result.checked} 条")
            return
        self.stdout.write(f"已核验 {result.checked} 条")
        self.stderr.write(f"审计链在第 {result.first_bad_seq} 条处不一致：{result.reason_zh}")
        self.stderr.write(f"audit chain broken at seq {result.first_bad_seq}: {result.reason_en}")
        # Exit status, not an exception: scripts and monitoring read it; the message is already out.
        sys.exit(1)

    def _export(
        self,
        *,
        format: str,
        since: dt.date | None,
        until: dt.date | None,
        subject: str,
        out: Path | None,
        **_: Any,
    ) -> None:
        if since and until and since > until:
            raise CommandError(f"起始日期 {since} 晚于截止日期 {until}")
        selection = export.Selection.of_days(since, until, subject)
        span, chunks = export.open_export(
            selection,
            format,
            actor=Actor.system("xinyong audit export"),
            detail={"since": since, "until": until, "out": str(out or "")},
        )
        if out is None:
            self.stdout.ending = ""  # chunks carry their own line ends
            for chunk in chunks:
                self.stdout.write(chunk)
            return
        with out.open("w", encoding="utf-8", newline="") as file:
            file.writelines(chunks)
        if span.count:
            self.stdout.write(f"已导出 {span.count} 条（序号 {span.first_seq}–{span.last_seq}）到 {out}")
        else:
            self.stdout.write(f"没有符合条件的审计日志；已写出只含表头的 {out}")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD，而不是 {text!r}") from None
