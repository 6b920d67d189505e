"""``xinyong --help`` writes nothing: reading the settings creates no ``var/``, no database and no secret
key; the first command that needs them makes them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xinyong.cli import only_help


def _xinyong(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XINYONG_SECRET_KEY")}
    env |= {"DJANGO_SETTINGS_MODULE": "xinyong.settings", "XINYONG_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "-m", "xinyong.cli", *args], env=env, capture_output=True, text=True, check=True
    )


def test_help_writes_no_files(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"

    listing = _xinyong(var_dir, "--help").stdout
    _xinyong(var_dir, "help", "serve")
    _xinyong(var_dir, "migrate", "--help")

    assert "serve" in listing and "worker" in listing  # the platform's commands are listed
    assert not var_dir.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_first_real_command_makes_the_directory_and_the_key_once(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"

    _xinyong(var_dir, "check")
    assert (var_dir / "static").is_dir()
    _xinyong(var_dir, "shell", "-c", "from django.conf import settings; print(len(str(settings.SECRET_KEY)))")
    key = (var_dir / "secret_key").read_text()
    _xinyong(var_dir, "shell", "-c", "from django.core import signing; signing.dumps(1)")

    assert (var_dir / "secret_key").read_text() == key and len(key) > 50
    assert (var_dir / "secret_key").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in var_dir.iterdir()) == ["secret_key", "static"]


@pytest.mark.parametrize(
    ("args", "help_only"),
    [([], True), (["--help"], True), (["help", "serve"], True), (["serve", "-h"], True), (["check"], False)],
)
def test_help_is_recognised_wherever_it_is_asked(args: list[str], help_only: bool) -> None:
    assert only_help(args) is help_only
