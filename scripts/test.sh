#!/usr/bin/env bash
# The whole hedui test suite, from a clean clone on a fresh machine (README's test command).
# Installs what it needs itself: rustfmt/clippy components, a Python venv with maturin and
# pytest (scripts/test-python.sh), pyspark and Java 17 (scripts/test-spark.sh), valgrind and the C
# toolchain checks (scripts/test-ffi.sh), cargo-mutants (scripts/test-mutants-diff.sh), cargo-fuzz
# for a short run of every fuzz target (scripts/test-fuzz.sh), openssl for the SM2/SM3 interop
# check (scripts/test-sm.sh).
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

step "hedui-core as published: cargo package, then the .crate's build and doc tests without and with default features"
cargo package -p hedui-core --locked --no-verify
crate_version=$(cargo pkgid -p hedui-core | sed 's/.*[#@]//')
unpacked=$(mktemp -d)
tar -xzf "target/package/hedui-core-$crate_version.crate" -C "$unpacked"
# outside the workspace, with the lock file the .crate carries, in this target directory so the
# dependencies already built are reused
core_manifest="$unpacked/hedui-core-$crate_version/Cargo.toml"
cargo test --manifest-path "$core_manifest" --target-dir target --locked --no-default-features --doc
cargo test --manifest-path "$core_manifest" --target-dir target --locked --doc
cargo test --manifest-path "$core_manifest" --target-dir target --locked --all-features --doc
rm -rf "$unpacked"
# without the default features (no schemars) the crate stays free of warnings too
cargo clippy -p hedui-core --locked --no-default-features --all-targets -- -D warnings

step "mutants on the lines the last commit changed in a rule module (scripts/test-mutants-diff.sh)"
MUTANTS_BUDGET="${MUTANTS_BUDGET:-900}" MUTANTS_BASELINE=skip bash scripts/test-mutants-diff.sh

step "the hedui command, installed as cargo install does it"
cargo install --quiet --locked --path hedui-cli --root target/ci-install --target-dir target
hedui=target/ci-install/bin/hedui
"$hedui" --version

step "main job (hedui verify) on 1000 sample cases, reports validated against schemas/report.schema.json"
out=target/ci-sample
rm -rf "$out"
"$hedui" verify --sample 1000 --out "$out" --as-of 2026-11-29T10:00:00+08:00
cargo run -q -p hedui-tests --bin validate_jsonl -- "$out/reports.jsonl" schemas/report.schema.json
# the same cases read back from cases.jsonl give byte-identical reports
"$hedui" verify --input "$out/cases.jsonl" --out "$out/again" --as-of 2026-11-29T10:00:00+08:00 --no-render >/dev/null
cmp "$out/reports.jsonl" "$out/again/reports.jsonl"
cmp "$out/errors.jsonl" "$out/again/errors.jsonl"

step "main job on hostile input: bad lines are reported with their line numbers, good ones still verified"
bad="$out/hostile"
mkdir -p "$bad"
# line 7: a member's resident ID written as a JSON number (no error may show it whole);
# line 8: a household id that is a resident ID
{ sed -n 1p "$out/cases.jsonl"; echo '{"case_id": "broken"'; printf '\xff\xfe not utf-8\n'; echo; sed -n 2p "$out/cases.jsonl"; echo '[]';
  sed -n 3p "$out/cases.jsonl" | sed -E 's/"id":"([0-9]{18})"/"id":\1/';
  sed -n 4p "$out/cases.jsonl" | sed -E 's/"household_id":"[^"]*"/"household_id":"141030197803100016"/'; } > "$bad/cases.jsonl"
"$hedui" verify --input "$bad/cases.jsonl" --out "$bad/out" --as-of 2026-11-29T10:00:00+08:00 --no-render
python3 - "$bad/out" "$out" <<'PY'
import json, sys
out, first = sys.argv[1], sys.argv[2]
errors = [json.loads(l) for l in open(f"{out}/errors.jsonl")]
reports = [json.loads(l) for l in open(f"{out}/reports.jsonl")]
expected_good = sum(1 for l in open(f"{first}/errors.jsonl") if json.loads(l)["line"] in (1, 2))
got = sorted((e["line"], e["code"]) for e in errors)
want_bad = [(2, "input_json"), (3, "input_utf8"), (6, "input_array_for_object"), (7, "input_json")]
assert all(w in got for w in want_bad), got
assert len(reports) + len(errors) == 7, (len(reports), len(errors))
# no resident ID in any batch error record: no run of 15 or more digits
import re
text = open(f"{out}/errors.jsonl").read()
assert not re.search(r"[0-9]{15,}", text), text
assert "**********" in text, text
print(f"hostile input: {len(reports)} reports, {len(errors)} errors with line numbers")
PY

step "hedui check and render on the main job's reports"
"$hedui" check "$out/reports.jsonl" >/dev/null
"$hedui" render "$out/reports.jsonl" --out "$out/rendered" >/dev/null
diff -r "$out/reports" "$out/rendered"

for extra in scripts/test-python.sh scripts/test-spark.sh scripts/test-ffi.sh scripts/test-columns.sh scripts/test-paper.sh scripts/test-sm.sh scripts/test-fuzz.sh; do
  if [ -f "$extra" ]; then
    step "$extra"
    bash "$extra"
  fi
done

step "all hedui tests passed"
