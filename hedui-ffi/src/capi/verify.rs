//! Verifying cases: one at a time, or a batch of JSON lines.

use std::ffi::c_char;

use time::OffsetDateTime;

use super::rulebook::hedui_rulebook;
use super::{boundary, c_string, out_arg, result::hedui_result, str_arg, write_out};
use crate::failure::Failure;
use hedui_ops::{args, verify};

/// Shared body of the two single-case calls.
///
/// # Safety
/// As `hedui_verify_json_at`.
unsafe fn verify_one(
    rulebook: *const hedui_rulebook,
    case_json: *const c_char,
    issued_at: Option<*const c_char>,
    report_json_out: *mut *mut c_char,
) -> hedui_result {
    boundary(|| {
        let out = out_arg(report_json_out, "report_json_out")?;
        // SAFETY: forwarded from the caller's contract.
        let case = unsafe { str_arg(case_json, "case_json")? };
        let issued_at: OffsetDateTime = match issued_at {
            // SAFETY: forwarded from the caller's contract.
            Some(p) => args::parse_time("issued_at_rfc3339", unsafe {
                str_arg(p, "issued_at_rfc3339")?
            })?,
            None => args::now_beijing(),
        };
        // SAFETY: forwarded from the caller's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let report = c_string(verify::verify_json(rb, case, issued_at)?)?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { write_out(out, report) };
        Ok(())
    })
}

/// Verifies one case (a `Case` JSON document) and writes its sealed report as compact JSON,
/// issued now (Beijing time, +08:00, whole seconds).
///
/// Runs every gate on the way: R1 authorization, R2 entrustment and pre-check, R6 plan and
/// minimum scope, R7 gaps. `rulebook` may be NULL for the built-in rulebook.
///
/// On success `*report_json_out` receives a new string, owned by the caller and released
/// with `hedui_string_free`. On failure it is untouched; the result number says which gate
/// failed and `hedui_last_error_code`/`hedui_last_error_message` give the detail.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `case_json` is NULL or a NUL-terminated string;
/// `report_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_verify_json(
    rulebook: *const hedui_rulebook,
    case_json: *const c_char,
    report_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { verify_one(rulebook, case_json, None, report_json_out) }
}

/// Like `hedui_verify_json`, with the report's issue time given as an RFC 3339 date-time
/// (e.g. `"2026-11-29T10:00:00+08:00"`): the same case, rulebook and time always give the same
/// report, byte for byte — the report Rust and Python give for them.
///
/// On success `*report_json_out` receives a new string, owned by the caller and released
/// with `hedui_string_free`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `case_json` and `issued_at_rfc3339` are NULL or
/// NUL-terminated strings; `report_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_verify_json_at(
    rulebook: *const hedui_rulebook,
    case_json: *const c_char,
    issued_at_rfc3339: *const c_char,
    report_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        verify_one(
            rulebook,
            case_json,
            Some(issued_at_rfc3339),
            report_json_out,
        )
    }
}

/// Flag for `hedui_verify_batch_jsonl`: verify on all cores (when the library is built with
/// the `parallel` feature; otherwise ignored). The output order is the input order either way.
pub const HEDUI_BATCH_PARALLEL: u32 = 1;

/// Verifies a batch: one `Case` JSON document per line (JSONL). Every good line gives a
/// report, every bad line an error; nothing is dropped. Blank lines are skipped but count in
/// the line numbers; a line over the rulebook's `limits.max_line_bytes` (16 MiB by default)
/// is rejected with code `input_line_too_long`. Lines are read by the same reader as the main
/// job's, so an error gives the same message (and the JSON `path` of the bad field where
/// there is one).
///
/// - `rulebook`: NULL for the built-in rulebook.
/// - `issued_at_rfc3339`: the issue time of every report; NULL for now (Beijing time).
/// - `flags`: 0, or `HEDUI_BATCH_PARALLEL`; other bits fail with
///   `HEDUI_RESULT_INVALID_ARGUMENT`.
///
/// On success (`HEDUI_RESULT_OK`, even when some or all lines were rejected)
/// `*reports_jsonl_out` receives the sealed reports, one compact JSON line each (ending in a
/// newline), and `*errors_jsonl_out` one line per rejected input line:
/// `{"line":<1-based number>,"code":"<stable code>","message":"..."}`. Both are in input order,
/// may be empty strings, and are owned by the caller and released with `hedui_string_free`.
/// On failure neither is touched.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `cases_jsonl` and `issued_at_rfc3339` are NULL or
/// NUL-terminated strings; the two output pointers are NULL or valid for a write of one
/// pointer each.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_verify_batch_jsonl(
    rulebook: *const hedui_rulebook,
    cases_jsonl: *const c_char,
    issued_at_rfc3339: *const c_char,
    flags: u32,
    reports_jsonl_out: *mut *mut c_char,
    errors_jsonl_out: *mut *mut c_char,
) -> hedui_result {
    boundary(|| {
        let reports_out = out_arg(reports_jsonl_out, "reports_jsonl_out")?;
        let errors_out = out_arg(errors_jsonl_out, "errors_jsonl_out")?;
        // SAFETY: forwarded from this function's contract.
        let text = unsafe { str_arg(cases_jsonl, "cases_jsonl")? };
        let issued_at = if issued_at_rfc3339.is_null() {
            args::now_beijing()
        } else {
            // SAFETY: non-NULL, NUL-terminated by this function's contract.
            let t = unsafe { str_arg(issued_at_rfc3339, "issued_at_rfc3339")? };
            args::parse_time("issued_at_rfc3339", t)?
        };
        if flags & !HEDUI_BATCH_PARALLEL != 0 {
            return Err(Failure::InvalidArgument {
                message: format!("`flags` has unknown bits: {flags:#x}"),
            });
        }
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let parallel = flags & HEDUI_BATCH_PARALLEL != 0;
        let output = verify::verify_batch_jsonl(rb, text, issued_at, parallel)?;
        let reports = c_string(output.reports_jsonl)?;
        let errors = match c_string(output.errors_jsonl) {
            Ok(e) => e,
            Err(f) => {
                // SAFETY: `reports` was just made by c_string and is not handed out.
                unsafe { super::hedui_string_free(reports) };
                return Err(f);
            }
        };
        // SAFETY: both outputs are writable by this function's contract.
        unsafe {
            write_out(reports_out, reports);
            write_out(errors_out, errors);
        }
        Ok(())
    })
}
