"""Verify a province's caseload on Spark and write the five tables to a lake as Parquet.

    spark-submit examples/spark/verify_province.py \
        --input cases.jsonl --out lake/hedui --as-of 2026-11-29T10:00:00+08:00

    spark-submit examples/spark/verify_province.py \
        --tables rolls/2026-11/ --out lake/hedui --as-of 2026-11-29T10:00:00+08:00

The input is JSONL (one case per line, as the main job reads it; a directory or a glob of such
files works too), or, with ``--parquet-column``, Parquet with a column of case JSON, or, with
``--tables``, the office tables of ``docs/tables.md``: a folder with one CSV file (UTF-8, header
row) or Parquet file or folder per table, named after the table or its sheet
(``households.csv``, ``家庭成员.csv``, ``facts.parquet``), from which the cases are assembled on
the executors (``hedui.spark.verify_tables``; a bad row is in ``--out/errors/`` with its row
as ``position`` and ``tables.<table>[<row>].<column>`` as ``path``). Every case is verified once, on the executors, with the hedui wheel installed there (``pip install
hedui[arrow]`` on every node, or ``--archives`` with a packed venv, see README "Running on
Spark"). The tables are written under ``--out/<table>/``, partitioned by region
(``region=141002/part-*.parquet``); rejected lines are in ``--out/errors/`` with their positions.
With ``--direct`` the tasks write the tables there themselves as they verify
(``path=--out`` of ``verify_dataframe`` or ``verify_tables``: one ``part-*.parquet`` per task and table, no region
folders, no second pass through Spark), which is faster when ``--out`` is a folder or URI that
the executors reach through pyarrow (a shared folder, ``hdfs://``, ``s3a://``).
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

import hedui
from hedui.spark import TABLES, verify_dataframe, verify_tables


def read_tables(spark: SparkSession, folder: str) -> dict[str, DataFrame]:
    """The tables in ``folder`` (any file system Spark reads: local, HDFS, S3), by file name
    without its extension: CSV files read as text with their header row, Parquet as is."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(folder)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    tables = {}
    for status in fs.listStatus(path):
        name = status.getPath().getName()
        stem, _, ext = name.rpartition(".")
        where = status.getPath().toString()
        if ext.lower() == "csv":
            # every cell as text, as the layout reads it; a table's rows numbered in file order
            tables[stem] = spark.read.option("header", True).option("encoding", "UTF-8").csv(where)
        elif ext.lower() == "parquet":
            tables[stem] = spark.read.parquet(where)
    return tables


def read_cases(spark: SparkSession, args: argparse.Namespace) -> DataFrame:
    """The cases of ``--input``: JSONL lines, or a Parquet column of case JSON."""
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
    return df


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", help="JSONL file(s), or Parquet with --parquet-column")
    source.add_argument("--tables", help="folder of office tables (CSV or Parquet, one per table)")
    parser.add_argument("--out", required=True, help="output directory (one folder per table)")
    parser.add_argument("--as-of", default=None, help="issue time, RFC 3339 (default: now, +08:00)")
    parser.add_argument("--rulebook", default=None, help="rulebook JSON file (default: the built-in one)")
    parser.add_argument("--parquet-column", default=None, help="read Parquet; the column with case JSON")
    parser.add_argument("--partitions", type=int, default=None, help="input partitions (default: Spark's)")
    parser.add_argument(
        "--row-column", default=None, help="with --tables: the column holding each row's number (default: file order)"
    )
    parser.add_argument("--mode", default="overwrite", help="Spark save mode (default: overwrite)")
    parser.add_argument(
        "--direct", action="store_true", help="the tasks write the tables under --out (no region folders)"
    )
    args = parser.parse_args(argv)
    if args.direct and args.mode not in ("overwrite", "errorifexists", "error"):
        parser.error("--direct writes new tables: --mode overwrite or errorifexists")
    path = args.out if args.direct else None
    overwrite = args.direct and args.mode == "overwrite"

    spark = SparkSession.builder.appName("hedui-verify-province").getOrCreate()
    rulebook = None
    if args.rulebook:
        with open(args.rulebook, encoding="utf-8") as f:
            rulebook = hedui.Rulebook.from_json(f.read())

    if args.tables:
        # --partitions: the partitions of the grouping by case number
        result = verify_tables(
            read_tables(spark, args.tables),
            as_of=args.as_of,
            rulebook=rulebook,
            row_column=args.row_column,
            partitions=args.partitions,
            path=path,
            overwrite=overwrite,
        )
    else:
        result = verify_dataframe(
            read_cases(spark, args),
            case_column="case",
            as_of=args.as_of,
            rulebook=rulebook,
            path=path,
            overwrite=overwrite,
        )
    try:
        for name in TABLES if path is None else ():
            table = result.tables()[name]
            writer = table.write.mode(args.mode)
            if "region" in table.columns:
                writer = writer.partitionBy("region")
            writer.parquet(f"{args.out}/{name}")
        reports = result.reports.count()
        errors = result.errors.count()
        print(f"hedui: {reports} reports, {errors} rejected rows -> {args.out}/{{{','.join(TABLES)}}}")
    finally:
        result.unpersist()
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
