"""The provider workspace: upload a file, follow the import, download rejections, see held records."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xinyong.accounts.models import Role, User
from xinyong.collection.models import Batch
from xinyong.conftest import ProviderPersona, centre_staff, penalty
from xinyong.records.models import CreditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield


def csv_upload(records: list[dict[str, Any]], name: str = "处罚.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(market_bureau: ProviderPersona) -> User:
    return User.objects.create_user("scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider)


@pytest.fixture
def tax_clerk(tax_bureau: ProviderPersona) -> User:
    return User.objects.create_user("sw", kind=User.Kind.PROVIDER, provider=tax_bureau.provider)


@pytest.fixture
def centre(db: None) -> User:
    return centre_staff("centre", Role.OBJECTION_HANDLER)


def test_anonymous_visitors_are_sent_to_login(client: Client) -> None:
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_clerk_uploads_a_file_and_sees_the_finished_batch(clerk: User) -> None:
    client = signed_in(clerk)
    records = [penalty(), penalty(行政处罚决定书文号="厦市监罚〔2026〕2号", 处罚决定日期="2026-11-31")]

    response = client.post("/workspace/", {"file": csv_upload(records), "kind": ""}, follow=True)

    batch = Batch.objects.get()
    assert response.redirect_chain[-1][0] == f"/workspace/batches/{batch.pk}/"
    page = response.content.decode()
    assert "已完成" in page and "处罚决定日期" in page and "field.invalid_date" in page
    assert (batch.created_count, batch.rejected_count, batch.uploaded_by) == (1, 1, clerk)

    download = client.get(f"/workspace/batches/{batch.pk}/rejections.csv")
    assert download.status_code == 200
    assert "field.invalid_date" in b"".join(download.streaming_content).decode("utf-8-sig")


def test_an_unsupported_file_is_refused_on_the_form(clerk: User) -> None:
    response = signed_in(clerk).post("/workspace/", {"file": SimpleUploadedFile("x.pdf", b"%PDF")})

    assert response.status_code == 200
    assert "不支持的文件格式" in response.content.decode()
    assert Batch.objects.count() == 0


def test_a_kind_the_unit_may_not_report_is_explained(tax_clerk: User) -> None:
    response = signed_in(tax_clerk).post("/workspace/", {"file": csv_upload([penalty()])}, follow=True)

    assert "无权报送“行政处罚”信息" in response.content.decode()
    assert CreditRecord.objects.count() == 0


def test_units_see_only_their_own_batches_and_the_centre_sees_all(
    clerk: User, tax_clerk: User, centre: User
) -> None:
    signed_in(clerk).post("/workspace/", {"file": csv_upload([penalty()])})
    batch = Batch.objects.get()

    assert signed_in(tax_clerk).get(f"/workspace/batches/{batch.pk}/").status_code == 404
    assert signed_in(tax_clerk).get(f"/workspace/batches/{batch.pk}/rejections.xlsx").status_code == 404
    assert signed_in(centre).get(f"/workspace/batches/{batch.pk}/").status_code == 200
    assert "厦门市市场监督管理局" in signed_in(centre).get("/workspace/").content.decode()


def test_held_records_are_listed_for_their_provider_and_the_centre(
    client: Client, market_bureau: ProviderPersona, clerk: User, tax_clerk: User, centre: User
) -> None:
    good = penalty()["统一社会信用代码"]
    market_bureau.post(client, [penalty(统一社会信用代码=good[:-1] + ("0" if good[-1] != "0" else "1"))])

    for user, sees in ((clerk, True), (centre, True), (tax_clerk, False)):
        page = signed_in(user).get("/workspace/code-conflicts/").content.decode()
        assert ("厦市监罚〔2026〕101号" in page) is sees, user.username


def test_the_interface_switches_to_english(clerk: User) -> None:
    client = signed_in(clerk)

    client.post("/i18n/setlang/", {"language": "en", "next": "/workspace/"})

    page = client.get("/workspace/").content.decode()
    assert '<html lang="en">' in page
    assert "Upload a data file" in page and "上传数据文件" not in page


def test_the_batch_page_gives_one_line_per_row_with_all_its_errors(clerk: User) -> None:
    client = signed_in(clerk)
    twice_wrong = penalty(
        行政处罚决定书文号="厦市监罚〔2026〕3号", 处罚决定日期="2026-11-31", **{"罚款金额(万元)": "很多"}
    )
    client.post("/workspace/", {"file": csv_upload([penalty(), twice_wrong]), "kind": ""})

    batch = Batch.objects.get()
    page = client.get(f"/workspace/batches/{batch.pk}/").content.decode()

    row = page[page.index('id="row-2"') : page.index("</tr>", page.index('id="row-2"'))]
    assert '<td data-label="Excel 行号">3</td>' in row  # data row 2 sits under the header, on Excel row 3
    assert row.count("<li") == 2 and "<strong>处罚决定日期</strong>" in row and "<strong>罚款金额" in row
    assert "cf_jdrq" not in row


def test_a_clerk_downloads_the_template_of_a_kind_with_field_notes(clerk: User, tax_clerk: User) -> None:
    client = signed_in(clerk)
    workspace = client.get("/workspace/").content.decode()
    assert 'href="/workspace/templates/penalty.xlsx"' in workspace

    response = client.get("/workspace/templates/penalty.xlsx")

    assert response.status_code == 200 and response["Content-Disposition"].endswith('template-penalty.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, notes = book.worksheets
    header = [c.value for c in data[1]]
    assert header[0] == "行政相对人名称" and "处罚决定日期" in header and "cf_jdrq" not in header
    lines = {row[0]: row for row in notes.iter_rows(min_row=2, values_only=True)}
    assert lines["处罚决定日期"][1:4] == ("cf_jdrq", "日期（YYYY-MM-DD）", "是")
    assert signed_in(tax_clerk).get("/workspace/templates/nonsense.xlsx").status_code == 404
