//! # hedui-py
//!
//! The Python package `hedui`: household economic-status verification 居民家庭经济状况核对 for
//! analysts, as an abi3 wheel built with maturin. This crate only translates between Python
//! and `hedui-core`: plain Python data in and out in the JSON shapes of the core's serde types,
//! core errors as exceptions carrying the core's stable codes. It holds no rule logic.
//!
//! Every operation is the typed function of `hedui-ops` (the one operations layer of C, uniffi
//! and the main job), under its catalog name; the modules below turn Python values into its
//! request and its response (or `hedui_ops::Failure`) into Python values and exceptions.
//!
//! Layout: one Rust module per area of the API, each with a `register` step below.
//! - `errors`: `HeduiError` and one subclass per core `ErrorArea`, the panic boundary, and the
//!   translation of `hedui_ops::Failure`;
//! - `convert`: Python values to JSON text (Python's C encoder) and core JSON to Python values;
//! - `topy`: core values (the sealed reports of a batch) straight into Python objects;
//! - `rulebook`: the frozen `Rulebook` class;
//! - `verify`: `verify`, `verify_json`, `verify_batch`, `authorization_check`, `query_plan`,
//!   `report_render_markdown`, `report_verify_digest`, `report_check_use`, `sample_cases`;
//! - `arrow`: `verify_batch(..., output="arrow")` and `verify_arrow` into the Arrow tables of
//!   `hedui_ops::columns` (`ArrowBatchResult`, `ArrowTable`, Arrow PyCapsule interface);
//! - `tables`: `cases_from_tables` / `cases_to_tables` (compiled parts) and `table_layout`;
//! - `paper`: `report_render_html`, `report_render_pdf`, `report_check_printed`;
//! - `identifier`: `id_check`, `check_resident_id`, `check_credit_code` and the column
//!   versions `check_resident_ids`, `check_credit_codes` (Arrow tables);
//! - `records`: `reports_to_records` for pandas;
//! - `population`: `coverage_audit`, `recheck_schedule`, `relief_record`, `relief_close`,
//!   `relief_follow_ups`, the `EmergencyLedger` class;
//! - `appeal`: `appeal_file`, `report_history_record`;
//! - `accounts`: `account_register`, `account_set_password`, `account_activate`,
//!   `account_login`, `account_login_unknown`;
//! - `security`: the `AuditKeyring` and `AuditChain` classes, `archive_check`,
//!   `lending_detect`, `password_check`, `permission_check`, `report_mask`, `report_sign`,
//!   `signing_key_trust`, `report_verify_signature`, `audit_head_sign`, `audit_head_open`,
//!   `document_seal`, `document_open`.
#![forbid(unsafe_code)]

use pyo3::prelude::*;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod accounts;
mod appeal;
mod arrow;
mod convert;
mod errors;
mod identifier;
mod paper;
mod population;
mod records;
mod rulebook;
mod security;
mod tables;
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
    m.add_class::<arrow::ArrowTable>()?;
    m.add_class::<arrow::ArrowBatchResult>()?;
    m.add_function(wrap_pyfunction!(arrow::verify_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(verify::authorization_check, m)?)?;
    m.add_function(wrap_pyfunction!(verify::query_plan, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::id_check, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::check_resident_id, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::check_credit_code, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::check_resident_ids, m)?)?;
    m.add_function(wrap_pyfunction!(identifier::check_credit_codes, m)?)?;
    m.add_function(wrap_pyfunction!(verify::report_render_markdown, m)?)?;
    m.add_function(wrap_pyfunction!(verify::report_verify_digest, m)?)?;
    m.add_function(wrap_pyfunction!(verify::report_check_use, m)?)?;
    m.add_function(wrap_pyfunction!(paper::report_render_html, m)?)?;
    m.add_function(wrap_pyfunction!(paper::report_render_pdf, m)?)?;
    m.add_function(wrap_pyfunction!(paper::report_check_printed, m)?)?;
    m.add_function(wrap_pyfunction!(verify::sample_cases, m)?)?;
    m.add_function(wrap_pyfunction!(records::reports_to_records, m)?)?;
    m.add_function(wrap_pyfunction!(tables::_cases_from_tables, m)?)?;
    m.add_function(wrap_pyfunction!(tables::_cases_to_tables, m)?)?;
    m.add_function(wrap_pyfunction!(tables::table_layout, m)?)?;
    m.add_function(wrap_pyfunction!(tables::_mask_ids, m)?)?;
    m.add("RECORD_COLUMNS", records::COLUMNS.to_vec())?;
    m.add_class::<population::EmergencyLedger>()?;
    m.add_function(wrap_pyfunction!(population::coverage_audit, m)?)?;
    m.add_function(wrap_pyfunction!(population::recheck_schedule, m)?)?;
    m.add_function(wrap_pyfunction!(population::relief_record, m)?)?;
    m.add_function(wrap_pyfunction!(population::relief_close, m)?)?;
    m.add_function(wrap_pyfunction!(population::relief_follow_ups, m)?)?;
    m.add_function(wrap_pyfunction!(appeal::appeal_file, m)?)?;
    m.add_function(wrap_pyfunction!(appeal::report_history_record, m)?)?;
    m.add_class::<security::PyAuditKeyring>()?;
    m.add_class::<security::PyAuditChain>()?;
    m.add_class::<security::PyReportSigner>()?;
    m.add_class::<security::PyReportKeyring>()?;
    m.add_function(wrap_pyfunction!(security::archive_check, m)?)?;
    m.add_function(wrap_pyfunction!(accounts::account_register, m)?)?;
    m.add_function(wrap_pyfunction!(accounts::account_set_password, m)?)?;
    m.add_function(wrap_pyfunction!(accounts::account_activate, m)?)?;
    m.add_function(wrap_pyfunction!(accounts::account_login, m)?)?;
    m.add_function(wrap_pyfunction!(accounts::account_login_unknown, m)?)?;
    m.add_function(wrap_pyfunction!(security::lending_detect, m)?)?;
    m.add_function(wrap_pyfunction!(security::password_check, m)?)?;
    m.add_function(wrap_pyfunction!(security::permission_check, m)?)?;
    m.add_function(wrap_pyfunction!(security::report_mask, m)?)?;
    m.add_function(wrap_pyfunction!(security::report_sign, m)?)?;
    m.add_function(wrap_pyfunction!(security::audit_head_sign, m)?)?;
    m.add_function(wrap_pyfunction!(security::audit_head_open, m)?)?;
    m.add_function(wrap_pyfunction!(security::signing_key_trust, m)?)?;
    m.add_function(wrap_pyfunction!(security::document_seal, m)?)?;
    m.add_function(wrap_pyfunction!(security::document_open, m)?)?;
    m.add_function(wrap_pyfunction!(security::report_verify_signature, m)?)?;
    Ok(())
}
