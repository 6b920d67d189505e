"""docs/error-codes.md lists every registered code, so a client can look up anything it receives."""

from __future__ import annotations

from django.conf import settings

import xinyong.collection.errors  # noqa: F401 - registers its codes
from xinyong.core.errors import REGISTRY


def test_every_error_code_is_documented() -> None:
    document = (settings.REPO_DIR / "docs" / "error-codes.md").read_text(encoding="utf-8")
    missing = [code for code in REGISTRY if f"`{code}`" not in document]
    assert missing == []
