"""docs/error-codes.md lists every registered code, so a client can look up anything it receives."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.conf import settings

from xinyong.core.errors import REGISTRY


def test_every_error_code_is_documented() -> None:
    package = Path(__file__).resolve().parents[2]
    for module in sorted(package.glob("*/errors.py")):
        importlib.import_module(f"xinyong.{module.parent.name}.errors")  # registers its codes
    importlib.import_module("xinyong.cases.evidence")  # the shared attachment.* codes
    document = (settings.REPO_DIR / "docs" / "error-codes.md").read_text(encoding="utf-8")
    missing = [code for code in REGISTRY if f"`{code}`" not in document]
    assert len(REGISTRY) > 30
    assert missing == []
