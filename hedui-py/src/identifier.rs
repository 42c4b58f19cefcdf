//! `id_check`: one national identifier read as hedui reads it inside documents.

use hedui_ops::identifier;
use pyo3::prelude::*;

use crate::convert;
use crate::errors::{failure, guard};
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
///         then the rulebook's identifier rules apply too (birth date not after that day nor
///         before the rulebook's floor; first-generation numbers only where it upgrades them).
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
