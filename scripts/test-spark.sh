#!/usr/bin/env bash
# Apache Spark checks of `hedui.spark`, from a clean clone with python3 (+ pip) and cargo:
#   1. Java 17 (apt-get install openjdk-17-jre-headless when `java` is missing);
#   2. a fresh venv (.venv-spark) with pyspark 4.x, pyarrow, pytest and the hedui wheel that
#      scripts/test-python.sh built in target/python-wheels (built here with maturin if absent);
#   3. the Spark tests (hedui-py/tests-spark, local[2], >= 10,000 sample cases) with pytest.
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
"$venv/bin/spark-submit" --master "local[2]" --conf spark.ui.enabled=false \
    examples/spark/verify_province.py --input "$work/cases.jsonl" --out "$work/lake" \
    --as-of 2026-11-29T10:00:00+08:00 2> "$work/spark-submit.log" \
    || { tail -50 "$work/spark-submit.log" >&2; exit 1; }
"$venv/bin/python" - "$work" <<'PY'
import json, sys
import pyarrow.dataset as ds
import hedui
work = sys.argv[1]
expected = {int(k): v for k, v in json.load(open(f"{work}/expected.json")).items()}
tables = {n: ds.dataset(f"{work}/lake/{n}", format="parquet", partitioning="hive").to_table()
          for n in ("reports", "findings", "differences", "gaps", "errors")}
errors = sorted(zip(tables["errors"].column("position").to_pylist(), tables["errors"].column("code").to_pylist()))
assert errors == sorted(expected.items()), errors
assert tables["reports"].num_rows + len(errors) == 401
# the same digests as the dict path on the same lines
lines = open(f"{work}/cases.jsonl", encoding="utf-8").read().splitlines()
ref = hedui.verify_batch([l for i, l in enumerate(lines) if i + 1 not in expected], as_of="2026-11-29T10:00:00+08:00")
assert sorted(tables["reports"].column("digest").to_pylist()) == sorted(r["integrity"]["digest"] for r in ref.reports)
# partitioned by region: each report sits in its household's region folder
region_of = {c["case_id"]: str(c["household"]["region"]) for c in map(json.loads, lines[:400])}
got = zip(tables["reports"].column("case_id").to_pylist(), tables["reports"].column("region").to_pylist())
assert all(region_of[case] == str(region) for case, region in got)
print(f"verify_province.py: {tables['reports'].num_rows} reports, {tables['findings'].num_rows} findings, "
      f"{len(errors)} errors at their line numbers, partitioned by region")
PY

step "spark checks passed"
