#!/usr/bin/env bash
# CI check: the mutants on the lines the last commit changed in hedui-core's rule modules must
# all be caught by the tests (cargo-mutants `--in-diff` against the previous commit). A rule
# changed without a test that notices fails the suite.
#
# Skips with a message when the commit touches no rule module, or when there is no previous
# commit. Bounded in time: each test run may take MUTANTS_TIMEOUT seconds (default 300), each
# build MUTANTS_BUILD_TIMEOUT (default 900), and the whole check MUTANTS_BUDGET seconds
# (default 1800); when the budget runs out, the mutants tested so far decide and the rest are
# reported as not tested. MUTANTS_BASELINE=skip skips building and testing the unmutated tree
# first (scripts/test.sh does, since its cargo test step has just passed).
# Usage: scripts/test-mutants-diff.sh [BASE]   (BASE defaults to HEAD~1)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

base="${1:-HEAD~1}"
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  echo "mutants in diff: no commit $base to compare with; skipped"
  exit 0
fi

# The rule modules (as in scripts/mutants.sh): the files whose mutants are checked.
rule_paths=(
  hedui-core/src/id.rs
  hedui-core/src/calendar.rs
  hedui-core/src/authorization.rs
  hedui-core/src/entrustment.rs
  hedui-core/src/sharing.rs
  hedui-core/src/verify.rs
  hedui-core/src/report.rs
  hedui-core/src/population
  hedui-core/src/security
)
changed="$(git diff --name-only "$base" HEAD -- "${rule_paths[@]}")"
if [ -z "$changed" ]; then
  echo "mutants in diff: no rule module changed since $base; skipped"
  exit 0
fi
echo "mutants in diff: rule modules changed since $base:"
printf '  %s\n' $changed

if ! command -v cargo-mutants >/dev/null; then
  echo "installing cargo-mutants (crates.io)"
  cargo install --locked cargo-mutants
fi

out="target/mutants-diff"
rm -rf "$out"
mkdir -p "$out"
git diff "$base" HEAD -- "${rule_paths[@]}" >"$out/changes.diff"
file_args=()
for f in $changed; do
  file_args+=(--file "$f")
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# Property tests run 32 cases each (as in scripts/mutants.sh), so one mutant's tests are short.
export PROPTEST_CASES="${PROPTEST_CASES:-32}"

status=0
timeout --signal=INT --kill-after=60 "${MUTANTS_BUDGET:-1800}" \
  cargo mutants --package hedui-core \
  "${file_args[@]}" --in-diff "$out/changes.diff" --jobs 1 --baseline "${MUTANTS_BASELINE:-run}" \
  --timeout "${MUTANTS_TIMEOUT:-300}" --build-timeout "${MUTANTS_BUILD_TIMEOUT:-900}" \
  --output "$out" || status=$?

results="$out/mutants.out"
count() { if [ -f "$results/$1" ]; then grep -c . "$results/$1" || true; else echo 0; fi; }
missed="$(count missed.txt)"
echo "mutants in diff: caught $(count caught.txt), missed $missed, timeouts $(count timeout.txt), unviable $(count unviable.txt)"
if [ "$missed" -gt 0 ]; then
  echo "mutants in diff: these changes to rule modules survive the tests (add a test that fails on them, or list the mutant with its reason in .cargo/mutants.toml):" >&2
  cat "$results/missed.txt" >&2
  exit 1
fi
case "$status" in
  0 | 3) echo "mutants in diff: every mutant on the changed lines is caught" ;;
  124 | 130)
    echo "mutants in diff: time budget spent; the mutants tested were all caught, the rest were not tested"
    ;;
  *)
    echo "mutants in diff: cargo mutants failed (exit $status)" >&2
    exit "$status"
    ;;
esac
