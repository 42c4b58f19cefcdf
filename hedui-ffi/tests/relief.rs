//! R4 先行救助、再行核对 through the bindings: relief recorded in a ledger the host keeps as
//! JSON, closed only by the follow-up verification of that relief, and the follow-ups counted
//! in working days. The C program `tests/c/test_hedui.c` runs the same steps under valgrind.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::ffi::{CStr, CString};

use hedui_ffi::capi::{
    hedui_last_error_code, hedui_relief_close_json, hedui_relief_record_json, hedui_result,
    hedui_string_free,
};
use std::sync::Arc;

use hedui_ffi::uniffi_api::{
    HeduiError, ReportKeyring, ReportSigner, Rulebook, relief_close_json, relief_follow_ups_json,
    relief_record_json, verify_json_at,
};
use serde_json::{Value, json};

const ISSUED_AT: &str = "2026-11-29T10:00:00+08:00";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// The agency's signer and a keyring that trusts it.
fn agency() -> (Arc<ReportSigner>, Arc<ReportKeyring>) {
    let signer = ReportSigner::new("agency-2026".to_owned(), vec![21u8; 32]).unwrap();
    let keys = format!("[{}]", signer.trusted_key_json().unwrap());
    (signer, ReportKeyring::new(keys).unwrap())
}

/// The follow-up case of the fixtures (household `H141030-00000000`, relief `JJ-1-1`), the
/// same case as a new application naming the relief, and as a plain new application, all
/// verified and signed by the agency.
fn reports() -> (String, String, String) {
    let (signer, _) = agency();
    let (a, b, c) = unsigned_reports();
    let sign = |r: String| signer.sign_json(r).unwrap();
    (sign(a), sign(b), sign(c))
}

/// As [`reports`], sealed but not signed.
fn unsigned_reports() -> (String, String, String) {
    let follow_up = fixture("case-emergency-follow-up.json");
    let mut other: Value = serde_json::from_str(&follow_up).unwrap();
    other["entrustment"]["purpose"] = json!("new_application");
    let mut plain = other.clone();
    plain["entrustment"]
        .as_object_mut()
        .unwrap()
        .remove("relief_reference");
    let verify = |case: String| verify_json_at(None, case, ISSUED_AT.to_owned()).unwrap();
    (
        verify(follow_up),
        verify(other.to_string()),
        verify(plain.to_string()),
    )
}

fn grant(case_id: &str, emergency: bool) -> String {
    json!({
        "case_id": case_id,
        "household_id": "H141030-00000000",
        "relieved_on": "2026-07-01",
        "amount_fen": 200_000,
        "reason": "火灾",
        "emergency": emergency,
    })
    .to_string()
}

fn code(e: &HeduiError) -> String {
    e.code().to_owned()
}

#[test]
fn relief_first_then_the_follow_up_closes_it() {
    let recorded: Value =
        serde_json::from_str(&relief_record_json(None, None, grant("JJ-1", true)).unwrap())
            .unwrap();
    assert_eq!(recorded["reference"], "JJ-1-1");
    let ledger = recorded["ledger"].to_string();
    let second: Value = serde_json::from_str(
        &relief_record_json(None, Some(ledger.clone()), grant("JJ-1", true)).unwrap(),
    )
    .unwrap();
    assert_eq!(second["reference"], "JJ-1-2");
    let ledger2 = second["ledger"].to_string();

    // before the follow-up: both open on 2026-07-02, both overdue by November
    let early: Value = serde_json::from_str(
        &relief_follow_ups_json(None, ledger2.clone(), "2026-07-02".to_owned()).unwrap(),
    )
    .unwrap();
    assert_eq!(early["open"].as_array().unwrap().len(), 2);
    let late: Value = serde_json::from_str(
        &relief_follow_ups_json(None, ledger2.clone(), "2026-11-29".to_owned()).unwrap(),
    )
    .unwrap();
    assert_eq!(late["overdue"].as_array().unwrap().len(), 2);

    let (follow_up, other_purpose, plain) = reports();
    let (_, keyring) = agency();
    let closed: Value = serde_json::from_str(
        &relief_close_json(
            None,
            Some(keyring.clone()),
            ledger2.clone(),
            "JJ-1-1".to_owned(),
            follow_up.clone(),
            "2026-11-29".to_owned(),
        )
        .unwrap(),
    )
    .unwrap();
    let report: Value = serde_json::from_str(&follow_up).unwrap();
    assert_eq!(
        closed["entry"]["closure"]["report_number"],
        report["report_number"]
    );
    assert_eq!(
        closed["entry"]["closure"]["report_digest"],
        report["integrity"]["digest"]
    );
    let after: Value = serde_json::from_str(
        &relief_follow_ups_json(None, closed["ledger"].to_string(), "2026-11-29".to_owned())
            .unwrap(),
    )
    .unwrap();
    let refs = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|f| f["entry"]["reference"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(refs(&after["closed"]), ["JJ-1-1"]);
    assert_eq!(refs(&after["overdue"]), ["JJ-1-2"]);

    // only the follow-up of this very relief, once, by a report that verifies
    let refuse = |ledger: &str, reference: &str, report: &str, on: &str| {
        code(
            &relief_close_json(
                None,
                Some(keyring.clone()),
                ledger.to_owned(),
                reference.to_owned(),
                report.to_owned(),
                on.to_owned(),
            )
            .unwrap_err(),
        )
    };
    let closed_ledger = closed["ledger"].to_string();
    for (ledger, reference, report, on, expected) in [
        (
            &ledger2,
            "JJ-1-1",
            &other_purpose,
            "2026-11-29",
            "relief_followup_wrong_purpose",
        ),
        // a report that names no relief
        (
            &ledger2,
            "JJ-1-1",
            &plain,
            "2026-11-29",
            "relief_followup_report_unverified",
        ),
        (
            &ledger2,
            "JJ-1-2",
            &follow_up,
            "2026-11-29",
            "relief_followup_reference_mismatch",
        ),
        (
            &ledger2,
            "JJ-9-1",
            &follow_up,
            "2026-11-29",
            "relief_followup_unknown",
        ),
        (
            &ledger2,
            "JJ-1-1",
            &follow_up,
            "2026-06-30",
            "relief_followup_before_relief",
        ),
        // closed before its report was issued (the report is dated 2026-11-29)
        (
            &ledger2,
            "JJ-1-1",
            &follow_up,
            "2026-07-10",
            "relief_followup_report_unverified",
        ),
        (
            &closed_ledger,
            "JJ-1-1",
            &follow_up,
            "2026-11-30",
            "relief_followup_already_closed",
        ),
        (&ledger2, "JJ-1-1", &follow_up, "10 July", "invalid_date"),
    ] {
        assert_eq!(
            refuse(ledger, reference, report, on),
            expected,
            "{reference} {on}"
        );
    }
    let tampered = follow_up.replacen("\"limits_of_use\":\"", "\"limits_of_use\":\"x", 1);
    assert_ne!(tampered, follow_up);
    assert_eq!(
        refuse(&ledger2, "JJ-1-1", &tampered, "2026-11-29"),
        "evidence_bad_signature"
    );
}

/// The report-forgery finding through uniffi: a follow-up report edited to name another
/// household's overdue relief and sealed again (`verify_json_at` seals) closes nothing while
/// the rulebook requires signed evidence (the default); the digest alone let it through.
#[test]
fn an_unsigned_or_forged_follow_up_report_closes_nothing() {
    let (_, keyring) = agency();
    let recorded: Value =
        serde_json::from_str(&relief_record_json(None, None, grant("JJ-5", true)).unwrap())
            .unwrap();
    let ledger = recorded["ledger"].to_string();
    let close = |rulebook: Option<Arc<Rulebook>>, keyring: Option<Arc<ReportKeyring>>, report| {
        relief_close_json(
            rulebook,
            keyring,
            ledger.clone(),
            "JJ-5-1".to_owned(),
            report,
            "2026-11-29".to_owned(),
        )
    };
    // the insider's report: the follow-up case edited to name relief JJ-5-1, verified and
    // so sealed, but not signed by the agency
    let mut case: Value = serde_json::from_str(&fixture("case-emergency-follow-up.json")).unwrap();
    case["entrustment"]["relief_reference"] = json!("JJ-5-1");
    let forged = verify_json_at(None, case.to_string(), ISSUED_AT.to_owned()).unwrap();
    let e = close(None, Some(keyring.clone()), forged.clone()).unwrap_err();
    assert_eq!(code(&e), "evidence_unsigned");
    // signed by the insider's own key
    let insider = ReportSigner::new("insider".to_owned(), vec![99u8; 32]).unwrap();
    let self_signed = insider.sign_json(forged.clone()).unwrap();
    let e = close(None, Some(keyring.clone()), self_signed.clone()).unwrap_err();
    assert_eq!(code(&e), "evidence_unknown_key");
    // no keyring trusts no key
    let e = close(None, None, self_signed).unwrap_err();
    assert_eq!(code(&e), "evidence_unknown_key");
    // a rulebook that turns signed evidence off accepts the digest alone
    let mut weak: Value = serde_json::from_str(&Rulebook::new().to_json()).unwrap();
    weak["security"]["signed_evidence"] = json!(false);
    let weak = Rulebook::from_json(weak.to_string()).unwrap();
    close(Some(weak), None, forged).unwrap();
    let (unsigned, _, _) = unsigned_reports();
    let e = close(None, Some(keyring), unsigned).unwrap_err();
    assert_eq!(code(&e), "evidence_unsigned");
}

#[test]
fn only_emergencies_get_relief_first_and_bad_input_is_typed() {
    let e = relief_record_json(None, None, grant("JJ-2", false)).unwrap_err();
    assert_eq!(code(&e), "relief_not_emergency");
    let mut zero: Value = serde_json::from_str(&grant("JJ-2", true)).unwrap();
    zero["amount_fen"] = json!(0);
    let e = relief_record_json(None, None, zero.to_string()).unwrap_err();
    assert_eq!(code(&e), "relief_amount_not_positive");
    for bad in ["", "{", "[]", "{\"case_id\":1}"] {
        // an array where the document is an object has its own code
        let want = if bad == "[]" {
            "input_array_for_object"
        } else {
            "input_json"
        };
        let e = relief_record_json(None, None, bad.to_owned()).unwrap_err();
        assert_eq!(code(&e), want, "grant {bad:?}");
        let e = relief_record_json(None, Some(bad.to_owned()), grant("JJ-2", true)).unwrap_err();
        assert_eq!(code(&e), want, "ledger {bad:?}");
        let e = relief_follow_ups_json(None, bad.to_owned(), "2026-11-29".to_owned()).unwrap_err();
        assert_eq!(code(&e), want, "ledger {bad:?}");
    }
}

#[test]
fn the_c_abi_records_from_a_null_ledger_and_reports_codes() {
    let g = CString::new(grant("JJ-3", true)).unwrap();
    let mut out = std::ptr::null_mut();
    // SAFETY: NULL rulebook and ledger are allowed; NUL-terminated grant; writable output.
    let r = unsafe {
        hedui_relief_record_json(std::ptr::null(), std::ptr::null(), g.as_ptr(), &mut out)
    };
    assert_eq!(r, hedui_result::Ok);
    // SAFETY: on success a NUL-terminated string we own until freed.
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    // SAFETY: freed once.
    unsafe { hedui_string_free(out) };
    let recorded: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(recorded["reference"], "JJ-3-1");

    let ledger = CString::new(recorded["ledger"].to_string()).unwrap();
    let reference = CString::new("JJ-3-1").unwrap();
    let report = CString::new("{}").unwrap();
    let on = CString::new("2026-11-29").unwrap();
    let mut out = std::ptr::null_mut();
    // SAFETY: NULL rulebook and keyring are allowed; NUL-terminated inputs and a writable
    // output pointer.
    let r = unsafe {
        hedui_relief_close_json(
            std::ptr::null(),
            std::ptr::null(),
            ledger.as_ptr(),
            reference.as_ptr(),
            report.as_ptr(),
            on.as_ptr(),
            &mut out,
        )
    };
    assert_eq!(r, hedui_result::InputJson);
    assert!(out.is_null());
    // SAFETY: a static NUL-terminated string.
    let code = unsafe { CStr::from_ptr(hedui_last_error_code()) };
    assert_eq!(code.to_str().unwrap(), "input_json");
    // SAFETY: NULL required arguments are reported, not dereferenced.
    let r = unsafe {
        hedui_relief_close_json(
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
            reference.as_ptr(),
            report.as_ptr(),
            on.as_ptr(),
            &mut out,
        )
    };
    assert_eq!(r, hedui_result::NullPointer);
}
