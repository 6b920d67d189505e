"""Evidence files (证明材料): PDF, JPG or PNG by their first bytes and their name, at most 10 MB each and
``max_files`` in all, stored once by SHA-256 under the folder the caller names."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.cases import evidence
from xinyong.core.errors import PlatformError

PDF = b"%PDF-1.7\n% receipt\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def upload_dir(settings: Any, tmp_path: Path) -> Path:
    settings.UPLOAD_DIR = tmp_path
    return tmp_path


def refusal(uploads: list[SimpleUploadedFile], max_files: int = 5) -> tuple[str, int, str]:
    with pytest.raises(PlatformError) as refused:
        evidence.read(uploads, max_files=max_files)
    assert refused.value.field == "attachments"
    return refused.value.error.code, refused.value.error.status, refused.value.message


def test_it_reads_each_type_with_its_content_type_suffix_and_hash() -> None:
    files = evidence.read(
        [
            SimpleUploadedFile("a/../收据.PDF", PDF),
            SimpleUploadedFile("照片.jpeg", JPG),
            SimpleUploadedFile("图.png", PNG),
        ],
        max_files=3,
    )
    assert [(f.name, f.content_type, f.suffix) for f in files] == [
        ("收据.PDF", "application/pdf", ".pdf"),
        ("照片.jpeg", "image/jpeg", ".jpg"),
        ("图.png", "image/png", ".png"),
    ]
    assert files[0].content == PDF and files[0].size == len(PDF)
    assert files[0].sha256 == hashlib.sha256(PDF).hexdigest()


def test_it_takes_max_files_and_refuses_one_more() -> None:
    assert len(evidence.read([SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(5)], max_files=5)) == 5
    code, status, message = refusal([SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)], max_files=5)
    assert (code, status, message) == ("attachment.too_many", 400, "最多上传 5 个附件，本次 6 个。")


def test_it_takes_max_bytes_and_refuses_one_byte_more() -> None:
    exact = PDF + b"0" * (evidence.MAX_BYTES - len(PDF))
    assert evidence.read([SimpleUploadedFile("整.pdf", exact)], max_files=1)[0].size == evidence.MAX_BYTES
    code, status, message = refusal([SimpleUploadedFile("大.pdf", exact + b"0")])
    assert (code, status, message) == ("attachment.too_large", 413, "附件“大.pdf”超过 10 MB。")


def test_it_refuses_a_file_whose_declared_size_lies_after_reading_one_byte_more() -> None:
    liar = SimpleUploadedFile("小.pdf", PDF + b"0" * evidence.MAX_BYTES)
    liar.size = 10
    assert refusal([liar])[:2] == ("attachment.too_large", 413)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("假.pdf", b"MZ\x90\x00 not a pdf"),
        SimpleUploadedFile("真.exe", PDF),
        SimpleUploadedFile("无后缀", PDF),
        SimpleUploadedFile("空.pdf", b""),
    ],
)
def test_it_refuses_what_is_not_a_pdf_jpg_or_png_by_content_and_name(upload: SimpleUploadedFile) -> None:
    code, status, message = refusal([upload])
    assert (code, status, message) == (
        "attachment.type",
        400,
        f"附件“{upload.name}”不是 PDF、JPG 或 PNG 文件。",
    )


def test_it_stores_once_by_content_under_the_callers_folder(upload_dir: Path) -> None:
    [item] = evidence.read([SimpleUploadedFile("收据.pdf", PDF)], max_files=1)
    relative = evidence.store(item, "objections/YY-20260105-0001")
    assert relative == f"objections/YY-20260105-0001/{item.sha256}.pdf"
    assert evidence.path_of(relative) == upload_dir / relative
    assert evidence.path_of(relative).read_bytes() == PDF
    assert evidence.store(item, "repairs") == f"repairs/{item.sha256}.pdf"
    assert evidence.store(item, "repairs") == f"repairs/{item.sha256}.pdf"  # the same evidence twice
    assert sorted(p.name for p in (upload_dir / "repairs").iterdir()) == [
        f"{item.sha256}.pdf"
    ]  # no leftovers


@pytest.mark.parametrize("folder", ["", "/etc", "../outside", "repairs/../../x"])
def test_it_refuses_a_folder_outside_the_upload_dir(upload_dir: Path, folder: str) -> None:
    [item] = evidence.read([SimpleUploadedFile("收据.pdf", PDF)], max_files=1)
    with pytest.raises(ValueError):
        evidence.store(item, folder)
    assert list(upload_dir.iterdir()) == []
