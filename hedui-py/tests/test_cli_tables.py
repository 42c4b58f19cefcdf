"""The same Excel workbook read by both implementations: Python (openpyxl, ``cases_from_tables``)
and the ``hedui`` command (calamine, ``hedui verify --tables book.xlsx``) give the same cases,
the same reports (digests), the same rejected cases and the same bad rows.

The command is ``$HEDUI_CLI`` (scripts/test-python.sh builds it and sets it), else the first
``hedui`` built under ``target/``; without one (a run of pytest alone) the tests are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

import hedui
from conftest import AS_OF

ROOT = Path(__file__).resolve().parents[2]


def hedui_command() -> Path:
    given = os.environ.get("HEDUI_CLI")
    if given:
        path = Path(given)
        assert path.is_file(), f"HEDUI_CLI={given} is not a file"
        return path
    for candidate in ("target/debug/hedui", "target/release/hedui", "target/ci-install/bin/hedui"):
        if (ROOT / candidate).is_file():
            return ROOT / candidate
    pytest.skip("no hedui command built (cargo build -p hedui-cli, or set HEDUI_CLI)")


def typed_workbook(path: Path, cases: list[dict[str, Any]]) -> int:
    """``hedui.write_excel`` of the cases with Chinese labels, then the cells of number, date,
    date-time and yes/no columns turned into typed cells as Excel stores them (resident IDs and
    other text stay text). Returns how many cells were typed."""
    import openpyxl

    hedui.write_excel(path, hedui.cases_to_tables(cases, labels="chinese"))
    book = openpyxl.load_workbook(path)
    typed = 0
    for table in hedui.table_layout():
        sheet = book[table["sheet"]]
        for j, column in enumerate(table["columns"], start=1):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                text = cell.value
                if not isinstance(text, str) or text == "":
                    continue
                kind = column["kind"]
                if kind == "integer" and text.lstrip("-").isdigit() and abs(int(text)) < 2**53:
                    cell.value, cell.number_format = int(text), "0"
                elif kind == "date" and len(text) == 10:
                    cell.value = dt.date.fromisoformat(text)
                    cell.number_format = "yyyy-mm-dd"
                elif kind == "instant" and len(text) == 25 and text.endswith("+08:00"):
                    cell.value = dt.datetime.fromisoformat(text[:19])
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                elif kind == "boolean" and text in ("是", "否"):
                    cell.value = text == "是"
                else:
                    continue
                typed += 1
    book.save(path)
    return typed


def run_cli(book: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(hedui_command()), "--json", "verify", "--tables", str(book), "--out", str(out),
         "--as-of", AS_OF, "--no-render", "--threads", "1"],
        capture_output=True, text=True, timeout=300, check=False,
    )


def digest(report: Any) -> str:
    return str(report["integrity"]["digest"])


def lines(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cli_reads_the_workbook_python_writes_as_python_reads_it(tmp_path: Path) -> None:
    cases = hedui.sample_cases(100, seed=5)
    book = tmp_path / "cases.xlsx"
    assert typed_workbook(book, cases) > 1000

    python = hedui.cases_from_tables(book)
    assert python.errors == []
    assert len(python.cases) == len(cases)
    batch = hedui.verify_batch(python.cases, as_of=AS_OF)

    run = run_cli(book, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    out = tmp_path / "out"
    assert lines(out / "cases.jsonl") == python.cases
    cli_digests = [digest(r) for r in lines(out / "reports.jsonl")]
    assert cli_digests == [digest(r) for r in batch.reports]
    assert len(cli_digests) > 60
    # the cases rejected at a gate, by position and code
    cli_errors = [(e["line"], e["code"]) for e in lines(out / "errors.jsonl")]
    assert cli_errors == [(e["position"], e["code"]) for e in batch.errors]
    assert cli_errors


def test_cli_and_python_name_the_same_bad_rows(tmp_path: Path) -> None:
    import openpyxl

    cases = hedui.sample_cases(40, seed=5)
    book = tmp_path / "cases.xlsx"
    typed_workbook(book, cases)
    wb = openpyxl.load_workbook(book)
    members = wb["家庭成员"]
    relation = [c.value for c in members[1]].index("与申请人关系") + 1
    members.cell(row=3, column=relation).value = "表哥"
    facts = wb["反馈事实"]
    amount = [c.value for c in facts[1]].index("金额（分）") + 1
    facts.cell(row=2, column=amount).value = "三百元"
    wb.create_sheet("说明")["A1"] = "填表说明"
    wb.save(book)

    python = hedui.cases_from_tables(book)
    run = run_cli(book, tmp_path / "out")
    assert run.returncode == 1, run.stderr
    where = ("code", "table", "sheet", "row", "column", "header", "case_id")
    cli = lines(tmp_path / "out" / "table-errors.jsonl")
    assert [tuple(e[k] for k in where) for e in cli] == [
        tuple(e[k] for k in where) for e in python.errors  # type: ignore[literal-required]
    ]
    assert {e["code"] for e in cli} == {"table_cell", "table_unknown"}
    assert lines(tmp_path / "out" / "cases.jsonl") == python.cases
    assert len(python.cases) >= len(cases) - 2
    # stderr names the workbook's sheet, the row and the column's letters
    assert '"position"' in run.stderr and "cases.xlsx[家庭成员]:3" in run.stderr
