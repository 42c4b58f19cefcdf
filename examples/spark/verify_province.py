"""Verify a province's caseload on Spark and write the five tables to a lake as Parquet.

    spark-submit examples/spark/verify_province.py \
        --input cases.jsonl --out lake/hedui --as-of 2026-11-29T10:00:00+08:00

The input is JSONL (one case per line, as the main job reads it; a directory or a glob of such
files works too) or, with ``--parquet-column``, Parquet with a column of case JSON. Every line
is verified once, on the executors, with the hedui wheel installed there (``pip install
hedui[arrow]`` on every node, or ``--archives`` with a packed venv, see README "Running on
Spark"). The tables are written under ``--out/<table>/``, partitioned by region
(``region=141002/part-*.parquet``); rejected lines are in ``--out/errors/`` with their positions.
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import hedui
from hedui.spark import TABLES, verify_dataframe


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True, help="JSONL file(s), or Parquet with --parquet-column")
    parser.add_argument("--out", required=True, help="output directory (one folder per table)")
    parser.add_argument("--as-of", default=None, help="issue time, RFC 3339 (default: now, +08:00)")
    parser.add_argument("--rulebook", default=None, help="rulebook JSON file (default: the built-in one)")
    parser.add_argument("--parquet-column", default=None, help="read Parquet; the column with case JSON")
    parser.add_argument("--partitions", type=int, default=None, help="input partitions (default: Spark's)")
    parser.add_argument("--mode", default="overwrite", help="Spark save mode (default: overwrite)")
    args = parser.parse_args(argv)

    spark = SparkSession.builder.appName("hedui-verify-province").getOrCreate()
    if args.parquet_column:
        df = spark.read.parquet(args.input).select(F.col(args.parquet_column).alias("case"))
    else:
        # one row per line; blank lines are skipped as the main job skips them
        df = spark.read.text(args.input).withColumnRenamed("value", "case")
        df = df.filter(F.length(F.trim("case")) > 0)
    if args.partitions:
        # repartition keeps the rows but not their order: positions are then row numbers of
        # the repartitioned DataFrame, and the case id names each rejected case
        df = df.repartition(args.partitions)

    rulebook = None
    if args.rulebook:
        with open(args.rulebook, encoding="utf-8") as f:
            rulebook = hedui.Rulebook.from_json(f.read())

    result = verify_dataframe(df, case_column="case", as_of=args.as_of, rulebook=rulebook)
    try:
        for name in TABLES:
            table = result.tables()[name]
            writer = table.write.mode(args.mode)
            if "region" in table.columns:
                writer = writer.partitionBy("region")
            writer.parquet(f"{args.out}/{name}")
        reports = result.reports.count()
        errors = result.errors.count()
        print(f"hedui: {reports} reports, {errors} rejected lines -> {args.out}/{{{','.join(TABLES)}}}")
    finally:
        result.unpersist()
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
