"""hedui.spark.verify_tables on local-mode Spark (local[2]): sample cases written into the
office-table layout (hedui.cases_to_tables), as Spark DataFrames named in English and in
Chinese, give the same reports (digests) as verify_dataframe on the cases' JSON and as the
in-process cases_from_tables path; bad rows are rows of `errors` naming their table, row and
column while every other case gets its report, and nothing is lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pyarrow as pa
import pytest
from pyspark.sql import DataFrame, SparkSession

import hedui
from hedui.spark import SparkTables, table_location, verify_dataframe, verify_tables

AS_OF = "2026-11-29T10:00:00+08:00"
N = 300
BAD_ID = "110101199003071234"  # valid but for its check digit


def frames(
    spark: SparkSession,
    tables: dict[str, pa.Table],
    *,
    chinese: bool = False,
    row_column: Optional[str] = None,
) -> dict[str, DataFrame]:
    """Each table as a Spark DataFrame of text columns, in its row order; named by Chinese
    sheet name and headers when `chinese`; with each row's spreadsheet number (header = 1) in
    `row_column` when given."""
    layout = {t["name"]: t for t in hedui.table_layout()}
    out = {}
    for name, table in tables.items():
        headers = {c["name"]: c["header"] for c in layout[name]["columns"]}
        columns = [headers[c] if chinese else c for c in table.column_names]
        data = table.rename_columns(columns)
        schema = ", ".join(f"`{c}` string" for c in columns)
        if row_column is not None:
            data = data.append_column(row_column, pa.array(range(2, data.num_rows + 2), pa.int64()))
            schema += f", `{row_column}` long"
        rows = [tuple(r.values()) for r in data.to_pylist()]
        out[layout[name]["sheet"] if chinese else name] = spark.createDataFrame(rows, schema)
    return out


def digests(result: SparkTables) -> list[str]:
    return sorted(r.digest for r in result.reports.select("digest").collect())


@pytest.fixture(scope="module")
def samples() -> list[tuple[dict[str, Any], Optional[str]]]:
    return hedui.sample_cases(N, seed=23, with_expected=True)


@pytest.fixture(scope="module")
def cases(samples: list[tuple[dict[str, Any], Optional[str]]]) -> list[dict[str, Any]]:
    return [c for c, _ in samples]


@pytest.fixture(scope="module")
def reference(cases: list[dict[str, Any]]) -> hedui.BatchResult:
    """The in-process path: tables → cases_from_tables → verify_batch."""
    built = hedui.cases_from_tables(**hedui.cases_to_tables(cases))
    assert built.errors == [] and len(built.cases) == N
    return hedui.verify_batch(built.cases, as_of=AS_OF)


@pytest.fixture(scope="module")
def english(spark: SparkSession, cases: list[dict[str, Any]]) -> Iterator[SparkTables]:
    tables = {k: pa.table(v) for k, v in hedui.cases_to_tables(cases).items()}
    result = verify_tables(frames(spark, tables, row_column="row"), as_of=AS_OF, row_column="row")
    yield result
    result.unpersist()


def test_tables_give_the_reports_of_the_case_json(
    spark: SparkSession,
    english: SparkTables,
    cases: list[dict[str, Any]],
    samples: list[tuple[dict[str, Any], Optional[str]]],
    reference: hedui.BatchResult,
) -> None:
    df = spark.createDataFrame([(json.dumps(c, ensure_ascii=False),) for c in cases], "case string")
    from_json = verify_dataframe(df, as_of=AS_OF)
    try:
        want = digests(from_json)
        assert len(want) > N * 0.9
        assert digests(english) == want
        assert want == sorted(r["integrity"]["digest"] for r in reference.reports)
        for name in ("findings", "differences", "gaps"):
            assert getattr(english, name).count() == getattr(from_json, name).count(), name
        assert english.reports.schema == from_json.reports.schema
        # each case verified once: every table reads the persisted stage
        assert english.stage is not None and english.stage.is_cached
        assert "InMemoryRelation" in english.findings._jdf.queryExecution().optimizedPlan().toString()
        assert english.errors.schema == from_json.errors.schema
    finally:
        from_json.unpersist()
    # a case that fails verification is an error at its households row (case i: row i + 2)
    expected = sorted((i + 2, code) for i, (_, code) in enumerate(samples) if code is not None)
    assert expected
    assert sorted((e.position, e.code) for e in english.errors.collect()) == expected


def test_chinese_names_and_dataframe_order(
    spark: SparkSession,
    cases: list[dict[str, Any]],
    samples: list[tuple[dict[str, Any], Optional[str]]],
    reference: hedui.BatchResult,
) -> None:
    # Chinese sheet names, headers and labels; no row column: rows numbered in DataFrame order
    tables = {k: pa.table(v) for k, v in hedui.cases_to_tables(cases, labels="chinese").items()}
    named = frames(spark, tables, chinese=True)
    assert "家庭成员" in named and "身份证号" in named["家庭成员"].columns
    result = verify_tables(named, as_of=AS_OF, partitions=3)
    try:
        assert digests(result) == sorted(r["integrity"]["digest"] for r in reference.reports)
        expected = sorted((i + 2, code) for i, (_, code) in enumerate(samples) if code is not None)
        assert sorted((e.position, e.code) for e in result.errors.collect()) == expected
    finally:
        result.unpersist()


def test_bad_rows_are_errors_naming_table_row_and_column(
    spark: SparkSession,
    cases: list[dict[str, Any]],
    samples: list[tuple[dict[str, Any], Optional[str]]],
    tmp_path: Path,
) -> None:
    raw = {k: pa.table(v).to_pydict() for k, v in hedui.cases_to_tables(cases).items()}
    members, households = raw["members"], raw["households"]
    # a bad resident ID cell
    bad = 4
    bad_case = members["case_id"][bad]
    members["id"][bad] = BAD_ID
    # an orphan member: a case number with no household row
    for c in members:
        members[c].append("C-NOPE" if c == "case_id" else members[c][0])
    orphan_row = len(members["case_id"]) + 1
    # a duplicate household row
    dup = 10
    dup_case = households["case_id"][dup]
    for c in households:
        households[c].append(households[c][dup])
    dup_row = len(households["case_id"]) + 1
    # a case number padded with white space (ASCII and ideographic) still joins its household,
    # as the reader trims it
    padded = next(i for i, c in enumerate(members["case_id"]) if c not in (bad_case, dup_case, "C-NOPE"))
    members["case_id"][padded] = " \u3000" + members["case_id"][padded] + "\t"
    tables = {k: pa.table(v) for k, v in raw.items()}

    result = verify_tables(frames(spark, tables, row_column="row"), as_of=AS_OF, row_column="row")
    try:
        errors = result.errors.collect()
        reports = result.reports.select("case_id").collect()
    finally:
        result.unpersist()
    # the same run writing the tables as Parquet from the tasks gives the same rows
    written = verify_tables(
        frames(spark, tables, row_column="row"), as_of=AS_OF, row_column="row", path=str(tmp_path / "lake")
    )
    assert written.stage is None
    assert sorted(map(repr, written.errors.collect())) == sorted(map(repr, errors))
    assert sorted(r.case_id for r in written.reports.select("case_id").collect()) == sorted(
        r.case_id for r in reports
    )
    assert sorted(p.name for p in (tmp_path / "lake").iterdir()) == sorted(
        ["reports", "findings", "differences", "gaps", "errors"]
    )
    by_path = {e.path: e for e in errors if e.path is not None and e.path.startswith("tables.")}
    assert by_path[f"tables.members[{bad + 2}].id"].code == "id_resident_checksum"
    assert by_path[f"tables.members[{bad + 2}].id"].case_id == bad_case
    assert by_path[f"tables.members[{bad + 2}].id"].position == bad + 2
    assert by_path[f"tables.members[{orphan_row}].case_id"].code == "table_orphan_row"
    assert by_path[f"tables.members[{orphan_row}].case_id"].case_id == "C-NOPE"
    assert by_path[f"tables.households[{dup_row}].case_id"].code == "table_duplicate_row"
    assert by_path[f"tables.households[{dup_row}].case_id"].position == dup_row
    # resident IDs masked, as in every errors table
    assert BAD_ID not in json.dumps([e.asDict() for e in errors], default=str)

    # the same table errors as the in-process reader, at the same rows and columns
    local = hedui.cases_from_tables(**tables)
    want = sorted(
        (e["code"], e["row"] or 0, table_location(e["table"], e["row"], e["column"])) for e in local.errors
    )
    got = sorted((e.code, e.position, e.path) for e in errors if e.path is not None and e.path.startswith("tables."))
    assert got == want
    assert len(got) == 3

    # every other case gets its report, the failed gates are errors; nothing lost
    failed = {c["case_id"] for c, code in samples if code is not None}
    report_ids = sorted(r.case_id for r in reports)
    assert report_ids == sorted(c["case_id"] for c in cases if c["case_id"] not in failed | {bad_case, dup_case})
    error_ids = {e.case_id for e in errors}
    assert error_ids == failed | {bad_case, dup_case, "C-NOPE"}
    assert not error_ids & set(report_ids)
    assert len(report_ids) + len(error_ids - {"C-NOPE"}) == N


def test_bad_arguments_fail_on_the_driver(spark: SparkSession) -> None:
    households = spark.createDataFrame([("C1", 2)], "case_id string, row long")
    members = spark.createDataFrame([("C1", "x")], "`案件编号` string, `姓名` string")
    with pytest.raises(hedui.InputError, match="not in the layout"):
        verify_tables({"households": households, "nope": members}, as_of=AS_OF)
    with pytest.raises(hedui.InputError, match="given twice"):
        verify_tables({"households": households, "members": members, "家庭成员": members}, as_of=AS_OF)
    with pytest.raises(hedui.InputError, match="no households table"):
        verify_tables({"家庭成员": members}, as_of=AS_OF)
    with pytest.raises(hedui.InputError, match="no case-number column"):
        verify_tables({"households": households, "members": members.drop("案件编号")}, as_of=AS_OF)
    with pytest.raises(hedui.InputError, match="no row column"):
        verify_tables({"households": households, "members": members}, as_of=AS_OF, row_column="row")
    with pytest.raises(hedui.InputError):
        verify_tables({"households": households}, as_of="not a time")
