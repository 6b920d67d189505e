"""The report PDF says 第 N 页 共 M 页 on every page, shows the issuing centre's seal beside the
signature note, and carries its document properties."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from xinyong.accounts.models import User
from xinyong.conftest import COMPANY_USCC, ProviderPersona
from xinyong.reports import services
from xinyong.reports.storage import get_storage


def test_every_page_counts_the_pages_and_the_file_names_itself(
    penalised: ProviderPersona, company: User
) -> None:
    report = services.request_report(
        services.Requester(company, "qiye"), COMPANY_USCC, edition="special", years=3
    )
    pdf = get_storage().open(report.pdf_name)

    info = subprocess.run(
        ["/usr/bin/pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    compact = re.sub(r"\s+", "", text)  # pdftotext drops the spaces between CJK characters and digits
    for page in range(1, pages + 1):
        assert f"第{page}页共{pages}页" in compact
    assert "印章图样仅供识别" in compact  # the seal's caption beside the issuer
    assert re.search(rf"Title:\s+.*{report.number}", info)
    assert re.search(r"Author:\s+公共信用信息平台（市公共信用信息中心）", info)
    assert re.search(r"Subject:\s+厦门鹭江贸易有限公司", info)
    assert re.search(r"Creator:\s+xinyong", info)


def test_the_last_page_can_be_looked_at(penalised: ProviderPersona, company: User, tmp_path: Path) -> None:
    """Renders the last page to PNG (pdftoppm): the seal and footer draw without error in a viewer."""
    report = services.request_report(
        services.Requester(company, "qiye"), COMPANY_USCC, edition="special", years=3
    )
    (tmp_path / "r.pdf").write_bytes(get_storage().open(report.pdf_name))

    subprocess.run(
        ["/usr/bin/pdftoppm", "-png", "-r", "60", "-l", "9", str(tmp_path / "r.pdf"), str(tmp_path / "p")],
        check=True,
    )

    assert sorted(tmp_path.glob("p*.png"))
