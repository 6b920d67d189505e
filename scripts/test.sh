#!/usr/bin/env bash
# Set up everything and run the whole test suite, with lint, types and migration checks.
# SQLite by default; set DATABASE_URL=postgres://… to run it on PostgreSQL. Extra arguments go to pytest.
# XINYONG_TEST_WORKERS=N runs the tests in N processes (pytest-xdist), each with its own test database
# and files; on PostgreSQL each worker's database (test_<name>_gw0 …) must exist with a UTF-8 ctype
# (.ci/run makes them). Off by default: see docs/operations.md, "Running the tests", for the timings.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
# Browser tests drive Debian's Chromium (never a browser build downloaded by `playwright install`);
# Noto CJK so Chinese pages render as text, not boxes; WenQuanYi Micro Hei is the TrueType font embedded
# in report PDFs; poppler-utils gives pdfsig and pdftotext, which check the reports as a reader would.
source scripts/packages.sh
ensure_packages chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils gettext
export DJANGO_SETTINGS_MODULE=xinyong.settings_test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# The layer contract: an app imports only its own layer and those below (docs/architecture.md).
.venv/bin/lint-imports --no-cache
.venv/bin/xinyong check --fail-level WARNING
.venv/bin/xinyong makemigrations --check --dry-run >/dev/null
workers=${XINYONG_TEST_WORKERS:-0}
if [ "$workers" -gt 0 ]; then
  set -- -n "$workers" "$@"
fi
exec .venv/bin/pytest "$@"
