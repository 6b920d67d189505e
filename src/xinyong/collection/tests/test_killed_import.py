"""An import killed with SIGKILL half-way and run again leaves exactly what one clean run leaves.

This test drives the real ``xinyong`` command in subprocesses against two fresh databases of the
suite's own kind (SQLite files, or PostgreSQL databases beside the test database) and compares them.
"""

from __future__ import annotations

import csv
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from xinyong.conftest import MARKET_BUREAU_USCC, penalty
from xinyong.core.testing import ThrowawayDatabase
from xinyong.subjects.codes import complete_uscc

ROWS = 6000
CHUNK = 250

CANONICAL = {
    "subjects": "SELECT code, code_type, code_valid, kind, name, legal_representative FROM subjects_subject",
    "names": "SELECT subject_code, name, first_seen_on, last_seen_on FROM subjects_subjectname",
    "records": """SELECT r.key, r.kind_code, r.subject_code, r.latest_version, r.decision_date, r.hold,
                         r.natural_days_to_receipt, r.met_natural_day_rule, r.working_days_to_receipt,
                         r.met_working_day_rule, r.natural_day_rule, r.working_day_rule
                  FROM records_creditrecord r""",
    "versions": """SELECT r.key, v.version, v.row_number, v.content_hash, v.subject_code
                   FROM records_recordversion v JOIN records_creditrecord r ON r.id = v.record_id""",
    "rejections": "SELECT row_number, code, field, message FROM collection_rejection",
    "batches": """SELECT kind_code, status, rows_done, created_count, versioned_count, unchanged_count,
                         held_count, rejected_count FROM collection_batch""",
}


class Database(ThrowawayDatabase):
    """A throwaway database (``core.testing``) importing in small chunks, so a kill lands mid-file."""

    def __init__(self, tmp: Path, label: str) -> None:
        super().__init__(tmp, label, env={"XINYONG_IMPORT_CHUNK_ROWS": str(CHUNK)})

    def prepare(self) -> None:
        self.run("migrate", "-v0")
        self.run(
            "provider",
            "create",
            "--code",
            MARKET_BUREAU_USCC,
            "--name",
            "厦门市市场监督管理局",
            "--domain",
            "25",
        )

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        return {name: self.query(sql) for name, sql in CANONICAL.items()}


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    pair = Database(tmp_path, "killed"), Database(tmp_path, "clean")
    try:
        yield pair
    finally:
        for database in pair:
            database.drop()


def write_file(path: Path) -> Path:
    """Many subjects, some repeated with a new name, a few resubmissions with changes, some bad rows."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer: csv.DictWriter[str] | None = None
        for i in range(1, ROWS + 1):
            subject = i % 1500
            row = penalty(
                行政相对人名称=f"厦门测试{subject}号贸易有限公司"
                if i < ROWS // 2
                else f"厦门测试{subject}号科技有限公司",
                统一社会信用代码=complete_uscc(f"91350203{subject:08d}"),
                行政处罚决定书文号=f"厦市监罚〔2026〕{i % (ROWS - 200)}号",
                处罚决定日期=f"2026-{1 + i % 10:02d}-{1 + i % 28:02d}",
            )
            if i % 97 == 0:
                row["处罚类别"] = "拘役"
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
    return path


@pytest.mark.slow
def test_a_killed_import_rerun_equals_one_clean_run(
    tmp_path: Path, databases: tuple[Database, Database]
) -> None:
    killed, clean = databases
    data = write_file(tmp_path / "处罚.csv")
    for database in databases:
        database.prepare()

    importing = killed.xinyong("import", str(data), "--provider", MARKET_BUREAU_USCC)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and importing.poll() is None:
        rows = killed.query("SELECT rows_done FROM collection_batch")
        done = int(rows[0][0]) if rows else 0
        if done >= ROWS // 3:
            importing.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    importing.wait(timeout=60)
    assert importing.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    assert 0 < done < ROWS
    assert killed.query("SELECT status FROM collection_batch") == [("running",)]

    resumed = killed.run("import", str(data), "--provider", MARKET_BUREAU_USCC, "--quiet")
    clean.run("import", str(data), "--provider", MARKET_BUREAU_USCC, "--quiet")

    assert "续传批次" in resumed
    after_kill, after_clean = killed.dump(), clean.dump()
    assert len(after_clean["rejections"]) == ROWS // 97
    assert any(version[1] == "2" for version in after_clean["versions"]), "resubmissions made new versions"
    for table in CANONICAL:
        assert after_kill[table] == after_clean[table], table
