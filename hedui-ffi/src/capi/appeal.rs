//! Appeals (R9 申诉、复核申请) and the history of a household's rounds.

use std::ffi::c_char;

use hedui_ops::appeal;

use super::rulebook::hedui_rulebook;
use super::signing::{hedui_report_keyring, keyring_or_empty};
use super::{Text, json_op, result::hedui_result};

/// Files an appeal (R9): the recheck request 复核申请 for an appeal against a sealed report,
/// linked to it by number and digest.
///
/// `request_json` is `{"report": <Report>, "reason": "...", "filed_on": "YYYY-MM-DD",
/// "trusted_keys": [{"key_id": "...", "public_key": "<64 hex>"}] (optional)}`. On
/// success `*recheck_json_out` receives the `RecheckRequest` as compact JSON
/// (`disputed_report`, `disputed_digest`, `household_id`, `reason`, `filed_on`), owned by the
/// caller and released with `hedui_string_free`.
///
/// Under the rulebook's `security.signed_evidence` (the default; `rulebook` NULL for the
/// built-in one) the report must be signed by a key of `keyring` (NULL: none) or of the
/// request's `trusted_keys`: else `HEDUI_RESULT_EVIDENCE_UNSIGNED`,
/// `HEDUI_RESULT_EVIDENCE_UNKNOWN_KEY` or `HEDUI_RESULT_EVIDENCE_BAD_SIGNATURE`; a key id
/// trusted twice fails with `HEDUI_RESULT_SIGNING_KEY_INVALID`. A report that does not
/// verify against its digest, or an empty reason, fails with `HEDUI_RESULT_APPEAL_LINK`;
/// unreadable input with `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` and `keyring` are NULL or live handles; `request_json` is NULL or a
/// NUL-terminated string; `recheck_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_appeal_file_json(
    rulebook: *const hedui_rulebook,
    keyring: *const hedui_report_keyring,
    request_json: *const c_char,
    recheck_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    let keyring = unsafe { keyring_or_empty(keyring) };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            recheck_json_out,
            "recheck_json_out",
            std::ptr::null_mut(),
            |rb, r| appeal::appeal_file_json(rb, keyring, r),
        )
    }
}

/// `hedui_appeal_file_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_appeal_file_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_appeal_file_json_n(
    rulebook: *const hedui_rulebook,
    keyring: *const hedui_report_keyring,
    request_json: *const c_char,
    request_json_len: usize,
    recheck_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    let keyring = unsafe { keyring_or_empty(keyring) };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            recheck_json_out,
            "recheck_json_out",
            error_json_out,
            |rb, r| appeal::appeal_file_json(rb, keyring, r),
        )
    }
}

/// Records a report as the next round of its household's history (R9, R10), a history the
/// caller keeps as JSON (the one passed in is never changed).
///
/// `request_json` is `{"history": <ReportHistory> (optional: a new history for the report's
/// household), "report": <Report>, "trusted_keys": [...] (optional, as for
/// `hedui_appeal_file_json`)}`. An appeal recheck must dispute a report already in the
/// history with the same digest. On success `*history_json_out` receives compact JSON
/// `{"history":{"household_id":...,"rounds":[...]},"chain":[...]}` (`chain`: the rounds
/// leading to this report through appeals, oldest first), owned by the caller and released
/// with `hedui_string_free`.
///
/// Under the rulebook's `security.signed_evidence` (the default; `rulebook` NULL for the
/// built-in one) the report must be signed by a key of `keyring` (NULL: none) or of the
/// request's `trusted_keys`: else `HEDUI_RESULT_EVIDENCE_UNSIGNED`,
/// `HEDUI_RESULT_EVIDENCE_UNKNOWN_KEY` or `HEDUI_RESULT_EVIDENCE_BAD_SIGNATURE`. A report
/// that does not verify, is for another household, is recorded already or disputes an
/// unknown report fails with `HEDUI_RESULT_APPEAL_LINK`.
///
/// # Safety
/// `rulebook` and `keyring` are NULL or live handles; `request_json` is NULL or a
/// NUL-terminated string; `history_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_history_record_json(
    rulebook: *const hedui_rulebook,
    keyring: *const hedui_report_keyring,
    request_json: *const c_char,
    history_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    let keyring = unsafe { keyring_or_empty(keyring) };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            history_json_out,
            "history_json_out",
            std::ptr::null_mut(),
            |rb, r| appeal::report_history_record_json(rb, keyring, r),
        )
    }
}

/// `hedui_report_history_record_json` with `request_json` given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_history_record_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_history_record_json_n(
    rulebook: *const hedui_rulebook,
    keyring: *const hedui_report_keyring,
    request_json: *const c_char,
    request_json_len: usize,
    history_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    let keyring = unsafe { keyring_or_empty(keyring) };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            history_json_out,
            "history_json_out",
            error_json_out,
            |rb, r| appeal::report_history_record_json(rb, keyring, r),
        )
    }
}
