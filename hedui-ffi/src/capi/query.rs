//! The query plan (R6 本级为主、上级补充) and the identifier check.

use std::ffi::c_char;

use hedui_ops::{identifier, query};

use super::rulebook::hedui_rulebook;
use super::{Text, json_op, result::hedui_result};

/// Plans where each data category is queried for an agency (R6): at its own level, at an
/// upper level only as supplement (a sharing gap 共享缺口 to close), or offline when no level
/// can (R7).
///
/// `request_json` is `{"own_level": "county"|"city"|"province"|"ministry", "scope":
/// ["bank_deposits", ...], "agreements": [<SharingAgreement>...]}`; `scope` may be left out
/// for every category and `agreements` for the rulebook's. `rulebook` may be NULL for the
/// built-in rulebook.
///
/// On success `*plan_json_out` receives compact JSON `{"plan":[{"category":...,"route":
/// {"route":"own_level","level":...},"feedback_working_days":n}, ...],"sharing_gaps":[...]}`,
/// owned by the caller and released with `hedui_string_free`. Unreadable input fails with
/// `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `plan_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_query_plan_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    plan_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            plan_json_out,
            "plan_json_out",
            std::ptr::null_mut(),
            query::query_plan_json,
        )
    }
}

/// `hedui_query_plan_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_query_plan_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_query_plan_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    plan_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            plan_json_out,
            "plan_json_out",
            error_json_out,
            query::query_plan_json,
        )
    }
}

/// Reads one identifier as hedui reads it inside documents: a resident ID (GB 11643-1999; a
/// first-generation 15-digit number comes back in its 18-character form), a unified social
/// credit code (GB 32100-2015) or a region code (GB/T 2260).
///
/// `request_json` is `{"kind": "resident_id"|"credit_code"|"region_code", "value": "...",
/// "on": "YYYY-MM-DD" (optional: the day of verification, then the rulebook's identifier rules
/// apply)}`. `rulebook` may be NULL for the built-in rulebook. On success `*checked_json_out`
/// receives `{"kind":...,"value":...}` plus, for a resident ID, `legacy`, `birth_date`, `sex`
/// and `region`, for a region code `region` and `level`; owned by the caller and released with
/// `hedui_string_free`. An invalid identifier fails with its own result
/// (`HEDUI_RESULT_ID_RESIDENT_CHECKSUM`, `HEDUI_RESULT_ID_CREDIT_CHARACTER`, ...).
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `checked_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_id_check_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    checked_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            checked_json_out,
            "checked_json_out",
            std::ptr::null_mut(),
            identifier::id_check_json,
        )
    }
}

/// `hedui_id_check_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_id_check_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_id_check_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    checked_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            checked_json_out,
            "checked_json_out",
            error_json_out,
            identifier::id_check_json,
        )
    }
}

/// GB 11643: the verdict on one resident ID 居民身份证号码 — its 18-character form, whether it
/// is valid, the code of what is wrong, and the birth date, sex and region it encodes.
///
/// `request_json` is `{"value": "...", "on": "YYYY-MM-DD"}` (`on` optional: the day of
/// verification, then the rulebook's identifier rules apply too; a first-generation 15-digit
/// number comes back in its 18-character form). `rulebook` may be NULL for the built-in
/// rulebook. On success
/// `*verdict_json_out` receives `{"kind": "resident_id", "value": ... (NULL when invalid), "valid":
/// true|false, "error": ... (the stable code of what is wrong, NULL when valid), "legacy",
/// "birth_date", "sex", "region"}`, owned by the caller and released with `hedui_string_free`.
/// An invalid number is a verdict with `HEDUI_RESULT_OK`; only a request that is not the
/// document fails (`HEDUI_RESULT_INPUT_JSON`).
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `verdict_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_resident_id_check_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    verdict_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            verdict_json_out,
            "verdict_json_out",
            std::ptr::null_mut(),
            identifier::resident_id_check_json,
        )
    }
}

/// `hedui_resident_id_check_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_resident_id_check_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_resident_id_check_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    verdict_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            verdict_json_out,
            "verdict_json_out",
            error_json_out,
            identifier::resident_id_check_json,
        )
    }
}

/// GB 32100: the verdict on one unified social credit code 统一社会信用代码 — its form, whether
/// it is valid, the code of what is wrong, and the registering authority's region
/// (positions 3–8) in `region`.
///
/// `request_json` is `{"value": "..."}`. `rulebook` may be NULL for the built-in rulebook. On success
/// `*verdict_json_out` receives `{"kind": "credit_code", "value": ... (NULL when invalid), "valid":
/// true|false, "error": ... (the stable code of what is wrong, NULL when valid), "legacy",
/// "birth_date", "sex", "region"}`, owned by the caller and released with `hedui_string_free`.
/// An invalid code is a verdict with `HEDUI_RESULT_OK`; only a request that is not the
/// document fails (`HEDUI_RESULT_INPUT_JSON`).
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `verdict_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_credit_code_check_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    verdict_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            verdict_json_out,
            "verdict_json_out",
            std::ptr::null_mut(),
            identifier::credit_code_check_json,
        )
    }
}

/// `hedui_credit_code_check_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_credit_code_check_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_credit_code_check_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    verdict_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            verdict_json_out,
            "verdict_json_out",
            error_json_out,
            identifier::credit_code_check_json,
        )
    }
}
