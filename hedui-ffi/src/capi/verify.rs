//! Verifying cases: one at a time, or a batch of JSON lines.

use std::ffi::c_char;

use time::OffsetDateTime;

use super::rulebook::hedui_rulebook;
use super::{Text, boundary_err, c_string, out_arg, result::hedui_result, write_out};
use crate::failure::Failure;
use hedui_ops::{args, verify};

/// Shared body of the single-case calls and their `_n` forms.
///
/// # Safety
/// As `hedui_verify_json_at_n` (texts as [`Text::get`]).
unsafe fn verify_one(
    rulebook: *const hedui_rulebook,
    case_json: Text,
    issued_at: Option<Text>,
    report_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(report_json_out, "report_json_out")?;
        // SAFETY: forwarded from the caller's contract.
        let case = unsafe { case_json.get("case_json")? };
        let issued_at: OffsetDateTime = match issued_at {
            // SAFETY: forwarded from the caller's contract.
            Some(t) => {
                args::parse_time("issued_at_rfc3339", unsafe { t.get("issued_at_rfc3339")? })?
            }
            None => args::now_beijing(),
        };
        // SAFETY: forwarded from the caller's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let report = c_string(verify::verify_json(rb, case, issued_at)?)?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { write_out(out, report) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
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
    unsafe {
        verify_one(
            rulebook,
            Text::Terminated(case_json),
            None,
            report_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_verify_json` with the case given as (pointer, length) and the error handed back by
/// the call: the `_n` form (see the README's rules of the ABI).
///
/// `case_json` is `case_json_len` bytes of UTF-8 with no NUL among them (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON
/// (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `case_json` is NULL or valid for `case_json_len`
/// bytes of reads; `report_json_out` and `error_json_out` are NULL or valid for a write of
/// one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_verify_json_n(
    rulebook: *const hedui_rulebook,
    case_json: *const c_char,
    case_json_len: usize,
    report_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        verify_one(
            rulebook,
            Text::Counted(case_json, case_json_len),
            None,
            report_json_out,
            error_json_out,
        )
    }
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
            Text::Terminated(case_json),
            Some(Text::Terminated(issued_at_rfc3339)),
            report_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_verify_json_at` with texts given as (pointer, length) and the error handed back by
/// the call: the `_n` form. Each text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`); `error_json_out` as in
/// `hedui_verify_json_n`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; each text pointer is NULL or valid for its length in
/// bytes of reads; `report_json_out` and `error_json_out` are NULL or valid for a write of
/// one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_verify_json_at_n(
    rulebook: *const hedui_rulebook,
    case_json: *const c_char,
    case_json_len: usize,
    issued_at_rfc3339: *const c_char,
    issued_at_rfc3339_len: usize,
    report_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        verify_one(
            rulebook,
            Text::Counted(case_json, case_json_len),
            Some(Text::Counted(issued_at_rfc3339, issued_at_rfc3339_len)),
            report_json_out,
            error_json_out,
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
    // SAFETY: forwarded from this function's contract.
    unsafe {
        verify_batch(
            rulebook,
            Text::Terminated(cases_jsonl),
            Text::Terminated(issued_at_rfc3339),
            flags,
            reports_jsonl_out,
            errors_jsonl_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_verify_batch_jsonl` with texts given as (pointer, length) and the error handed
/// back by the call: the `_n` form. `cases_jsonl` is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`: the whole call fails, as a
/// NUL-terminated batch would); `issued_at_rfc3339` NULL for now; `error_json_out` as in
/// `hedui_verify_json_n`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; each text pointer is NULL or valid for its length in
/// bytes of reads; the three output pointers are NULL or valid for a write of one pointer
/// each.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_verify_batch_jsonl_n(
    rulebook: *const hedui_rulebook,
    cases_jsonl: *const c_char,
    cases_jsonl_len: usize,
    issued_at_rfc3339: *const c_char,
    issued_at_rfc3339_len: usize,
    flags: u32,
    reports_jsonl_out: *mut *mut c_char,
    errors_jsonl_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        verify_batch(
            rulebook,
            Text::Counted(cases_jsonl, cases_jsonl_len),
            Text::Counted(issued_at_rfc3339, issued_at_rfc3339_len),
            flags,
            reports_jsonl_out,
            errors_jsonl_out,
            error_json_out,
        )
    }
}

/// Shared body of the batch call and its `_n` form.
///
/// # Safety
/// As `hedui_verify_batch_jsonl_n` (texts as [`Text::get`]).
unsafe fn verify_batch(
    rulebook: *const hedui_rulebook,
    cases_jsonl: Text,
    issued_at_rfc3339: Text,
    flags: u32,
    reports_jsonl_out: *mut *mut c_char,
    errors_jsonl_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let reports_out = out_arg(reports_jsonl_out, "reports_jsonl_out")?;
        let errors_out = out_arg(errors_jsonl_out, "errors_jsonl_out")?;
        // SAFETY: forwarded from the caller's contract.
        let text = unsafe { cases_jsonl.get("cases_jsonl")? };
        // SAFETY: forwarded from the caller's contract.
        let issued_at = match unsafe { issued_at_rfc3339.get_opt("issued_at_rfc3339")? } {
            None => args::now_beijing(),
            Some(t) => args::parse_time("issued_at_rfc3339", t)?,
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
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}
