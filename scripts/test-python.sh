#!/usr/bin/env bash
# Python package checks, from a clean clone with python3 (+ pip) and cargo:
#   1. a fresh venv (.venv-test) with maturin, pytest, hypothesis, mypy, pandas, the Arrow
#      readers the tests compare the Arrow tables with (pyarrow, polars, duckdb),
#      python-stdnum (an independent implementation of the identifier standards), openpyxl
#      (Excel case tables) and tqdm (the progress callback);
#   2. `maturin build --release` of hedui-py: exactly one abi3 wheel, installed into the venv;
#   3. mypy stubtest of the hand-written stubs against the built module, mypy --strict of the
#      package and the tests, and the pytest suite (hedui-py/tests, warnings are errors);
#   4. `pip install ./hedui-py` into a second fresh venv (.venv-test-install) and `import hedui`.
# Exits non-zero on the first failure. PYTHON=python3.9 picks another interpreter;
# HEDUI_SKIP_SOURCE_INSTALL=1 skips step 4.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
venv="$root/.venv-test"
venv2="$root/.venv-test-install"
wheels="$root/target/python-wheels"

step() { printf '\n== %s\n' "$*"; }

# A venv with pip. Debian's python3 without the python3-venv package has no ensurepip:
# then the venv is made without pip and the system pip installs pip into it.
make_venv() {
    rm -rf "$1"
    if ! "$python" -m venv "$1" >/dev/null 2>&1; then
        rm -rf "$1"
        echo "no ensurepip for $python: bootstrapping pip with the system pip" >&2
        "$python" -m venv --without-pip "$1"
        "$python" -m pip --python "$1/bin/python" install --quiet pip
    fi
    "$1/bin/python" -m pip install --quiet --upgrade pip
}

step "fresh venv $venv ($("$python" --version 2>&1))"
make_venv "$venv"
"$venv/bin/python" -m pip install --quiet "maturin>=1.9.4,<2" pytest hypothesis mypy pandas \
    "pyarrow>=14" "polars>=1.0" "duckdb>=1.1" python-stdnum openpyxl tqdm

step "maturin build --release"
rm -rf "$wheels"
"$venv/bin/maturin" build --release -m hedui-py/Cargo.toml --out "$wheels"
shopt -s nullglob
built=("$wheels"/hedui-*.whl)
if [ "${#built[@]}" -ne 1 ] || [[ "${built[0]}" != *-cp39-abi3-* ]]; then
    echo "expected exactly one cp39-abi3 wheel, got: ${built[*]:-none}" >&2
    exit 1
fi
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "${built[0]}"

step "stubtest and mypy --strict"
export MYPY_CACHE_DIR="$venv/mypy-cache"
# run from a directory without a hedui/ folder so the installed wheel is what gets checked
(cd "$venv" && "$venv/bin/python" -m mypy.stubtest hedui)
(cd hedui-py && "$venv/bin/python" -m mypy --strict python/hedui tests)

step "pytest"
# keep hypothesis' working files out of the source tree
export HYPOTHESIS_STORAGE_DIRECTORY="$venv/hypothesis"
(cd hedui-py && "$venv/bin/python" -m pytest -p no:cacheprovider)

if [ "${HEDUI_SKIP_SOURCE_INSTALL:-}" != "1" ]; then
    step "pip install ./hedui-py into a second fresh venv"
    make_venv "$venv2"
    "$venv2/bin/python" -m pip install --quiet ./hedui-py
    (cd "$venv2" && "$venv2/bin/python" -c '
import hedui
case = hedui.sample_cases(1)[0]
report = hedui.verify(case, as_of="2026-11-29T10:00:00+08:00")
assert hedui.report_verify_digest(report)
print("import hedui", hedui.__version__, "ok:", report["report_number"])
')
fi

step "python checks passed"
