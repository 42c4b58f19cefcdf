//! Authorization checks (R1 先授权，后委托).

use std::ffi::c_char;

use super::rulebook::hedui_rulebook;
use super::{Text, boundary_err, c_string, out_arg, result::hedui_result, write_out};
use hedui_ops::authorization;

/// Checks an authorization letter 核对授权书 against a household (R1) and lists every defect.
///
/// `request_json` is `{"household": <Household>, "authorization": <Authorization>,
/// "on": "YYYY-MM-DD"}`; `on` (the date of the check) may be left out for today in Beijing.
/// `rulebook` may be NULL for the built-in rulebook.
///
/// A defective letter is a successful check: on success `*result_json_out` receives
/// `{"authorization_number":"...","household_id":"...","on":"YYYY-MM-DD","valid":<bool>,
/// "defects":[{"code":"missing_signature","member":"...","message":"..."}, ...]}` (each
/// defect with its stable code, its fields and a message), owned by the caller and released
/// with `hedui_string_free`. Unreadable input fails with `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `result_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_authorization_check_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    result_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_authorization_check_json_impl(
            rulebook,
            Text::Terminated(request_json),
            result_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_authorization_check_json` with `request_json` given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_authorization_check_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_authorization_check_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    result_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_authorization_check_json_impl(
            rulebook,
            Text::Counted(request_json, request_json_len),
            result_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_authorization_check_json` and `hedui_authorization_check_json_n`.
///
/// # Safety
/// As `hedui_authorization_check_json_n` (texts as [`Text::get`]).
unsafe fn hedui_authorization_check_json_impl(
    rulebook: *const hedui_rulebook,
    request_json: Text,
    result_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(result_json_out, "result_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let request = unsafe { request_json.get("request_json")? };
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let result = c_string(authorization::authorization_check_json(rb, request)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, result) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Deprecated name of `hedui_authorization_check_json` (the operation `authorization_check`),
/// kept so that existing hosts still link; it calls the new function. Will be removed in a
/// later release.
///
/// # Safety
/// As `hedui_authorization_check_json`.
#[deprecated(note = "use hedui_authorization_check_json")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_check_authorization_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    result_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_authorization_check_json(rulebook, request_json, result_json_out) }
}
