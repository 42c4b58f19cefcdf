#!/usr/bin/env bash
# Apache Spark checks of `hedui.spark`, from a clean clone with python3 (+ pip) and cargo:
#   1. Java 17 (apt-get install openjdk-17-jre-headless when `java` is missing);
#   2. a fresh venv (.venv-spark) with pyspark 4.x, pyarrow, pytest and the hedui wheel that
#      scripts/test-python.sh built in target/python-wheels (built here with maturin if absent);
#   3. the Spark tests (hedui-py/tests-spark, local[2], >= 10,000 sample cases, and 300 cases
#      assembled from the office tables) with pytest;
#   4. examples/spark/verify_province.py with spark-submit, on case JSONL and on a folder of
#      office tables (CSV, Chinese sheet names and headers), each written by Spark partitioned
#      by region and, with --direct, by the tasks.
# Nothing is skipped: a missing Java or pyspark is installed, and a test that cannot run fails.
# PYTHON=python3.11 picks another interpreter.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
venv="$root/.venv-spark"
wheels="$root/target/python-wheels"

step() { printf '\n== %s\n' "$*"; }

step "java"
if ! command -v java >/dev/null 2>&1; then
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        openjdk-17-jre-headless
fi
java -version 2>&1 | head -1

step "fresh venv $venv ($("$python" --version 2>&1))"
rm -rf "$venv"
if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    "$python" -m venv --without-pip "$venv"
    "$python" -m pip --python "$venv/bin/python" install --quiet pip
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "pyspark>=4.0,<5" "pyarrow>=14" "pandas>=2.2,<3" pytest
# (pyspark 4 warns that it does not yet support pandas 3, and warnings are errors in the tests)

shopt -s nullglob
built=("$wheels"/hedui-*-cp39-abi3-*.whl)
if [ "${#built[@]}" -ne 1 ]; then
    step "maturin build --release (no wheel from scripts/test-python.sh)"
    "$venv/bin/python" -m pip install --quiet "maturin>=1.9.4,<2"
    rm -rf "$wheels"
    "$venv/bin/maturin" build --release -m hedui-py/Cargo.toml --out "$wheels"
    built=("$wheels"/hedui-*-cp39-abi3-*.whl)
fi
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "${built[0]}"

step "Spark tests (local[2])"
# the driver and the Python workers must run the venv's interpreter (with hedui and pyarrow)
export PYSPARK_PYTHON="$venv/bin/python"
export PYSPARK_DRIVER_PYTHON="$venv/bin/python"
# run from the tests' folder without hedui-py/python on the path: the installed wheel is tested
(cd hedui-py/tests-spark && "$venv/bin/python" -m pytest -p no:cacheprovider -ra \
    -W error -W "ignore::DeprecationWarning:pyspark" -W "ignore::ResourceWarning" .)

step "examples/spark/verify_province.py with spark-submit (local[2])"
# submit LOG ARGS...: the example under spark-submit on local[2], its log's tail shown on failure
submit() {
    local log="$1"
    shift
    "$venv/bin/spark-submit" --master "local[2]" --conf spark.ui.enabled=false \
        examples/spark/verify_province.py "$@" --as-of 2026-11-29T10:00:00+08:00 2> "$log" \
        || { tail -50 "$log" >&2; exit 1; }
}
work="$root/target/spark-example"
rm -rf "$work"
mkdir -p "$work"
"$venv/bin/python" - "$work/cases.jsonl" "$work/expected.json" <<'PY'
import json, sys
import hedui
samples = hedui.sample_cases(400, seed=5, with_expected=True)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for case, _ in samples:
        f.write(json.dumps(case, ensure_ascii=False) + "\n")
    f.write("not json\n")
expected = {i + 1: code for i, (_, code) in enumerate(samples) if code}
expected[len(samples) + 1] = "input_json"
json.dump(expected, open(sys.argv[2], "w"))
PY
submit "$work/spark-submit.log" --input "$work/cases.jsonl" --out "$work/lake"
# --direct: the tasks write the tables themselves (verify_dataframe(path=...)), no region folders
submit "$work/spark-submit-direct.log" --input "$work/cases.jsonl" --out "$work/lake-direct" --direct
for lake in lake lake-direct; do
"$venv/bin/python" - "$work" "$lake" <<'PY'
import json, sys
import pyarrow.dataset as ds
import hedui
work, lake = sys.argv[1], sys.argv[2]
expected = {int(k): v for k, v in json.load(open(f"{work}/expected.json")).items()}
tables = {n: ds.dataset(f"{work}/{lake}/{n}", format="parquet", partitioning="hive").to_table()
          for n in ("reports", "findings", "differences", "gaps", "errors")}
errors = sorted(zip(tables["errors"].column("position").to_pylist(), tables["errors"].column("code").to_pylist()))
assert errors == sorted(expected.items()), errors
assert tables["reports"].num_rows + len(errors) == 401
# the same digests as the dict path on the same lines
lines = open(f"{work}/cases.jsonl", encoding="utf-8").read().splitlines()
ref = hedui.verify_batch([l for i, l in enumerate(lines) if i + 1 not in expected], as_of="2026-11-29T10:00:00+08:00")
assert sorted(tables["reports"].column("digest").to_pylist()) == sorted(r["integrity"]["digest"] for r in ref.reports)
# each report has its household's region (from its region folder, or as a column with --direct)
region_of = {c["case_id"]: str(c["household"]["region"]) for c in map(json.loads, lines[:400])}
got = zip(tables["reports"].column("case_id").to_pylist(), tables["reports"].column("region").to_pylist())
assert all(region_of[case] == str(region) for case, region in got)
import os
folders = any(d.startswith("region=") for d in os.listdir(f"{work}/{lake}/reports"))
assert folders == (lake == "lake"), lake
print(f"verify_province.py ({lake}): {tables['reports'].num_rows} reports, {tables['findings'].num_rows} findings, "
      f"{len(errors)} errors at their line numbers" + (", partitioned by region" if folders else ", written by the tasks"))
PY
done

step "examples/spark/verify_province.py --tables (office tables as CSV, Chinese names)"
"$venv/bin/python" - "$work/tables" <<'PY'
import csv, os, sys
import pyarrow as pa
import hedui
out = sys.argv[1]
os.makedirs(out)
layout = {t["name"]: t for t in hedui.table_layout()}
cases = [c for c, _ in hedui.sample_cases(400, seed=5, with_expected=True)]
for name, table in hedui.cases_to_tables(cases, labels="chinese").items():
    data = pa.table(table).to_pydict()
    if name == "members":
        data["id"][6] = "110101199003071234"  # a bad check digit: an error at row 8, column id
    headers = {c["name"]: c["header"] for c in layout[name]["columns"]}
    with open(f"{out}/{layout[name]['sheet']}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([headers[c] for c in data])
        w.writerows(zip(*data.values()))
PY
submit "$work/spark-submit-tables.log" --tables "$work/tables" --out "$work/lake-tables"
submit "$work/spark-submit-tables-direct.log" --tables "$work/tables" --out "$work/lake-tables-direct" --direct
for lake in lake-tables lake-tables-direct; do
"$venv/bin/python" - "$work" "$lake" <<'PY'
import json, sys
import pyarrow.dataset as ds
import hedui
work, lake = sys.argv[1], sys.argv[2]
tables = {n: ds.dataset(f"{work}/{lake}/{n}", format="parquet", partitioning="hive").to_table()
          for n in ("reports", "errors")}
samples = hedui.sample_cases(400, seed=5, with_expected=True)
bad_case = hedui.cases_to_tables([c for c, _ in samples])["members"].to_pyarrow().column("case_id")[6].as_py()
errors = tables["errors"].to_pylist()
table_errors = [(e["position"], e["code"], e["path"]) for e in errors if e["path"] and e["path"].startswith("tables.")]
assert table_errors == [(8, "id_resident_checksum", "tables.members[8].id")], table_errors
# every other case: its report (same digests as the dict path) or its failed gate
good = [c for c, code in samples if code is None and c["case_id"] != bad_case]
ref = hedui.verify_batch(good, as_of="2026-11-29T10:00:00+08:00")
assert sorted(tables["reports"].column("digest").to_pylist()) == sorted(r["integrity"]["digest"] for r in ref.reports)
failed = {c["case_id"] for c, code in samples if code is not None}
assert {e["case_id"] for e in errors} == failed | {bad_case}
assert tables["reports"].num_rows + len({e["case_id"] for e in errors}) == 400
print(f"verify_province.py --tables ({lake}): {tables['reports'].num_rows} reports, {len(errors)} errors, "
      f"the bad cell at {table_errors[0][2]}")
PY
done

step "spark checks passed"
