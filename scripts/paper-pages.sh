#!/usr/bin/env bash
# Regenerates docs/report-page-*.png, the first page of each printed layout (one member, six
# members, many gaps) as Chromium prints it, shown in README "The report on paper". Needs what
# scripts/test-paper.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
HEDUI_PAPER_PNG_DIR="$PWD/docs" cargo test -q -p hedui-tests --test paper_browser -- --ignored
ls -l docs/report-page-*.png
