"""The report archive: PDFs as files under REPORT_DIR, written atomically, names that cannot escape it."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings

from xinyong.reports.storage import FileSystemReportStorage, archive_name, get_storage

PDF = b"%PDF-1.7\n% a signed report\n%%EOF\n"
NAME = "2026/11/XY-20261122-000001.pdf"


@pytest.fixture
def storage(settings: Settings, tmp_path: Path) -> Iterator[FileSystemReportStorage]:
    settings.REPORT_STORAGE = "filesystem"
    settings.REPORT_DIR = tmp_path / "reports"
    get_storage.cache_clear()
    archive = get_storage()
    assert isinstance(archive, FileSystemReportStorage)
    yield archive
    get_storage.cache_clear()


def test_it_keeps_a_report_until_it_is_deleted(storage: FileSystemReportStorage, tmp_path: Path) -> None:
    key = storage.save(NAME, PDF)

    assert key == NAME
    assert storage.exists(NAME)
    assert storage.open(NAME) == PDF
    assert (tmp_path / "reports" / "2026" / "11" / "XY-20261122-000001.pdf").read_bytes() == PDF

    storage.delete(NAME)

    assert not storage.exists(NAME)
    with pytest.raises(FileNotFoundError):
        storage.open(NAME)
    storage.delete(NAME)  # the retention job may run twice


def test_saving_again_replaces_the_file(storage: FileSystemReportStorage) -> None:
    storage.save(NAME, PDF)
    storage.save(NAME, PDF + b"%reissued\n")

    assert storage.open(NAME) == PDF + b"%reissued\n"


def test_it_leaves_no_temporary_files(storage: FileSystemReportStorage, tmp_path: Path) -> None:
    storage.save(NAME, PDF)

    month = tmp_path / "reports" / "2026" / "11"
    assert [p.name for p in month.iterdir()] == ["XY-20261122-000001.pdf"]
    assert stat.S_IMODE((month / "XY-20261122-000001.pdf").stat().st_mode) == 0o640


def test_a_failed_write_keeps_the_old_file_and_no_temporary_one(
    storage: FileSystemReportStorage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage.save(NAME, PDF)

    def power_cut(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError, match="disk full"):
        storage.save(NAME, b"half a new report")

    assert storage.open(NAME) == PDF
    assert len(list((tmp_path / "reports" / "2026" / "11").iterdir())) == 1


@pytest.mark.parametrize(
    "name",
    [
        "../escape.pdf",
        "2026/../../escape.pdf",
        "/etc/passwd",
        "2026\\11\\x.pdf",
        "",
        "2026//x.pdf",
        "2026/11/",
        "./x.pdf",
        "2026/11/.XY-1.pdf.abc.tmp",
        "2026/11/x.pdf\x00.txt",
        "2026/11/报告.pdf",
        "a" * 256,
    ],
)
def test_it_refuses_names_that_could_leave_the_archive(storage: FileSystemReportStorage, name: str) -> None:
    for call in (lambda: storage.save(name, PDF), lambda: storage.open(name), lambda: storage.exists(name)):
        with pytest.raises(ValueError, match="not a valid report archive name"):
            call()
    with pytest.raises(ValueError):
        storage.delete(name)


@pytest.mark.parametrize(
    ("written_at", "name"),
    [
        (dt.datetime(2026, 11, 30, 15, 59, tzinfo=dt.UTC), "2026/11/XY20261201ABCDEF-20261130235900000000"),
        (dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC), "2026/12/XY20261201ABCDEF-20261201000000000000"),
        (
            dt.datetime(2026, 12, 31, 16, 0, 0, 7, tzinfo=dt.UTC),
            "2027/01/XY20261201ABCDEF-20270101000000000007",
        ),
    ],
)
def test_archive_names_are_filed_by_the_month_in_china_the_file_was_written(
    written_at: dt.datetime, name: str
) -> None:
    assert archive_name("XY20261201ABCDEF", written_at) == f"{name}.pdf"


def test_it_refuses_an_unknown_storage_backend(settings: Settings) -> None:
    settings.REPORT_STORAGE = "s3"
    get_storage.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="s3"):
            get_storage()
    finally:
        get_storage.cache_clear()
