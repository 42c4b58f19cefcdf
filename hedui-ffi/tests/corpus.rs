//! The shared corpus through the C ABI (called as Rust `extern "C"` functions) and through
//! the uniffi functions: every case gives the recorded outcome byte for byte, as through
//! Rust. The C program `tests/c/test_hedui.c` runs the same files under valgrind
//! (`scripts/test-ffi.sh`); this test keeps `cargo test` covering the bindings too.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use std::ffi::{CStr, CString};
use std::fs;

use hedui_ffi::capi::{
    hedui_last_error_code, hedui_result, hedui_string_free, hedui_verify_json_at,
};
use hedui_ffi::uniffi_api::verify_json_at;

const ISSUED_AT: &str = "2026-11-29T10:00:00+08:00";

fn c_outcome(case_json: &str) -> String {
    let case = CString::new(case_json).unwrap();
    let at = CString::new(ISSUED_AT).unwrap();
    let mut out = std::ptr::null_mut();
    // SAFETY: NUL-terminated inputs and a writable output pointer.
    let r = unsafe { hedui_verify_json_at(std::ptr::null(), case.as_ptr(), at.as_ptr(), &mut out) };
    if r == hedui_result::Ok {
        // SAFETY: on success a NUL-terminated string we own until freed.
        let report = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        // SAFETY: freed once.
        unsafe { hedui_string_free(out) };
        report + "\n"
    } else {
        assert!(out.is_null(), "output written on failure");
        // SAFETY: a static NUL-terminated string.
        let code = unsafe { CStr::from_ptr(hedui_last_error_code()) };
        format!("{{\"error\":\"{}\"}}\n", code.to_str().unwrap())
    }
}

fn uniffi_outcome(case_json: &str) -> String {
    match verify_json_at(None, case_json.to_owned(), ISSUED_AT.to_owned()) {
        Ok(report) => report + "\n",
        Err(e) => format!("{{\"error\":\"{}\"}}\n", e.code()),
    }
}

#[test]
fn corpus_gives_recorded_outcomes_through_c_and_uniffi() {
    let dir = hedui_tests::corpus_dir();
    let mut names: Vec<_> = fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 8, "corpus has too few cases");
    for path in names {
        let text = fs::read_to_string(&path).unwrap();
        let expected =
            fs::read_to_string(dir.join("expected").join(path.file_name().unwrap())).unwrap();
        assert_eq!(c_outcome(&text), expected, "C: {}", path.display());
        assert_eq!(
            uniffi_outcome(&text),
            expected,
            "uniffi: {}",
            path.display()
        );
    }
}

/// A C operation of the shape `hedui_<operation>_json(rulebook, request_json, out)`.
type CWithRulebook = unsafe extern "C" fn(
    *const hedui_ffi::capi::hedui_rulebook,
    *const std::ffi::c_char,
    *mut *mut std::ffi::c_char,
) -> hedui_result;
/// A C evidence gate `hedui_<operation>_json(rulebook, keyring, request_json, out)`; the
/// corpus passes no keyring handle, as `hedui_ops::json::operation` does: the keys a gate
/// trusts are in the request (`trusted_keys`).
type CEvidence = unsafe extern "C" fn(
    *const hedui_ffi::capi::hedui_rulebook,
    *const hedui_ffi::capi::hedui_report_keyring,
    *const std::ffi::c_char,
    *mut *mut std::ffi::c_char,
) -> hedui_result;
/// A C operation of the shape `hedui_<operation>_json(request_json, out)`.
type CWithout =
    unsafe extern "C" fn(*const std::ffi::c_char, *mut *mut std::ffi::c_char) -> hedui_result;

/// The C handle of a corpus case's own rulebook (`None` for the built-in one: NULL).
struct CRulebook(*mut hedui_ffi::capi::hedui_rulebook);

impl CRulebook {
    fn load(text: Option<&str>) -> Self {
        let Some(text) = text else {
            return CRulebook(std::ptr::null_mut());
        };
        let text = CString::new(text).unwrap();
        let mut rb = std::ptr::null_mut();
        // SAFETY: a NUL-terminated input and a writable output pointer.
        let r = unsafe { hedui_ffi::capi::hedui_rulebook_from_json(text.as_ptr(), &mut rb) };
        assert_eq!(r, hedui_result::Ok, "the corpus rulebook reads");
        CRulebook(rb)
    }
}

impl Drop for CRulebook {
    fn drop(&mut self) {
        // SAFETY: a handle made by hedui_rulebook_from_json (or NULL), freed once.
        unsafe { hedui_ffi::capi::hedui_rulebook_free(self.0) };
    }
}

fn c_ops_outcome(operation: &str, request: &str, rulebook: Option<&str>) -> String {
    use hedui_ffi::capi::*;
    let handle = CRulebook::load(rulebook);
    let rb: *const hedui_rulebook = handle.0;
    let with: Option<CWithRulebook> = match operation {
        "coverage_audit" => Some(hedui_coverage_audit_json),
        "query_plan" => Some(hedui_query_plan_json),
        "id_check" => Some(hedui_id_check_json),
        "resident_id_check" => Some(hedui_resident_id_check_json),
        "credit_code_check" => Some(hedui_credit_code_check_json),
        "lending_detect" => Some(hedui_lending_detect_json),
        "account_set_password" => Some(hedui_account_set_password_json),
        "account_login" => Some(hedui_account_login_json),
        "account_login_unknown" => Some(hedui_account_login_unknown_json),
        "authorization_check" => Some(hedui_authorization_check_json),
        "password_check" => Some(hedui_password_check_json),
        "account_register" => Some(hedui_account_register_json),
        "archive_check" => Some(hedui_archive_check_json),
        "report_check_use" => Some(hedui_report_check_use_json),
        _ => None,
    };
    let without: Option<CWithout> = match operation {
        "account_activate" => Some(hedui_account_activate_json),
        "permission_check" => Some(hedui_permission_check_json),
        "report_mask" => Some(hedui_report_mask_json),
        "case_tables_read" => Some(hedui_case_tables_read_json),
        "case_tables_write" => Some(hedui_case_tables_write_json),
        "report_sign" => Some(hedui_report_sign_json),
        "signing_key_trust" => Some(hedui_signing_key_trust_json),
        "document_seal" => Some(hedui_document_seal_json),
        "document_open" => Some(hedui_document_open_json),
        "report_verify_signature" => Some(hedui_report_verify_signature_json),
        "audit_head_sign" => Some(hedui_audit_head_sign_json),
        "audit_head_open" => Some(hedui_audit_head_open_json),
        "report_check_printed" => Some(hedui_report_check_printed_json),
        _ => None,
    };
    let evidence: Option<CEvidence> = match operation {
        "appeal_file" => Some(hedui_appeal_file_json),
        "report_history_record" => Some(hedui_report_history_record_json),
        _ => None,
    };
    let mut out = std::ptr::null_mut();
    let r = if let Some(f) = evidence {
        let request = CString::new(request).unwrap();
        // SAFETY: NULL rulebook and keyring are allowed; a NUL-terminated input and a writable
        // output pointer.
        unsafe { f(rb, std::ptr::null(), request.as_ptr(), &mut out) }
    } else if operation == "recheck_schedule" {
        // the C function takes the request's members as arguments
        let (households, as_of) = recheck_arguments(request);
        let households = CString::new(households).unwrap();
        let as_of = CString::new(as_of).unwrap();
        // SAFETY: NUL-terminated inputs and a writable output pointer.
        unsafe { hedui_recheck_schedule_json(rb, households.as_ptr(), as_of.as_ptr(), &mut out) }
    } else {
        let request = CString::new(request).unwrap();
        // SAFETY: a NUL-terminated input and a writable output pointer.
        unsafe {
            match (with, without) {
                (Some(f), _) => f(rb, request.as_ptr(), &mut out),
                (None, Some(f)) => {
                    assert!(rb.is_null(), "{operation} takes no rulebook");
                    f(request.as_ptr(), &mut out)
                }
                (None, None) => panic!("no C function for {operation}"),
            }
        }
    };
    if r == hedui_result::Ok {
        // SAFETY: on success a NUL-terminated string we own until freed.
        let json = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        // SAFETY: freed once.
        unsafe { hedui_string_free(out) };
        json + "\n"
    } else {
        assert!(out.is_null(), "output written on failure");
        // SAFETY: a static NUL-terminated string.
        let code = unsafe { CStr::from_ptr(hedui_last_error_code()) };
        format!("{{\"error\":\"{}\"}}\n", code.to_str().unwrap())
    }
}

/// The arguments of `recheck_schedule` in C and uniffi from its corpus request
/// `{"as_of", "households"}`: the households as JSON text, and the as-of date.
fn recheck_arguments(request: &str) -> (String, String) {
    let doc: serde_json::Value = serde_json::from_str(request).unwrap();
    let member = |name: &str| doc.get(name).unwrap();
    let households = serde_json::to_string(member("households")).unwrap();
    (households, member("as_of").as_str().unwrap().to_owned())
}

fn uniffi_ops_outcome(operation: &str, request: &str, rulebook: Option<&str>) -> String {
    use hedui_ffi::uniffi_api as u;
    let r = request.to_owned();
    let rb = rulebook.map(|text| u::Rulebook::from_json(text.to_owned()).unwrap());
    let plain = matches!(
        operation,
        "account_activate"
            | "permission_check"
            | "report_mask"
            | "report_sign"
            | "signing_key_trust"
            | "report_verify_signature"
            | "audit_head_sign"
            | "audit_head_open"
            | "report_check_printed"
    );
    assert!(!plain || rb.is_none(), "{operation} takes no rulebook");
    let result = match operation {
        "coverage_audit" => u::coverage_audit_json(rb, r),
        "query_plan" => u::query_plan_json(rb, r),
        "lending_detect" => u::lending_detect_json(rb, r),
        "account_set_password" => u::account_set_password_json(rb, r),
        "account_login" => u::account_login_json(rb, r),
        "account_login_unknown" => u::account_login_unknown_json(rb, r),
        "account_register" => u::account_register_json(rb, r),
        "account_activate" => u::account_activate_json(r),
        "archive_check" => u::archive_check_json(rb, r),
        "appeal_file" => u::appeal_file_json(rb, None, r),
        "report_history_record" => u::report_history_record_json(rb, None, r),
        "authorization_check" => u::authorization_check_json(rb, r).map(|c| c.json),
        "recheck_schedule" => {
            let (households, as_of) = recheck_arguments(request);
            u::recheck_schedule_json(rb, households, as_of)
        }
        "password_check" => u::password_check_json(rb, r),
        "id_check" => u::id_check_json(rb, r),
        "resident_id_check" => u::resident_id_check_json(rb, r),
        "credit_code_check" => u::credit_code_check_json(rb, r),
        "permission_check" => u::permission_check_json(r),
        "report_mask" => u::report_mask_json(r),
        "case_tables_read" => u::case_tables_read_json(r),
        "case_tables_write" => u::case_tables_write_json(r),
        "report_sign" => u::report_sign_json(r),
        "signing_key_trust" => u::signing_key_trust_json(r),
        "report_verify_signature" => u::report_verify_signature_json(r),
        "document_seal" => u::document_seal_json(r),
        "document_open" => u::document_open_json(r),
        "audit_head_sign" => u::audit_head_sign_json(r),
        "audit_head_open" => u::audit_head_open_json(r),
        "report_check_printed" => u::report_check_printed_json(r),
        "report_check_use" => u::report_check_use_json(None, r),
        other => panic!("no uniffi function for {other}"),
    };
    match result {
        Ok(json) => json + "\n",
        Err(e) => format!("{{\"error\":\"{}\"}}\n", e.code()),
    }
}

#[test]
fn ops_corpus_gives_recorded_outcomes_through_c_and_uniffi() {
    let cases = hedui_tests::ops_corpus();
    assert!(cases.len() >= 6, "the ops corpus has too few cases");
    for case in cases {
        let expected = fs::read_to_string(&case.expected_path).unwrap();
        let rulebook = case.rulebook.as_deref();
        assert_eq!(
            c_ops_outcome(&case.operation, &case.request, rulebook),
            expected,
            "C: {}",
            case.name
        );
        assert_eq!(
            uniffi_ops_outcome(&case.operation, &case.request, rulebook),
            expected,
            "uniffi: {}",
            case.name
        );
    }
}

/// The evidence gates through C with the trusted keys in the request and no keyring handle
/// (what `hedui_ops::json::operation` does): a signed report is filed; an unsigned, unknown-key
/// or changed one is refused with its result number, and the same through uniffi.
#[test]
fn evidence_gates_trust_the_keys_in_the_request_through_c_and_uniffi() {
    use hedui_ffi::capi::hedui_appeal_file_json;
    let dir = hedui_tests::corpus_dir().join("ops").join("appeal_file");
    for (name, number, code) in [
        ("signed.json", 0u32, None),
        ("unsigned.json", 7030, Some("evidence_unsigned")),
        ("unknown-key.json", 7031, Some("evidence_unknown_key")),
        ("no-trusted-keys.json", 7031, Some("evidence_unknown_key")),
        ("tampered.json", 7032, Some("evidence_bad_signature")),
    ] {
        let text = fs::read_to_string(dir.join(name)).unwrap();
        let request = CString::new(text.clone()).unwrap();
        let mut out = std::ptr::null_mut();
        // SAFETY: NULL rulebook and keyring are allowed; a NUL-terminated input and a
        // writable output pointer.
        let r = unsafe {
            hedui_appeal_file_json(
                std::ptr::null(),
                std::ptr::null(),
                request.as_ptr(),
                &mut out,
            )
        };
        assert_eq!(r as u32, number, "{name}");
        if r == hedui_result::Ok {
            // SAFETY: on success a string we own, freed once.
            unsafe { hedui_string_free(out) };
        } else {
            assert!(out.is_null());
        }
        let uniffi = hedui_ffi::uniffi_api::appeal_file_json(None, None, text);
        assert_eq!(
            uniffi.err().map(|e| e.code().to_owned()),
            code.map(str::to_owned),
            "{name}"
        );
    }
}
