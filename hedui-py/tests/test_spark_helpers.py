"""The pure parts of hedui.spark.verify_tables, without Spark: the per-case assembly with the
layout's reader, the errors-table rows of table errors, and a task's work fed with pyarrow
record batches (as Spark's mapInArrow would feed it)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Optional

import pyarrow as pa
import pytest

import hedui
from hedui import spark as hs
from hedui.types import TableError

AS_OF = "2026-11-29T10:00:00+08:00"
BAD_ID = "110101199003071234"  # valid but for its check digit

ROWS = pa.schema(
    [
        ("case_id", pa.string()),
        ("t", pa.int32()),
        ("seq", pa.int64()),
        ("row", pa.int64()),
        ("cells", pa.list_(pa.string())),
    ]
)


def errors_schema() -> pa.Schema:
    return hs._plain_schema(hs.arrow_schema("errors"))


def layout_rows(
    tables: dict[str, pa.Table], first_row: int = 2
) -> tuple[list[hs.TablePlan], list[dict[str, Any]]]:
    """The plan and the rows (sorted as the grouping sorts them) of some tables, each row
    numbered from `first_row` in its table."""
    plan: list[hs.TablePlan] = []
    rows = []
    for t, (name, table) in enumerate(tables.items()):
        plan.append((name, name, table.column_names))
        data = table.to_pydict()
        for i in range(table.num_rows):
            cells = [data[c][i] for c in table.column_names]
            rows.append({"case_id": data["case_id"][i], "t": t, "seq": i, "row": first_row + i, "cells": cells})
    rows.sort(key=lambda r: (r["case_id"] or "", r["t"], r["seq"]))
    return plan, rows


def digests(reports: Sequence[Mapping[str, Any]]) -> list[str]:
    return sorted(r["integrity"]["digest"] for r in reports)


def read_stage(batches: list[pa.RecordBatch], name: str) -> pa.Table:
    return pa.concat_tables(
        [pa.ipc.open_stream(b.column(name)[0].as_buffer()).read_all() for b in batches]
    )


def test_table_location() -> None:
    assert hs.table_location("members", 5, "id") == "tables.members[5].id"
    assert hs.table_location("households", None, "case_id") == "tables.households.case_id"
    assert hs.table_location("facts", 3, None) == "tables.facts[3]"


def test_assembly_reports_rows_by_their_own_numbers() -> None:
    case = hedui.sample_cases(1, seed=4)[0]
    tables = {k: pa.table(v) for k, v in hedui.cases_to_tables([case]).items()}
    plan, rows = layout_rows(tables, first_row=40)
    grouped: hs.CaseRows = {}
    for r in rows:
        got = grouped.setdefault(r["t"], ([], []))
        got[0].append(r["cells"])
        got[1].append(r["row"])
    cases, errors = hs.assemble_case_rows(plan, grouped)
    assert errors == []
    assert cases == [(hedui.cases_from_tables(**tables).cases[0], 40)]
    # the second member's ID broken: the error is at that row's own number (41), not at row 3
    members = next(t for t, p in enumerate(plan) if p[1] == "members")
    grouped[members][0][1][plan[members][2].index("id")] = BAD_ID
    cases, errors = hs.assemble_case_rows(plan, grouped)
    assert cases == []
    assert [(e["code"], e["table"], e["row"], e["column"]) for e in errors] == [
        ("id_resident_checksum", "members", 41, "id")
    ]


def test_a_refused_group_is_an_error_not_an_exception() -> None:
    # a cell that is not text (Spark casts every cell to text; this one was not) makes the
    # reader refuse the tables: the group gives one error at its first row
    plan: list[hs.TablePlan] = [("households", "households", ["case_id", "region"])]
    rows: hs.CaseRows = {0: ([["C1", 141030]], [7])}  # type: ignore[list-item]
    cases, errors = hs.assemble_case_rows(plan, rows)
    assert cases == []
    assert [(e["code"], e["table"], e["row"]) for e in errors] == [("input_argument", "households", 7)]


def test_table_error_rows_mask_ids() -> None:
    error: TableError = {
        "code": "table_cell",
        "area": "input",
        "rule": None,
        "clause": None,
        "docs": None,
        "message": f"table `members`, column `on`: `{BAD_ID}` is not a date",
        "fields": {},
        "path": None,
        "table": "members",
        "sheet": "家庭成员",
        "row": None,
        "column": "on",
        "header": "日期",
        "case_id": BAD_ID,
    }
    table = hs.table_error_rows([error], errors_schema())
    assert table.schema == errors_schema()
    row = table.to_pylist()[0]
    assert row["position"] == 0 and row["path"] == "tables.members.on"
    assert BAD_ID not in json.dumps(row, ensure_ascii=False)
    assert row["message"].startswith("table `members`, column `on`: `110101")


@pytest.mark.parametrize("slice_rows", [1, 7, 1000])
def test_a_task_gives_the_in_process_results(slice_rows: int) -> None:
    samples = hedui.sample_cases(60, seed=8, with_expected=True)
    cases = [c for c, _ in samples]
    raw = {k: pa.table(v).to_pydict() for k, v in hedui.cases_to_tables(cases).items()}
    raw["members"]["id"][3] = BAD_ID
    bad_case = raw["members"]["case_id"][3]
    for c in raw["members"]:  # an orphan row, with a blank case number sorted first
        raw["members"][c].append(None if c == "case_id" else raw["members"][c][0])
    tables = {k: pa.table(v) for k, v in raw.items()}
    plan, rows = layout_rows(tables)
    # several batches, the rows of a case split across two of them
    batches = [pa.RecordBatch.from_pylist(rows[i : i + 50], schema=ROWS) for i in range(0, len(rows), 50)]
    out = list(
        hs.verify_case_rows(iter(batches), plan, hedui.Rulebook.default(), AS_OF, errors_schema(), slice_rows=slice_rows)
    )
    assert [b.column("seq")[0].as_py() for b in out] == list(range(len(out)))
    reports = read_stage(out, "reports")
    errors = read_stage(out, "errors")
    local = hedui.cases_from_tables(**tables)
    ref = hedui.verify_batch(local.cases, as_of=AS_OF)
    assert sorted(reports.column("digest").to_pylist()) == digests(ref.reports)
    assert sum(b.column("rows")[0].as_py() for b in out) == len(local.cases) == len(cases) - 1
    got = sorted(zip(errors.column("code").to_pylist(), errors.column("path").to_pylist()))
    table_errors = [
        (e["code"], hs.table_location(e["table"], e["row"], e["column"])) for e in local.errors
    ]
    gates: list[tuple[str, Optional[str]]] = [(e["code"], e["path"]) for e in ref.errors]
    assert got == sorted(table_errors + gates)
    assert ("id_resident_checksum", "tables.members[5].id") in got
    assert any(code == "table_missing_key" for code, _ in got)
    # a failed gate is at its case's households row
    index = {c["case_id"]: i for i, c in enumerate(cases)}
    positions = dict(zip(errors.column("case_id").to_pylist(), errors.column("position").to_pylist()))
    for i, (case, code) in enumerate(samples):
        if code is not None and case["case_id"] != bad_case:
            assert positions[case["case_id"]] == index[case["case_id"]] + 2


def test_lake_uris() -> None:
    import os

    assert hs._lake_uris("lake/out") == (os.path.abspath("lake/out"), "file://" + os.path.abspath("lake/out"))
    assert hs._lake_uris("/data/lake") == ("/data/lake", "file:///data/lake")
    assert hs._lake_uris("/data/lake/") == ("/data/lake", "file:///data/lake")
    assert hs._lake_uris("file:///data/lake") == ("/data/lake", "file:///data/lake")
    assert hs._lake_uris("file:/data/lake/") == ("/data/lake", "file:///data/lake")
    # a colon in a relative name is not a scheme
    assert hs._lake_uris("out:1") == (os.path.abspath("out:1"), "file://" + os.path.abspath("out:1"))
    assert hs._lake_uris("s3a://bucket/lake/") == ("s3://bucket/lake", "s3a://bucket/lake")
    with pytest.raises(hedui.InputError, match="empty"):
        hs._lake_uris(" ")
    assert hs._lake_uris("s3a://bucket/lake") == ("s3://bucket/lake", "s3a://bucket/lake")
    assert hs._lake_uris("s3n://bucket/lake") == ("s3://bucket/lake", "s3n://bucket/lake")
    assert hs._lake_uris("hdfs://nn:8020/lake") == ("hdfs://nn:8020/lake", "hdfs://nn:8020/lake")


def test_lake_keeps_only_the_attempts_that_succeeded(tmp_path: Any) -> None:
    """Tasks' files as a Spark run with ``path`` writes them, fed without Spark: a partition
    whose first attempt failed after writing, and the files of the attempts that succeeded
    moved into place with global error positions."""
    import pyarrow.parquet as pq

    texts = [json.dumps(c, ensure_ascii=False) for c in hedui.sample_cases(30, seed=2)]
    texts[3] = "not json"
    texts.append("[]")
    batch = pa.record_batch([pa.array(texts, pa.string())], names=["case"])
    lake = hs._Lake.at(str(tmp_path / "lake"))
    lake.prepare(overwrite=False)
    rulebook = hedui.Rulebook.default()

    def task(part: int, attempt: int, rows: pa.RecordBatch) -> dict[str, Any]:
        out = lake.write_task(part, attempt, hs._dataframe_slices(iter([rows]), rulebook, AS_OF, 8))
        row: dict[str, Any] = out.to_pylist()[0]
        return row

    task(0, 7, batch.slice(0, 10))  # an attempt that failed: Spark never hands its row over
    # partition 1 is empty: it writes no files, and partition 2's positions start at 17
    written = [task(0, 8, batch.slice(0, 16)), task(1, 9, batch.slice(16, 0)), task(2, 10, batch.slice(16))]
    assert [r["rows"] for r in written] == [16, 0, 15]
    assert (tmp_path / "lake" / "errors" / "_attempts" / "part-00000-7.parquet").exists()
    assert not list((tmp_path / "lake" / "reports" / "_attempts").glob("part-00001-*"))
    lake.commit(written, global_positions=True)
    assert sorted(p.name for p in (tmp_path / "lake" / "reports").iterdir()) == [
        "_SUCCESS",
        "part-00000.parquet",
        "part-00002.parquet",
    ]

    local = hedui.verify_arrow(pa.table({"case": pa.array(texts, pa.string())}), as_of=AS_OF)
    for name in hs.TABLES:
        folder = tmp_path / "lake" / name
        assert not (folder / "_attempts").exists(), name
        assert (folder / "_SUCCESS").exists(), name
        got = pq.read_table(folder)
        assert got.num_rows == pa.table(getattr(local, name)).num_rows, name
        assert sum(r[name] for r in written) == got.num_rows, name
    errors = pq.read_table(tmp_path / "lake" / "errors")
    got = sorted(zip(errors.column("position").to_pylist(), errors.column("code").to_pylist()))
    local_errors = pa.table(local.errors)
    assert got == sorted(zip(local_errors.column("position").to_pylist(), local_errors.column("code").to_pylist()))
    # positions over the whole input: partition 2's first row is row 17
    assert (4, "input_json") in got and (31, "input_array_for_object") in got
    digests = pq.read_table(tmp_path / "lake" / "reports").column("digest").to_pylist()
    assert sorted(digests) == sorted(pa.table(local.reports).column("digest").to_pylist())
    # a second run into the same place is refused unless asked to overwrite
    with pytest.raises(hedui.InputError, match="already holds the table `reports`"):
        lake.prepare(overwrite=False)
    lake.prepare(overwrite=True)
    assert not any((tmp_path / "lake" / name).exists() for name in hs.TABLES)


def test_lake_writes_an_empty_file_for_a_table_without_rows(tmp_path: Any) -> None:
    import pyarrow.parquet as pq

    lake = hs._Lake.at(str(tmp_path / "lake"))
    samples = hedui.sample_cases(40, seed=2, with_expected=True)
    good = [json.dumps(c, ensure_ascii=False) for c, code in samples if code is None][:3]
    rows = pa.record_batch([pa.array(good, pa.string())], names=["case"])
    slices = hs._dataframe_slices(iter([rows]), hedui.Rulebook.default(), AS_OF, 256)
    lake.commit([lake.write_task(0, 0, slices).to_pylist()[0]], global_positions=True)
    errors = pq.read_table(tmp_path / "lake" / "errors")
    assert errors.num_rows == 0
    assert errors.schema == lake.schemas[hs.TABLES.index("errors")]
    assert pq.read_table(tmp_path / "lake" / "reports").num_rows == 3


def test_lake_removes_what_a_failed_job_wrote(tmp_path: Any) -> None:
    from typing import cast

    lake = hs._Lake.at(str(tmp_path / "lake"))
    lake.prepare(overwrite=False)
    rows = pa.record_batch([pa.array([json.dumps(hedui.sample_cases(1, seed=2)[0])], pa.string())], names=["case"])

    class FailingJob:
        """A job whose tasks wrote their files and then failed on the driver's side."""

        def collect(self) -> list[Any]:
            lake.write_task(0, 1, hs._dataframe_slices(iter([rows]), hedui.Rulebook.default(), AS_OF, 8))
            raise RuntimeError("job aborted")

    assert not (tmp_path / "lake" / "reports").exists()
    with pytest.raises(RuntimeError, match="job aborted"):
        lake.run(cast(Any, FailingJob()), global_positions=True)
    assert (tmp_path / "lake").exists()
    assert list((tmp_path / "lake").iterdir()) == []
    # so the next run is not refused
    lake.prepare(overwrite=False)
