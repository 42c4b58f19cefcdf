//! The JSON path of a bad field through the C ABI: `hedui_last_error_json` carries it for one
//! case, and each error line of `hedui_verify_batch_jsonl` has it.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::ffi::{CStr, CString, c_char};

use hedui_ffi::capi::{hedui_last_error_json, hedui_result, hedui_verify_json_at};

const AT: &str = "2026-11-29T10:00:00+08:00";

/// The sample case with the second member's ID changed to `id`, as one line whose fields keep
/// the case type's order (the household before the letters).
fn case_with_spouse(id: &str) -> String {
    let text = include_str!("../../tests/corpus/cases/sample-good-1.json");
    let case = hedui_core::Case::from_json(text).unwrap();
    serde_json::to_string(&case)
        .unwrap()
        .replace("141030197702263262", id)
}

fn verify_error(case_json: &str) -> serde_json::Value {
    let case = CString::new(case_json).unwrap();
    let at = CString::new(AT).unwrap();
    let mut report = std::ptr::null_mut();
    // SAFETY: NUL-terminated inputs and a writable output pointer.
    let r =
        unsafe { hedui_verify_json_at(std::ptr::null(), case.as_ptr(), at.as_ptr(), &mut report) };
    assert_ne!(r, hedui_result::Ok);
    let mut buf = vec![0 as c_char; 64 * 1024];
    // SAFETY: a buffer of buf.len() bytes.
    unsafe { hedui_last_error_json(buf.as_mut_ptr(), buf.len()) };
    // SAFETY: NUL-terminated by the call.
    let json = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
    serde_json::from_str(json).unwrap()
}

#[test]
fn the_last_error_json_names_the_path_of_a_bad_identifier() {
    let d = verify_error(&case_with_spouse("141030197702263263"));
    assert_eq!(d["code"], "id_resident_checksum");
    assert_eq!(d["path"], "household.members[1].id");
    // born 2027-01-01, after the issue day: the rulebook's birth window, same path
    let d = verify_error(&case_with_spouse("141030202701010021"));
    assert_eq!(d["code"], "id_resident_birth_out_of_range");
    assert_eq!(d["path"], "household.members[1].id");
}
