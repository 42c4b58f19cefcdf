//! R11 report signatures across hosts: a report signed through one host (C, uniffi, Rust)
//! verifies through every other, gives the same signature everywhere (Ed25519 is
//! deterministic), and a report changed after signing fails in every host. The C program
//! `tests/c/test_hedui.c` signs under valgrind and hands its report to the uniffi Python
//! tests; the Python package checks the corpus's report signed through C.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::ffi::{CStr, CString, c_char};

use hedui_ffi::capi::{
    hedui_last_error_code, hedui_report_sign_json, hedui_report_verify_signature_json,
    hedui_result, hedui_signing_key_trust_json, hedui_string_free,
};
use hedui_ffi::uniffi_api as u;
use hedui_ops::security;
use serde_json::{Value, json};

const SEED_HEX: &str = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

fn report() -> Value {
    let path = hedui_tests::corpus_dir().join("expected/sample-good-1.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

type COp = unsafe extern "C" fn(*const c_char, *mut *mut c_char) -> hedui_result;

/// A C operation: its JSON response, or its error code.
fn c(op: COp, request: &Value) -> Result<Value, String> {
    let request = CString::new(request.to_string()).unwrap();
    let mut out = std::ptr::null_mut();
    // SAFETY: a NUL-terminated input and a writable output pointer.
    let r = unsafe { op(request.as_ptr(), &mut out) };
    if r == hedui_result::Ok {
        // SAFETY: on success a NUL-terminated string we own until freed.
        let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        // SAFETY: freed once.
        unsafe { hedui_string_free(out) };
        Ok(serde_json::from_str(&text).unwrap())
    } else {
        assert!(out.is_null(), "output written on failure");
        // SAFETY: a static NUL-terminated string.
        let code = unsafe { CStr::from_ptr(hedui_last_error_code()) };
        Err(code.to_str().unwrap().to_owned())
    }
}

fn uniffi(
    op: fn(String) -> Result<String, u::HeduiError>,
    request: &Value,
) -> Result<Value, String> {
    op(request.to_string())
        .map(|text| serde_json::from_str(&text).unwrap())
        .map_err(|e| e.code().to_owned())
}

fn rust_verify(report: &Value, key: &Value) -> Result<Value, String> {
    let request: security::ReportVerifySignatureRequest =
        serde_json::from_value(json!({"report": report, "trusted_keys": [key]})).unwrap();
    security::report_verify_signature(&request)
        .map(|v| serde_json::to_value(v).unwrap())
        .map_err(|e| e.code().to_owned())
}

/// Verifies `report` with `key` through C, uniffi and Rust: one outcome for all three.
fn verify_everywhere(report: &Value, key: &Value) -> Result<Value, String> {
    let request = json!({"report": report, "trusted_keys": [key]});
    let by_c = c(hedui_report_verify_signature_json, &request);
    let by_uniffi = uniffi(u::report_verify_signature_json, &request);
    let by_rust = rust_verify(report, key);
    assert_eq!(by_c, by_uniffi, "C and uniffi disagree");
    assert_eq!(by_c, by_rust, "C and Rust disagree");
    by_c
}

#[test]
fn a_report_signed_through_c_verifies_through_uniffi_and_rust_and_back() {
    let sign = json!({"report": report(), "key_id": "linfen-2026", "seed_hex": SEED_HEX});
    let by_c = c(hedui_report_sign_json, &sign).unwrap();
    let by_uniffi = uniffi(u::report_sign_json, &sign).unwrap();
    let by_rust = serde_json::to_value(
        security::report_sign(serde_json::from_value(sign.clone()).unwrap()).unwrap(),
    )
    .unwrap();
    // one signature, whichever host made it
    assert_eq!(by_c, by_uniffi);
    assert_eq!(by_c, by_rust);

    let trust = json!({"key_id": "linfen-2026", "seed_hex": SEED_HEX});
    let key = c(hedui_signing_key_trust_json, &trust).unwrap();
    assert_eq!(uniffi(u::signing_key_trust_json, &trust).unwrap(), key);

    let verified = verify_everywhere(&by_c, &key).unwrap();
    assert_eq!(verified["key_id"], "linfen-2026");
    assert_eq!(verified["digest"], by_c["integrity"]["digest"]);
    verify_everywhere(&by_uniffi, &key).unwrap();
    verify_everywhere(&by_rust, &key).unwrap();
}

#[test]
fn a_report_changed_after_signing_fails_in_every_host() {
    let sign = json!({"report": report(), "key_id": "linfen-2026", "seed_hex": SEED_HEX});
    let signed = c(hedui_report_sign_json, &sign).unwrap();
    let key = c(
        hedui_signing_key_trust_json,
        &json!({"key_id": "linfen-2026", "seed_hex": SEED_HEX}),
    )
    .unwrap();

    let mut changed = signed.clone();
    changed["header"]["household_id"] = json!("H141030-99999999");
    assert_eq!(
        verify_everywhere(&changed, &key).unwrap_err(),
        "signature_invalid"
    );
    // the digest recomputed over the change does not help: the signature covers the old one
    let mut resealed: hedui_core::Report = serde_json::from_value(changed).unwrap();
    resealed.seal().unwrap();
    let mut resealed = serde_json::to_value(resealed).unwrap();
    resealed["integrity"]["signature"] = signed["integrity"]["signature"].clone();
    assert_eq!(
        verify_everywhere(&resealed, &key).unwrap_err(),
        "signature_invalid"
    );
    // another key under the signer's id
    let mut other = key.clone();
    other["public_key"] = json!("00".repeat(32));
    let e = verify_everywhere(&signed, &other).unwrap_err();
    assert_eq!(e, "signature_invalid");
}

#[test]
fn a_bad_seed_fails_alike_and_is_not_repeated() {
    let report = report();
    for (seed, code) in [("0102", "signing_key_invalid"), ("zz", "input_json")] {
        let sign = json!({"report": report, "key_id": "k", "seed_hex": seed});
        assert_eq!(c(hedui_report_sign_json, &sign).unwrap_err(), code);
        let e = u::report_sign_json(sign.to_string()).unwrap_err();
        assert_eq!(e.code(), code);
        assert!(!e.to_string().contains(seed), "{e}");
    }
}
