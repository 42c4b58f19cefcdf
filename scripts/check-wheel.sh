#!/usr/bin/env bash
# Checks that a hedui wheel loads on an older Linux server (glibc 2.17, manylinux2014):
#   - its file name and WHEEL metadata carry an abi3 tag and a manylinux_2_17 / manylinux2014
#     platform tag, and no plain linux_x86_64 tag;
#   - no shared object in it needs a glibc symbol version above 2.17 (read with objdump -T;
#     binutils is installed with apt-get when missing).
#
#   bash scripts/check-wheel.sh WHEEL           # exits non-zero on any failure
#   bash scripts/check-wheel.sh --glibc FILE    # the glibc check alone, on any ELF file
#
# MAX_GLIBC (default 2.17) sets the highest glibc version allowed.
set -euo pipefail

max="${MAX_GLIBC:-2.17}"

if ! command -v objdump >/dev/null 2>&1; then
    echo "objdump missing: installing binutils" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq && $sudo apt-get install -y -qq binutils >/dev/null
fi

# The highest GLIBC_x.y symbol version an ELF file needs (empty when none).
highest_glibc() {
    objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1
}

# Fails when FILE needs a glibc above $max.
check_glibc() {
    local file="$1" needed
    needed="$(highest_glibc "$file")"
    if [ -z "$needed" ]; then
        echo "glibc: $file needs no versioned glibc symbol"
        return 0
    fi
    if [ "$(printf '%s\n%s\n' "$needed" "$max" | sort -V | tail -n 1)" != "$max" ]; then
        echo "glibc: $file needs GLIBC_$needed, above the allowed $max:" >&2
        objdump -T "$file" | grep -E "GLIBC_$needed([^0-9.]|$)" | head -n 5 >&2
        return 1
    fi
    echo "glibc: $file needs at most GLIBC_$needed (allowed: $max)"
}

if [ "${1:-}" = "--glibc" ]; then
    check_glibc "$2"
    exit
fi

wheel="$1"
name="$(basename "$wheel")"
case "$name" in
    *-abi3-*manylinux_2_17_x86_64*|*-abi3-*manylinux2014_x86_64*) ;;
    *) echo "tag: $name is not an abi3 manylinux_2_17 / manylinux2014 wheel" >&2; exit 1 ;;
esac
case "$name" in
    *linux_x86_64.whl) case "$name" in *manylinux*) ;; *) echo "tag: plain linux tag in $name" >&2; exit 1 ;; esac ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 - "$wheel" "$tmp" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    meta = [n for n in z.namelist() if n.endswith(".dist-info/WHEEL")]
    assert len(meta) == 1, meta
    tags = [l.split(":", 1)[1].strip() for l in z.read(meta[0]).decode().splitlines() if l.startswith("Tag:")]
    platforms = {t.split("-")[2] for t in tags}
    assert all(t.split("-")[1] == "abi3" for t in tags), tags
    assert platforms & {"manylinux_2_17_x86_64", "manylinux2014_x86_64"}, tags
    assert "linux_x86_64" not in platforms, tags
    sos = [n for n in z.namelist() if n.endswith(".so")]
    assert sos, "no shared object in the wheel"
    for n in sos:
        z.extract(n, out)
        print(f"{out}/{n}")
    print("tags:", ", ".join(tags), file=sys.stderr)
PY
status=0
while IFS= read -r so; do
    check_glibc "$so" || status=1
done < <(find "$tmp" -name '*.so')
exit "$status"
