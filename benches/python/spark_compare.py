"""Times ``hedui.spark.verify_dataframe`` on local-mode Spark against Spark's own cost of moving
the same cases through its Python workers, and against the Arrow path in one process.

    python benches/python/spark_compare.py [--cases 100000] [--master local[2]] [--partitions 8]

Needs pyspark, pyarrow and hedui in the interpreter (``scripts/test-spark.sh`` makes such a
venv: ``.venv-spark``) and Java 17. The cases (sample cases, seed 2026) are written to a JSONL
file, read by Spark as text, repartitioned and cached before any clock starts; then, best of
``--repeat`` runs each:

- *pass-through*: ``mapInArrow`` that hands every batch back unchanged, written to Spark's
  ``noop`` sink: what Spark itself costs to take the cases through the Python workers;
- *hedui*: ``verify_dataframe`` and all five tables written to the ``noop`` sink (the
  verification stage runs once, persisted; the stage is dropped between runs);
- *single process*: ``hedui.verify_batch(path, output="arrow")`` on the same file, every core.

Prints one JSON line on stdout: ``spark_vs_passthrough`` (pass-through time / hedui time),
``spark_vs_single_process`` (single-process time / hedui time), ``spark_startup_s`` (building
the session and running a first job), and the details on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any, Callable

AS_OF = "2026-11-29T10:00:00+08:00"


def best_of(repeat: int, run: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def write_cases(path: str, n: int, seed: int) -> None:
    import hedui

    with open(path, "w", encoding="utf-8") as f:
        for start in range(0, n, 5000):
            for case in hedui.sample_cases(min(5000, n - start), seed=seed, start=start):
                f.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + "\n")


def passthrough(batches: Iterator[Any]) -> Iterator[Any]:
    yield from batches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    import hedui
    from hedui.spark import TABLES, verify_dataframe

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cases.jsonl")
        write_cases(path, args.cases, args.seed)

        start = time.perf_counter()
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master(args.master)
            .appName("hedui-spark-compare")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "3g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        spark.range(1).count()
        t_startup = time.perf_counter() - start

        cases = (
            spark.read.text(path)
            .withColumnRenamed("value", "case")
            .repartition(args.partitions)
            .cache()
        )
        n = cases.count()
        assert n == args.cases, (n, args.cases)

        def run_passthrough() -> None:
            cases.mapInArrow(passthrough, cases.schema).write.format("noop").mode("overwrite").save()

        def run_hedui() -> tuple[int, int]:
            result = verify_dataframe(cases, case_column="case", as_of=AS_OF)
            try:
                for name in TABLES:
                    result.tables()[name].write.format("noop").mode("overwrite").save()
                return result.reports.count(), result.errors.count()
            finally:
                result.unpersist()

        run_passthrough()  # warm up the Python workers
        t_pass = best_of(args.repeat, run_passthrough)
        counted: list[tuple[int, int]] = []
        t_hedui = best_of(args.repeat, lambda: counted.append(run_hedui()))
        spark.stop()

        hedui.verify_batch(path, as_of=AS_OF, output="arrow")
        t_single = best_of(args.repeat, lambda: hedui.verify_batch(path, as_of=AS_OF, output="arrow"))
        single = hedui.verify_batch(path, as_of=AS_OF, output="arrow")

    reports, errors = counted[-1]
    same = (reports, errors) == (single.reports.num_rows, single.errors.num_rows)
    print(
        f"{args.cases} cases on {args.master} ({args.partitions} partitions), "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}: Spark start-up {t_startup:.1f} s; "
        f"pass-through {t_pass:.2f} s ({args.cases / t_pass:,.0f} cases/s); hedui.spark "
        f"{t_hedui:.2f} s ({args.cases / t_hedui:,.0f} cases/s, the verification counted "
        f"once: {reports} reports + {errors} errors); one process (Arrow path, every core) "
        f"{t_single:.2f} s ({args.cases / t_single:,.0f} cases/s); same counts: {same}",
        file=sys.stderr,
    )
    print(
        json.dumps(
            {
                "spark_vs_passthrough": round(t_pass / t_hedui, 2),
                "spark_vs_single_process": round(t_single / t_hedui, 2),
                "spark_startup_s": round(t_startup, 1),
                "spark_cases": args.cases,
            }
        )
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
