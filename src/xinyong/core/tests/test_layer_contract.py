"""A wrong-way import fails the test command: ``lint-imports`` (run by scripts/test.sh before pytest)
refuses a copy of the tree in which the kernel imports an app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # our own tool on our own tree
        [str(LINT_IMPORTS), "--no-cache", "--config", str(settings.REPO_DIR / "pyproject.toml")],
        cwd=tree, env={**os.environ, "PYTHONPATH": str(tree / "src")},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The sources alone (no templates, data or translations: the contract reads imports only)."""
    shutil.copytree(
        settings.REPO_DIR / "src" / "xinyong", tmp_path / "src" / "xinyong",
        ignore=shutil.ignore_patterns("templates", "static", "locale", "__pycache__", "migrations"),
    )  # fmt: skip
    return tmp_path


def test_the_tree_keeps_the_contract(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_kernel_module_importing_an_app_breaks_it(tree: Path) -> None:
    clock = tree / "src" / "xinyong" / "core" / "clock.py"
    clock.write_text(clock.read_text() + "\nfrom xinyong.portal import views  # noqa\n")

    result = _lint(tree)

    assert result.returncode != 0
    assert "xinyong.core.clock -> xinyong.portal.views" in result.stdout, result.stdout
