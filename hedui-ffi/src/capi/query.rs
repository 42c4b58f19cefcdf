//! The query plan (R6 本级为主、上级补充).

use std::ffi::c_char;

use hedui_ops::query;

use super::rulebook::hedui_rulebook;
use super::{json_op, result::hedui_result};

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
            request_json,
            plan_json_out,
            "plan_json_out",
            query::query_plan_json,
        )
    }
}
