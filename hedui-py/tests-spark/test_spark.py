"""hedui.spark on local-mode Spark (local[2]): 10,000 sample cases with hostile rows among them
give the same reports (digests) as the dict path, every bad row is a row of `errors` at its
position in the DataFrame, and no task fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

import hedui
from hedui.spark import TABLES, SparkTables, spark_schema, verify_dataframe

AS_OF = "2026-11-29T10:00:00+08:00"
N = 10_000
PARTITIONS = 7
BAD_ID = "110101199003071234"  # valid but for its check digit


@pytest.fixture(scope="module")
def rows() -> tuple[list[Optional[str]], dict[int, str]]:
    """N rows of case JSON: the sample cases (about 6% defective, with their expected codes)
    and hostile rows put in at known places; the expected error code by 1-based position."""
    samples = hedui.sample_cases(N, seed=11, with_expected=True)
    texts: list[Optional[str]] = [json.dumps(c, ensure_ascii=False) for c, _ in samples]
    expected = {i + 1: code for i, (_, code) in enumerate(samples) if code is not None}
    bad_id = dict(samples[0][0])
    bad_id["household"] = json.loads(json.dumps(samples[0][0]["household"]))
    bad_id["household"]["members"][0]["id"] = BAD_ID
    hostile: dict[int, tuple[Optional[str], str]] = {
        3: ("not json", "input_json"),
        1500: (None, "input_json"),
        4242: ("", "input_json"),
        7777: ("[]", "input_array_for_object"),
        9001: (json.dumps(bad_id), "id_resident_checksum"),
        N: ('{"case_id": "cut', "input_json"),
    }
    for position, (text, code) in hostile.items():
        texts[position - 1] = text
        expected[position] = code
    return texts, expected


@pytest.fixture(scope="module")
def df(spark: SparkSession, rows: tuple[list[Optional[str]], dict[int, str]]) -> DataFrame:
    texts, _ = rows
    rdd = spark.sparkContext.parallelize([(i, t) for i, t in enumerate(texts)], PARTITIONS)
    return spark.createDataFrame(rdd, "row long, case string")


@pytest.fixture(scope="module")
def tables(df: DataFrame) -> Iterator[SparkTables]:
    result = verify_dataframe(df, case_column="case", as_of=AS_OF)
    yield result
    result.unpersist()


@pytest.fixture(scope="module")
def reference(rows: tuple[list[Optional[str]], dict[int, str]]) -> hedui.BatchResult:
    """The dict path on the good rows (in order)."""
    texts, expected = rows
    good = [t for i, t in enumerate(texts) if i + 1 not in expected]
    return hedui.verify_batch(good, as_of=AS_OF)


def test_spark_reports_have_the_dict_paths_digests(tables: SparkTables, reference: hedui.BatchResult) -> None:
    got = [r.digest for r in tables.reports.select("digest").collect()]
    assert len(got) > 9000
    assert got == [r["integrity"]["digest"] for r in reference.reports]
    assert reference.errors == []


def test_bad_rows_are_error_rows_at_their_positions(
    tables: SparkTables, rows: tuple[list[Optional[str]], dict[int, str]]
) -> None:
    _, expected = rows
    errors = tables.errors.orderBy("position").collect()
    assert [(e.position, e.code) for e in errors] == sorted(expected.items())
    # the JSON path of the bad field (tables schema version 2)
    paths = {e.position: e.path for e in errors}
    assert paths[9001] == "household.members[0].id"
    assert paths[3] is None and paths[7777] is None
    text = json.dumps([e.asDict() for e in errors], default=str)
    assert BAD_ID not in text
    # nothing lost: every row is a report or an error
    assert tables.reports.count() + len(errors) == N


def test_spark_tables_equal_the_in_process_arrow_path(
    tables: SparkTables, rows: tuple[list[Optional[str]], dict[int, str]]
) -> None:
    texts, _ = rows
    local = hedui.verify_arrow(pa.table({"case": pa.array(texts, pa.string())}), as_of=AS_OF)
    for name in TABLES:
        assert getattr(tables, name).count() == getattr(local, name).num_rows, name
    spark_sum = tables.findings.agg({"amount_fen": "sum"}).collect()[0][0]
    assert spark_sum == pa.table(local.findings).column("amount_fen").to_pandas().sum()
    diff_sum = tables.differences.agg({"difference": "sum"}).collect()[0][0]
    assert diff_sum == pa.table(local.differences).column("difference").to_pandas().sum()
    # the instants are the same instant (Spark holds them in UTC)
    issued = {r.issued_at for r in tables.reports.select("issued_at").distinct().collect()}
    assert len(issued) == 1
    assert pa.table(local.reports).column("issued_at")[0].as_py().timestamp() == issued.pop().timestamp()


def test_each_case_is_verified_once(tables: SparkTables) -> None:
    # every table reads the one persisted verification stage
    assert tables.stage is not None and tables.stage.is_cached
    for name in TABLES:
        plan = getattr(tables, name)._jdf.queryExecution().optimizedPlan().toString()
        assert "InMemoryRelation" in plan, name
    counted = tables.stage.filter("seq = -1").agg({"rows": "sum"}).collect()[0][0]
    assert counted == N


def test_schemas_are_derived_from_the_arrow_schemas(tables: SparkTables) -> None:
    findings = spark_schema("findings")
    assert findings["amount_fen"].dataType == T.LongType()
    assert findings["deadline"].dataType == T.DateType()
    assert findings["issued_at"].dataType == T.TimestampType()
    assert findings["category"].dataType == T.StringType()
    for name in TABLES:
        assert getattr(tables, name).schema == spark_schema(name), name
        arrow_names = hedui.spark.arrow_schema(name).names
        assert spark_schema(name).fieldNames() == arrow_names


def test_bad_arguments_fail_on_the_driver(df: DataFrame) -> None:
    with pytest.raises(hedui.InputError):
        verify_dataframe(df, case_column="nope", as_of=AS_OF)
    with pytest.raises(hedui.InputError):
        verify_dataframe(df, case_column="case", as_of="not a time")
    with pytest.raises(ValueError):
        spark_schema("nope")


def test_a_rulebook_and_binary_cases(spark: SparkSession, rows: tuple[list[Optional[str]], dict[int, str]]) -> None:
    texts, expected = rows
    head = [(t.encode() if t is not None else None,) for t in texts[:300]]
    df = spark.createDataFrame(head, "case binary")
    result = verify_dataframe(df, as_of=AS_OF, rulebook=hedui.Rulebook.default())
    try:
        want = [(p, c) for p, c in sorted(expected.items()) if p <= 300]
        assert [(e.position, e.code) for e in result.errors.orderBy("position").collect()] == want
        versions = {r[0] for r in result.reports.select("rulebook_version").distinct().collect()}
        assert versions == {hedui.Rulebook.default().version}
    finally:
        result.unpersist()


# --- path=: the tasks write the tables as Parquet ---------------------------------------------


def as_read(schema: T.StructType) -> T.StructType:
    """``schema`` as Spark reads it from files: every column nullable."""
    return T.StructType([T.StructField(f.name, f.dataType, True) for f in schema])


def read_files(folder: Path) -> pa.Table:
    """One table as the tasks wrote it, files in partition order (pyarrow, not Spark)."""
    files = sorted(folder.glob("part-*.parquet"))
    assert files, folder
    return pa.concat_tables([pq.read_table(f) for f in files])


@pytest.fixture(scope="module")
def lake(df: DataFrame, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SparkTables]:
    where = tmp_path_factory.mktemp("lake") / "hedui"
    return where, verify_dataframe(df, case_column="case", as_of=AS_OF, path=str(where))


def test_path_files_equal_the_in_process_arrow_path(
    lake: tuple[Path, SparkTables], rows: tuple[list[Optional[str]], dict[int, str]]
) -> None:
    where, _ = lake
    texts, expected = rows
    local = hedui.verify_arrow(pa.table({"case": pa.array(texts, pa.string())}), as_of=AS_OF)
    for name in TABLES:
        got = read_files(where / name)
        want = pa.table(getattr(local, name))
        assert got.num_rows == want.num_rows, name
        # dictionary columns stay dictionaries, the other types are Spark's
        assert [pa.types.is_dictionary(f.type) for f in got.schema] == [
            pa.types.is_dictionary(f.type) for f in want.schema
        ], name
        # row for row, in input order (the files of the partitions in order), values compared
        # with the dictionaries decoded (each file has its own)
        plain = hedui.spark._plain_schema(got.schema)
        assert got.cast(plain).equals(want.cast(plain)), name
    # global positions, not each partition's own
    errors = read_files(where / "errors")
    assert sorted(zip(errors.column("position").to_pylist(), errors.column("code").to_pylist())) == sorted(
        expected.items()
    )
    assert BAD_ID not in json.dumps(errors.to_pylist(), default=str)


def test_path_tables_read_by_spark(lake: tuple[Path, SparkTables], tables: SparkTables) -> None:
    where, written = lake
    assert written.stage is None
    assert written.path == "file://" + str(where)
    for name in TABLES:
        frame = getattr(written, name)
        assert frame.schema == as_read(spark_schema(name)), name
        # Spark reads the files, nothing cached, no Python stage
        plan = frame._jdf.queryExecution().optimizedPlan().toString()
        assert "InMemoryRelation" not in plan and "Relation" in plan, name
        # every column of every row as Spark decodes it from the files (dates, instants,
        # dictionary-encoded codes, amounts) equals the persisted stage's, duplicates counted
        lazy = getattr(tables, name)
        assert frame.count() == lazy.count() > 0, name
        assert frame.exceptAll(lazy).isEmpty() and lazy.exceptAll(frame).isEmpty(), name
    got = sorted((e.position, e.code, e.case_id, e.path) for e in written.errors.collect())
    want = sorted((e.position, e.code, e.case_id, e.path) for e in tables.errors.collect())
    assert got == want
    assert sorted(r.digest for r in written.reports.select("digest").collect()) == sorted(
        r.digest for r in tables.reports.select("digest").collect()
    )
    # what is left: one file per task and table with rows, a _SUCCESS mark, no attempts
    for name in TABLES:
        names = sorted(p.name for p in (where / name).iterdir())
        assert "_attempts" not in names and "_SUCCESS" in names, (name, names)
        assert all(n == "_SUCCESS" or (n.startswith("part-") and n.endswith(".parquet")) for n in names)
    assert len(list((where / "reports").glob("part-*.parquet"))) == PARTITIONS


def test_path_is_not_overwritten_unless_asked(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(hedui.InputError, match="`overwrite` is for a run with `path`"):
        verify_dataframe(spark.createDataFrame([], "case string"), as_of=AS_OF, overwrite=True)
    cases = [json.dumps(c, ensure_ascii=False) for c in hedui.sample_cases(40, seed=3)]
    where = str(tmp_path / "out")
    first = verify_dataframe(spark.createDataFrame([(c,) for c in cases], "case string"), as_of=AS_OF, path=where)
    assert first.reports.count() + first.errors.count() == 40
    smaller = spark.createDataFrame([(c,) for c in cases[:10]], "case string")
    with pytest.raises(hedui.InputError, match="already holds the table `reports`"):
        verify_dataframe(smaller, as_of=AS_OF, path=where)
    # the refused run left the tables as they were
    assert pq.read_table(tmp_path / "out" / "reports").num_rows == first.reports.count()
    again = verify_dataframe(smaller, as_of=AS_OF, path=where, overwrite=True)
    assert again.reports.count() + again.errors.count() == 10
    assert pq.read_table(tmp_path / "out" / "reports").num_rows == again.reports.count()


def test_path_with_no_rows_gives_empty_tables(spark: SparkSession, tmp_path: Path) -> None:
    empty = spark.createDataFrame([], "case string")
    result = verify_dataframe(empty, as_of=AS_OF, path=str(tmp_path / "none"))
    for name in TABLES:
        frame = getattr(result, name)
        assert frame.count() == 0, name
        assert frame.schema == as_read(spark_schema(name)), name
        assert pq.read_table(tmp_path / "none" / name).num_rows == 0
