"""Evidence files (证明材料) given with a case — an objection, a repair application: checked before
anything is written, then stored once under ``settings.UPLOAD_DIR/<folder>/`` named by their SHA-256.

Only PDF, JPG and PNG, told by their first bytes (a renamed file is refused) and carrying one of those
suffixes in their name (the name is what a download is saved as), each at most ``MAX_BYTES``. These
are technical limits of the platform, not rules of a regulation, so they live here rather than in the
rulebook; how many files a case takes is the caller's (``max_files``).

The apps keep only what is theirs: the rows that say which case a stored file belongs to.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from django.conf import settings
from django.http import FileResponse, Http404

from xinyong.accounts.models import User
from xinyong.audit.services import Actor, record
from xinyong.core.errors import PlatformError, register
from xinyong.core.models import StoredEvidence

MAX_BYTES = 10 * 1024 * 1024
#: Leading bytes → (content type, suffix stored).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
#: Suffixes a file's given name may carry.
SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png"})
FIELD = "attachments"

TOO_LARGE = register(
    "attachment.too_large",
    413,
    "附件“{name}”超过 {limit_mb} MB。",
    "Attachment {name!r} is larger than {limit_mb} MB.",
)
WRONG_TYPE = register(
    "attachment.type",
    400,
    "附件“{name}”不是 PDF、JPG 或 PNG 文件。",
    "Attachment {name!r} is not a PDF, JPG or PNG file.",
)
TOO_MANY = register(
    "attachment.too_many",
    400,
    "最多上传 {limit} 个附件，本次 {count} 个。",
    "At most {limit} attachments; this filing has {count}.",
)


class Upload(Protocol):
    """What Django's ``UploadedFile`` offers and this module uses."""

    name: str | None
    size: int | None

    def seek(self, offset: int, whence: int = 0) -> int: ...

    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Evidence:
    """One checked file, held in memory (at most ``MAX_BYTES``) until it is stored."""

    name: str
    content: bytes
    content_type: str
    suffix: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def read(uploads: Sequence[Upload], *, max_files: int) -> list[Evidence]:
    """Every upload read and checked, or a refusal naming the first bad one (nothing is written
    either way). A file is refused by its declared size before it is read, and by its real size after
    (the declared size can lie), so no more than ``MAX_BYTES + 1`` bytes of it are ever held."""
    if len(uploads) > max_files:
        raise PlatformError(TOO_MANY, field=FIELD, limit=max_files, count=len(uploads))
    return [_read_one(upload) for upload in uploads]


def _read_one(upload: Upload) -> Evidence:
    name = Path(upload.name or "附件").name[:200]
    if (upload.size or 0) > MAX_BYTES:
        raise PlatformError(TOO_LARGE, field=FIELD, name=name, limit_mb=MAX_BYTES // 2**20)
    upload.seek(0)
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise PlatformError(TOO_LARGE, field=FIELD, name=name, limit_mb=MAX_BYTES // 2**20)
    kind = next(((ct, sfx) for magic, ct, sfx in SIGNATURES if content.startswith(magic)), None)
    if kind is None or Path(name).suffix.lower() not in SUFFIXES:
        raise PlatformError(WRONG_TYPE, field=FIELD, name=name)
    return Evidence(name, content, kind[0], kind[1], hashlib.sha256(content).hexdigest())


def store(item: Evidence, folder: str) -> str:
    """Write the file as ``<folder>/<sha256><suffix>`` under ``UPLOAD_DIR`` and return that path.

    Content-addressed, so the same evidence twice is one file and an existing file is left as it is.
    Written to a temporary file of its own and moved into place, so a reader (or a second writer of
    the same content) never sees half a file. Called inside the caller's transaction: a rollback leaves
    at most an unreferenced file."""
    parts = PurePosixPath(folder).parts
    if not parts or PurePosixPath(folder).is_absolute() or ".." in parts:
        raise ValueError(f"evidence folder must be relative and inside UPLOAD_DIR: {folder!r}")
    relative = f"{PurePosixPath(*parts)}/{item.sha256}{item.suffix}"
    target = path_of(relative)
    if target.is_file():
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(item.content)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return relative


def stored_fields(item: Evidence, folder: str) -> dict[str, Any]:
    """Store the file (``store``) and return the fields of a ``core.models.StoredEvidence`` row for it."""
    path = store(item, folder)
    return {
        "name": item.name, "content_type": item.content_type, "size": item.size, "sha256": item.sha256,
        "path": path,
    }  # fmt: skip


def path_of(relative: str) -> Path:
    """Where a stored file is, from the path ``store`` returned."""
    return Path(settings.UPLOAD_DIR) / relative


def serve(item: StoredEvidence | None, *, reader: User, case: str) -> FileResponse:
    """A case's stored file as a download (never shown inline on the platform's origin), its read on the
    audit trail: evidence often carries ID scans and bank slips. Raises ``Http404`` when there is no
    such attachment (``item`` None) or its file is gone."""
    path = path_of(item.path) if item is not None else None
    if item is None or path is None or not path.is_file():
        raise Http404
    record(
        actor=Actor.of_user(reader),
        action="evidence.read",
        subject_code=item.subject_code,
        object_type="evidence",
        object_id=item.sha256,  # the stored path (folder + hash + suffix) exceeds the id column
        detail={"case": case, "name": item.name, "path": item.path},
    )
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
