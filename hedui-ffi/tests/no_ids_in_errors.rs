//! No resident ID in any error through the C ABI and uniffi: a case whose IDs are JSON numbers
//! or whose text fields hold 15- and 18-digit runs gives error messages, error JSON and batch
//! error lines without such a run; so do `archive_check` and `account_register` on the case's
//! letters and first member, under the built-in rulebook and under the corpus rulebook
//! `strict-identifiers` (the Rust operations layer is covered by
//! `tests/tests/no_ids_in_errors.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::ffi::{CStr, CString, c_char};

use hedui_ffi::capi::{
    hedui_account_register_json, hedui_archive_check_json, hedui_id_check_json,
    hedui_last_error_json, hedui_last_error_message, hedui_result, hedui_rulebook,
    hedui_rulebook_from_json, hedui_string_free, hedui_verify_batch_jsonl, hedui_verify_json_at,
};
use hedui_ffi::uniffi_api;
use proptest::prelude::*;

const AT: &str = "2026-11-29T10:00:00+08:00";

fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

fn last_error() -> (String, String) {
    let mut buf = vec![0 as c_char; 64 * 1024];
    // SAFETY: a buffer of buf.len() bytes.
    unsafe { hedui_last_error_message(buf.as_mut_ptr(), buf.len()) };
    // SAFETY: NUL-terminated by the call.
    let message = unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned();
    // SAFETY: as above.
    unsafe { hedui_last_error_json(buf.as_mut_ptr(), buf.len()) };
    // SAFETY: NUL-terminated by the call.
    let json = unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned();
    (message, json)
}

/// Every error text the C ABI and uniffi give for `case_json` (verify, batch, id_check).
fn error_texts(case_json: &str) -> Vec<String> {
    let mut out = Vec::new();
    let case = CString::new(case_json).unwrap();
    let at = CString::new(AT).unwrap();
    let mut report = std::ptr::null_mut();
    // SAFETY: NUL-terminated inputs and a writable output pointer.
    let r =
        unsafe { hedui_verify_json_at(std::ptr::null(), case.as_ptr(), at.as_ptr(), &mut report) };
    if r == hedui_result::Ok {
        // SAFETY: ours to free.
        unsafe { hedui_string_free(report) };
    } else {
        let (m, j) = last_error();
        out.push(m);
        out.push(j);
    }
    let jsonl = CString::new(format!("{}\n", case_json.replace('\n', " "))).unwrap();
    let (mut reports, mut errors) = (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: NUL-terminated inputs and writable output pointers.
    let r = unsafe {
        hedui_verify_batch_jsonl(
            std::ptr::null(),
            jsonl.as_ptr(),
            at.as_ptr(),
            0,
            &mut reports,
            &mut errors,
        )
    };
    assert_eq!(r, hedui_result::Ok);
    // SAFETY: NUL-terminated outputs we own.
    out.push(
        unsafe { CStr::from_ptr(errors) }
            .to_string_lossy()
            .into_owned(),
    );
    // SAFETY: each freed once.
    unsafe {
        hedui_string_free(reports);
        hedui_string_free(errors);
    }
    let request = CString::new(case_json).unwrap();
    let mut checked = std::ptr::null_mut();
    // SAFETY: as above.
    let r = unsafe { hedui_id_check_json(std::ptr::null(), request.as_ptr(), &mut checked) };
    if r == hedui_result::Ok {
        // SAFETY: ours to free.
        unsafe { hedui_string_free(checked) };
    } else {
        let (m, j) = last_error();
        out.push(m);
        out.push(j);
    }
    if let Err(e) = uniffi_api::verify_json_at(None, case_json.to_owned(), AT.to_owned()) {
        out.push(format!("{e:?}"));
    }
    if let Ok(batch) = uniffi_api::verify_batch_jsonl(
        None,
        format!("{}\n", case_json.replace('\n', " ")),
        Some(AT.to_owned()),
        false,
    ) {
        out.push(batch.errors_jsonl);
    }
    if let Err(e) = uniffi_api::id_check_json(None, case_json.to_owned()) {
        out.push(format!("{e:?}"));
    }
    out.extend(rulebook_op_texts(case_json));
    out
}

/// The C rulebook handle of the corpus rulebook `strict-identifiers` (first-generation numbers
/// refused, a later birth floor), made once and kept for the whole test run.
fn strict_rulebook() -> *const hedui_rulebook {
    struct Handle(*mut hedui_rulebook);
    // SAFETY: a rulebook handle is immutable and may be used by many threads at once (hedui.h).
    unsafe impl Send for Handle {}
    // SAFETY: as above.
    unsafe impl Sync for Handle {}
    static RB: std::sync::OnceLock<Handle> = std::sync::OnceLock::new();
    RB.get_or_init(|| {
        let text = CString::new(hedui_tests::ops_rulebook("strict-identifiers")).unwrap();
        let mut rb = std::ptr::null_mut();
        // SAFETY: a NUL-terminated input and a writable output pointer.
        let r = unsafe { hedui_rulebook_from_json(text.as_ptr(), &mut rb) };
        assert_eq!(r, hedui_result::Ok);
        Handle(rb)
    })
    .0
}

/// The error texts of `archive_check` and `account_register` through C and uniffi on the
/// letters and the first member of `case_json` (when it is JSON), under the built-in rulebook
/// and under `strict-identifiers`.
fn rulebook_op_texts(case_json: &str) -> Vec<String> {
    type Op = unsafe extern "C" fn(
        *const hedui_rulebook,
        *const c_char,
        *mut *mut c_char,
    ) -> hedui_result;
    let Ok(case) = serde_json::from_str::<serde_json::Value>(case_json) else {
        return Vec::new();
    };
    let archive = serde_json::json!({"archive": [], "entrustments": [case["entrustment"]],
        "authorizations": [case["authorization"]]});
    let registration = serde_json::json!({
        "request": {"account": "op.zhang", "name": "张伟",
            "resident_id": case["household"]["members"][0]["id"],
            "registration_number": "BA-1", "registered_on": "2026-01-05",
            "agency_id": "HD141030", "role": "verifier",
            "confidentiality_signed_on": "2026-01-05"},
        "agencies": [{"id": "HD141030", "name": "大宁县核对中心", "level": "county",
            "region": "141030"}]});
    let mut out = Vec::new();
    let ops: [(Op, String); 2] = [
        (hedui_archive_check_json, archive.to_string()),
        (hedui_account_register_json, registration.to_string()),
    ];
    for (op, request) in ops {
        let request = CString::new(request).unwrap();
        for rb in [std::ptr::null(), strict_rulebook()] {
            let mut answer = std::ptr::null_mut();
            // SAFETY: a NULL or live rulebook, a NUL-terminated input, a writable output.
            if unsafe { op(rb, request.as_ptr(), &mut answer) } == hedui_result::Ok {
                // SAFETY: ours to free.
                unsafe { hedui_string_free(answer) };
            } else {
                let (m, j) = last_error();
                out.push(m);
                out.push(j);
            }
        }
    }
    let strict =
        uniffi_api::Rulebook::from_json(hedui_tests::ops_rulebook("strict-identifiers")).unwrap();
    for rb in [None, Some(strict)] {
        if let Err(e) = uniffi_api::archive_check_json(rb.clone(), archive.to_string()) {
            out.push(format!("{e:?}"));
        }
        if let Err(e) = uniffi_api::account_register_json(rb, registration.to_string()) {
            out.push(format!("{e:?}"));
        }
    }
    out
}

fn good_case() -> serde_json::Value {
    let text = std::fs::read_to_string(hedui_tests::corpus_dir().join("cases/sample-good-1.json"))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn an_id_as_a_json_number_is_masked_in_c_and_uniffi() {
    let mut case = good_case();
    case["household"]["members"][0]["id"] = serde_json::from_str("141030197803100016").unwrap();
    let texts = error_texts(&case.to_string());
    assert!(
        texts.iter().any(|t| t.contains("141030**********16")),
        "{texts:?}"
    );
    // the first member's first-generation number: refused by strict-identifiers in
    // archive_check (a subject of the entrustment) and account_register, masked
    let mut case = good_case();
    case["household"]["members"][0]["id"] = "141030780310001".into();
    case["entrustment"]["subjects"][0] = "141030780310001".into();
    let texts = rulebook_op_texts(&case.to_string());
    assert!(
        texts
            .iter()
            .filter(|t| t.contains("id_resident_legacy"))
            .count()
            >= 2,
        "{texts:?}"
    );
    for t in &texts {
        assert!(longest_digit_run(t) < 15, "{t}");
        assert!(!t.contains("141030780310001"), "{t}");
    }
    for t in &texts {
        assert!(longest_digit_run(t) < 15, "{t}");
    }
    let texts = error_texts(r#"{"kind": "resident_id", "value": 141030197803100016}"#);
    for t in &texts {
        assert!(longest_digit_run(t) < 15, "{t}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn no_error_text_holds_a_digit_run(run in "[1-9][0-9]{14}|[1-9][0-9]{17}", field in 0usize..6, as_number in any::<bool>()) {
        let mut case = good_case();
        let value: serde_json::Value = if as_number {
            serde_json::from_str(&run).unwrap()
        } else {
            serde_json::Value::String(run.clone())
        };
        match field {
            0 => case["household"]["members"][0]["id"] = value,
            1 => case["household"]["id"] = value,
            2 => case["case_id"] = value,
            3 => case["entrustment"]["subjects"][0] = value,
            4 => case["authorization"]["household_id"] = value,
            _ => case["responses"][0]["subject"] = value,
        }
        for t in error_texts(&case.to_string()) {
            prop_assert!(longest_digit_run(&t) < 15, "{}", t);
        }
    }
}
