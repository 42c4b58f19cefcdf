"""Cases from office tables: the layout, CSV/Excel/DataFrame input, bad rows, the template."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import hedui
from conftest import AS_OF

ROOT = Path(__file__).resolve().parents[2]


def reports(cases: list[Any]) -> list[str]:
    """Each case's report JSON as the core writes it, or its error code."""
    out = []
    for c in cases:
        try:
            out.append(hedui.verify_json(c, as_of=AS_OF))
        except hedui.HeduiError as e:
            out.append(e.code)
    return out


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    return hedui.sample_cases(60, seed=11)


def chinese(tables: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The tables as pandas DataFrames named by sheet, columns by Chinese header."""
    out = {}
    for t in hedui.table_layout():
        frame = pa.table(tables[t["name"]]).to_pandas()
        frame.columns = [c["header"] for c in t["columns"]]
        out[t["sheet"]] = frame
    return out


def test_round_trip_through_excel_gives_byte_identical_reports(
    sample: list[dict[str, Any]], tmp_path: Path
) -> None:
    tables = hedui.cases_to_tables(sample)
    book = tmp_path / "cases.xlsx"
    hedui.write_excel(book, tables)
    result = hedui.cases_from_tables(book)
    assert result.errors == []
    assert [c["case_id"] for c in result.cases] == [c["case_id"] for c in sample]
    assert reports(result.cases) == reports(sample)
    # some cases are rejected at a gate, most give reports: both round-trip
    assert sum(r.startswith("{") for r in reports(sample)) > 30


def test_round_trip_through_csv_files(sample: list[dict[str, Any]], tmp_path: Path) -> None:
    for sheet, frame in chinese(hedui.cases_to_tables(sample)).items():
        frame.to_csv(tmp_path / f"{sheet}.csv", index=False)
    result = hedui.cases_from_tables(tmp_path)
    assert result.errors == []
    assert reports(result.cases) == reports(sample)


def test_pandas_with_typed_columns_and_polars(sample: list[dict[str, Any]]) -> None:
    frames = chinese(hedui.cases_to_tables(sample))
    households = frames["家庭"]
    # what an analyst's DataFrame has: numbers as numbers (NaN where empty), times as datetimes
    households["申报收入（分）"] = pd.to_numeric(households["申报收入（分）"])
    households["查询发出时间"] = pd.to_datetime(households["查询发出时间"]).dt.tz_localize(None)
    members = frames["家庭成员"]
    members["是否共同生活"] = members["是否共同生活"] == "是"
    frames["家庭成员"] = pl.from_pandas(members)
    result = hedui.cases_from_tables(frames)
    assert result.errors == []
    assert reports(result.cases) == reports(sample)


def test_bad_rows_are_named_by_sheet_row_and_column(
    sample: list[dict[str, Any]], tmp_path: Path
) -> None:
    import openpyxl

    book = tmp_path / "cases.xlsx"
    hedui.write_excel(book, hedui.cases_to_tables(sample))
    wb = openpyxl.load_workbook(book)
    members = wb["家庭成员"]
    headers = [c.value for c in members[1]]
    id_col = headers.index("身份证号") + 1
    bad_id = str(members.cell(row=4, column=id_col).value)
    members.cell(row=4, column=id_col).value = bad_id[:-1] + ("0" if bad_id[-1] != "0" else "1")
    bad_case = members.cell(row=4, column=1).value
    facts = wb["反馈事实"]
    amount_col = [c.value for c in facts[1]].index("金额（分）") + 1
    facts.cell(row=2, column=amount_col).value = "三百元"
    wb["部门反馈"].cell(row=3, column=1).value = "C-NOT-THERE"
    wb.save(book)

    result = hedui.cases_from_tables(book)
    by_table = {e["table"]: e for e in result.errors}
    assert set(by_table) == {"members", "facts", "responses"}, result.errors
    e = by_table["members"]
    assert e["code"].startswith("id_resident"), e
    assert (e["sheet"], e["row"], e["header"], e["case_id"]) == ("家庭成员", 4, "身份证号", bad_case)
    assert (e["path"] or "").startswith("household.members[")
    assert bad_id not in e["message"]  # IDs stay masked
    e = by_table["facts"]
    assert (e["code"], e["row"], e["column"]) == ("table_cell", 2, "amount_fen")
    e = by_table["responses"]
    assert (e["code"], e["row"]) == ("table_orphan_row", 3)
    # the other cases still come out, and none with a bad row
    assert len(result.cases) >= len(sample) - 3
    assert bad_case not in {c["case_id"] for c in result.cases}


def test_wrong_inputs_raise_clear_errors(sample: list[dict[str, Any]]) -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        hedui.cases_from_tables(households=42)
    with pytest.raises(TypeError, match="list of case dicts"):
        hedui.cases_to_tables(sample[0])  # type: ignore[arg-type]
    with pytest.raises(hedui.InputError) as e:
        hedui.cases_from_tables(households=pa.table({"case_id": pa.array([[1]])}))
    assert e.value.code == "table_column_type"
    result = hedui.cases_from_tables({"家庭": {"案件编号": ["C1"]}, "remarks": {"x": ["1"]}})
    codes = sorted(e["code"] for e in result.errors)
    assert codes == ["input_json", "table_unknown"], result.errors
    assert result.cases == []


def test_layout_docs_and_template_are_fresh() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make-template.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    headers = {c["header"] for t in hedui.table_layout() for c in t["columns"]}
    assert {"姓名", "身份证号", "与申请人关系"} <= headers


def test_chinese_labels_round_trip_both_ways(sample: list[dict[str, Any]], tmp_path: Path) -> None:
    layout = {t["name"]: t for t in hedui.table_layout()}
    zh = hedui.cases_to_tables(sample, labels="chinese")
    members = pa.table(zh["members"]).to_pydict()
    relations = {c["label"] for c in layout["members"]["columns"][3]["choices"]}
    assert layout["members"]["columns"][3]["name"] == "relation"
    assert set(members["relation"]) <= relations and "申请人" in members["relation"]
    households = pa.table(zh["households"]).to_pydict()
    assert "minimum_living_allowance" not in households["programme"]
    assert "最低生活保障" in households["programme"]
    # labels → cases: the same cases and reports as from the codes
    book = tmp_path / "zh.xlsx"
    hedui.write_excel(book, zh)
    result = hedui.cases_from_tables(book)
    assert result.errors == []
    assert result.cases == hedui.cases_from_tables(hedui.cases_to_tables(sample)).cases
    assert reports(result.cases) == reports(sample)
    # cases → labels again: the same cells
    again = hedui.cases_to_tables(result.cases, labels="chinese")
    assert {k: pa.table(v).to_pydict() for k, v in again.items()} == {
        k: pa.table(v).to_pydict() for k, v in zh.items()
    }
    with pytest.raises(ValueError, match="labels"):
        hedui.cases_to_tables(sample, labels="english")  # type: ignore[arg-type]


def test_enum_cells_take_labels_aliases_and_codes_and_name_a_bad_value(
    sample: list[dict[str, Any]],
) -> None:
    tables = chinese(hedui.cases_to_tables(sample[:4]))
    tables["家庭"].loc[0, "救助项目"] = "低保"
    tables["家庭成员"].loc[0, "与申请人关系"] = "本人"
    tables["部门反馈"].loc[0, "数据类别"] = "户籍"
    tables["家庭成员"].loc[2, "与申请人关系"] = "表哥"
    result = hedui.cases_from_tables(tables)
    (e,) = result.errors
    assert (e["code"], e["sheet"], e["row"], e["header"]) == ("table_cell", "家庭成员", 4, "与申请人关系")
    assert "`表哥` is not one of" in e["message"] and "配偶 (spouse)" in e["message"]
    first = result.cases[0]
    assert first["case_id"] == sample[0]["case_id"]
    assert first["household"]["programme"] == "minimum_living_allowance"
    assert first["household"]["members"][0]["relation"] == "applicant"
    assert first["responses"][0]["category"] == "household_registration"
    assert len(result.cases) == 3


def test_the_template_offers_chinese_labels_in_drop_down_lists(tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "template.xlsx"
    hedui.write_excel(book)
    wb = openpyxl.load_workbook(book)
    lists: dict[tuple[str, str], str] = {}
    for sheet in wb.worksheets:
        headers = [c.value for c in sheet[1]]
        for dv in sheet.data_validations.dataValidation:
            assert dv.type == "list" and dv.errorStyle == "warning"
            (cell_range,) = str(dv.sqref).split()
            column = openpyxl.utils.column_index_from_string(cell_range.split(":")[0].rstrip("0123456789"))
            lists[(sheet.title, str(headers[column - 1]))] = str(dv.formula1)
    assert lists[("家庭成员", "与申请人关系")].strip('"').split(",")[:2] == ["申请人", "配偶"]
    assert "最低生活保障" in lists[("家庭", "救助项目")]
    assert "实地查看" in lists[("线下核查", "核查方式")]
    # every single-valued enumerated column has one; list columns (授权数据类别) have none
    expected = {
        (t["sheet"], c["header"])
        for t in hedui.table_layout()
        for c in t["columns"]
        if c["choices"] and c["kind"] == "text"
    }
    assert set(lists) == expected
    assert ("授权书", "授权数据类别") not in lists
