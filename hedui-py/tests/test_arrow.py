"""The Arrow path: verify_batch(..., output="arrow") and verify_arrow, read with pyarrow, polars
and DuckDB and checked against the dict path (same digests, counts, amounts, errors)."""

from __future__ import annotations

import json
from pathlib import Path
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pytest

import hedui

from conftest import AS_OF

TABLES = ("reports", "findings", "differences", "gaps", "errors")

# a resident ID that is valid except for its check digit: its error must never show it whole
BAD_ID = "110101199003071234"


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    # 300 sample cases of seed 7, about 6% of them defective
    return [c for c, _ in hedui.sample_cases(300, seed=7, with_expected=True)]


@pytest.fixture(scope="module")
def dict_result(cases: list[dict[str, Any]]) -> hedui.BatchResult:
    return hedui.verify_batch(cases, as_of=AS_OF)


@pytest.fixture(scope="module")
def arrow_result(cases: list[dict[str, Any]]) -> hedui.ArrowBatchResult:
    return hedui.verify_batch(cases, as_of=AS_OF, output="arrow")


def digests(reports: Sequence[Mapping[str, Any]]) -> list[str]:
    return [r["integrity"]["digest"] for r in reports]


def same_table(a: Any, b: Any) -> bool:
    """Same schema and the same rows, however each side splits its rows into record batches
    (which depends on the threads and the step size)."""
    ta, tb = pa.table(a), pa.table(b)
    return bool(ta.schema == tb.schema and ta.to_pylist() == tb.to_pylist())


def test_arrow_reports_have_the_dict_paths_digests(
    dict_result: hedui.BatchResult, arrow_result: hedui.ArrowBatchResult
) -> None:
    reports = pa.table(arrow_result.reports)
    assert reports.num_rows == len(dict_result.reports) > 250
    assert reports.column("digest").to_pylist() == digests(dict_result.reports)
    assert reports.column("report_number").to_pylist() == [
        r["report_number"] for r in dict_result.reports
    ]
    assert reports.schema.metadata[b"hedui.table"] == b"reports"
    assert int(reports.schema.metadata[b"hedui.schema_version"]) == hedui.ArrowBatchResult.SCHEMA_VERSION


def test_arrow_errors_match_the_dict_errors(
    cases: list[dict[str, Any]], dict_result: hedui.BatchResult, arrow_result: hedui.ArrowBatchResult
) -> None:
    errors = pa.table(arrow_result.errors).to_pylist()
    assert len(errors) == len(dict_result.errors) > 0
    assert [(e["position"], e["code"]) for e in errors] == [
        (e["position"], e["code"]) for e in dict_result.errors
    ]
    # a case that was read but failed a gate is named by its case id
    for e in errors:
        assert e["case_id"] == cases[e["position"] - 1]["case_id"]
        assert e["area"] is not None
    assert [e["path"] for e in errors] == [e.get("path") for e in dict_result.errors]
    # nothing lost: every input is a report or an error
    assert arrow_result.reports.num_rows + arrow_result.errors.num_rows == len(cases)


def test_findings_amounts_equal_the_dict_records(
    dict_result: hedui.BatchResult, arrow_result: hedui.ArrowBatchResult
) -> None:
    records = hedui.reports_to_records(dict_result.reports)
    findings = pa.table(arrow_result.findings)
    assert findings.num_rows == len(records) > 1000
    key = ("report_number", "category", "member")
    from_records = {tuple(r[k] for k in key): (r["amount_fen"], r["exempt_fen"]) for r in records}
    rows = findings.select([*key, "amount_fen", "exempt_fen"]).to_pylist()
    from_arrow = {tuple(r[k] for k in key): (r["amount_fen"], r["exempt_fen"]) for r in rows}
    assert from_arrow == from_records
    # amounts are Int64 fen, dates Date32, instants +08:00 timestamps, codes dictionaries
    schema = findings.schema
    assert schema.field("amount_fen").type == pa.int64()
    assert schema.field("deadline").type == pa.date32()
    assert schema.field("issued_at").type == pa.timestamp("us", tz="+08:00")
    assert pa.types.is_dictionary(schema.field("category").type)
    # the instant is the one asked for
    assert findings.column("issued_at")[0].as_py().isoformat() == AS_OF


def test_polars_and_duckdb_read_the_same_tables(
    dict_result: hedui.BatchResult, arrow_result: hedui.ArrowBatchResult
) -> None:
    for name, table in arrow_result.tables().items():
        assert table.name == name
        frame = pl.DataFrame(table)
        assert frame.height == table.num_rows == len(table) == pa.table(table).num_rows
    reports = arrow_result.reports
    findings = arrow_result.findings
    assert pl.DataFrame(reports)["digest"].to_list() == digests(dict_result.reports)
    total = sum(r["amount_fen"] or 0 for r in hedui.reports_to_records(dict_result.reports))
    # DuckDB scans the hedui tables themselves (their PyCapsule stream, no pyarrow)
    # (DuckDB finds them by their variable names in this frame)
    by_name = duckdb.sql("select count(*), sum(amount_fen) from findings")
    assert by_name is not None and by_name.fetchall() == [(findings.num_rows, total)]
    by_name = duckdb.sql("select count(*) from reports")
    assert by_name is not None and by_name.fetchall() == [(reports.num_rows,)]
    con = duckdb.connect()
    con.register("f", pa.table(findings))
    assert con.execute("select count(distinct report_number) from f").fetchall() == [
        (len({r["report_number"] for r in dict_result.reports if r["findings"]}),)
    ]
    assert arrow_result.reports.to_polars().height == reports.num_rows
    assert len(arrow_result.reports.to_pandas()) == reports.num_rows
    assert arrow_result.reports.to_pyarrow().num_rows == reports.num_rows


def test_arrow_from_a_jsonl_path_equals_the_iterable(
    tmp_path: Path, cases: list[dict[str, Any]], arrow_result: hedui.ArrowBatchResult
) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    again = hedui.verify_batch(path, as_of=AS_OF, output="arrow")
    for name in TABLES:
        assert same_table(getattr(again, name), getattr(arrow_result, name)), name


def test_threads_bound_the_cores_and_give_the_same_tables(
    cases: list[dict[str, Any]], arrow_result: hedui.ArrowBatchResult
) -> None:
    for threads in (1, 2, 3):
        again = hedui.verify_batch(cases, as_of=AS_OF, output="arrow", threads=threads)
        for name in TABLES:
            assert same_table(getattr(again, name), getattr(arrow_result, name)), name
    # the dict path takes `threads` too
    one = hedui.verify_batch(cases[:20], as_of=AS_OF, threads=1)
    assert digests(one.reports) == digests(hedui.verify_batch(cases[:20], as_of=AS_OF).reports)
    for bad in (0, -1, "two"):
        with pytest.raises(hedui.InputError) as e:
            hedui.verify_batch(cases[:2], as_of=AS_OF, output="arrow", threads=bad)  # type: ignore[call-overload]
        assert e.value.code == "input_argument"
    with pytest.raises(hedui.InputError) as e:
        hedui.verify_batch(cases[:2], as_of=AS_OF, output="rows")  # type: ignore[call-overload]
    assert e.value.code == "input_argument"


def case_texts(cases: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(c, ensure_ascii=False) for c in cases]


def test_verify_arrow_takes_a_table_of_case_json(
    cases: list[dict[str, Any]], arrow_result: hedui.ArrowBatchResult
) -> None:
    table = pa.table({"id": list(range(len(cases))), "case": case_texts(cases)})
    result = hedui.verify_arrow(table, "case", as_of=AS_OF)
    for name in TABLES:
        assert same_table(getattr(result, name), getattr(arrow_result, name)), name
    # a record-batch stream, large strings, binary and a polars frame give the same
    texts = case_texts(cases)
    inputs: list[Any] = [
        pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=37)),
        pa.table({"case": pa.array(texts, pa.large_string())}),
        pa.table({"case": pa.array([t.encode() for t in texts], pa.binary())}),
        pa.table({"case": pa.array([t.encode() for t in texts], pa.large_binary())}),
        pl.DataFrame({"case": texts}),
    ]
    for data in inputs:
        again = hedui.verify_arrow(data, as_of=AS_OF, threads=1)
        assert pa.table(again.reports).column("digest").equals(pa.table(arrow_result.reports).column("digest"))
        assert same_table(again.errors, arrow_result.errors)


def test_bad_rows_become_error_rows_with_their_positions(good_case_text: str) -> None:
    good = json.loads(good_case_text)
    bad_id = json.loads(good_case_text)
    bad_id["household"]["members"][0]["id"] = BAD_ID
    rows: list[Any] = [
        good_case_text.encode(),  # 1
        None,  # 2: null
        b"",  # 3: empty
        b"   ",  # 4: blank
        b"\xff\xfe not utf-8",  # 5
        b'{"case_id": "broken"',  # 6
        b"[]",  # 7
        json.dumps(bad_id).encode(),  # 8
        json.dumps(good).encode(),  # 9
    ]
    result = hedui.verify_arrow(pa.table({"case": pa.array(rows, pa.binary())}), as_of=AS_OF, first_position=101)
    assert result.reports.num_rows == 2
    errors = pa.table(result.errors).to_pylist()
    assert [(e["position"], e["code"]) for e in errors] == [
        (102, "input_json"),
        (103, "input_json"),
        (104, "input_json"),
        (105, "input_utf8"),
        (106, "input_json"),
        (107, "input_array_for_object"),
        (108, "id_resident_checksum"),
    ]
    assert "null" in errors[0]["message"] and "blank" in errors[1]["message"]
    assert errors[6]["case_id"] == good["case_id"]
    # the JSON path of the bad field (schema version 2); none where the row is not a case
    assert [e["path"] for e in errors] == [None] * 6 + ["household.members[0].id"]
    assert pa.table(result.errors).schema.field("path").type == pa.string()
    assert hedui.ArrowBatchResult.SCHEMA_VERSION == 2
    # no resident ID appears whole in any error
    text = json.dumps(errors, default=str)
    assert BAD_ID not in text
    for member in good["household"]["members"]:
        assert member["id"] not in text


def test_verify_arrow_rejects_what_is_not_a_case_table(good_case_text: str) -> None:
    def code(data: Any, **kw: Any) -> str:
        with pytest.raises(hedui.InputError) as e:
            hedui.verify_arrow(data, as_of=AS_OF, **kw)
        return e.value.code

    assert code([good_case_text]) == "input_argument"
    assert code(pa.table({"text": [good_case_text]})) == "input_argument"
    assert code(pa.table({"case": [1, 2]})) == "input_argument"
    assert code(pa.table({"case": [good_case_text]}), threads=0) == "input_argument"
    assert code(pa.table({"case": [good_case_text]}), first_position=0) == "input_argument"


def test_empty_input_gives_empty_tables_with_their_schemas() -> None:
    result = hedui.verify_arrow(pa.table({"case": pa.array([], pa.string())}))
    for name in TABLES:
        table = pa.table(getattr(result, name))
        assert table.num_rows == 0
        assert table.schema.metadata[b"hedui.table"] == name.encode()
    assert "ArrowBatchResult(reports=0" in repr(result)
    assert repr(result.errors) == 'ArrowTable(name="errors", rows=0)'
    # the stream honours a requested schema it can cast to
    reports = pa.table(result.reports)
    assert pa.schema(result.reports) == reports.schema
