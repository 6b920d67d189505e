"""Regulators' exports carry a chain proof they can recompute without the platform.

The recomputation here is written from docs/audit.md (RFC 8785 strings, SHA-256), not with the service
code, so a passing test means the documented algorithm is the one the platform uses.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.audit.export import Selection, write_csv, write_json
from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor, record
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db

GENESIS = "0" * 64
#: docs/audit.md: the hashed fields in order, and the CSV's Chinese header for each.
DOCUMENTED_COLUMNS = [
    ("seq", "序号"),
    ("at", "时间(UTC)"),
    ("actor_type", "操作者类型"),
    ("actor_id", "操作者标识"),
    ("actor_name", "操作者"),
    ("unit", "单位"),
    ("role", "角色"),
    ("purpose", "查询事由"),
    ("subject_code", "信用主体代码"),
    ("action", "操作"),
    ("object_type", "对象类型"),
    ("object_id", "对象标识"),
    ("request_id", "请求编号"),
    ("result_fingerprint", "结果指纹"),
    ("detail", "详情"),
    ("prev_hash", "前一哈希"),
]
#: Everything JSON escaping can get wrong: quotes, backslashes, control characters, CJK, astral plane.
FORMULA_PURPOSE = '=HYPERLINK("http://evil.example/","招投标")'
QUOTED_PURPOSE = "'行政审批"
AWKWARD_PURPOSE = '复核\n第二行\t\x01\x1f\x7f\u2028"引号"\\反斜杠 😀 =1+1 </script>'
EVERYTHING = Selection()
SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def jcs_string(text: str) -> str:
    """RFC 8785 string: escape only quote, backslash and U+0000–U+001F; everything else literal."""
    escaped = (SHORT_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 else c) for c in text)
    return '"' + "".join(escaped) + '"'


def documented_hash(values: list[str]) -> str:
    return hashlib.sha256(("[" + ",".join(jcs_string(v) for v in values) + "]").encode("utf-8")).hexdigest()


def assert_chain_recomputes(entries: list[dict[str, Any]], *, starting_from: str) -> None:
    previous = starting_from
    for entry in entries:
        assert entry["prev_hash"] == previous, f"link broken at {entry['seq']}"
        assert documented_hash([str(entry[field]) for field, _ in DOCUMENTED_COLUMNS]) == entry["entry_hash"]
        previous = entry["entry_hash"]


@pytest.fixture
def trail(db: None) -> list[AuditEntry]:
    """Five reads over four Beijing days; the second and third straddle midnight in Beijing."""
    actor = Actor(AuditEntry.ActorType.USER, "7", "王敏", "厦门市信用中心", "reviewer")
    moments = [
        ("2026-11-20 09:00 +0800", COMPANY_USCC, AWKWARD_PURPOSE),
        ("2026-11-21 23:30 +0800", OTHER_COMPANY_USCC, "行政审批"),
        ("2026-11-22 00:30 +0800", COMPANY_USCC, QUOTED_PURPOSE),
        ("2026-11-22 10:00:00.123456 +0800", COMPANY_USCC, FORMULA_PURPOSE),
        ("2026-11-23 16:00 +0800", OTHER_COMPANY_USCC, "行政审批"),
    ]
    entries = []
    for n, (moment, subject, purpose) in enumerate(moments):
        with travel_to(moment):
            entries.append(
                record(
                    actor=actor,
                    action="subject.view_nonpublic",
                    subject_code=subject,
                    purpose=purpose,
                    result={"n": n},
                    detail={"备注": 'a "quoted" \\ note'},
                )
            )
    return entries


def json_export(selection: Selection = EVERYTHING, **options: Any) -> dict[str, Any]:
    out = io.StringIO()
    write_json(out, selection, **options)
    parsed: dict[str, Any] = json.loads(out.getvalue())
    return parsed


def test_the_json_export_carries_a_proof_that_recomputes(trail: list[AuditEntry]) -> None:
    exported = json_export()
    chain, entries = exported["chain"], exported["entries"]

    assert chain["hashed_fields"] == [field for field, _ in DOCUMENTED_COLUMNS]
    assert (chain["genesis"], chain["first_prev_hash"]) == (GENESIS, GENESIS)
    assert (chain["first_seq"], chain["last_seq"], chain["count"], chain["contiguous"]) == (1, 5, 5, True)
    assert chain["last_hash"] == chain["head_hash"] == trail[-1].entry_hash
    assert "SHA-256" in chain["algorithm"] and "RFC 8785" in chain["algorithm"]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["purpose"] == AWKWARD_PURPOSE
    assert entries[3]["at"] == "2026-11-22T02:00:00.123456+00:00"
    assert_chain_recomputes(entries, starting_from=chain["genesis"])


def test_a_tampered_export_no_longer_recomputes(trail: list[AuditEntry]) -> None:
    entries = json_export()["entries"]
    entries[2]["purpose"] = "随便看看"

    with pytest.raises(AssertionError):
        assert_chain_recomputes(entries, starting_from=GENESIS)


def test_the_csv_export_has_a_bom_chinese_headers_and_a_proof_that_recomputes(
    trail: list[AuditEntry],
) -> None:
    out = io.StringIO()
    write_csv(out, Selection())
    text = out.getvalue()

    assert text.startswith("\ufeff")
    header, *cells = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert header == [*(name for _, name in DOCUMENTED_COLUMNS), "本条哈希", "北京时间"]
    # The documented way back from the spreadsheet-safe cells to the hashed values.
    rows = [[cell.removeprefix("'") for cell in row] for row in cells]
    entries: list[dict[str, Any]] = [
        {**dict(zip([f for f, _ in DOCUMENTED_COLUMNS], row, strict=False)), "entry_hash": row[16]}
        for row in rows
    ]
    assert [e["seq"] for e in entries] == ["1", "2", "3", "4", "5"]
    assert entries[0]["purpose"] == AWKWARD_PURPOSE
    assert [c[7] for c in cells[2:4]] == ["''行政审批", "'" + FORMULA_PURPOSE], "no cell starts a formula"
    assert [e["purpose"] for e in entries[2:4]] == [QUOTED_PURPOSE, FORMULA_PURPOSE]
    assert rows[1][17] == "2026-11-21 23:30:00"
    assert_chain_recomputes(entries, starting_from=GENESIS)


def test_a_date_range_is_beijing_days_and_its_proof_starts_from_the_previous_entry(
    trail: list[AuditEntry], tmp_path: Path
) -> None:
    target = tmp_path / "审计.json"
    out = io.StringIO()

    call_command(
        "audit",
        "export",
        "--format",
        "json",
        "--since",
        "2026-11-22",
        "--until",
        "2026-11-22",
        "--out",
        str(target),
        stdout=out,
    )

    exported = json.loads(target.read_text(encoding="utf-8"))
    chain, entries = exported["chain"], exported["entries"]
    # 00:30 on the 22nd in Beijing is still the 21st in UTC; it belongs to the 22nd.
    assert [e["seq"] for e in entries] == [3, 4]
    assert chain["first_prev_hash"] == trail[1].entry_hash
    assert_chain_recomputes(entries, starting_from=chain["first_prev_hash"])
    assert "已导出 2 条（序号 3–4）" in out.getvalue()


def test_a_subject_export_holds_only_that_subject_and_says_it_is_not_contiguous(
    trail: list[AuditEntry],
) -> None:
    exported = json_export(Selection(subject_code=OTHER_COMPANY_USCC))
    chain, entries = exported["chain"], exported["entries"]

    assert [e["seq"] for e in entries] == [2, 5]
    assert (chain["count"], chain["contiguous"]) == (2, False)
    for entry in entries:
        assert entry["subject_code"] == OTHER_COMPANY_USCC
        assert documented_hash([str(entry[f]) for f, _ in DOCUMENTED_COLUMNS]) == entry["entry_hash"]


def test_an_empty_selection_exports_an_empty_proof(trail: list[AuditEntry]) -> None:
    exported = json_export(Selection(subject_code="NOBODY"))

    assert exported["entries"] == []
    assert (exported["chain"]["count"], exported["chain"]["first_seq"]) == (0, None)


def test_pages_do_not_change_the_export(trail: list[AuditEntry]) -> None:
    with travel_to("2026-11-24 09:00"):
        assert json_export(batch_size=2) == json_export()


def test_the_cli_writes_csv_to_stdout_and_records_the_export(trail: list[AuditEntry]) -> None:
    out = io.StringIO()

    call_command("audit", "export", "--format", "csv", "--subject", OTHER_COMPANY_USCC.lower(), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith('\ufeff"序号","时间(UTC)",')
    assert len(lines) == 3
    audit = AuditEntry.objects.order_by("seq").last()
    assert audit is not None
    assert (audit.seq, audit.action, audit.subject_code) == (6, "audit.export", OTHER_COMPANY_USCC)
    assert json.loads(audit.detail)["format"] == "csv"


def test_the_cli_refuses_a_range_that_ends_before_it_starts(trail: list[AuditEntry]) -> None:
    with pytest.raises(CommandError, match="晚于"):
        call_command("audit", "export", "--format", "json", "--since", "2026-11-23", "--until", "2026-11-22")
