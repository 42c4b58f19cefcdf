//! Working with a report already issued: print it, check its integrity and its uses.

use std::ffi::c_char;

use super::rulebook::hedui_rulebook;
use super::{Text, boundary_err, c_string, json_op, out_arg, result::hedui_result, write_out};
use hedui_ops::{paper, report};

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
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_render_markdown_impl(
            Text::Terminated(report_json),
            markdown_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_report_render_markdown` with `report_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_render_markdown`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_render_markdown_n(
    report_json: *const c_char,
    report_json_len: usize,
    markdown_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_render_markdown_impl(
            Text::Counted(report_json, report_json_len),
            markdown_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_report_render_markdown` and `hedui_report_render_markdown_n`.
///
/// # Safety
/// As `hedui_report_render_markdown_n` (texts as [`Text::get`]).
unsafe fn hedui_report_render_markdown_impl(
    report_json: Text,
    markdown_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(markdown_out, "markdown_out")?;
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { report_json.get("report_json")? };
        let markdown = c_string(report::report_render_markdown_json(report)?.into_bytes())?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, markdown) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Renders a report (the JSON a verify call wrote) as a self-contained HTML document for
/// printing on A4 纸质核对报告: the official layout, page numbers and a QR code on every page
/// (print it with a browser, e.g. headless Chromium `--print-to-pdf`).
///
/// On success `*html_out` receives a new string, owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// `report_json` is NULL or a NUL-terminated string; `html_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_render_html(
    report_json: *const c_char,
    html_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_render_html_impl(
            Text::Terminated(report_json),
            html_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_report_render_html` with `report_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_render_html`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_render_html_n(
    report_json: *const c_char,
    report_json_len: usize,
    html_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_render_html_impl(
            Text::Counted(report_json, report_json_len),
            html_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_report_render_html` and `hedui_report_render_html_n`.
///
/// # Safety
/// As `hedui_report_render_html_n` (texts as [`Text::get`]).
unsafe fn hedui_report_render_html_impl(
    report_json: Text,
    html_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(html_out, "html_out")?;
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { report_json.get("report_json")? };
        let html = c_string(paper::report_render_html_json(report, None)?.into_bytes())?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, html) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Checks a printed report against the archive (R10): `request_json` is
/// `{"payload": "<text of its QR code>", "archived": <report>?, "keyring": <keyring>?}`; the
/// answer is `{"outcome", "signed"?, "code"}`, codes `printed_matches`,
/// `printed_unknown_report`, `printed_digest_differs`, `printed_issue_time_differs`,
/// `printed_signature_invalid`; a QR text that is not a payload fails with
/// `HEDUI_RESULT_PRINTED_PAYLOAD_INVALID`.
///
/// On success `*answer_json_out` receives a new string, owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `answer_json_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_check_printed_json(
    request_json: *const c_char,
    answer_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_check_printed_json_impl(
            Text::Terminated(request_json),
            answer_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_report_check_printed_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_check_printed_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_check_printed_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    answer_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_check_printed_json_impl(
            Text::Counted(request_json, request_json_len),
            answer_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_report_check_printed_json` and `hedui_report_check_printed_json_n`.
///
/// # Safety
/// As `hedui_report_check_printed_json_n` (texts as [`Text::get`]).
unsafe fn hedui_report_check_printed_json_impl(
    request_json: Text,
    answer_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(answer_json_out, "answer_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let request = unsafe { request_json.get("request_json")? };
        let answer = c_string(paper::report_check_printed_json(request)?.into_bytes())?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, answer) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
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
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_verify_digest_impl(
            Text::Terminated(report_json),
            valid_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_report_verify_digest` with `report_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_verify_digest`; each text pointer is NULL or valid for its length in bytes
/// of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_verify_digest_n(
    report_json: *const c_char,
    report_json_len: usize,
    valid_out: *mut bool,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_verify_digest_impl(
            Text::Counted(report_json, report_json_len),
            valid_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_report_verify_digest` and `hedui_report_verify_digest_n`.
///
/// # Safety
/// As `hedui_report_verify_digest_n` (texts as [`Text::get`]).
unsafe fn hedui_report_verify_digest_impl(
    report_json: Text,
    valid_out: *mut bool,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(valid_out, "valid_out")?;
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { report_json.get("report_json")? };
        let valid = report::report_verify_digest_json(report)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, valid) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Checks an intended use of a report (R3, N §二(一): the entrusting unit and the entrusted
/// purpose; N §一(三) 明确共享数据的使用范围: another purpose or programme only where every
/// sharing agreement behind the report's data lists the programme in its `use_scope`).
/// `rulebook` NULL for the built-in one, whose agreements apply unless the request gives its
/// own.
///
/// `request_json` is `{"report": <Report>, "use": {"unit_code": "<credit code>", "purpose":
/// "...", "programme": "..."}, "agreements": [<SharingAgreement>...]}` (`agreements`
/// optional). On success `*answer_json_out` receives `{"allowed":true,"report":"<number>"}`,
/// owned by the caller and released with `hedui_string_free`. A use that is not allowed fails
/// with `HEDUI_RESULT_REPORT_USE_OTHER_UNIT` or `HEDUI_RESULT_REPORT_USE_OUTSIDE_SCOPE`;
/// unreadable input with `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `answer_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_check_use_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    answer_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            answer_json_out,
            "answer_json_out",
            std::ptr::null_mut(),
            report::report_check_use_json,
        )
    }
}

/// `hedui_report_check_use_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_check_use_json`; `request_json` is NULL or valid for `request_json_len`
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_check_use_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    answer_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            answer_json_out,
            "answer_json_out",
            error_json_out,
            report::report_check_use_json,
        )
    }
}
