//! Case tables: `cases_from_tables`, `cases_to_tables` and `table_layout`, the operations
//! of `hedui_ops::tables`. Tables come in as Arrow streams (pyarrow, polars, anything with
//! `__arrow_c_stream__`) or as dicts of text columns (what the package's CSV and Excel
//! readers and its pandas conversion make); the `hedui.tables` Python module reads files and
//! DataFrames and calls these.

use hedui_core::Case;
use hedui_ops::tables::{self as ops, RawTable};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3_arrow::PyRecordBatchReader;

use crate::arrow::ArrowTable;
use crate::convert;
use crate::errors::{self, INPUT_ARGUMENT, catch};
use crate::topy;

/// Reads one table: an Arrow stream, or a dict of columns (lists of `str` or `None`).
fn raw_table(py: Python<'_>, name: &str, obj: &Bound<'_, PyAny>) -> PyResult<RawTable> {
    if obj.hasattr("__arrow_c_stream__")? {
        let reader = obj
            .extract::<PyRecordBatchReader>()
            .and_then(PyRecordBatchReader::into_reader)
            .map_err(|e| {
                errors::input(
                    py,
                    INPUT_ARGUMENT,
                    &format!("table `{name}` is not an Arrow stream: {e}"),
                )
            })?;
        let schema = reader.schema();
        let batches = reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| errors::input(py, errors::INPUT_IO, &e.to_string()))?;
        return ops::arrow::from_batches(name, &schema, &batches)
            .map_err(|e| errors::core_error(py, &e));
    }
    let Ok(columns) = obj.cast::<PyDict>() else {
        return Err(errors::input(
            py,
            INPUT_ARGUMENT,
            &format!(
                "table `{name}` must be an Arrow table or a dict of columns, got `{}`",
                convert::type_name(obj)
            ),
        ));
    };
    let mut headers = Vec::with_capacity(columns.len());
    let mut cells: Vec<Vec<Option<String>>> = Vec::with_capacity(columns.len());
    for (k, v) in columns.iter() {
        headers.push(convert::str_arg(&k, "column name")?);
        let values: Vec<Option<String>> = v.extract().map_err(|_| {
            errors::input(
                py,
                INPUT_ARGUMENT,
                &format!("table `{name}`: column `{k}` must be a list of str or None"),
            )
        })?;
        cells.push(values);
    }
    let n = cells.iter().map(Vec::len).max().unwrap_or(0);
    let mut iters: Vec<_> = cells.into_iter().map(Vec::into_iter).collect();
    let rows = (0..n)
        .map(|_| iters.iter_mut().map(|c| c.next().flatten()).collect())
        .collect();
    Ok(RawTable {
        name: name.to_owned(),
        headers,
        rows,
    })
}

/// Builds case documents from office tables (the compiled part of
/// `hedui.cases_from_tables`).
///
/// Args:
///     tables: table name (English or the Chinese sheet name) → an Arrow stream or a dict of
///         text columns.
///
/// Returns:
///     `(cases, errors)`: the case dicts, one per household row whose rows are all good, and
///     one error dict per bad row (`code`, `message`, `table`, `sheet`, `row`, `column`,
///     `header`, `case_id`, `path`, ...).
///
/// Raises:
///     InputError: a table that is neither (`input_argument`) or with a column of a type
///         the reader does not take (`table_column_type`).
#[pyfunction]
pub(crate) fn _cases_from_tables<'py>(
    py: Python<'py>,
    tables: &Bound<'py, PyDict>,
) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyList>)> {
    errors::guard(py, || {
        let mut raw = Vec::with_capacity(tables.len());
        for (name, obj) in tables.iter() {
            let name = convert::str_arg(&name, "table name")?;
            raw.push(raw_table(py, &name, &obj)?);
        }
        let out = py
            .detach(|| catch(|| Ok::<_, hedui_ops::Failure>(ops::cases_from_tables(&raw))))
            .map_err(|m| errors::internal_from(py, &m))?
            .map_err(|f| errors::failure(py, &f))?;
        let builder = convert::Builder::new(py);
        let cases = PyList::empty(py);
        for case in &out.cases {
            cases.append(topy::to_py(&builder, case)?)?;
        }
        let errs = PyList::empty(py);
        for e in &out.errors {
            errs.append(topy::to_py(&builder, &e.detail())?)?;
        }
        Ok((cases, errs))
    })
}

/// Writes cases into the layout's tables (the compiled part of `hedui.cases_to_tables`).
///
/// Args:
///     cases: a list of case dicts (or JSON texts).
///     chinese: write the cells of enumerated columns (relation, programme, category, ...)
///         as their Chinese labels instead of the codes.
///
/// Returns:
///     Table name → `ArrowTable` of text columns named in English.
///
/// Raises:
///     InputError: a case that is not a case document (its position in the message), or a
///         value no column holds (`table_uncovered`).
#[pyfunction]
#[pyo3(signature = (cases, chinese = false))]
pub(crate) fn _cases_to_tables<'py>(
    py: Python<'py>,
    cases: &Bound<'py, PyList>,
    chinese: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let labels = if chinese {
        ops::Labels::Chinese
    } else {
        ops::Labels::Codes
    };
    errors::guard(py, || {
        let mut typed: Vec<Case> = Vec::with_capacity(cases.len());
        for (i, case) in cases.iter().enumerate() {
            let text = convert::to_json(&case, "case")?;
            let case: Case = hedui_ops::json::parse("case", &text).map_err(|f| {
                let e = errors::failure(py, &f);
                let note = format!("cases[{i}]");
                let _ = e.value(py).call_method1("add_note", (note,));
                e
            })?;
            typed.push(case);
        }
        let tables = py
            .detach(|| {
                catch(|| {
                    ops::cases_to_tables_with(&typed, labels).map_err(hedui_ops::Failure::Core)
                })
            })
            .map_err(|m| errors::internal_from(py, &m))?
            .map_err(|f| errors::failure(py, &f))?;
        let out = PyDict::new(py);
        for (def, t) in ops::TABLES.iter().zip(&tables) {
            let batch =
                ops::arrow::to_batch(t).map_err(|e| errors::internal_from(py, &e.to_string()))?;
            out.set_item(
                PyString::new(py, def.name),
                ArrowTable::new(def.name, batch.schema(), vec![batch]),
            )?;
        }
        Ok(out)
    })
}

/// The case-table layout: every table (`name`, `sheet`, `doc`) with its columns (`name`,
/// `header`, `field`, `kind`, `required`, `doc`, `choices`: the `code`, Chinese `label` and
/// `aliases` of each value an enumerated column takes), in reading order.
#[pyfunction]
pub(crate) fn table_layout(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    topy::to_py(&convert::Builder::new(py), ops::TABLES)
}

/// Texts with every resident ID masked as the errors table masks them
/// (`hedui_ops::columns::mask_ids`: the first six and last two characters kept), `None`
/// kept: for the rows `hedui.spark.verify_tables` adds to the errors table from table errors.
#[pyfunction]
pub(crate) fn _mask_ids(texts: Vec<Option<String>>) -> Vec<Option<String>> {
    texts
        .into_iter()
        .map(|t| t.map(|t| hedui_ops::columns::mask_ids(&t)))
        .collect()
}
