"""Case documents from office tables (households, members, letters, answers) and back.

The layout — every table, column, Chinese header, type and the keys that join them — is
:func:`table_layout` (and ``docs/tables.md``). Tables may be pandas or polars DataFrames,
pyarrow tables, anything with ``__arrow_c_stream__``, dicts of columns, or paths of CSV files
(UTF-8, header row) and Excel workbooks (``.xlsx``, one sheet per table, read with openpyxl:
``pip install openpyxl``).

>>> import hedui
>>> tables = hedui.cases_to_tables(hedui.sample_cases(3))
>>> result = hedui.cases_from_tables(**tables)
>>> len(result.cases), result.errors
(3, [])
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple, Optional, Union

from hedui.types import TableError
from hedui._hedui import (
    ArrowTable,
    _cases_from_tables,
    _cases_to_tables,
    table_layout,
)

__all__ = [
    "CasesFromTables",
    "cases_from_tables",
    "cases_to_tables",
    "read_tables",
    "table_layout",
    "write_excel",
]

TableLike = Any
"""A DataFrame, an Arrow table, a dict of columns, or a path of a CSV or ``.xlsx`` file."""


class CasesFromTables(NamedTuple):
    """What :func:`cases_from_tables` returns."""

    cases: list[dict[str, Any]]
    """One case dict per household row whose rows are all good, in household row order."""
    errors: list[TableError]
    """One error dict per bad row: ``code``, ``message``, ``table``, ``sheet``, ``row`` (as
    the spreadsheet counts it, the header being row 1), ``column``, ``header``, ``case_id``
    and, for an error of the assembled case, ``path``."""


def _cell(value: object) -> Optional[str]:
    """A cell's value as the text the layout reads."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN: pandas' empty cell
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None and value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value)
    # pandas' NA and NaT
    return None if text in ("<NA>", "NaT", "nan") else text


def _columns(headers: Sequence[object], rows: Sequence[Sequence[object]]) -> dict[str, list[Optional[str]]]:
    out: dict[str, list[Optional[str]]] = {}
    for j, h in enumerate(headers):
        if h is None or str(h).strip() == "":
            if any(j < len(r) and _cell(r[j]) not in (None, "") for r in rows):
                out[f"(column {j + 1})"] = [_cell(r[j]) if j < len(r) else None for r in rows]
            continue
        out[str(h).strip()] = [_cell(r[j]) if j < len(r) else None for r in rows]
    return out


def _read_csv(path: Path) -> dict[str, list[Optional[str]]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows:
        return {}
    return _columns(rows[0], [[c if c != "" else None for c in r] for r in rows[1:]])


def _sheets(path: Path) -> dict[str, dict[str, list[Optional[str]]]]:
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("reading .xlsx needs openpyxl: pip install openpyxl") from e
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out = {}
        for sheet in book.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            if rows:
                out[sheet.title] = _columns(rows[0], rows[1:])
        return out
    finally:
        book.close()


def _is_pandas(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] == "pandas"


def _table(name: str, obj: TableLike) -> object:
    """One table as the compiled reader takes it: an Arrow stream or a dict of columns."""
    if isinstance(obj, (str, os.PathLike)):
        path = Path(obj)
        if path.suffix.lower() == ".csv":
            return _read_csv(path)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            sheets = _sheets(path)
            if not sheets:
                return {}
            return next(iter(sheets.values()))
        raise TypeError(f"table `{name}`: give a .csv or .xlsx path, got {str(path)!r}")
    if _is_pandas(obj):
        frame: Any = obj
        return {
            str(c): [_cell(v) for v in frame[c].tolist()] for c in frame.columns
        }
    if hasattr(obj, "__arrow_c_stream__") or isinstance(obj, dict):
        return obj
    raise TypeError(
        f"table `{name}` must be a DataFrame (pandas, polars), a pyarrow table, a dict of "
        f"columns or a .csv/.xlsx path, got {type(obj).__name__}"
    )


def read_tables(source: Union[str, os.PathLike[str]]) -> dict[str, TableLike]:
    """The tables of an Excel workbook (one sheet per table) or a folder of CSV files (one
    file per table, named after the table or its sheet: ``members.csv`` or ``家庭成员.csv``).

    Args:
        source: the ``.xlsx`` path or the folder.

    Returns:
        Table name (as the sheet or file is named) → dict of text columns.
    """
    path = Path(source)
    if path.is_dir():
        return {p.stem: _read_csv(p) for p in sorted(path.glob("*.csv"))}
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return dict(_sheets(path))
    raise TypeError(f"`source` must be an .xlsx workbook or a folder of .csv files, got {str(path)!r}")


def cases_from_tables(
    source: Union[str, os.PathLike[str], Mapping[str, TableLike], None] = None,
    /,
    *,
    households: TableLike = None,
    members: TableLike = None,
    supporters: TableLike = None,
    authorizations: TableLike = None,
    signatures: TableLike = None,
    lapse_events: TableLike = None,
    entrustments: TableLike = None,
    prechecks: TableLike = None,
    responses: TableLike = None,
    facts: TableLike = None,
    offline_results: TableLike = None,
) -> CasesFromTables:
    """Builds case documents 核对案件 from office tables.

    Each table joins its rows to a case by the case number (案件编号); a fact joins its answer
    by the answer number (反馈序号). Columns are named in English or by their Chinese header
    (姓名, 身份证号, 与申请人关系, ...), tables by English name or Chinese sheet name
    (家庭, 家庭成员, 授权书, ...); ``docs/tables.md`` lists them all.

    Args:
        source: an ``.xlsx`` workbook, a folder of CSV files, or a mapping of table name to
            table; the keyword tables are added to (and may not repeat) its tables.
        households: one row per case (case number, agency, household, programme, ...).
        members: household members 家庭成员.
        supporters: legal supporters living elsewhere 赡养扶养抚养义务人.
        authorizations: authorization letters 授权书 (one per case).
        signatures: signatures on the authorization letter 授权签字.
        lapse_events: events that make an authorization lapse 授权失效事件.
        entrustments: entrustment letters 委托书 (one per case).
        prechecks: pre-checks 核对前检查 (one per case).
        responses: departments' answers 部门反馈.
        facts: the facts of the answers 反馈事实.
        offline_results: offline investigations 线下核查.

    Each table is a pandas or polars DataFrame, a pyarrow table (or anything with
    ``__arrow_c_stream__``), a dict of columns, or a ``.csv``/``.xlsx`` path.

    Returns:
        ``CasesFromTables(cases, errors)``: a case is built only when all of its rows are
        good; every bad row is an error naming its table, sheet, row and column with a stable
        code (``table_cell``, ``table_orphan_row``, ..., or the case document's own code such
        as ``id_resident_checksum``); no row is dropped without an error.

    Raises:
        TypeError: a table given as something else.
        InputError: a table column of a type the reader does not take (``table_column_type``).
    """
    given: dict[str, TableLike] = {}
    if source is not None:
        if isinstance(source, Mapping):
            given.update(source)
        else:
            given.update(read_tables(source))
    named = {
        "households": households,
        "members": members,
        "supporters": supporters,
        "authorizations": authorizations,
        "signatures": signatures,
        "lapse_events": lapse_events,
        "entrustments": entrustments,
        "prechecks": prechecks,
        "responses": responses,
        "facts": facts,
        "offline_results": offline_results,
    }
    for name, table in named.items():
        if table is not None:
            if name in given:
                raise TypeError(f"table `{name}` given twice")
            given[name] = table
    tables = {name: _table(name, t) for name, t in given.items()}
    cases, errors = _cases_from_tables(tables)
    return CasesFromTables(cases, errors)


def cases_to_tables(
    cases: Sequence[Any],
    *,
    labels: Literal["codes", "chinese"] = "codes",
) -> dict[str, ArrowTable]:
    """Writes cases into the layout's tables, every cell as text (yes/no as 是/否, lists
    joined by ``;``), columns named in English; :func:`cases_from_tables` reads them back to
    the same cases.

    Args:
        cases: case dicts (or JSON texts).
        labels: how enumerated cells (relation, programme, category, ...) are written:
            ``"codes"`` (``spouse``, ``minimum_living_allowance``) or ``"chinese"``, the
            Chinese labels an office fills in (``配偶``, ``最低生活保障``).

    Returns:
        Table name → :class:`ArrowTable` (``.to_pandas()``, ``.to_polars()``, ``pyarrow.table``).

    Raises:
        InputError: a case that is not a case document, or with a value no column holds
            (``table_uncovered``).
    """
    if isinstance(cases, (str, bytes, dict)) or not isinstance(cases, Sequence):
        raise TypeError(
            f"`cases` must be a list of case dicts, got {type(cases).__name__}"
        )
    if labels not in ("codes", "chinese"):
        raise ValueError(f'`labels` must be "codes" or "chinese", got {labels!r}')
    return _cases_to_tables(list(cases), labels == "chinese")


def _drop_down(validation: Any, sheet: str, column: Mapping[str, Any], letter: str) -> Any:
    """The data validation of an enumerated column: a drop-down list of its Chinese labels
    over every data row."""
    labels = [choice["label"] for choice in column["choices"]]
    formula = '"' + ",".join(labels) + '"'
    # Excel refuses a list written in the formula longer than 255 characters
    if len(formula) > 257 or any("," in label or '"' in label for label in labels):
        raise ValueError(f"{sheet}.{column['name']}: the labels do not fit a drop-down list")
    dv = validation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # openpyxl's name for *hiding* the arrow
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=column["header"],
        error="请从下拉列表中选择：" + "、".join(labels),
        promptTitle=column["header"],
        prompt="从下拉列表中选择",
        showInputMessage=True,
    )
    dv.add(f"{letter}2:{letter}1048576")
    return dv


def write_excel(
    path: Union[str, os.PathLike[str]],
    tables: Optional[Mapping[str, Any]] = None,
) -> None:
    """Writes an Excel workbook with one sheet per table of the layout, Chinese sheet names
    and headers, every column as text; without ``tables`` it is the empty template. An
    enumerated column that holds one value per cell (relation, programme, data category of an
    answer, ...) gets a drop-down list of its Chinese labels (Excel data validation; a code
    typed instead only draws a warning, since the codes are read as well).

    Args:
        path: the ``.xlsx`` path.
        tables: table name → table with English column names (what :func:`cases_to_tables`
            gives); ``None`` for the template.
    """
    import openpyxl  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped, unused-ignore]
        DataValidation,
    )

    book = openpyxl.Workbook()
    if book.active is not None:
        book.remove(book.active)
    for t in table_layout():
        sheet = book.create_sheet(t["sheet"])
        names = [c["name"] for c in t["columns"]]
        sheet.append([c["header"] for c in t["columns"]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.number_format = "@"
        sheet.freeze_panes = "A2"
        for j, c in enumerate(t["columns"]):
            letter = sheet.cell(row=1, column=j + 1).column_letter
            sheet.column_dimensions[letter].width = max(12, 2 * len(c["header"]) + 2)
            if c["choices"] and c["kind"] == "text":
                sheet.add_data_validation(_drop_down(DataValidation, t["sheet"], c, letter))
        data = (tables or {}).get(t["name"])
        if data is None:
            continue
        columns = _table(t["name"], data)
        if not isinstance(columns, dict):
            import pyarrow  # type: ignore[import-untyped, unused-ignore]

            columns = pyarrow.table(columns).to_pydict()
        n = max((len(v) for v in columns.values()), default=0)
        values = [columns.get(name, [None] * n) for name in names]
        for i in range(n):
            # each cell by its row and column: `sheet[row]` and `sheet.max_row` scan every
            # cell of the sheet, which made writing a workbook quadratic in its rows
            for j, column in enumerate(values):
                cell = sheet.cell(row=i + 2, column=j + 1, value=column[i])
                cell.number_format = "@"
    book.save(path)
