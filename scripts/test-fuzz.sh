#!/usr/bin/env bash
# Fuzzing smoke run: every cargo-fuzz target of fuzz/ for a few seconds, starting from its
# checked-in corpus (fuzz/corpus/<target>/), with the invariants of tests/fuzz-checks.
# A crash or a broken invariant fails the script and leaves its input in
# fuzz/artifacts/<target>/.
#
# Installs cargo-fuzz when it is missing. libFuzzer's instrumentation needs a nightly
# toolchain: the nightly one when rustup has it, else the stable one with RUSTC_BOOTSTRAP=1.
# The targets are built without optimisation (--dev) to keep the build short; the long runs
# recorded in docs/reliability.md use optimised builds.
#
#   bash scripts/test-fuzz.sh            # every target, 5 seconds each
#   FUZZ_SECONDS=600 bash scripts/test-fuzz.sh case
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

seconds="${FUZZ_SECONDS:-5}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(identifiers case rulebook audit_chain relief_ledger population capi)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi

toolchain=()
if command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  echo "no nightly toolchain: stable with RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
fi

# the same flags for the build and the runs, so that the runs reuse the build
flags=(--sanitizer none --debug-assertions --dev)
cd fuzz
cargo "${toolchain[@]}" fuzz build "${flags[@]}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
  # new inputs go to a scratch directory; the checked-in corpus is only read
  mkdir -p "$work/$target"
  echo "==> fuzz $target for ${seconds}s"
  log="$work/$target.log"
  if ! cargo "${toolchain[@]}" fuzz run "${flags[@]}" "$target" "$work/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz target $target failed; its input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" || true
done
echo "fuzz smoke run: ${#targets[@]} targets clean"
