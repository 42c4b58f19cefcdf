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
