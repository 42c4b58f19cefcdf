//! Population rules: R5 coverage of new applications, R8 periodic recheck schedule.

use std::ffi::c_char;

use super::rulebook::hedui_rulebook;
use super::{boundary, c_string, out_arg, result::hedui_result, str_arg, write_out};
use crate::ops;

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
pub unsafe extern "C" fn hedui_coverage_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    coverage_json_out: *mut *mut c_char,
) -> hedui_result {
    boundary(|| {
        let out = out_arg(coverage_json_out, "coverage_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let request = unsafe { str_arg(request_json, "request_json")? };
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let report = c_string(ops::coverage_json(rb, request)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, report) };
        Ok(())
    })
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
/// "awaiting_authorization":[...]}}`, owned by the caller and released with
/// `hedui_string_free`. Unreadable input fails with `HEDUI_RESULT_INPUT_JSON`.
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
    boundary(|| {
        let out = out_arg(schedule_json_out, "schedule_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let households = unsafe { str_arg(households_json, "households_json")? };
        // SAFETY: forwarded from this function's contract.
        let as_of = unsafe { str_arg(as_of_date, "as_of_date")? };
        let as_of = ops::parse_date("as_of_date", as_of)?;
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let schedule = c_string(ops::recheck_schedule_json(rb, households, as_of)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, schedule) };
        Ok(())
    })
}
