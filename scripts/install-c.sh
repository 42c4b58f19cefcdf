#!/usr/bin/env bash
# Installs the hedui C library under a prefix (Linux, GCC or Clang as `cc`):
#   PREFIX/lib/libhedui.so.MAJOR.MINOR.PATCH   SONAME libhedui.so.MAJOR, only hedui_* exported
#   PREFIX/lib/libhedui.so.MAJOR, libhedui.so  symlinks
#   PREFIX/lib/libhedui.a                      the static library
#   PREFIX/include/hedui.h                     with HEDUI_VERSION_MAJOR/MINOR/PATCH/STRING
#   PREFIX/lib/pkgconfig/hedui.pc              paths under PREFIX
# The shared library is linked from the Rust static library (hedui-ffi's staticlib) with a
# version script, so it exports the C ABI and nothing else: the uniffi scaffolding and Rust's
# own symbols stay inside (uniffi hosts load target/release/libhedui_ffi.so instead).
#
# Usage: scripts/install-c.sh --prefix PREFIX [--no-build]
#   --no-build  use the release build already in the target directory
# DESTDIR is honoured as usual (files go to $DESTDIR$PREFIX, hedui.pc says PREFIX).
set -euo pipefail

usage() { echo "usage: $0 --prefix PREFIX [--no-build]" >&2; exit 2; }
prefix=
build=1
while (($#)); do
    case $1 in
    --prefix) (($# >= 2)) || usage; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --no-build) build=0; shift ;;
    *) usage ;;
    esac
done
[[ -n $prefix ]] || usage
[[ $prefix == /* ]] || prefix="$PWD/$prefix"

cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
STATIC="$TARGET/release/libhedui_ffi.a"

if ((build)); then
    cargo build -p hedui-ffi --release --locked
fi
[[ -f $STATIC ]] || { echo "$STATIC missing: build hedui-ffi in release first" >&2; exit 1; }

# the crate version (cargo pkgid: path+file:///…/hedui-ffi#0.1.0 or …#hedui-ffi@0.1.0)
version=$(cargo pkgid -p hedui-ffi)
version=${version##*[#@]}
IFS=. read -r major minor patch <<<"$version"
[[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ && $patch =~ ^[0-9]+$ ]] ||
    { echo "unexpected crate version '$version'" >&2; exit 1; }
# the header is generated with the crate version (hedui-ffi/tests/header.rs checks it fresh)
grep -qx "#define HEDUI_VERSION_STRING \"$version\"" hedui-ffi/include/hedui.h ||
    { echo "hedui-ffi/include/hedui.h is not at version $version" >&2; exit 1; }

dest="${DESTDIR:-}$prefix"
libdir="$dest/lib"
real="libhedui.so.$major.$minor.$patch"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Exported: every hedui_ function the static library defines; local: everything else. (readelf
# rather than nm: the archive's objects carry LLVM bitcode, which GNU nm tries to read through
# its LTO plugin and then lists no symbols.)
printf '{\n  global: hedui_*;\n  local: *;\n};\n' >"$work/hedui.map"
undefined=()
while read -r sym; do
    undefined+=("-Wl,--undefined=$sym")
done < <(readelf -sW "$STATIC" \
    | awk '$4 == "FUNC" && $5 == "GLOBAL" && $7 != "UND" && $8 ~ /^hedui_/ { print $8 }' | sort -u)
((${#undefined[@]})) || { echo "no hedui_ symbols in $STATIC" >&2; exit 1; }

mkdir -p "$libdir/pkgconfig" "$dest/include"
# --undefined pulls in each exported function's object from the archive; --gc-sections drops
# what none of them reaches; --strip-debug as cargo's release profile does for its cdylib.
${CC:-cc} -shared -o "$work/$real" -Wl,-soname,"libhedui.so.$major" \
    -Wl,--version-script="$work/hedui.map" -Wl,--gc-sections -Wl,--strip-debug -Wl,-z,relro,-z,now \
    "${undefined[@]}" "$STATIC" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
install -m 755 "$work/$real" "$libdir/$real"
ln -sfn "$real" "$libdir/libhedui.so.$major"
ln -sfn "libhedui.so.$major" "$libdir/libhedui.so"
install -m 644 "$STATIC" "$libdir/libhedui.a"
install -m 644 hedui-ffi/include/hedui.h "$dest/include/hedui.h"
sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" hedui-ffi/hedui.pc.in \
    | grep -v '^#' >"$libdir/pkgconfig/hedui.pc"
chmod 644 "$libdir/pkgconfig/hedui.pc"
echo "installed hedui $version under $dest"
