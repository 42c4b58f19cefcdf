#!/usr/bin/env bash
# Mutation testing of hedui-core's rule modules with cargo-mutants: each module's functions are
# changed one at a time (an operator flipped, a branch deleted, a value replaced) and the
# tests that cover them (hedui-core's own and the cross-crate tests in `tests/`) must fail.
#
# Usage: scripts/mutants.sh [MODULE...]
#   MODULE is a file under hedui-core/src (`id.rs`, `population/recheck.rs`, ...); without
#   one, every rule module is run in turn. After each module the table in
#   docs/reliability.md ("## Mutation testing") is rewritten: the modules run now get fresh
#   rows (date, commit, counts), the others keep the rows of their last run or read "not run".
#
# Environment:
#   MUTANTS_JOBS     parallel mutants (default 1: one build at a time on a 2-core machine)
#   MUTANTS_TIMEOUT  seconds one test run may take before the mutant counts as a timeout
#                    (default 300; the unmutated tests take about a minute)
#   MUTANTS_BUILD_TIMEOUT  seconds one build may take (default 900)
#   MUTANTS_BUDGET   seconds one module may take in all (default: no limit); a module cut
#                    short is recorded as partial, with how many of its mutants were tested
#                    (they are tested in random order, so a partial run is a sample)
#
# Which tests run is set in .cargo/mutants.toml (hedui-core's and hedui-tests' unit and
# integration tests, not the doc tests), as are the mutants that cannot change behaviour
# (each with its reason; they are not generated). The unmutated tree is built and tested once,
# before the first module (cargo-mutants' baseline); the later modules skip it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

RULE_MODULES=(
  id.rs
  calendar.rs
  authorization.rs
  entrustment.rs
  sharing.rs
  verify.rs
  report.rs
  population/mod.rs
  population/recheck.rs
  population/relief.rs
  population/coverage.rs
  security/account.rs
  security/archive.rs
  security/audit.rs
  security/findings.rs
  security/lending.rs
  security/password.rs
  security/permission.rs
  security/signing.rs
)

if ! command -v cargo-mutants >/dev/null; then
  echo "installing cargo-mutants (crates.io)"
  cargo install --locked cargo-mutants
fi

modules=("$@")
[ "${#modules[@]}" -gt 0 ] || modules=("${RULE_MODULES[@]}")
for m in "${modules[@]}"; do
  [ -f "hedui-core/src/$m" ] || { echo "no such module: hedui-core/src/$m" >&2; exit 2; }
done

jobs="${MUTANTS_JOBS:-1}"
timeout="${MUTANTS_TIMEOUT:-300}"
build_timeout="${MUTANTS_BUILD_TIMEOUT:-900}"
commit="$(git rev-parse --short HEAD)"
# Build outside the copy cargo-mutants makes of the tree, in one target directory, so that the
# dependencies are built once and not again for every module.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# Property tests run 32 cases each instead of 256, so one mutant's test run stays short; a
# mutant only a rare generated case would catch may then survive (the score errs low).
export PROPTEST_CASES="${PROPTEST_CASES:-32}"

baseline=run
for m in "${modules[@]}"; do
  name="${m%.rs}"
  out="target/mutants/${name//\//-}"
  rm -rf "$out"
  mkdir -p "$out"
  printf '\n==> mutants of hedui-core/src/%s\n' "$m"
  status=0
  budget=()
  [ -z "${MUTANTS_BUDGET:-}" ] || budget=(timeout --signal=INT --kill-after=120 "$MUTANTS_BUDGET")
  "${budget[@]}" cargo mutants --package hedui-core \
    --file "hedui-core/src/$m" --jobs "$jobs" --timeout "$timeout" \
    --build-timeout "$build_timeout" --output "$out" --baseline "$baseline" \
    || status=$?
  baseline=skip
  # 0: all caught; 2: some missed; 3: some timed out: all are results, as is 124 (the budget
  # ran out: the mutants tested so far). Anything else (the unmutated tree failed, or
  # cargo-mutants itself did) means this module has no result.
  case "$status" in
    0 | 2 | 3 | 124) ;;
    *) echo "cargo mutants failed for $m (exit $status)" >&2; exit "$status" ;;
  esac
  python3 scripts/mutants_table.py docs/reliability.md "$m" "$out/mutants.out" "$commit" \
    "${RULE_MODULES[@]}"
done
