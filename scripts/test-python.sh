#!/usr/bin/env bash
# Python package checks, from a clean clone with python3 (+ pip) and cargo:
#   1. a fresh venv (.venv-test) with maturin, pytest, hypothesis, mypy, pandas, the Arrow
#      readers the tests compare the Arrow tables with (pyarrow, polars, duckdb),
#      python-stdnum (an independent implementation of the identifier standards), openpyxl
#      (Excel case tables) and tqdm (the progress callback);
#   2. scripts/build-wheels.sh with that venv: the abi3 manylinux2014 wheel (maturin --zig,
#      ziglang from PyPI) and the sdist; scripts/check-wheel.sh checks the wheel's tags and that
#      its shared object needs no glibc symbol above 2.17 (and that the check refuses a
#      program of this machine that needs a newer one); the wheel is installed into the venv;
#   3. mypy stubtest of the hand-written stubs against the built module, mypy --strict of the
#      package and the tests, and the pytest suite (hedui-py/tests, warnings are errors), with
#      the debug `hedui` command built for the Excel check against the CLI (or $HEDUI_CLI);
#   4. the same wheel into a second fresh venv (.venv-test-install) with nothing else (no
#      pandas, no pyarrow): `import hedui` verifies a case and checks identifiers; with
#      HEDUI_SDIST_INSTALL=1 the sdist is installed there instead (a second, from-source build).
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
    "pyarrow>=14" "polars>=1.0" "duckdb>=1.1" python-stdnum openpyxl tqdm trove-classifiers

step "scripts/build-wheels.sh: abi3 manylinux2014 wheel and sdist"
HEDUI_WHEEL_PYTHON="$venv/bin/python" bash scripts/build-wheels.sh "$wheels"
shopt -s nullglob
built=("$wheels"/hedui-*.whl)
sdists=("$wheels"/hedui-*.tar.gz)
if [ "${#built[@]}" -ne 1 ] || [[ "${built[0]}" != *-cp39-abi3-* ]] || [ "${#sdists[@]}" -ne 1 ]; then
    echo "expected exactly one cp39-abi3 wheel and one sdist, got: ${built[*]:-none} ${sdists[*]:-}" >&2
    exit 1
fi

step "scripts/check-wheel.sh: tags and glibc symbol versions"
bash scripts/check-wheel.sh "${built[0]}"
# the glibc check can fail: a program of this machine built against its newer glibc (any
# current distribution) must be refused
probe="$(command -v ls)"
needs="$(objdump -T "$probe" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)"
if [ "$(printf '%s\n2.17\n' "$needs" | sort -V | tail -n 1)" != "2.17" ]; then
    if bash scripts/check-wheel.sh --glibc "$probe" >/dev/null 2>&1; then
        echo "check-wheel.sh accepted $probe, which needs GLIBC_$needs" >&2
        exit 1
    fi
    echo "check-wheel.sh refuses $probe (GLIBC_$needs), as it must"
fi
# the wheel's metadata: readme, keywords, known trove classifiers, no invented project URLs
"$venv/bin/python" - "${built[0]}" <<'PY'
import sys, zipfile
from email.parser import Parser
from trove_classifiers import classifiers as known
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
    meta = Parser().parsestr(z.read(name).decode())
ours = meta.get_all("Classifier") or []
assert ours and not set(ours) - known, set(ours) - known
assert meta["Keywords"] and meta["Summary"] and meta["License-Expression"] == "MIT OR Apache-2.0", meta
assert meta["Description-Content-Type"].startswith("text/markdown") and len(meta.get_payload()) > 500
assert not meta.get_all("Project-URL") and not meta["Home-page"], "project URLs in the metadata"
print(f"metadata: {len(ours)} classifiers, keywords {meta['Keywords']!r}")
PY
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "${built[0]}"

step "stubtest and mypy --strict"
export MYPY_CACHE_DIR="$venv/mypy-cache"
# run from a directory without a hedui/ folder so the installed wheel is what gets checked
(cd "$venv" && "$venv/bin/python" -m mypy.stubtest hedui)
(cd hedui-py && "$venv/bin/python" -m mypy --strict python/hedui tests)

step "pytest"
# the hedui command, for the check that it reads Python's Excel workbooks as Python does
# (tests/test_cli_tables.py); after the workspace's cargo test this build has nothing to do
if [ -z "${HEDUI_CLI:-}" ]; then
    cargo build --quiet --locked -p hedui-cli
    export HEDUI_CLI="$root/target/debug/hedui"
fi
# keep hypothesis' working files out of the source tree
export HYPOTHESIS_STORAGE_DIRECTORY="$venv/hypothesis"
(cd hedui-py && "$venv/bin/python" -m pytest -p no:cacheprovider)

if [ "${HEDUI_SKIP_SOURCE_INSTALL:-}" != "1" ]; then
    make_venv "$venv2"
    if [ "${HEDUI_SDIST_INSTALL:-}" = "1" ]; then
        step "pip install the sdist into a second fresh venv"
        "$venv2/bin/python" -m pip install --quiet "${sdists[0]}"
    else
        step "pip install the wheel alone into a second fresh venv"
        "$venv2/bin/python" -m pip install --quiet "${built[0]}"
    fi
    (cd "$venv2" && "$venv2/bin/python" -c '
import hedui
case = hedui.sample_cases(1)[0]
report = hedui.verify(case, as_of="2026-11-29T10:00:00+08:00")
assert hedui.report_verify_digest(report)
assert hedui.check_resident_id("11010519491231002x")["value"] == "11010519491231002X"
assert len(hedui.check_resident_ids(["11010519491231002X", None])) == 2
print("import hedui", hedui.__version__, "ok:", report["report_number"])
')
fi

step "python checks passed"
