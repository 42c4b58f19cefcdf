//! Population rules: R5 coverage of new applications, R8 periodic recheck schedule, R4 relief
//! first and its follow-up verification.

use std::ffi::c_char;

use super::rulebook::hedui_rulebook;
use super::signing::{hedui_report_keyring, keyring_or_empty};
use super::{Text, boundary_err, c_string, out_arg, result::hedui_result, write_out};
use hedui_ops::{args, population};

/// Audits R5 coverage 全量、全域、全网 of new applications.
///
/// `request_json` is `{"applications": [<Application>...], "verifications":
/// [<VerificationRecord>...], "jurisdiction": ["141002", ...], "queryable": ["bank_deposits",
/// ...]}`. `queryable` (the categories the 全网 axis counts) may be left out for the
/// categories that some level can query under the rulebook's sharing agreements. `rulebook`
/// may be NULL for the built-in rulebook.
///
/// Bad records are not a failure: they are listed in the report's `issues` with their
/// positions, and the rest is audited. On success `*coverage_json_out` receives the
/// `CoverageReport` as compact JSON (`applications`, `new_applications`, `households`,
/// `members`, `regions`, `categories`, `categories_offline_only`, `gaps`, `issues`), owned by
/// the caller and released with `hedui_string_free`. Unreadable input fails with
/// `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `coverage_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_coverage_audit_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    coverage_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_coverage_audit_json_impl(
            rulebook,
            Text::Terminated(request_json),
            coverage_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_coverage_audit_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_coverage_audit_json`; each text pointer is NULL or valid for its length in bytes
/// of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_coverage_audit_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    coverage_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_coverage_audit_json_impl(
            rulebook,
            Text::Counted(request_json, request_json_len),
            coverage_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_coverage_audit_json` and `hedui_coverage_audit_json_n`.
///
/// # Safety
/// As `hedui_coverage_audit_json_n` (texts as [`Text::get`]).
unsafe fn hedui_coverage_audit_json_impl(
    rulebook: *const hedui_rulebook,
    request_json: Text,
    coverage_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(coverage_json_out, "coverage_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let request = unsafe { request_json.get("request_json")? };
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let report = c_string(population::coverage_audit_json(rb, request)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, report) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Deprecated name of `hedui_coverage_audit_json` (the operation `coverage_audit`), kept so
/// that existing hosts still link; it calls the new function. Will be removed in a later
/// release.
///
/// # Safety
/// As `hedui_coverage_audit_json`.
#[deprecated(note = "use hedui_coverage_audit_json")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_coverage_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    coverage_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_coverage_audit_json(rulebook, request_json, coverage_json_out) }
}

/// Schedules the R8 periodic rechecks 定期复核 of assisted households as of a date, and cuts
/// the households due into batches per agency with the rulebook's `recheck_batches`
/// options.
///
/// `households_json` is a JSON array of `AssistedHousehold`s; `as_of_date` is `YYYY-MM-DD`
/// (else `HEDUI_RESULT_INVALID_DATE`). `rulebook` may be NULL for the built-in rulebook.
///
/// Bad records are not a failure: they are listed in `issues` with their positions. On
/// success `*schedule_json_out` receives compact JSON `{"as_of":"YYYY-MM-DD","entries":[...],
/// "issues":[...],"batches":{"as_of":...,"through":...,"batches":[...],
/// "awaiting_authorization":[...]},"due":[...],"overdue":[...],"awaiting_authorization":[...],
/// "next_due_on":"YYYY-MM-DD" or null,"counts_by_programme":[...]}` (the schedule's summary
/// after the batches: the entries due or overdue, overdue, and waiting for a re-signed
/// authorization, the next due date, and the counts per programme; the same response uniffi
/// and Python give), owned by the caller and released with `hedui_string_free`. Unreadable
/// input fails with `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `households_json` and `as_of_date` are NULL or
/// NUL-terminated strings; `schedule_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_recheck_schedule_json(
    rulebook: *const hedui_rulebook,
    households_json: *const c_char,
    as_of_date: *const c_char,
    schedule_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_recheck_schedule_json_impl(
            rulebook,
            Text::Terminated(households_json),
            Text::Terminated(as_of_date),
            schedule_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_recheck_schedule_json` with `households_json`, `as_of_date` given as (pointer,
/// length) and the error handed back by the call: the `_n` form. Text is UTF-8 with no NUL
/// among its bytes (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With
/// `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure, the
/// error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller and
/// released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_recheck_schedule_json`; each text pointer is NULL or valid for its length in bytes
/// of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_recheck_schedule_json_n(
    rulebook: *const hedui_rulebook,
    households_json: *const c_char,
    households_json_len: usize,
    as_of_date: *const c_char,
    as_of_date_len: usize,
    schedule_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_recheck_schedule_json_impl(
            rulebook,
            Text::Counted(households_json, households_json_len),
            Text::Counted(as_of_date, as_of_date_len),
            schedule_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_recheck_schedule_json` and `hedui_recheck_schedule_json_n`.
///
/// # Safety
/// As `hedui_recheck_schedule_json_n` (texts as [`Text::get`]).
unsafe fn hedui_recheck_schedule_json_impl(
    rulebook: *const hedui_rulebook,
    households_json: Text,
    as_of_date: Text,
    schedule_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(schedule_json_out, "schedule_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let households = unsafe { households_json.get("households_json")? };
        // SAFETY: forwarded from this function's contract.
        let as_of = unsafe { as_of_date.get("as_of_date")? };
        let as_of = args::parse_date("as_of_date", as_of)?;
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let schedule = c_string(population::recheck_schedule_json(rb, households, as_of)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, schedule) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// R4 先行救助、再行核对: records relief given to an emergency case 救急难 before its
/// verification, in a relief ledger kept by the caller as JSON.
///
/// `ledger_json` is the ledger as returned by an earlier call (its `ledger` member), or NULL
/// for a new, empty ledger; `grant_json` is a `ReliefGrant` (`case_id`, `household_id`,
/// `relieved_on`, `amount_fen`, `reason`, `emergency`). `rulebook` may be NULL for the
/// built-in rulebook: the follow-up is due `deadlines.relief_followup_working_days` working
/// days after the relief on its calendar.
///
/// On success `*recorded_json_out` receives compact JSON `{"reference":"<case_id>-<n>",
/// "ledger":{...}}`, owned by the caller and released with `hedui_string_free`. A case not
/// marked as an emergency fails with `HEDUI_RESULT_RELIEF_NOT_EMERGENCY`, a non-positive
/// amount with `HEDUI_RESULT_RELIEF_AMOUNT_NOT_POSITIVE`; an unreadable ledger or grant with
/// `HEDUI_RESULT_INPUT_JSON`. The ledger passed in is never changed.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `ledger_json` and `grant_json` are NULL or
/// NUL-terminated strings; `recorded_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_relief_record_json(
    rulebook: *const hedui_rulebook,
    ledger_json: *const c_char,
    grant_json: *const c_char,
    recorded_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_relief_record_json_impl(
            rulebook,
            Text::Terminated(ledger_json),
            Text::Terminated(grant_json),
            recorded_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_relief_record_json` with `ledger_json`, `grant_json` given as (pointer, length) and
/// the error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_relief_record_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_relief_record_json_n(
    rulebook: *const hedui_rulebook,
    ledger_json: *const c_char,
    ledger_json_len: usize,
    grant_json: *const c_char,
    grant_json_len: usize,
    recorded_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_relief_record_json_impl(
            rulebook,
            Text::Counted(ledger_json, ledger_json_len),
            Text::Counted(grant_json, grant_json_len),
            recorded_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_relief_record_json` and `hedui_relief_record_json_n`.
///
/// # Safety
/// As `hedui_relief_record_json_n` (texts as [`Text::get`]).
unsafe fn hedui_relief_record_json_impl(
    rulebook: *const hedui_rulebook,
    ledger_json: Text,
    grant_json: Text,
    recorded_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(recorded_json_out, "recorded_json_out")?;
        let ledger = if ledger_json.is_null() {
            None
        } else {
            // SAFETY: forwarded from this function's contract.
            Some(unsafe { ledger_json.get("ledger_json")? })
        };
        // SAFETY: forwarded from this function's contract.
        let grant = unsafe { grant_json.get("grant_json")? };
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let recorded = c_string(population::relief_record_json(rb, ledger, grant)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, recorded) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// R4: closes the follow-up of relief `reference` with the follow-up verification's sealed
/// report, completed on `closed_on` (`YYYY-MM-DD`, else `HEDUI_RESULT_INVALID_DATE`).
///
/// Only a report whose digest verifies, made for purpose `emergency_follow_up` of this very
/// relief (`relief_reference`) and household, closes it; otherwise the call fails with the
/// matching `HEDUI_RESULT_RELIEF_FOLLOWUP_*` result (unknown reference, already closed,
/// wrong purpose, household or relief, dated before the relief, report unverified). Under
/// the rulebook's `security.signed_evidence` (the default; `rulebook` NULL for the built-in
/// one) the report must also be signed by a key of `keyring` (NULL trusts no key): else
/// `HEDUI_RESULT_EVIDENCE_UNSIGNED`, `HEDUI_RESULT_EVIDENCE_UNKNOWN_KEY` or
/// `HEDUI_RESULT_EVIDENCE_BAD_SIGNATURE`, so a report edited and sealed again closes nothing.
///
/// On success `*closed_json_out` receives compact JSON `{"entry":{...},"ledger":{...}}`: the
/// closed `ReliefEntry` and the whole ledger, owned by the caller and released with
/// `hedui_string_free`. The ledger passed in is never changed.
///
/// # Safety
/// `rulebook` and `keyring` are NULL or live handles; `ledger_json`, `reference`,
/// `report_json` and `closed_on` are NULL or NUL-terminated strings; `closed_json_out` is NULL
/// or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_relief_close_json(
    rulebook: *const hedui_rulebook,
    keyring: *const hedui_report_keyring,
    ledger_json: *const c_char,
    reference: *const c_char,
    report_json: *const c_char,
    closed_on: *const c_char,
    closed_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_relief_close_json_impl(
            rulebook,
            keyring,
            Text::Terminated(ledger_json),
            Text::Terminated(reference),
            Text::Terminated(report_json),
            Text::Terminated(closed_on),
            closed_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_relief_close_json` with `ledger_json`, `reference`, `report_json`, `closed_on` given
/// as (pointer, length) and the error handed back by the call: the `_n` form. Text is UTF-8
/// with no NUL among its bytes (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`).
/// With `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure,
/// the error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller and
/// released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_relief_close_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_relief_close_json_n(
    rulebook: *const hedui_rulebook,
    keyring: *const hedui_report_keyring,
    ledger_json: *const c_char,
    ledger_json_len: usize,
    reference: *const c_char,
    reference_len: usize,
    report_json: *const c_char,
    report_json_len: usize,
    closed_on: *const c_char,
    closed_on_len: usize,
    closed_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_relief_close_json_impl(
            rulebook,
            keyring,
            Text::Counted(ledger_json, ledger_json_len),
            Text::Counted(reference, reference_len),
            Text::Counted(report_json, report_json_len),
            Text::Counted(closed_on, closed_on_len),
            closed_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_relief_close_json` and `hedui_relief_close_json_n`.
///
/// # Safety
/// As `hedui_relief_close_json_n` (texts as [`Text::get`]).
#[expect(
    clippy::too_many_arguments,
    reason = "one per parameter of the C call it serves"
)]
unsafe fn hedui_relief_close_json_impl(
    rulebook: *const hedui_rulebook,
    keyring: *const hedui_report_keyring,
    ledger_json: Text,
    reference: Text,
    report_json: Text,
    closed_on: Text,
    closed_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(closed_json_out, "closed_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let ledger = unsafe { ledger_json.get("ledger_json")? };
        // SAFETY: forwarded from this function's contract.
        let reference = unsafe { reference.get("reference")? };
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { report_json.get("report_json")? };
        // SAFETY: forwarded from this function's contract.
        let closed_on = unsafe { closed_on.get("closed_on")? };
        let closed_on = args::parse_date("closed_on", closed_on)?;
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        // SAFETY: forwarded from this function's contract.
        let keyring = unsafe { keyring_or_empty(keyring) };
        let closed = c_string(population::relief_close_json(
            rb, keyring, ledger, reference, report, closed_on,
        )?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, closed) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// R4: where every follow-up of the relief ledger stands on `as_of_date` (`YYYY-MM-DD`, else
/// `HEDUI_RESULT_INVALID_DATE`), counted in working days on the rulebook's calendar
/// (`rulebook` NULL for the built-in one).
///
/// On success `*follow_ups_json_out` receives the `FollowUpReport` as compact JSON: `as_of`
/// and the lists `open`, `overdue` and `closed`, each item with its `entry` and `state`
/// (`open` with `working_days_left`, `overdue` with `working_days`, `closed` with
/// `late_working_days`); owned by the caller and released with `hedui_string_free`. An
/// unreadable ledger fails with `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `ledger_json` and `as_of_date` are NULL or
/// NUL-terminated strings; `follow_ups_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_relief_follow_ups_json(
    rulebook: *const hedui_rulebook,
    ledger_json: *const c_char,
    as_of_date: *const c_char,
    follow_ups_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_relief_follow_ups_json_impl(
            rulebook,
            Text::Terminated(ledger_json),
            Text::Terminated(as_of_date),
            follow_ups_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_relief_follow_ups_json` with `ledger_json`, `as_of_date` given as (pointer, length)
/// and the error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its
/// bytes (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_relief_follow_ups_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_relief_follow_ups_json_n(
    rulebook: *const hedui_rulebook,
    ledger_json: *const c_char,
    ledger_json_len: usize,
    as_of_date: *const c_char,
    as_of_date_len: usize,
    follow_ups_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_relief_follow_ups_json_impl(
            rulebook,
            Text::Counted(ledger_json, ledger_json_len),
            Text::Counted(as_of_date, as_of_date_len),
            follow_ups_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_relief_follow_ups_json` and `hedui_relief_follow_ups_json_n`.
///
/// # Safety
/// As `hedui_relief_follow_ups_json_n` (texts as [`Text::get`]).
unsafe fn hedui_relief_follow_ups_json_impl(
    rulebook: *const hedui_rulebook,
    ledger_json: Text,
    as_of_date: Text,
    follow_ups_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(follow_ups_json_out, "follow_ups_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let ledger = unsafe { ledger_json.get("ledger_json")? };
        // SAFETY: forwarded from this function's contract.
        let as_of = unsafe { as_of_date.get("as_of_date")? };
        let as_of = args::parse_date("as_of_date", as_of)?;
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let report = c_string(population::relief_follow_ups_json(rb, ledger, as_of)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, report) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}
