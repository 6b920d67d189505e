#!/usr/bin/env bash
# Set up everything and serve the platform with a synthetic demo city on http://127.0.0.1:8000 (SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh main
# The TrueType CJK font embedded in report PDFs.
source scripts/packages.sh
ensure_packages fonts-wqy-microhei
exec .venv/bin/xinyong demo "$@"
