"""File import (CSV, XLSX, JSON Lines): streaming, the same checks as the API, rejection reports, resuming."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.management import call_command

from xinyong.collection.models import Batch, Rejection
from xinyong.collection.services import run_batch, start_file_import
from xinyong.conftest import ProviderPersona, penalty
from xinyong.core.errors import PlatformError
from xinyong.records.models import CreditRecord, RecordVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield


def rows(n: int, *, bad_every: int = 0) -> list[dict[str, Any]]:
    out = []
    for i in range(1, n + 1):
        row = penalty(行政处罚决定书文号=f"厦市监罚〔2026〕{i}号")
        if bad_every and i % bad_every == 0:
            row["处罚决定日期"] = "2026-13-01"
        out.append(row)
    return out


def write_csv(path: Path, records: list[dict[str, Any]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


def write_xlsx(path: Path, records: list[dict[str, Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", *records[0]])
    for i, record in enumerate(records, start=1):
        sheet.append([i, *record.values()])
    book.save(path)
    return path


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def import_file(persona: ProviderPersona, path: Path, **kwargs: Any) -> Batch:
    return run_batch(
        start_file_import(persona.provider, path, **kwargs), **({"chunk_rows": 3} | kwargs.pop("run", {}))
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_it_imports_a_csv_with_chinese_headers_in_any_common_encoding(
    tmp_path: Path, market_bureau: ProviderPersona, encoding: str
) -> None:
    batch = import_file(market_bureau, write_csv(tmp_path / "处罚.csv", rows(7), encoding))

    assert (batch.status, batch.created_count, batch.rejected_count, batch.rows_done) == ("done", 7, 0, 7)
    assert CreditRecord.objects.filter(subject__name="厦门鹭江贸易有限公司").count() == 7
    assert batch.kind_code == "penalty", "the kind is detected from the header"


def test_it_imports_an_xlsx_ignoring_the_row_counter_column(
    tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    records = rows(5)
    records[1]["处罚决定日期"] = "2026-11-01 00:00:00"
    batch = import_file(market_bureau, write_xlsx(tmp_path / "处罚.xlsx", records))

    assert (batch.created_count, batch.rejected_count) == (5, 0)
    assert CreditRecord.objects.get(key="厦市监罚〔2026〕2号").decision_date.isoformat() == "2026-11-01"


def test_it_imports_json_lines_and_rejects_broken_lines_by_number(
    tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    path = write_jsonl(tmp_path / "处罚.jsonl", rows(3))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
        handle.write("[1, 2]\n")

    batch = import_file(market_bureau, path, kind_code="penalty")

    assert (batch.created_count, batch.rejected_count) == (3, 2)
    assert list(Rejection.objects.values_list("row_number", "code")) == [
        (4, "row.invalid"),
        (5, "row.invalid"),
    ]


def test_rejections_name_the_row_field_and_reason(tmp_path: Path, market_bureau: ProviderPersona) -> None:
    batch = import_file(market_bureau, write_csv(tmp_path / "p.csv", rows(10, bad_every=4)))

    assert (batch.created_count, batch.rejected_count) == (8, 2)
    rejected = list(Rejection.objects.values_list("row_number", "code", "field"))
    assert rejected == [(4, "field.invalid_date", "cf_jdrq"), (8, "field.invalid_date", "cf_jdrq")]


def test_the_rejection_report_downloads_as_csv_and_xlsx(
    client: Any, tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    batch = import_file(market_bureau, write_csv(tmp_path / "p.csv", rows(4, bad_every=2)))
    auth = {"Authorization": f"Bearer {market_bureau.key}"}

    response = client.get(f"/api/v1/batches/{batch.pk}/rejections.csv", headers=auth)
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0][:5] == ["Excel 行号", "数据行号", "错误说明", "错误代码", "行政相对人名称"]
    # One line per refused row: its row in Excel (below the header), its data row, every reason by
    # the field's Chinese name, the codes for tools.
    assert [r[:2] + r[3:4] for r in table[1:]] == [
        ["3", "2", "field.invalid_date"],
        ["5", "4", "field.invalid_date"],
    ]
    assert table[1][2].startswith("处罚决定日期：") and "cf_jdrq" not in table[1][2]
    assert "2026-13-01" in table[1]

    response = client.get(f"/api/v1/batches/{batch.pk}/rejections.xlsx", headers=auth)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[2]][:2] == [3, 2] and sheet[2][3].value == "field.invalid_date"


def test_a_file_of_a_kind_the_provider_may_not_report_is_refused_before_anything_is_written(
    tmp_path: Path, tax_bureau: ProviderPersona
) -> None:
    with pytest.raises(PlatformError) as refused:
        start_file_import(tax_bureau.provider, write_csv(tmp_path / "p.csv", rows(2)))

    assert refused.value.error.code == "intake.kind_not_granted"
    assert Batch.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("p.txt", b"a,b\n", "file.unsupported_format"),
        ("p.csv", b"", "file.no_header"),
        ("p.xlsx", b"PK not really a workbook", "file.unreadable"),
    ],
)
def test_a_broken_file_gets_a_clear_refusal(
    tmp_path: Path, market_bureau: ProviderPersona, name: str, content: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(PlatformError) as refused:
        import_file(market_bureau, path, kind_code="penalty")

    assert refused.value.error.code == code
    assert CreditRecord.objects.count() == 0


def test_a_crashed_import_resumes_from_its_checkpoint_without_duplicates(
    tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    """GIVEN an import that dies after its second chunk WHEN the same file is imported again
    THEN it continues in the same batch and the result equals one clean run."""
    path = write_csv(tmp_path / "p.csv", rows(10, bad_every=5))
    batch = start_file_import(market_bureau.provider, path)

    def crash(progress: Batch) -> None:
        if progress.rows_done >= 6:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(batch, progress=crash, chunk_rows=3)
    assert CreditRecord.objects.count() == 5  # rows 1–6 committed, row 5 rejected

    resumed = start_file_import(market_bureau.provider, path)
    assert resumed.pk == batch.pk
    finished = run_batch(resumed, chunk_rows=3)

    assert (finished.status, finished.rows_done, finished.created_count, finished.rejected_count) == (
        "done",
        10,
        8,
        2,
    )
    assert Batch.objects.count() == 1
    assert RecordVersion.objects.count() == CreditRecord.objects.count() == 8
    assert Rejection.objects.count() == 2


def test_a_running_import_cannot_be_started_twice(tmp_path: Path, market_bureau: ProviderPersona) -> None:
    path = write_csv(tmp_path / "p.csv", rows(4))
    batch = start_file_import(market_bureau.provider, path)
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.RUNNING, heartbeat_at=batch.received_at)

    with pytest.raises(PlatformError) as refused:
        run_batch(start_file_import(market_bureau.provider, path))

    assert refused.value.error.code == "batch.busy"


def test_reimporting_a_finished_file_changes_nothing(tmp_path: Path, market_bureau: ProviderPersona) -> None:
    path = write_csv(tmp_path / "p.csv", rows(6))
    import_file(market_bureau, path)

    again = import_file(market_bureau, path)

    assert (again.created_count, again.unchanged_count) == (0, 6)
    assert RecordVersion.objects.count() == 6


def test_the_import_command_shows_progress_and_a_summary(
    tmp_path: Path, market_bureau: ProviderPersona, capsys: Any
) -> None:
    path = write_csv(tmp_path / "p.csv", rows(5, bad_every=5))

    call_command("import", str(path), provider=market_bureau.provider.code)

    out, err = capsys.readouterr()
    assert "新增 4" in out and "拒收 1" in out
    assert "5/5 行" in err


def test_the_import_command_names_an_unknown_provider(tmp_path: Path, db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="信息提供单位“913500000000000000”不存在"):
        call_command("import", str(write_csv(tmp_path / "p.csv", rows(1))), provider="913500000000000000")
