//! Authorization checks (R1 先授权，后委托).

use std::ffi::c_char;

use super::rulebook::hedui_rulebook;
use super::{boundary, c_string, out_arg, result::hedui_result, str_arg, write_out};
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
    boundary(|| {
        let out = out_arg(result_json_out, "result_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let request = unsafe { str_arg(request_json, "request_json")? };
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let result = c_string(authorization::authorization_check_json(rb, request)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, result) };
        Ok(())
    })
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
