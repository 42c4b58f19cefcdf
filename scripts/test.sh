#!/usr/bin/env bash
# The whole hedui test suite, from a clean clone on a fresh machine (README's test command).
# Installs what it needs itself: rustfmt/clippy components, a Python venv with maturin and
# pytest (scripts/test-python.sh), pyspark and Java 17 (scripts/test-spark.sh), valgrind and the C
# toolchain checks (scripts/test-ffi.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --no-deps

step "cargo test"
cargo test --workspace

step "main job on 1000 sample cases, reports validated against schemas/report.schema.json"
out=target/ci-sample
rm -rf "$out"
cargo run --release --example verify_batch -- --sample 1000 --out "$out" --as-of 2026-11-29T10:00:00+08:00
cargo run -q -p hedui-tests --bin validate_jsonl -- "$out/reports.jsonl" schemas/report.schema.json
# the same cases read back from cases.jsonl give byte-identical reports
cargo run --release --example verify_batch -- --input "$out/cases.jsonl" --out "$out/again" --as-of 2026-11-29T10:00:00+08:00 --no-render >/dev/null
cmp "$out/reports.jsonl" "$out/again/reports.jsonl"
cmp "$out/errors.jsonl" "$out/again/errors.jsonl"

step "main job on hostile input: bad lines are reported with their line numbers, good ones still verified"
bad="$out/hostile"
mkdir -p "$bad"
{ sed -n 1p "$out/cases.jsonl"; echo '{"case_id": "broken"'; printf '\xff\xfe not utf-8\n'; echo; sed -n 2p "$out/cases.jsonl"; echo '[]'; } > "$bad/cases.jsonl"
cargo run -q --release --example verify_batch -- --input "$bad/cases.jsonl" --out "$bad/out" --as-of 2026-11-29T10:00:00+08:00 --no-render
python3 - "$bad/out" "$out" <<'PY'
import json, sys
out, first = sys.argv[1], sys.argv[2]
errors = [json.loads(l) for l in open(f"{out}/errors.jsonl")]
reports = [json.loads(l) for l in open(f"{out}/reports.jsonl")]
expected_good = sum(1 for l in open(f"{first}/errors.jsonl") if json.loads(l)["line"] in (1, 2))
got = sorted((e["line"], e["code"]) for e in errors)
want_bad = [(2, "input_json"), (3, "input_utf8"), (6, "input_json")]
assert all(w in got for w in want_bad), got
assert len(reports) + len(errors) == 5, (len(reports), len(errors))
print(f"hostile input: {len(reports)} reports, {len(errors)} errors with line numbers")
PY

for extra in scripts/test-python.sh scripts/test-spark.sh scripts/test-ffi.sh scripts/test-columns.sh; do
  if [ -f "$extra" ]; then
    step "$extra"
    bash "$extra"
  fi
done

step "all hedui tests passed"
