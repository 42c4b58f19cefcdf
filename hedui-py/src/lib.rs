//! # hedui-py
//!
//! The Python package `hedui`: household economic-status verification 居民家庭经济状况核对 for
//! analysts, as an abi3 wheel built with maturin. This crate only translates between Python
//! and `hedui-core`: plain Python data in and out in the JSON shapes of the core's serde types,
//! core errors as exceptions carrying the core's stable codes. It holds no rule logic.
//!
//! Layout: one Rust module per area of the API, each with a `register` step below.
//! - `errors`: `HeduiError` and one subclass per core `ErrorArea`, the panic boundary;
//! - `convert`: Python values to JSON text (Python's C encoder) and core JSON to Python values;
//! - `topy`: core values (the sealed reports of a batch) straight into Python objects;
//! - `rulebook`: the frozen `Rulebook` class;
//! - `verify`: `verify`, `verify_json`, `verify_batch`, `check_authorization`,
//!   `render_report`, `verify_report_digest`, `sample_cases`;
//! - `records`: `reports_to_records` for pandas;
//! - `population`: `coverage`, `recheck_schedule`, the `EmergencyLedger` class;
//! - `security`: the `AuditChain` class, `check_password`, `check_permission`,
//!   `mask_report`, `sign_report`, `trusted_key`, `verify_report_signature`.
#![forbid(unsafe_code)]

use pyo3::prelude::*;

mod convert;
mod errors;
mod population;
mod records;
mod rulebook;
mod security;
mod topy;
mod verify;

/// Household economic-status verification 居民家庭经济状况核对 (Rust core, Python API).
///
/// This is the compiled part of the `hedui` package; import `hedui` instead.
#[pymodule(name = "_hedui")]
fn hedui_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_function(wrap_pyfunction!(errors::error_catalog, m)?)?;
    m.add_class::<rulebook::PyRulebook>()?;
    m.add_class::<verify::BatchResult>()?;
    m.add_function(wrap_pyfunction!(verify::verify, m)?)?;
    m.add_function(wrap_pyfunction!(verify::verify_json, m)?)?;
    m.add_function(wrap_pyfunction!(verify::verify_batch, m)?)?;
    m.add_function(wrap_pyfunction!(verify::check_authorization, m)?)?;
    m.add_function(wrap_pyfunction!(verify::render_report, m)?)?;
    m.add_function(wrap_pyfunction!(verify::verify_report_digest, m)?)?;
    m.add_function(wrap_pyfunction!(verify::sample_cases, m)?)?;
    m.add_function(wrap_pyfunction!(records::reports_to_records, m)?)?;
    m.add("RECORD_COLUMNS", records::COLUMNS.to_vec())?;
    m.add_class::<population::EmergencyLedger>()?;
    m.add_function(wrap_pyfunction!(population::coverage, m)?)?;
    m.add_function(wrap_pyfunction!(population::recheck_schedule, m)?)?;
    m.add_class::<security::PyAuditChain>()?;
    m.add_function(wrap_pyfunction!(security::check_password, m)?)?;
    m.add_function(wrap_pyfunction!(security::check_permission, m)?)?;
    m.add_function(wrap_pyfunction!(security::mask_report, m)?)?;
    m.add_function(wrap_pyfunction!(security::sign_report, m)?)?;
    m.add_function(wrap_pyfunction!(security::trusted_key, m)?)?;
    m.add_function(wrap_pyfunction!(security::verify_report_signature, m)?)?;
    Ok(())
}
