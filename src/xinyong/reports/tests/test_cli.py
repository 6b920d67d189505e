"""``xinyong report``: issue to a file, reissue, purge, and load the financial list."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from xinyong.audit.models import AuditEntry
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona
from xinyong.reports.models import FinancialListEntry, Report, ReportFile
from xinyong.reports.queries import Status, verify_file

pytestmark = pytest.mark.django_db


def _run(*args: object, **options: object) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out, **options)
    return out.getvalue()


def test_it_issues_a_report_to_a_file_and_reissues_it(penalised: ProviderPersona, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    printed = _run(COMPANY_USCC, edition="special", years=3, out=out)
    report = Report.objects.get()
    assert report.number in printed and report.basis == "system"
    assert verify_file(out.read_bytes()).status is Status.AUTHENTIC
    again = tmp_path / "again.pdf"
    _run("reissue", report.number, out=again)
    assert ReportFile.objects.filter(report=report).count() == 2
    assert verify_file(again.read_bytes()).status is Status.AUTHENTIC
    assert AuditEntry.objects.filter(action="reports.reissue", actor_type="system").exists()


def test_it_says_what_is_wrong(penalised: ProviderPersona) -> None:
    with pytest.raises(CommandError, match=r"report\.invalid_years"):
        _run(COMPANY_USCC, years=4)
    with pytest.raises(CommandError, match=r"request\.not_found"):
        _run(OTHER_COMPANY_USCC)
    with pytest.raises(CommandError, match="不存在"):
        _run("reissue", "XY20260101AAAAAA")
    assert not Report.objects.exists()


def test_the_financial_list_loads_all_rows_or_none(db: None, tmp_path: Path) -> None:
    good = tmp_path / "list.csv"
    good.write_text(
        f"统一社会信用代码,企业名称,列入事由\n{COMPANY_USCC},厦门鹭江贸易有限公司,拟上市\n", encoding="utf-8"
    )
    assert "1 家" in _run("financial-list", str(good))
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{OTHER_COMPANY_USCC},另一家公司\n91350200ABCDEFGHIJ,坏代码公司\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        _run("financial-list", str(bad))
    assert list(FinancialListEntry.objects.values_list("subject_code", flat=True)) == [COMPANY_USCC]
    loaded = AuditEntry.objects.filter(action="reports.financial_list")
    assert [(e.subject_code, e.actor_type) for e in loaded] == [(COMPANY_USCC, "system")]
