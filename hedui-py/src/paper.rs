//! The report on paper: `report_render_html`, `report_render_pdf`, `report_check_printed`.

use std::path::PathBuf;

use hedui_core::Report;
use hedui_core::security::MaskPolicy;
use hedui_ops::paper as ops;
use pyo3::prelude::*;

use crate::convert;
use crate::errors::{self, guard};
use crate::security::{keyring_arg, keyring_of};
use crate::topy;

/// The mask policy argument: the report as issued when absent.
fn policy_arg(policy: Option<&Bound<'_, PyAny>>) -> PyResult<MaskPolicy> {
    Ok(convert::opt_document(policy, "mask_policy")?.unwrap_or(MaskPolicy::FULL))
}

/// A report as a self-contained HTML document for printing on A4 纸质核对报告 (operation
/// `report_render_html`): the official layout, a category × member status matrix, the
/// categories with facts or gaps in detail, signature lines and a place for the seal, page
/// numbers 第 N 页 共 M 页 and a QR code on every page.
///
/// Args:
///     report: the report (a dict, or its JSON).
///     policy: a mask policy (`{"resident_ids", "names", "amounts", ...}`) for a reader who
///         may not see everything; the report as issued when absent.
///
/// Raises:
///     InputError: `report` is not a report, `policy` not a mask policy (`input_json`).
///     SecurityError: the report number is too long for a QR code (`printed_code_too_long`).
#[pyfunction]
#[pyo3(signature = (report, policy=None))]
pub(crate) fn report_render_html(
    py: Python<'_>,
    report: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    guard(py, || {
        let report: Report = convert::document(report, "report")?;
        let policy = policy_arg(policy)?;
        ops::report_render_html(&report, &policy).map_err(|f| errors::failure(py, &f))
    })
}

/// Prints a report to a PDF file with headless Chromium (operation `report_render_pdf`): the
/// HTML of `report_render_html`, printed by the browser (Debian's `chromium`, or the one
/// named by the `HEDUI_CHROMIUM` environment variable).
///
/// Raises:
///     HeduiError: no browser (`pdf_printer_missing`, the message says how to install one:
///         `apt-get install chromium fonts-noto-cjk`), or the browser failed
///         (`pdf_print_failed`).
///     InputError, SecurityError: as `report_render_html`.
#[pyfunction]
#[pyo3(signature = (report, path, policy=None))]
pub(crate) fn report_render_pdf(
    py: Python<'_>,
    report: &Bound<'_, PyAny>,
    path: PathBuf,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    guard(py, || {
        let report: Report = convert::document(report, "report")?;
        let policy = policy_arg(policy)?;
        let html =
            ops::report_render_html(&report, &policy).map_err(|f| errors::failure(py, &f))?;
        py.detach(|| ops::print_pdf(&html, &path))
            .map_err(|f| errors::failure(py, &f))
    })
}

/// Checks a printed report against the archive (operation `report_check_printed`, R10), from
/// the text of its QR code.
///
/// Args:
///     payload: the text read from the QR code.
///     archived: the archived report with that report number, if at hand.
///     keyring: the trusted keys, to check the signature on the paper.
///
/// Returns:
///     `{"outcome", "signed"?, "code"}`: `printed_matches`, `printed_unknown_report`,
///     `printed_digest_differs`, `printed_issue_time_differs` or `printed_signature_invalid`.
///
/// Raises:
///     SecurityError: `payload` is not a printed-copy payload (`printed_payload_invalid`).
#[pyfunction]
#[pyo3(signature = (payload, archived=None, keyring=None))]
pub(crate) fn report_check_printed<'py>(
    py: Python<'py>,
    payload: &Bound<'py, PyAny>,
    archived: Option<&Bound<'py, PyAny>>,
    keyring: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let payload = convert::str_arg(payload, "payload")?;
        let archived: Option<Report> = convert::opt_document(archived, "report")?;
        let keyring = keyring_arg(keyring)?;
        let check = ops::report_check_printed(&payload, archived.as_ref(), keyring_of(&keyring))
            .map_err(|f| errors::failure(py, &f))?;
        topy::value(py, &ops::check_json(check))
    })
}
