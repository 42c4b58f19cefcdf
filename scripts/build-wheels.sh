#!/usr/bin/env bash
# The Python distributions of hedui, as published: one abi3 wheel tagged manylinux2014
# (manylinux_2_17: loads on glibc >= 2.17, e.g. CentOS 7, RHEL 8, Kylin V10) and an sdist.
#
# The wheel is linked by zig (`maturin build --zig --compatibility manylinux2014`), which links
# against glibc 2.17's symbol versions whatever the glibc of the build machine; ziglang comes
# from PyPI. maturin and ziglang are installed into a venv: the interpreter given as
# HEDUI_WHEEL_PYTHON (a venv's python, as scripts/test-python.sh passes it), otherwise a fresh
# venv `.venv-wheels` made with PYTHON (default python3).
#
#   bash scripts/build-wheels.sh [OUT_DIR]     # default target/python-wheels (emptied first)
#
# Then `bash scripts/check-wheel.sh OUT_DIR/hedui-*.whl` checks the tag and the glibc symbols.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-$root/target/python-wheels}"

if [ -n "${HEDUI_WHEEL_PYTHON:-}" ]; then
    vpython="$HEDUI_WHEEL_PYTHON"
else
    venv="$root/.venv-wheels"
    if [ ! -x "$venv/bin/python" ]; then
        # Debian's python3 without python3-venv has no ensurepip: then pip comes from the
        # system pip, as in scripts/test-python.sh
        if ! "${PYTHON:-python3}" -m venv "$venv" >/dev/null 2>&1; then
            rm -rf "$venv"
            "${PYTHON:-python3}" -m venv --without-pip "$venv"
            "${PYTHON:-python3}" -m pip --python "$venv/bin/python" install --quiet pip
        fi
    fi
    vpython="$venv/bin/python"
fi
"$vpython" -m pip install --quiet "maturin>=1.9.4,<2" "ziglang>=0.13,<0.14"
# maturin looks for zig as `python3 -m ziglang`: the venv's interpreter first on PATH
PATH="$(dirname "$vpython"):$PATH"
export PATH

rm -rf "$out"
mkdir -p "$out"
printf '== maturin build --release --zig --compatibility manylinux2014\n'
"$vpython" -m maturin build --release --zig --compatibility manylinux2014 \
    -m hedui-py/Cargo.toml --out "$out"
printf '== maturin sdist\n'
"$vpython" -m maturin sdist -m hedui-py/Cargo.toml --out "$out"
ls -l "$out"
