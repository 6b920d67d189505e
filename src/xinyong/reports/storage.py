"""The report archive (报告存档): where signed PDFs live, outside the database.

Reports are kept 10 years (DOMAIN §5). The database stores each report file's archive *key*, a
relative name such as ``2026/11/XY20261122ABC234-20261122103000123456.pdf`` (see :func:`archive_name`);
a backend maps keys to its own places. The file-system backend writes ``REPORT_DIR/<key>``. An object
store (S3, MinIO, OSS) would be another class with the same four methods, using the key as the object
key, chosen in :func:`get_storage` by ``REPORT_STORAGE``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xinyong.core import clock

# A key is one or more "/"-separated segments, each starting with a letter or digit: no "..", no
# absolute paths, no backslashes, and never the name of a temporary file (those start with ".").
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*")
_MAX_KEY_LENGTH = 255


class ReportStorage(Protocol):
    """Where report PDFs are archived. ``open`` raises ``FileNotFoundError`` for an unknown name."""

    def save(self, name: str, data: bytes) -> str: ...

    def open(self, name: str) -> bytes: ...

    def exists(self, name: str) -> bool: ...

    def delete(self, name: str) -> None: ...


def archive_name(number: str, written_at: dt.datetime) -> str:
    """The archive key of one file of a report: ``YYYY/MM/<number>-<time>.pdf``, by the month and time
    in China the file was written (a reissue writes another file of the same report).

    Month folders keep directories small (a few hundred thousand reports a year) and let the
    retention job and backups work a month at a time.
    """
    local = written_at.astimezone(clock.CHINA)
    return check_name(f"{local:%Y/%m}/{number}-{local:%Y%m%d%H%M%S%f}.pdf")


def check_name(name: str) -> str:
    """``name`` if it is a safe archive key; ``ValueError`` otherwise (a programming error, not user input)."""
    if len(name) > _MAX_KEY_LENGTH or not _KEY.fullmatch(name):
        raise ValueError(f"not a valid report archive name: {name!r}")
    return name


def write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one, never a part.

    The temporary file is in the same directory (``os.replace`` is atomic only within one file
    system) and synced before the rename; the directory is synced after it, so the new name
    survives a power cut.
    """
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class FileSystemReportStorage:
    """Reports as files under ``root``; the key is the path below it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / check_name(name)

    def save(self, name: str, data: bytes) -> str:
        """Store ``data`` as ``name`` (replacing an earlier file of that name) and return the key."""
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data, mode=0o640)
        return name

    def open(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def delete(self, name: str) -> None:
        """Remove the file; deleting a missing file is not an error, so the retention job can run twice."""
        self.path(name).unlink(missing_ok=True)


@cache
def get_storage() -> ReportStorage:
    """The configured archive, built once per process (tests call ``get_storage.cache_clear()``)."""
    backend = settings.REPORT_STORAGE
    if backend == "filesystem":
        return FileSystemReportStorage(Path(settings.REPORT_DIR))
    raise ImproperlyConfigured(
        f"XINYONG_REPORT_STORAGE：不支持的报告存储方式 {backend!r}（可选：filesystem）"
    )
