#!/usr/bin/env bash
# The JVM host test of the C ABI, from a clean clone on a fresh Debian machine (run as root,
# or with the tools already installed):
#   1. installs a JDK (javac) and JNA (Debian's libjna-java) when missing;
#   2. builds the library and installs it into a temporary prefix (scripts/install-c.sh), or
#      uses the prefix in HEDUI_PREFIX where scripts/test-ffi.sh installed it;
#   3. compiles hedui-ffi/tests/jvm/HeduiJvmHost.java with javac against JNA;
#   4. runs it, loading libhedui.so by name from PREFIX/lib, under LANG=C / LC_ALL=C (a platform charset that is not UTF-8): the corpus
#      from a thread pool, byte for byte, with every error taken from its call and read on a
#      thread of another pool; a NUL inside text, invalid UTF-8 and NULL handles give their
#      codes.
# Exits non-zero on any failure. Usage: scripts/test-jvm.sh (scripts/test-ffi.sh calls it)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$TARGET/jvm-test"
JNA_JAR=/usr/share/java/jna.jar

step() { printf '\n== %s\n' "$*"; }

missing=()
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
[[ -f $JNA_JAR ]] || missing+=(libjna-java)
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

PREFIX="${HEDUI_PREFIX:-}"
if [[ -z $PREFIX ]]; then
    PREFIX="$TARGET/jvm-prefix"
    rm -rf "$PREFIX"
    step "build hedui-ffi (release) and install it into $PREFIX"
    bash scripts/install-c.sh --prefix "$PREFIX"
fi
test -f "$PREFIX/lib/libhedui.so"

step "JVM host: javac"
rm -rf "$OUT"
mkdir -p "$OUT"
javac -Xlint:all,-deprecation -Werror -encoding UTF-8 -cp "$JNA_JAR" -d "$OUT" \
    hedui-ffi/tests/jvm/HeduiJvmHost.java

step "JVM host: LANG=C java (JNA $(basename "$(readlink -f "$JNA_JAR")"))"
LANG=C LC_ALL=C java -cp "$OUT:$JNA_JAR" -Djna.library.path="$PREFIX/lib" \
    HeduiJvmHost tests/corpus

step "JVM host: all tests passed"
