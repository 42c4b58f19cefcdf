"""Times ``hedui.spark.verify_dataframe`` on local-mode Spark against Spark's own cost of moving
the same cases through its Python workers, and against the Arrow path in one process.

    python benches/python/spark_compare.py [--cases 100000] [--master local[2]] [--partitions 8]

Needs pyspark, pyarrow and hedui in the interpreter (``scripts/test-spark.sh`` makes such a
venv: ``.venv-spark``) and Java 17. The cases (sample cases, seed 2026) are written to a JSONL
file, read by Spark as text, repartitioned and cached before any clock starts; then, best of
``--repeat`` runs each:

- *pass-through*: ``mapInArrow`` that hands every batch back unchanged, written to Spark's
  ``noop`` sink: what Spark itself costs to take the cases through the Python workers;
- *hedui with path*: ``verify_dataframe(..., path=...)``, timed until it returns, when every
  case is verified and all five tables are written as Parquet by the tasks and committed
  (after one run to warm the JVM up; the folder is removed between runs, off the clock), and
  also until all five tables are then read back by Spark into the ``noop`` sink;
- *hedui, persisted stage*: ``verify_dataframe`` without ``path`` and all five tables written
  to the ``noop`` sink (the verification stage runs once, persisted; the stage is dropped
  between runs; the counts that check the run are taken after the clock stops);
- *single process*: ``hedui.verify_batch(path, output="arrow")`` on the same file, every core;

and two jobs that bound what any ``mapInArrow`` design can reach, each doing one half of
``verify_dataframe``'s work:

- *verification only*: ``mapInArrow`` verifying every case as the stage does (slices of
  ``SLICE_ROWS``, one thread per task) and handing back one count per task, no tables;
- *tables only*: for each of the five tables, a ``mapInArrow`` job over one row per slice
  that hands Spark a ready slice of that table (the first slice's, built once on the
  driver), written to the ``noop`` sink: Spark's cost of taking the tables' rows from the
  Python workers, with no verification at all.

Prints one JSON line on stdout: ``spark_vs_passthrough`` and ``spark_vs_single_process``
(pass-through time and single-process time over the time of hedui with path, to the tables
written), ``spark_read_back_vs_single_process`` (the same with the tables read back by
Spark), ``spark_stage_vs_passthrough`` and ``spark_stage_vs_single_process`` (over the time
of the persisted stage), ``spark_startup_s`` (building the session and running a first job),
the two bounds ``spark_vs_passthrough_bound`` (pass-through / verification only: the most
``spark_vs_passthrough`` can be even if handing the tables to Spark cost nothing) and
``spark_vs_single_process_bound`` (single process / tables only), and
``spark_vs_single_process_cpu_bound`` (single process over both halves' CPU time spread over
the cores); the details on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any, Callable

AS_OF = "2026-11-29T10:00:00+08:00"


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy (every core, every process: the JVM and the
    Python workers), from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def best_of(repeat: int, run: Callable[[], Any]) -> float:
    return best_of_cpu(repeat, run)[0]


def best_of_cpu(repeat: int, run: Callable[[], Any]) -> tuple[float, float]:
    """The best wall time of ``repeat`` runs, and the machine's busy CPU time in that run."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        cpu = busy_seconds()
        start = time.perf_counter()
        run()
        wall = time.perf_counter() - start
        best = min(best, (wall, busy_seconds() - cpu))
    return best


def write_cases(path: str, n: int, seed: int) -> None:
    import hedui

    with open(path, "w", encoding="utf-8") as f:
        for start in range(0, n, 5000):
            for case in hedui.sample_cases(min(5000, n - start), seed=seed, start=start):
                f.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + "\n")


def passthrough(batches: Iterator[Any]) -> Iterator[Any]:
    yield from batches


def verification_only(rulebook_json: str, slice_rows: int) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """A ``mapInArrow`` function that verifies its partition's cases in slices, as
    ``verify_dataframe``'s stage does, and hands back only how many it verified."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        import hedui

        rulebook = hedui.Rulebook.from_json(rulebook_json)
        done = 0
        for batch in batches:
            for start in range(0, batch.num_rows, slice_rows):
                piece = batch.slice(start, slice_rows)
                result = hedui.verify_arrow(
                    pa.Table.from_batches([piece]), "case", rulebook, AS_OF, threads=1, first_position=done + 1
                )
                result.tables()
                done += piece.num_rows
        yield pa.RecordBatch.from_arrays([pa.array([done], pa.int64())], names=["cases"])

    return run


def ready_slice(ipc: bytes) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """A ``mapInArrow`` function that hands Spark the table in ``ipc`` (an Arrow IPC stream)
    once for every input row."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        table = pa.ipc.open_stream(ipc).read_all().combine_chunks()
        for batch in batches:
            for _ in range(batch.num_rows):
                yield from table.to_batches()

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    import pyarrow as pa

    import hedui
    from hedui.spark import SLICE_ROWS, TABLES, spark_schema, verify_dataframe

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cases.jsonl")
        write_cases(path, args.cases, args.seed)

        # the single process first, on a machine without a JVM running or shutting down
        hedui.verify_batch(path, as_of=AS_OF, output="arrow")
        t_single = best_of(args.repeat, lambda: hedui.verify_batch(path, as_of=AS_OF, output="arrow"))
        single = hedui.verify_batch(path, as_of=AS_OF, output="arrow")
        rows = {name: pa.table(getattr(single, name)).num_rows for name in TABLES}
        del single  # only the counts are kept while Spark runs

        start = time.perf_counter()
        from pyspark.sql import SparkSession
        from pyspark.sql.pandas.types import to_arrow_schema

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

        counted: list[tuple[int, int]] = []

        def run_hedui() -> tuple[float, float]:
            result = verify_dataframe(cases, case_column="case", as_of=AS_OF)
            try:
                cpu = busy_seconds()
                start = time.perf_counter()
                for name in TABLES:
                    result.tables()[name].write.format("noop").mode("overwrite").save()
                elapsed = (time.perf_counter() - start, busy_seconds() - cpu)
                counted.append((result.reports.count(), result.errors.count()))
                return elapsed
            finally:
                result.unpersist()

        lake = os.path.join(tmp, "lake")
        lake_counted: list[tuple[int, int]] = []

        def run_lake() -> tuple[float, float, float]:
            """verify_dataframe with ``path``: the wall time until it returns (every table
            written and committed), its busy CPU, and the wall time with all five tables
            then read back by Spark into the ``noop`` sink."""
            shutil.rmtree(lake, ignore_errors=True)
            cpu = busy_seconds()
            start = time.perf_counter()
            result = verify_dataframe(cases, case_column="case", as_of=AS_OF, path=lake)
            written = time.perf_counter() - start
            written_cpu = busy_seconds() - cpu
            for name in TABLES:
                result.tables()[name].write.format("noop").mode("overwrite").save()
            read_back = time.perf_counter() - start
            lake_counted.append((result.reports.count(), result.errors.count()))
            return written, written_cpu, read_back

        run_passthrough()  # warm up the Python workers
        t_pass = best_of(args.repeat, run_passthrough)
        t_hedui, cpu_hedui = min(run_hedui() for _ in range(args.repeat))
        run_lake()  # warm up the JVM's Parquet reader and writer paths
        lake_runs = [run_lake() for _ in range(args.repeat)]
        t_lake, cpu_lake, _ = min(lake_runs)
        t_lake_read = min(r[2] for r in lake_runs)

        # the two halves of the work, each alone
        rulebook_json = hedui.Rulebook.default().to_json()
        only = cases.mapInArrow(verification_only(rulebook_json, SLICE_ROWS), "cases long")
        verified = only.agg({"cases": "sum"}).collect()[0][0]
        assert verified == args.cases, (verified, args.cases)
        t_verify, cpu_verify = best_of_cpu(args.repeat, lambda: only.write.format("noop").mode("overwrite").save())
        # one input row per slice of the stage, in the same partitions
        sizes = cases.rdd.mapPartitions(lambda rows: [sum(1 for _ in rows)]).collect()
        slices = sum(-(-size // SLICE_ROWS) for size in sizes)
        with open(path, encoding="utf-8") as f:
            first = [next(f).rstrip("\n") for _ in range(SLICE_ROWS)]
        first_tables = hedui.verify_arrow(pa.table({"case": pa.array(first, pa.string())}), as_of=AS_OF)
        ids = spark.range(0, slices, numPartitions=args.partitions).cache()
        ids.count()
        t_tables = cpu_tables = 0.0
        handed: dict[str, int] = {}
        for name in TABLES:
            schema = spark_schema(name)
            table = pa.table(getattr(first_tables, name)).cast(to_arrow_schema(schema, timezone="UTC"))
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            job = ids.mapInArrow(ready_slice(sink.getvalue().to_pybytes()), schema)
            handed[name] = table.num_rows * slices
            wall, cpu = best_of_cpu(args.repeat, lambda: job.write.format("noop").mode("overwrite").save())
            t_tables += wall
            cpu_tables += cpu
        spark.stop()

    # both halves must be done, on os.cpu_count() cores: no run can be faster than their CPU
    # time spread over every core
    floor_s = (cpu_verify + cpu_tables) / (os.cpu_count() or 1)
    reports, errors = counted[-1]
    same = (reports, errors) == (rows["reports"], rows["errors"]) and all(
        c == (rows["reports"], rows["errors"]) for c in lake_counted
    )
    print(
        f"{args.cases} cases on {args.master} ({args.partitions} partitions), "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}: Spark start-up {t_startup:.1f} s; "
        f"pass-through {t_pass:.2f} s ({args.cases / t_pass:,.0f} cases/s); hedui.spark with path= "
        f"{t_lake:.2f} s to the tables written ({cpu_lake:.2f} s CPU, {args.cases / t_lake:,.0f} cases/s), "
        f"{t_lake_read:.2f} s with all five read back by Spark; hedui.spark, persisted stage "
        f"{t_hedui:.2f} s ({cpu_hedui:.2f} s CPU, {args.cases / t_hedui:,.0f} cases/s, the verification counted "
        f"once: {reports} reports + {errors} errors); one process (Arrow path, every core) "
        f"{t_single:.2f} s ({args.cases / t_single:,.0f} cases/s); same counts: {same}; "
        f"verification only {t_verify:.2f} s ({cpu_verify:.2f} s CPU); tables only {t_tables:.2f} s "
        f"({cpu_tables:.2f} s CPU; rows handed to Spark: "
        + ", ".join(f"{name} {handed[name]:,} (the run's {rows[name]:,})" for name in TABLES)
        + ")",
        file=sys.stderr,
    )
    print(
        json.dumps(
            {
                "spark_vs_passthrough": round(t_pass / t_lake, 2),
                "spark_vs_single_process": round(t_single / t_lake, 2),
                "spark_read_back_vs_single_process": round(t_single / t_lake_read, 2),
                "spark_stage_vs_passthrough": round(t_pass / t_hedui, 2),
                "spark_stage_vs_single_process": round(t_single / t_hedui, 2),
                "spark_startup_s": round(t_startup, 1),
                "spark_cases": args.cases,
                "spark_vs_passthrough_bound": round(t_pass / t_verify, 2),
                "spark_vs_single_process_bound": round(t_single / t_tables, 2),
                "spark_vs_single_process_cpu_bound": round(t_single / floor_s, 2),
            }
        )
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
