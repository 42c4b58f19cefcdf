#!/usr/bin/env bash
# The printed report in a real browser (README "The report on paper"). Installs what it needs
# when missing (Debian: chromium, fonts-noto-cjk, poppler-utils, zbar-tools), then:
#   1. prints sample reports of one and of six members and one with many gaps to PDF with
#      headless Chromium and reads them back with pdfinfo, pdftotext, pdftoppm and zbarimg:
#      key fields, masked IDs only, the statement, no verdict wording, no text past the side
#      margins, a six-member household on at most 4 A4 pages, the QR code on every page
#      decoding to the report's payload (tests/tests/paper_browser.rs);
#   2. runs the main job with --pdf (examples/verify_batch.rs) and checks every report has
#      its PDF.
# A few minutes on two cores; Chromium runs with --no-sandbox (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

missing=()
for pkg in chromium fonts-noto-cjk poppler-utils zbar-tools; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
chromium --version

step "sample reports printed by Chromium and read back (paper_browser)"
cargo test -q -p hedui-tests --test paper_browser -- --ignored --nocapture

step "the main job with --pdf: a PDF per report"
out=target/ci-paper
rm -rf "$out"
cargo run -q --example verify_batch -- --sample 4 --pdf --out "$out" \
    --as-of 2026-11-29T10:00:00+08:00
reports=0
while IFS= read -r number; do
    pdf="$out/reports/$number.pdf"
    head -c 5 "$pdf" | grep -q '%PDF-' || { echo "no PDF for $number" >&2; exit 1; }
    reports=$((reports + 1))
done < <(python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["report_number"])' "$out/reports.jsonl")
[ "$reports" -gt 0 ]
echo "$reports reports, $reports PDFs"
