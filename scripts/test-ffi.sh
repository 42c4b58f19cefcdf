#!/usr/bin/env bash
# Tests of hedui-ffi, from a clean clone on a fresh Debian machine (run as root, or with the
# tools already installed):
#   1. builds the library (release: cdylib + staticlib);
#   2. runs the crate's Rust tests, among them the check that include/hedui.h is what the
#      pinned cbindgen generates now;
#   3. compiles the C tests with -std=c11 -Wall -Wextra -Wpedantic -Werror and runs them under
#      valgrind (no errors, no definite or indirect leaks); they sign a report, which step 5
#      verifies through uniffi;
#   4. builds the C example with the README build line and through pkg-config (static);
#   5. generates the uniffi bindings (Python, Kotlin, Swift) and runs the Python tests
#      against the built library;
#   6. runs the JVM host test (scripts/test-jvm.sh: JNA under LANG=C, a thread pool, errors
#      read on other threads).
# Exits non-zero on any failure. Usage: scripts/test-ffi.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
LIB="$TARGET/release"
OUT="$TARGET/ffi-test"
mkdir -p "$OUT"

step() { printf '\n== %s\n' "$*"; }

# --- tools ---------------------------------------------------------------------------
missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v gcc >/dev/null || missing+=(gcc libc6-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
    step "installing ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then
        echo "missing ${missing[*]}; run as root or install them" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}"
fi

# --- 1. library ------------------------------------------------------------------------
step "build hedui-ffi (release)"
cargo build -p hedui-ffi --release --locked
test -f "$LIB/libhedui_ffi.so" && test -f "$LIB/libhedui_ffi.a"

# --- 2. Rust tests and header freshness ------------------------------------------------
step "cargo test -p hedui-ffi (unit tests, header freshness, doc tests)"
cargo test -p hedui-ffi --locked

# --- 3. C tests under valgrind ---------------------------------------------------------
CFLAGS=(-std=c11 -Wall -Wextra -Wpedantic -Werror -O1 -g)
step "C tests: gcc ${CFLAGS[*]}"
gcc "${CFLAGS[@]}" -I hedui-ffi/include hedui-ffi/tests/c/test_hedui.c \
    -L "$LIB" -lhedui_ffi -pthread -Wl,-rpath,"$LIB" -o "$OUT/test_hedui"
step "C tests under valgrind"
# "possibly lost" is not an error here: glibc keeps the TLS vectors of joined threads in its
# stack cache, which valgrind reports as possibly lost; it is hidden to keep the output clean.
valgrind --quiet --error-exitcode=1 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-possibly-lost=no \
    "$OUT/test_hedui" tests/corpus hedui-ffi/tests/fixtures "$OUT"
test -s "$OUT/signed-by-c.json"

# --- 4. the C example ------------------------------------------------------------------
step "C example: README build line"
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 examples/c/verify.c -Ihedui-ffi/include \
    -L"$LIB" -lhedui_ffi -Wl,-rpath,"$LIB" -o "$OUT/verify"
"$OUT/verify" tests/corpus/cases/sample-good-1.json 2026-11-29T10:00:00+08:00 \
    | cmp - tests/corpus/expected/sample-good-1.json
if "$OUT/verify" tests/corpus/cases/missing-precheck.json 2>"$OUT/verify.err"; then
    echo "the example should fail on missing-precheck.json" >&2
    exit 1
fi
grep -q '(precheck_missing)' "$OUT/verify.err"
step "C example: static library through pkg-config"
if [[ -z "${CARGO_TARGET_DIR:-}" ]]; then
    PC=(env PKG_CONFIG_PATH="$ROOT/hedui-ffi" pkg-config)
    LIBS=$("${PC[@]}" --static --libs hedui)
    # link libhedui_ffi.a rather than the .so beside it
    LIBS=${LIBS/-lhedui_ffi/-Wl,-Bstatic -lhedui_ffi -Wl,-Bdynamic}
    # shellcheck disable=SC2046,SC2086
    gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 examples/c/verify.c \
        $("${PC[@]}" --cflags hedui) $LIBS -o "$OUT/verify-static"
    if ldd "$OUT/verify-static" | grep -q hedui; then
        echo "verify-static links libhedui_ffi.so" >&2
        exit 1
    fi
    "$OUT/verify-static" tests/corpus/cases/sample-good-2.json 2026-11-29T10:00:00+08:00 \
        | cmp - tests/corpus/expected/sample-good-2.json
else
    echo "skipped: hedui.pc points at ./target, and CARGO_TARGET_DIR is set"
fi

# --- 5. uniffi -------------------------------------------------------------------------
step "uniffi-bindgen: Python, Kotlin, Swift"
cargo build -p hedui-ffi --features cli --bin uniffi-bindgen --locked
BINDGEN="$TARGET/debug/uniffi-bindgen"
rm -rf "$OUT/uniffi"
for lang in python kotlin swift; do
    "$BINDGEN" generate --no-format --language "$lang" --out-dir "$OUT/uniffi/$lang" \
        "$LIB/libhedui_ffi.so"
done
test -s "$OUT/uniffi/python/hedui_ffi.py"
grep -q 'class HeduiException' "$OUT/uniffi/kotlin/hedui/ffi/hedui_ffi.kt"
grep -q 'val `detail`: kotlin.String' "$OUT/uniffi/kotlin/hedui/ffi/hedui_ffi.kt"
grep -q 'enum HeduiError: Swift.Error' "$OUT/uniffi/swift/hedui_ffi.swift"
test -s "$OUT/uniffi/swift/hedui_ffiFFI.h"

step "uniffi Python tests"
cp "$LIB/libhedui_ffi.so" "$OUT/uniffi/python/"
# the report the C tests signed must verify through uniffi too
HEDUI_SIGNED_BY_C="$OUT/signed-by-c.json" PYTHONPATH="$OUT/uniffi/python" \
    python3 -W error hedui-ffi/tests/python/test_uniffi.py

# --- 6. a JVM host ----------------------------------------------------------------------
bash scripts/test-jvm.sh

step "hedui-ffi: all tests passed"
