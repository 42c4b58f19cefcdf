#!/usr/bin/env bash
# Tests of hedui-ffi, from a clean clone on a fresh Debian machine (run as root, or with the
# tools already installed):
#   1. builds the library (release: cdylib + staticlib);
#   2. runs the crate's Rust tests, among them the check that include/hedui.h is what the
#      pinned cbindgen generates now;
#   3. installs the C library into a temporary prefix (scripts/install-c.sh) and checks it:
#      SONAME libhedui.so.MAJOR, the symlinks, only hedui_* symbols exported, hedui.pc and the
#      header's version macros at the crate version;
#   4. compiles the C tests against the installed copy (pkg-config, -std=c11 -Wall -Wextra
#      -Wpedantic -Werror) and runs them under valgrind (no errors, no definite or indirect
#      leaks); they sign a report, which step 6 verifies through uniffi;
#   5. builds the C example with CMake (examples/c/CMakeLists.txt, pkg_check_modules) and
#      statically through pkg-config, both against the installed copy;
#   6. generates the uniffi bindings (Python, Kotlin, Swift) and runs the Python tests
#      against the uniffi library (target/release/libhedui_ffi.so);
#   7. runs the JVM host test (scripts/test-jvm.sh: JNA under LANG=C, a thread pool, errors
#      read on other threads) against the installed libhedui.so.
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
command -v cmake >/dev/null || missing+=(cmake)
command -v readelf >/dev/null || missing+=(binutils)
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

# --- 3. install into a temporary prefix ----------------------------------------------------
PREFIX="$OUT/prefix"
rm -rf "$PREFIX"
step "install the C library into $PREFIX"
bash scripts/install-c.sh --prefix "$PREFIX" --no-build
VERSION=$(cargo pkgid -p hedui-ffi)
VERSION=${VERSION##*[#@]}
MAJOR=${VERSION%%.*}
for f in "lib/libhedui.so.$VERSION" "lib/libhedui.a" include/hedui.h lib/pkgconfig/hedui.pc; do
    test -f "$PREFIX/$f" || { echo "not installed: $f" >&2; exit 1; }
done
test "$(readlink "$PREFIX/lib/libhedui.so.$MAJOR")" = "libhedui.so.$VERSION"
test "$(readlink "$PREFIX/lib/libhedui.so")" = "libhedui.so.$MAJOR"
step "installed library: SONAME and exported symbols"
soname=$(readelf -d "$PREFIX/lib/libhedui.so.$VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [[ $soname != "libhedui.so.$MAJOR" ]]; then
    echo "SONAME is '$soname', not libhedui.so.$MAJOR" >&2
    exit 1
fi
nm -D --defined-only "$PREFIX/lib/libhedui.so.$VERSION" | awk '{ print $NF }' >"$OUT/exported.txt"
if grep -v '^hedui_' "$OUT/exported.txt"; then
    echo "libhedui.so exports the symbols above; only hedui_* may be exported" >&2
    exit 1
fi
# every function the header declares is exported
grep -v '^ *\(/\*\|\*\)' hedui-ffi/include/hedui.h | grep -oE '\bhedui_[a-z0-9_]+\(' | tr -d '(' \
    | sort -u >"$OUT/declared.txt"
test -s "$OUT/declared.txt"
if comm -23 "$OUT/declared.txt" <(sort -u "$OUT/exported.txt") | grep .; then
    echo "declared in hedui.h but not exported by libhedui.so: the functions above" >&2
    exit 1
fi
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
test "$(pkg-config --modversion hedui)" = "$VERSION"
test "$(pkg-config --variable=prefix hedui)" = "$PREFIX"
grep -qx "#define HEDUI_VERSION_STRING \"$VERSION\"" "$PREFIX/include/hedui.h"
step "install with DESTDIR: files under DESTDIR, hedui.pc names the prefix"
rm -rf "$OUT/destdir"
DESTDIR="$OUT/destdir" bash scripts/install-c.sh --prefix /opt/hedui --no-build >/dev/null
test -L "$OUT/destdir/opt/hedui/lib/libhedui.so"
grep -qx 'prefix=/opt/hedui' "$OUT/destdir/opt/hedui/lib/pkgconfig/hedui.pc"
rm -rf "$OUT/destdir"

# --- 4. C tests under valgrind, against the installed copy ---------------------------------
CFLAGS=(-std=c11 -Wall -Wextra -Wpedantic -Werror -O1 -g)
step "C tests: gcc ${CFLAGS[*]} \$(pkg-config --cflags --libs hedui)"
# shellcheck disable=SC2046
gcc "${CFLAGS[@]}" hedui-ffi/tests/c/test_hedui.c $(pkg-config --cflags --libs hedui) \
    -pthread -Wl,-rpath,"$PREFIX/lib" -o "$OUT/test_hedui"
# (ldd's output is taken first: grep -q in a pipe under pipefail can fail on SIGPIPE)
deps=$(ldd "$OUT/test_hedui")
grep -qF "libhedui.so.$MAJOR => $PREFIX/lib/libhedui.so.$MAJOR" <<<"$deps" ||
    { echo "$deps" >&2; echo "test_hedui does not load the installed copy" >&2; exit 1; }
step "C tests under valgrind"
# "possibly lost" is not an error here: glibc keeps the TLS vectors of joined threads in its
# stack cache, which valgrind reports as possibly lost; it is hidden to keep the output clean.
valgrind --quiet --error-exitcode=1 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-possibly-lost=no \
    "$OUT/test_hedui" tests/corpus hedui-ffi/tests/fixtures "$OUT"
test -s "$OUT/signed-by-c.json"

# --- 5. the C example ----------------------------------------------------------------------
step "C example: CMake, hedui found through pkg-config"
rm -rf "$OUT/cmake"
cmake -S examples/c -B "$OUT/cmake" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS=-Werror >"$OUT/cmake.log" || { cat "$OUT/cmake.log" >&2; exit 1; }
cmake --build "$OUT/cmake" >>"$OUT/cmake.log" || { cat "$OUT/cmake.log" >&2; exit 1; }
deps=$(ldd "$OUT/cmake/verify")
grep -qF "libhedui.so.$MAJOR => $PREFIX/lib/libhedui.so.$MAJOR" <<<"$deps" ||
    { echo "$deps" >&2; echo "the CMake example does not load the installed copy" >&2; exit 1; }
"$OUT/cmake/verify" tests/corpus/cases/sample-good-1.json 2026-11-29T10:00:00+08:00 \
    | cmp - tests/corpus/expected/sample-good-1.json
if "$OUT/cmake/verify" tests/corpus/cases/missing-precheck.json 2>"$OUT/verify.err"; then
    echo "the example should fail on missing-precheck.json" >&2
    exit 1
fi
grep -q '(precheck_missing)' "$OUT/verify.err"
step "C example: static library through pkg-config"
LIBS=$(pkg-config --static --libs hedui)
# link libhedui.a rather than the .so beside it
LIBS=${LIBS/-lhedui/-Wl,-Bstatic -lhedui -Wl,-Bdynamic}
# shellcheck disable=SC2046,SC2086
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 examples/c/verify.c \
    $(pkg-config --cflags hedui) $LIBS -o "$OUT/verify-static"
deps=$(ldd "$OUT/verify-static")
if grep -q hedui <<<"$deps"; then
    echo "verify-static links libhedui.so" >&2
    exit 1
fi
"$OUT/verify-static" tests/corpus/cases/sample-good-2.json 2026-11-29T10:00:00+08:00 \
    | cmp - tests/corpus/expected/sample-good-2.json

# --- 6. uniffi -------------------------------------------------------------------------
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

# --- 7. a JVM host ----------------------------------------------------------------------
HEDUI_PREFIX="$PREFIX" bash scripts/test-jvm.sh

step "hedui-ffi: all tests passed"
