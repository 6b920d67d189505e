"""``xinyong report``: issue a report from the command line, reissue one, purge expired files, load
the financial list.

    xinyong report CODE --edition special --years 3 --out FILE
    xinyong report reissue NUMBER [--out FILE]
    xinyong report purge                       (daily: files past the 10-year retention)
    xinyong report overdue                     (daily: financial-edition confirmations past their deadline)
    xinyong report financial-list FILE.csv     (columns 统一社会信用代码,企业名称[,列入事由])
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xinyong.audit.services import Actor
from xinyong.core.errors import PlatformError
from xinyong.reports import financial_list, services
from xinyong.reports.models import Edition, Report
from xinyong.reports.storage import get_storage
from xinyong.subjects.codes import normalise, uscc_problem

OPERATOR = "xinyong report"


class Command(BaseCommand):
    help = "Issue, reissue and archive credit reports (专项信用报告)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("target", help="a subject code, or: reissue | purge | overdue | financial-list")
        parser.add_argument(
            "argument", nargs="?", help="the report number (reissue) or CSV file (financial-list)"
        )
        parser.add_argument("--edition", choices=Edition.values, default=Edition.SPECIAL)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--out", type=Path, help="write the signed PDF here")

    def handle(self, *args: Any, target: str, argument: str | None, **options: Any) -> None:
        try:
            if target == "reissue":
                self._reissue(self._need(argument, "NUMBER"), options["out"])
            elif target == "purge":
                self.stdout.write(f"已删除超过保存期限的报告文件 {services.purge_expired()} 份")
            elif target == "overdue":
                flagged = services.flag_overdue_confirmations()
                self.stdout.write(f"新标记逾期未确认的部门确认 {flagged} 个")
            elif target == "financial-list":
                self._financial_list(Path(self._need(argument, "FILE.csv")))
            else:
                self._issue(normalise(target), options["edition"], options["years"], options["out"])
        except PlatformError as e:
            raise CommandError(f"{e.error.code}: {e.message}") from e

    @staticmethod
    def _need(value: str | None, name: str) -> str:
        if not value:
            raise CommandError(f"缺少参数 {name}")
        return value

    def _write(self, report: Report, out: Path | None) -> None:
        if out is not None:
            out.write_bytes(get_storage().open(report.pdf_name))
        self.stdout.write(
            f"{report.number} 验证码 {report.verification_code} {report.get_state_display()}"
            + (f" → {out}" if out else "")
        )

    def _issue(self, code: str, edition: str, years: int, out: Path | None) -> None:
        report = services.request_report(
            services.Requester(None, OPERATOR), code, edition=edition, years=years
        )
        if report.state != Report.State.ISSUED:
            out = None  # the financial edition waits for the departments
        self._write(report, out)

    def _reissue(self, number: str, out: Path | None) -> None:
        report = Report.objects.filter(number=number).first()
        if report is None:
            raise CommandError(f"报告 {number} 不存在")
        services.reissue(report, actor=Actor.system(OPERATOR))
        report.refresh_from_db()
        self._write(report, out)

    def _financial_list(self, path: Path) -> None:
        """Add or update the listed companies; rows with a bad code are reported and nothing is written."""
        rows: list[tuple[str, str, str]] = []
        problems: list[str] = []
        with path.open(encoding="utf-8-sig", newline="") as f:
            for number, row in enumerate(csv.reader(f), start=1):
                if number == 1 and row and row[0].strip() == "统一社会信用代码":
                    continue
                code = normalise(row[0]) if row else ""
                if not code or uscc_problem(code) is not None or len(row) < 2 or not row[1].strip():
                    problems.append(f"第 {number} 行：统一社会信用代码或企业名称无效")
                    continue
                rows.append((code, row[1].strip(), row[2].strip() if len(row) > 2 else ""))
        if problems:
            raise CommandError("；".join(problems[:20]))
        with transaction.atomic():
            for code, name, reason in rows:
                financial_list.put_entry(code, name, reason, actor=Actor.system(f"{OPERATOR} {path.name}"))
        self.stdout.write(f"金融专用版企业名单：{len(rows)} 家")
