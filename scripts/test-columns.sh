#!/usr/bin/env bash
# The main job's tables (--format parquet|arrow), read back by independent readers:
#   1. a venv (.venv-columns) with pyarrow and DuckDB from PyPI;
#   2. the main job on the same 1000 sample cases with --format jsonl, parquet and arrow;
#   3. scripts/check-columns.py: every file opens in pyarrow, the Parquet files in DuckDB;
#      row counts match the JSONL run (reports, errors; findings = members × categories per
#      report; differences; gaps), the reports' digests equal the JSONL digests, the Parquet
#      and IPC tables hold the same rows, and amounts add up;
#   4. hostile input: the errors table has the JSONL run's positions and codes, and no
#      resident ID appears whole in any table.
# Exits non-zero on the first failure. PYTHON=python3.9 picks another interpreter.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
venv="$root/.venv-columns"
out="$root/target/ci-columns"
as_of=2026-11-29T10:00:00+08:00

step() { printf '\n== %s\n' "$*"; }

step "venv $venv with pyarrow and duckdb"
if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
        rm -rf "$venv"
        "$python" -m venv --without-pip "$venv"
        "$python" -m pip --python "$venv/bin/python" install --quiet pip
    fi
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "pyarrow>=17" "duckdb>=1.1"
"$venv/bin/python" -c 'import pyarrow, duckdb; print("pyarrow", pyarrow.__version__, "duckdb", duckdb.__version__)'

step "main job on 1000 sample cases: jsonl, parquet, arrow"
cargo build --release -p hedui-cli
job() { "$root/target/release/hedui" verify "$@"; }
rm -rf "$out"
for format in jsonl parquet arrow; do
    job --sample 1000 --out "$out/$format" --as-of "$as_of" --no-render --format "$format" >/dev/null
done

step "hostile input: bad lines among good ones"
bad="$out/hostile"
mkdir -p "$bad"
{
    sed -n 1p "$out/jsonl/cases.jsonl"
    echo '{"case_id": "broken"'
    printf '\xff\xfe not utf-8\n'
    echo
    # a whole resident ID as the case id of a case that is otherwise empty
    echo '{"case_id": "110101199003077777"}'
    sed -n 2p "$out/jsonl/cases.jsonl"
    echo '[]'
    # a member ID with a wrong check character
    sed -n 3p "$out/jsonl/cases.jsonl" | "$venv/bin/python" -c '
import json, sys
case = json.loads(sys.stdin.read())
m = case["household"]["members"][0]
m["id"] = m["id"][:17] + ("1" if m["id"][17] == "0" else "0")
print(json.dumps(case, ensure_ascii=False))'
} > "$bad/cases.jsonl"
for format in jsonl parquet arrow; do
    job --input "$bad/cases.jsonl" --out "$bad/$format" --as-of "$as_of" --no-render --format "$format" >/dev/null
done

step "pyarrow and DuckDB read the tables"
"$venv/bin/python" scripts/check-columns.py "$out" "$bad"
