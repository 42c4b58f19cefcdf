//! Working with a report already issued: print it, check its integrity.

use std::ffi::c_char;

use super::{boundary, c_string, out_arg, result::hedui_result, str_arg, write_out};
use hedui_ops::report;

/// Renders a report (the JSON a verify call wrote) as Chinese Markdown for printing 打印版.
///
/// On success `*markdown_out` receives a new string, owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// `report_json` is NULL or a NUL-terminated string; `markdown_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_render_markdown(
    report_json: *const c_char,
    markdown_out: *mut *mut c_char,
) -> hedui_result {
    boundary(|| {
        let out = out_arg(markdown_out, "markdown_out")?;
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { str_arg(report_json, "report_json")? };
        let markdown = c_string(report::report_render_markdown_json(report)?.into_bytes())?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, markdown) };
        Ok(())
    })
}

/// Checks a report's integrity block: `*valid_out` becomes true when the recorded SHA-256
/// digest matches the report's canonical form (`hedui-report-v1`), false after any change or
/// without an integrity block.
///
/// # Safety
/// `report_json` is NULL or a NUL-terminated string; `valid_out` is NULL or valid for a write
/// of one `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_verify_digest(
    report_json: *const c_char,
    valid_out: *mut bool,
) -> hedui_result {
    boundary(|| {
        let out = out_arg(valid_out, "valid_out")?;
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { str_arg(report_json, "report_json")? };
        let valid = report::report_verify_digest_json(report)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, valid) };
        Ok(())
    })
}
