#!/usr/bin/env bash
# Set up everything and run the whole test suite, with lint, types and migration checks.
# SQLite by default; set DATABASE_URL=postgres://… to run it on PostgreSQL. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
export DJANGO_SETTINGS_MODULE=xinyong.settings_test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/xinyong check --fail-level WARNING
.venv/bin/xinyong makemigrations --check --dry-run >/dev/null
exec .venv/bin/pytest "$@"
