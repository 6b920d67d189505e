#!/usr/bin/env bash
# Set up everything and run the whole test suite, with lint, types and migration checks.
# SQLite by default; set DATABASE_URL=postgres://… to run it on PostgreSQL. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
# Browser tests drive Debian's Chromium (never a browser build downloaded by `playwright install`);
# Noto CJK so Chinese pages render as text, not boxes. Checked first, so a set-up machine pays nothing.
# Where they cannot be installed (no sudo; Ubuntu ships Chromium only as a snap) the rest still runs
# and the browser tests are skipped, saying why.
browser_packages=()
command -v chromium >/dev/null || browser_packages+=(chromium)
# The status, not just `dpkg -s`: that also succeeds for a removed package whose config files remain.
[ "$(dpkg-query -W -f '${Status}' fonts-noto-cjk 2>/dev/null)" = "install ok installed" ] ||
  browser_packages+=(fonts-noto-cjk)
if [ ${#browser_packages[@]} -gt 0 ]; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  { as_root apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${browser_packages[@]}" >/dev/null; } ||
    echo "warning: could not install ${browser_packages[*]}; browser tests will be skipped" >&2
fi
export DJANGO_SETTINGS_MODULE=xinyong.settings_test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/xinyong check --fail-level WARNING
.venv/bin/xinyong makemigrations --check --dry-run >/dev/null
exec .venv/bin/pytest "$@"
