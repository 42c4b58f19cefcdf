//! `id_check`: one national identifier read as hedui reads it inside documents; the
//! identifier helpers `check_resident_id` / `check_credit_code` (the verdict, valid or not) and
//! their column versions `check_resident_ids` / `check_credit_codes`, which walk a whole column
//! in Rust (a list, a pandas Series, an Arrow array) into an Arrow table.

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_schema::DataType;
use hedui_ops::identifier::{self, IdKind, IdTableBuilder};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyList, PyString, PyTuple};
use pyo3_arrow::{PyArray, PyArrayReader};

use crate::arrow::ArrowTable;
use crate::convert;
use crate::errors::{self, INPUT_ARGUMENT, failure, guard};
use crate::rulebook;
use crate::topy;

/// Reads one identifier (operation `id_check`): a resident ID 居民身份证号码 (GB 11643-1999;
/// a first-generation 15-digit number comes back in its 18-character form), a unified social
/// credit code 统一社会信用代码 (GB 32100-2015) or a region code 行政区划代码 (GB/T 2260).
///
/// Args:
///     kind: `resident_id`, `credit_code` or `region_code`.
///     value: the identifier's text.
///     on: for a resident ID, the day of verification (`datetime.date` or `YYYY-MM-DD`);
///         then the rulebook's birth-date window applies too (not after that day nor before
///         the rulebook's floor). Its rule on first-generation numbers (refused where it
///         refuses them, `id_resident_legacy`) applies with or without `on`.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     A dict: `kind`, `value` (as hedui writes it) and, for a resident ID, `legacy`,
///     `birth_date`, `sex` and `region`; for a region code, `region` and `level`.
///
/// Raises:
///     InputError: an invalid identifier, with its own code (`id_resident_checksum`,
///         `id_credit_character`, `id_region`, `id_resident_birth_out_of_range`, ...), or an
///         argument of the wrong type.
#[pyfunction]
#[pyo3(signature = (kind, value, on=None, rulebook=None))]
pub(crate) fn id_check<'py>(
    py: Python<'py>,
    kind: &Bound<'py, PyAny>,
    value: &Bound<'py, PyAny>,
    on: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let request = identifier::IdCheckRequest {
            kind: convert::value(kind, "kind")?,
            value: convert::str_arg(value, "value")?,
            on: convert::opt_date(on, "on")?,
        };
        let checked = identifier::id_check(&rb, &request).map_err(|f| failure(py, &f))?;
        topy::value(py, &checked)
    })
}

/// The verdict on one identifier of `kind` as a dict (`hedui_ops::identifier::id_verdict`).
fn verdict_dict<'py>(
    py: Python<'py>,
    kind: IdKind,
    value: &Bound<'py, PyAny>,
    on: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let value = convert::str_arg(value, "value")?;
        let on = convert::opt_date(on, "on")?;
        topy::value(py, &identifier::id_verdict(&rb, kind, &value, on))
    })
}

/// Checks one resident ID 居民身份证号码 (GB 11643-1999) without raising for an invalid one.
///
/// Args:
///     value: the number as written (18 characters, or a first-generation 15-digit number,
///         which comes back in its 18-character form).
///     on: the day of verification (`datetime.date` or `YYYY-MM-DD`); when given, the
///         rulebook's birth-date window applies too: no birth date after that day or before
///         the rulebook's floor (`id_resident_birth_out_of_range`). First-generation numbers
///         are refused where the rulebook refuses them (`id_resident_legacy`), with or
///         without `on`.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     A dict with the keys `kind` (`resident_id`), `value` (the normalised number, `None`
///     when invalid), `valid`, `error` (the stable code of what is wrong, `None` when valid),
///     `legacy`, `birth_date` (`YYYY-MM-DD`), `sex` (`male`/`female`) and `region` (the
///     six-digit address code); the parsed fields are `None` when invalid.
///
/// Raises:
///     InputError: `value` is not a str, `on` is not a date (`input_argument`,
///         `invalid_date`), `rulebook` is not a `Rulebook`.
#[pyfunction]
#[pyo3(signature = (value, on=None, rulebook=None))]
pub(crate) fn check_resident_id<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    on: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    verdict_dict(py, IdKind::ResidentId, value, on, rulebook)
}

/// Checks one unified social credit code 统一社会信用代码 (GB 32100-2015) without raising for
/// an invalid one.
///
/// Args:
///     value: the code as written (18 characters).
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     A dict with the keys of `check_resident_id`: `kind` (`credit_code`), `value` (`None`
///     when invalid), `valid`, `error`, `region` (positions 3–8, the registering authority's
///     region code; `None` when invalid); `legacy`, `birth_date` and `sex` are `None`.
///
/// Raises:
///     InputError: `value` is not a str, `rulebook` is not a `Rulebook` (`input_argument`).
#[pyfunction]
#[pyo3(signature = (value, rulebook=None))]
pub(crate) fn check_credit_code<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    verdict_dict(py, IdKind::CreditCode, value, None, rulebook)
}

/// Whether a Python value stands for a missing cell: `None`, a float NaN (pandas' missing
/// value in an object column), `pandas.NA` or `pandas.NaT`.
fn is_missing(item: &Bound<'_, PyAny>) -> bool {
    if item.is_none() {
        return true;
    }
    if let Ok(f) = item.cast::<PyFloat>() {
        return f.value().is_nan();
    }
    item.get_type()
        .name()
        .is_ok_and(|n| n == "NAType" || n == "NaTType")
}

/// Adds the rows of one Arrow array of text to `table`; another type is an `InputError`.
fn push_array(py: Python<'_>, table: &mut IdTableBuilder<'_>, array: &dyn Array) -> PyResult<()> {
    fn rows<'a>(table: &mut IdTableBuilder<'_>, it: impl Iterator<Item = Option<&'a str>>) {
        for value in it {
            match value {
                Some(v) => table.push(v),
                None => table.push_missing(),
            }
        }
    }
    match array.data_type() {
        DataType::Utf8 => rows(table, array.as_string::<i32>().iter()),
        DataType::LargeUtf8 => rows(table, array.as_string::<i64>().iter()),
        DataType::Utf8View => rows(table, array.as_string_view().iter()),
        DataType::Null => (0..array.len()).for_each(|_| table.push_missing()),
        other => {
            return Err(errors::input(
                py,
                INPUT_ARGUMENT,
                &format!(
                    "`values` must be a column of text (Arrow string), got Arrow `{other}`; read identifiers as text (e.g. `dtype=str`), since numbers lose the check character X and leading digits"
                ),
            ));
        }
    }
    Ok(())
}

/// Adds the rows of `values` (any Python container but Arrow) to `table`, walked in Rust.
fn push_python(table: &mut IdTableBuilder<'_>, values: &Bound<'_, PyAny>) -> PyResult<()> {
    let mut push = |item: Bound<'_, PyAny>| {
        if let Ok(s) = item.cast::<PyString>() {
            match s.to_cow() {
                Ok(text) => table.push(&text),
                Err(_) => table.push_refused(INPUT_ARGUMENT),
            }
        } else if is_missing(&item) {
            table.push_missing();
        } else {
            table.push_refused(INPUT_ARGUMENT);
        }
    };
    if let Ok(list) = values.cast::<PyList>() {
        list.iter().for_each(&mut push);
    } else if let Ok(tuple) = values.cast::<PyTuple>() {
        tuple.iter().for_each(&mut push);
    } else if values.hasattr("tolist")? {
        // a pandas Series or a NumPy array: one call turns it into a list
        let list = values.call_method0("tolist")?;
        let list = list.cast::<PyList>()?;
        list.iter().for_each(&mut push);
    } else {
        let items = values.try_iter().map_err(|_| {
            errors::input(
                values.py(),
                INPUT_ARGUMENT,
                &format!(
                    "`values` must be one column of identifiers (a list, a pandas Series, an Arrow array), got `{}`",
                    convert::type_name(values)
                ),
            )
        })?;
        for item in items {
            push(item?);
        }
    }
    Ok(())
}

/// A column of identifiers of `kind` checked into one Arrow table.
fn check_column(
    py: Python<'_>,
    kind: IdKind,
    name: &'static str,
    values: &Bound<'_, PyAny>,
    on: Option<&Bound<'_, PyAny>>,
    rulebook: Option<&Bound<'_, PyAny>>,
) -> PyResult<ArrowTable> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let on = convert::opt_date(on, "on")?;
        let wrong = |what: &str| {
            errors::input(
                py,
                INPUT_ARGUMENT,
                &format!(
                    "`values` must be one column of identifiers (a list, a pandas Series, an Arrow array), got {what}; pick the column first, e.g. `df[\"身份证号\"]`"
                ),
            )
        };
        if values.is_instance_of::<PyString>() || values.is_instance_of::<PyBytes>() {
            return Err(wrong(&format!(
                "one `{}` (check one identifier with `check_resident_id` / `check_credit_code`)",
                convert::type_name(values)
            )));
        }
        if values.is_instance_of::<PyDict>() || values.hasattr("columns")? {
            return Err(wrong(&format!(
                "a table (`{}`)",
                convert::type_name(values)
            )));
        }
        let capacity = values.len().unwrap_or(0);
        let mut table = IdTableBuilder::new(&rb, kind, on, capacity);
        if values.hasattr("__arrow_c_array__")? {
            let array = values.extract::<PyArray>().map_err(|e| {
                errors::input(
                    py,
                    INPUT_ARGUMENT,
                    &format!("`values` is not an Arrow array: {e}"),
                )
            })?;
            push_array(py, &mut table, array.array().as_ref())?;
        } else if values.hasattr("__arrow_c_stream__")? {
            let reader = values
                .extract::<PyArrayReader>()
                .and_then(PyArrayReader::into_reader)
                .map_err(|e| {
                    errors::input(
                        py,
                        INPUT_ARGUMENT,
                        &format!("`values` is not an Arrow stream: {e}"),
                    )
                })?;
            for array in reader {
                let array = array.map_err(|e| {
                    errors::input(
                        py,
                        INPUT_ARGUMENT,
                        &format!("`values`: cannot read the Arrow stream: {e}"),
                    )
                })?;
                push_array(py, &mut table, array.as_ref())?;
            }
        } else {
            push_python(&mut table, values)?;
        }
        let batch = table
            .finish()
            .map_err(|e| errors::internal_from(py, &format!("identifier table: {e}")))?;
        Ok(ArrowTable::new(name, IdTableBuilder::schema(), vec![batch]))
    })
}

/// Checks a column of resident IDs 居民身份证号码 (GB 11643-1999) at once, into an Arrow table.
///
/// Args:
///     values: the column: a list or tuple of str, a pandas Series, a NumPy array, a pyarrow
///         Array or ChunkedArray, a polars Series (Arrow string types), or any iterable of
///         str. `None`, NaN and `pandas.NA` are missing values.
///     on: the day of verification, as in `check_resident_id`.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     An `ArrowTable` named `resident_ids`, one row per value in input order, with the
///     columns `value` (normalised; null when invalid), `valid`, `error` (the code), `legacy`,
///     `birth_date` (a date), `sex` and `region`. A missing value gives a row of nulls; a
///     value that is not text (a number, ...) a row with `valid` false and error
///     `input_argument`. `to_pandas()`, `to_pyarrow()` and `to_polars()` convert it.
///
/// Raises:
///     InputError: `values` is one str, a dict or a table rather than a column, or an Arrow
///         column that is not text (`input_argument`); `on` or `rulebook` of the wrong type.
#[pyfunction]
#[pyo3(signature = (values, on=None, rulebook=None))]
pub(crate) fn check_resident_ids(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    on: Option<&Bound<'_, PyAny>>,
    rulebook: Option<&Bound<'_, PyAny>>,
) -> PyResult<ArrowTable> {
    check_column(py, IdKind::ResidentId, "resident_ids", values, on, rulebook)
}

/// Checks a column of unified social credit codes 统一社会信用代码 (GB 32100-2015) at once, into
/// an Arrow table.
///
/// Args:
///     values: the column, as for `check_resident_ids`.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     An `ArrowTable` named `credit_codes` with the columns of `check_resident_ids`
///     (`legacy`, `birth_date` and `sex` null; `region` the registering authority's region).
///
/// Raises:
///     InputError: as `check_resident_ids`.
#[pyfunction]
#[pyo3(signature = (values, rulebook=None))]
pub(crate) fn check_credit_codes(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    rulebook: Option<&Bound<'_, PyAny>>,
) -> PyResult<ArrowTable> {
    check_column(
        py,
        IdKind::CreditCode,
        "credit_codes",
        values,
        None,
        rulebook,
    )
}
