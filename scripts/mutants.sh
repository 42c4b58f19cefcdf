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
# Two stages per module, so that a whole run fits in hours rather than days:
#   1. quick: every mutant against the tests that guard the module most directly, without the
#      slow ones: for the modules checked mainly through whole cases (authorization,
#      entrustment, sharing, verification, the report) the unit and integration tests of
#      hedui-core and hedui-tests; for the others, which have their own unit tests, those of
#      hedui-core alone (one test binary to rebuild). Either way without the password-hashing
#      tests of security/account.rs and security/password.rs, which take most of the test time,
#      unless one of those two modules is mutated;
#   2. full: the mutants that survived stage 1 (`cargo mutants --iterate`) against all the
#      tests of .cargo/mutants.toml (hedui-core's and hedui-tests', the slow ones included).
# A mutant counts as caught when either stage catches it and as missed only when both miss it.
# Both stages build with the `mutants` cargo profile (Cargo.toml: the dependencies optimised,
# hedui's crates as in `dev`), in their own target directory (target/mutants-build).
#
# Environment:
#   MUTANTS_JOBS     parallel mutants (default 1: one build at a time on a 2-core machine)
#   MUTANTS_TIMEOUT  seconds one test run may take before the mutant counts as a timeout
#                    (default 60; the unmutated tests take 2-15 s)
#   MUTANTS_BUILD_TIMEOUT  seconds one build may take (default 900)
#   MUTANTS_BUDGET   seconds each stage of one module may take (default: no limit); a module
#                    cut short is recorded as partial, with how many of its mutants were
#                    tested (they are tested in random order, so a partial run is a sample);
#                    mutants stage 2 did not reach count as missed
#   MUTANTS_STAGES   `quick,full` (default), or `quick` alone: survivors of stage 1 are then
#                    recorded as missed (the score errs low); or `full` alone: the survivors
#                    of the module's last run (in target/mutants) are run again against all
#                    tests, e.g. after tests were added for them, and the row gets the commit
#                    of this run
#
# Which tests run in stage 2 is set in .cargo/mutants.toml (hedui-core's and hedui-tests' unit
# and integration tests, not the doc tests), as are the mutants that cannot change behaviour
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
# nextest stops a mutant's test run at its first failing test (most mutants are caught early)
if ! command -v cargo-nextest >/dev/null; then
  echo "installing cargo-nextest (crates.io)"
  cargo install --locked cargo-nextest
fi

modules=("$@")
[ "${#modules[@]}" -gt 0 ] || modules=("${RULE_MODULES[@]}")
for m in "${modules[@]}"; do
  [ -f "hedui-core/src/$m" ] || { echo "no such module: hedui-core/src/$m" >&2; exit 2; }
done

jobs="${MUTANTS_JOBS:-1}"
timeout="${MUTANTS_TIMEOUT:-60}"
build_timeout="${MUTANTS_BUILD_TIMEOUT:-900}"
stages="${MUTANTS_STAGES:-quick,full}"
# Build outside the copy cargo-mutants makes of the tree, in one target directory, so that the
# dependencies are built once and not again for every module.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/mutants-build}"
# Incremental builds: a mutant changes one function, so most of hedui-core's code is reused.
export CARGO_INCREMENTAL=1
# Property tests run 32 cases each instead of 256, so one mutant's test run stays short; a
# mutant only a rare generated case would catch may then survive (the score errs low).
export PROPTEST_CASES="${PROPTEST_CASES:-32}"

# One cargo-mutants run of module $1 into directory $2, with the remaining arguments added;
# exit status 0/2/3 (all caught, some missed, some timed out) and 124 (the budget ran out)
# are results, anything else means the module has no result.
run_stage() {
  local module="$1" dir="$2"
  shift 2
  local status=0 budget=()
  [ -z "${MUTANTS_BUDGET:-}" ] || budget=(timeout --signal=INT --kill-after=120 "$MUTANTS_BUDGET")
  "${budget[@]}" cargo mutants --package hedui-core --file "hedui-core/src/$module" \
    --profile mutants --test-tool nextest --jobs "$jobs" --timeout "$timeout" --build-timeout "$build_timeout" \
    --output "$dir" "$@" || status=$?
  case "$status" in
    0 | 2 | 3 | 124) ;;
    *) echo "cargo mutants failed for $module (exit $status)" >&2; exit "$status" ;;
  esac
}

baseline=run
for m in "${modules[@]}"; do
  name="${m%.rs}"
  # cargo-mutants copies the tree when it starts, so each module is run at the commit then
  commit="$(git rev-parse --short HEAD)"
  out="target/mutants/${name//\//-}"
  if [[ ",$stages," == *,quick,* ]]; then
    rm -rf "$out"
    mkdir -p "$out/quick" "$out/full/mutants.out"
    printf '\n==> mutants of hedui-core/src/%s, stage 1: the nearest tests\n' "$m"
    quick=()
    case "$m" in
      authorization.rs | entrustment.rs | sharing.rs | verify.rs | report.rs) ;;
      *) quick=(--test-package hedui-core) ;;
    esac
    case "$m" in
      security/account.rs | security/password.rs) ;;
      *) quick+=(--cargo-test-arg=-E "--cargo-test-arg=not test(/^security::(account|password)::/)") ;;
    esac
    run_stage "$m" "$out/quick" "${quick[@]}" --baseline "$baseline"
    baseline=skip
  elif [ ! -s "$out/quick/mutants.out/outcomes.json" ]; then
    echo "no first-stage run of $m in $out to go on from" >&2
    exit 2
  fi
  if [[ ",$stages," == *,full,* ]] && [ -s "$out/quick/mutants.out/missed.txt" ]; then
    printf '\n==> mutants of hedui-core/src/%s, stage 2: the survivors against all tests\n' "$m"
    # --iterate skips what is listed as caught or unviable in the output directory: on the
    # first second stage, everything the first stage settled; on a later one (tests added since),
    # also what an earlier second stage caught (cargo-mutants keeps it in previously_caught.txt)
    if [ ! -s "$out/full/mutants.out/outcomes.json" ]; then
      cat "$out/quick/mutants.out/"{caught,unviable,timeout}.txt \
        >"$out/full/mutants.out/caught.txt" 2>/dev/null || true
    fi
    run_stage "$m" "$out/full" --iterate --baseline skip
  fi
  python3 scripts/mutants_table.py docs/reliability.md "$m" "$out" "$commit" \
    "${RULE_MODULES[@]}"
done
