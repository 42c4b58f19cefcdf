//! The security operations (R11) on real documents: passwords, permissions, masking, and a
//! report signed, checked, and changed after signing.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use hedui_core::{Rulebook, sample::sample_case};
use hedui_ops::{args, json, security};
use serde_json::{Value, json};
use time::macros::datetime;

const OPERATOR_ID: &str = "141030197803100016";
const SEED_HEX: &str = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

fn good_report() -> hedui_core::Report {
    let rb = Rulebook::default();
    let case = (0..100)
        .map(|i| sample_case(2026, i, &rb))
        .find(|s| s.expected_error.is_none())
        .unwrap()
        .case;
    hedui_ops::verify::verify(&rb, &case, datetime!(2026-11-29 10:00 +08:00)).unwrap()
}

/// Calls a JSON operation by its catalog name: the response as a value, or the error code.
fn call(name: &str, request: &Value) -> Result<Value, &'static str> {
    let op = json::operation(name).unwrap();
    op(args::default_rulebook(), &request.to_string())
        .map(|bytes| serde_json::from_slice(&bytes).unwrap())
        .map_err(|e| e.code())
}

#[test]
fn a_weak_password_is_a_result_with_every_reason() {
    let ok = call(
        "password_check",
        &json!({"password": "Gx7#kq2!Lm9z", "account": "wangli", "resident_id": OPERATOR_ID}),
    )
    .unwrap();
    assert_eq!(ok, json!({"acceptable": true, "weaknesses": []}));
    let weak = call(
        "password_check",
        &json!({"password": "abc", "account": "wangli", "resident_id": OPERATOR_ID}),
    )
    .unwrap();
    assert_eq!(weak["acceptable"], false);
    let codes: Vec<&str> = weak["weaknesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["too_short", "too_few_classes"]);
    assert_eq!(weak["weaknesses"][0]["found"], 3);
    assert!(weak["weaknesses"][0]["message"].as_str().unwrap() != "");

    // the rulebook's own list of common passwords
    let mut rb = Rulebook::default();
    rb.security.extra_common_passwords = vec!["Linfen#2026".to_owned()];
    let request = security::PasswordCheckRequest {
        password: security::SecretText::new("Linfen#2026".to_owned()),
        account: "op".to_owned(),
        resident_id: OPERATOR_ID.parse().unwrap(),
        name: None,
    };
    assert!(security::password_check(args::default_rulebook(), &request).acceptable);
    // the holder's name, in look-alike characters
    let named = json!({"password": "Xq#W@ngL1#7", "account": "op", "resident_id": OPERATOR_ID,
        "name": "Wang Li"});
    let out = call("password_check", &named).unwrap();
    assert_eq!(out["weaknesses"][0]["code"], "contains_name", "{out}");
    let checked = security::password_check(&rb, &request);
    assert_eq!(checked.weaknesses.len(), 1);
    assert_eq!(checked.weaknesses[0].item.code(), "common");

    let bad_id = json!({"password": "x", "account": "op", "resident_id": "141030197803100017"});
    assert_eq!(
        call("password_check", &bad_id).unwrap_err(),
        "id_resident_checksum"
    );
    assert_eq!(
        call("password_check", &json!({"password": "x"})).unwrap_err(),
        "input_json"
    );
}

#[test]
fn permissions_deny_by_default() {
    let permit = call(
        "permission_check",
        &json!({"role": "operator", "action": "query_data", "category": "bank_deposits"}),
    )
    .unwrap();
    assert_eq!(
        permit,
        json!({
            "decision": "permit",
            "role": "operator",
            "action": "query_data",
            "category": "bank_deposits",
            "reason": "role `operator` is granted `query_data` on `bank_deposits`",
        })
    );
    for request in [
        json!({"role": "auditor", "action": "query_data", "category": "bank_deposits"}),
        json!({"role": "operator", "action": "query_data"}),
        json!({"role": "nobody", "action": "view_report"}),
        json!({"role": "operator", "action": "view_report", "permissions": {"roles": []}}),
    ] {
        assert_eq!(
            call("permission_check", &request).unwrap()["decision"],
            "deny",
            "{request}"
        );
    }
    let table = json!({"roles": [{"role": "analyst", "actions": ["view_report"],
        "view": {"resident_ids": "hidden", "names": "masked", "amounts": "full"}}]});
    let analyst = json!({"role": "analyst", "action": "view_report", "permissions": table});
    assert_eq!(
        call("permission_check", &analyst).unwrap()["decision"],
        "permit"
    );
    for bad in [
        json!({"role": "operator", "action": "fly"}),
        json!({"role": "operator", "action": "query_data", "category": "gold"}),
        json!({"role": "operator", "action": "view_report", "permissions": {"roles": 1}}),
    ] {
        assert_eq!(
            call("permission_check", &bad).unwrap_err(),
            "input_json",
            "{bad}"
        );
    }
}

#[test]
fn a_report_is_masked_by_the_role_s_view() {
    let report = serde_json::to_value(good_report()).unwrap();
    let full = call(
        "report_mask",
        &json!({"report": report, "role": "reviewer"}),
    )
    .unwrap();
    assert_eq!(full, report);
    let archivist = call(
        "report_mask",
        &json!({"report": report, "role": "archivist"}),
    )
    .unwrap();
    assert_ne!(archivist, report);
    assert!(archivist["aggregates"]["financial_assets"].is_object());
    assert!(!archivist.to_string().contains("_fen\":"), "amounts hidden");
    let nobody = call("report_mask", &json!({"report": report, "role": "nobody"})).unwrap();
    assert_ne!(nobody, report);
    assert_eq!(
        call(
            "report_mask",
            &json!({"report": {"not": "a report"}, "role": "reviewer"})
        )
        .unwrap_err(),
        "input_json"
    );
}

#[test]
fn a_signed_report_verifies_and_a_changed_one_does_not() {
    let report = good_report();
    let signed = call(
        "report_sign",
        &json!({"report": report, "key_id": "linfen-2026", "seed_hex": SEED_HEX}),
    )
    .unwrap();
    assert_eq!(
        signed["integrity"]["signature"]["key_id"],
        json!("linfen-2026")
    );
    // Ed25519 is deterministic: the typed call gives the same signature
    let typed = security::report_sign(security::ReportSignRequest {
        report: report.clone(),
        key_id: "linfen-2026".to_owned(),
        seed_hex: security::SecretBytes::new((1..=32).collect()),
        algorithm: Default::default(),
    })
    .unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), signed);

    let key = call(
        "signing_key_trust",
        &json!({"key_id": "linfen-2026", "seed_hex": SEED_HEX}),
    )
    .unwrap();
    assert_eq!(key["public_key"].as_str().unwrap().len(), 64);
    let verified = call(
        "report_verify_signature",
        &json!({"report": signed, "trusted_keys": [key]}),
    )
    .unwrap();
    assert_eq!(verified["key_id"], "linfen-2026");
    assert_eq!(verified["digest"], signed["integrity"]["digest"]);

    // changed after signing: the digest no longer matches, the signature fails
    let mut changed = signed.clone();
    changed["header"]["household_id"] = json!("H9");
    assert_eq!(
        call(
            "report_verify_signature",
            &json!({"report": changed, "trusted_keys": [key]})
        )
        .unwrap_err(),
        "signature_invalid"
    );
    // resealed after the change: the digest matches, the signature is still the old one's
    let mut resealed: hedui_core::Report = serde_json::from_value(changed).unwrap();
    resealed.seal().unwrap();
    let mut resealed = serde_json::to_value(resealed).unwrap();
    resealed["integrity"]["signature"] = signed["integrity"]["signature"].clone();
    assert_eq!(
        call(
            "report_verify_signature",
            &json!({"report": resealed, "trusted_keys": [key]})
        )
        .unwrap_err(),
        "signature_invalid"
    );

    let other = call(
        "signing_key_trust",
        &json!({"key_id": "other", "seed_hex": SEED_HEX}),
    )
    .unwrap();
    for (trusted, code) in [
        (json!([other]), "signature_unknown_key"),
        (json!([key, key]), "signing_key_invalid"),
    ] {
        let request = json!({"report": signed, "trusted_keys": trusted});
        assert_eq!(call("report_verify_signature", &request).unwrap_err(), code);
    }
    let unsigned = json!({"report": report, "trusted_keys": [key]});
    assert_eq!(
        call("report_verify_signature", &unsigned).unwrap_err(),
        "signature_invalid"
    );
}

#[test]
fn a_bad_signing_key_fails_without_repeating_the_seed() {
    let report = serde_json::to_value(good_report()).unwrap();
    for (seed, key_id, code) in [
        ("0102", "k", "signing_key_invalid"),
        (SEED_HEX, " ", "signing_key_invalid"),
        ("0g", "k", "input_json"),
        ("010", "k", "input_json"),
    ] {
        let request = json!({"report": report, "key_id": key_id, "seed_hex": seed});
        let text = request.to_string();
        let e =
            json::operation("report_sign").unwrap()(args::default_rulebook(), &text).unwrap_err();
        assert_eq!(e.code(), code, "{seed}");
        assert!(!e.to_string().contains(seed), "{e}");
        let key = json!({"key_id": key_id, "seed_hex": seed});
        assert_eq!(call("signing_key_trust", &key).unwrap_err(), code);
    }
    let request: security::SigningKeyTrustRequest =
        serde_json::from_value(json!({"key_id": "k", "seed_hex": SEED_HEX})).unwrap();
    let debug = format!("{request:?}");
    assert!(
        !debug.contains("0102") && !debug.contains("[1, 2"),
        "{debug}"
    );
    assert_eq!(request.seed_hex.expose().len(), 32);
}

/// Without a nonce, `document_seal` draws one: two seals of one document differ, and each
/// opens to the document under its key and associated data only.
#[test]
fn a_document_sealed_with_a_drawn_nonce_opens_and_two_seals_differ() {
    let key = "0123456789abcdeffedcba9876543210";
    let request =
        json!({"key_id": "archive-2026", "key_hex": key, "plaintext": "报告 HD1", "aad": "HD1"});
    let first = call("document_seal", &request).unwrap();
    let second = call("document_seal", &request).unwrap();
    assert_ne!(first["sealed_hex"], second["sealed_hex"]);
    for sealed in [&first, &second] {
        let opened = call(
            "document_open",
            &json!({"key_id": "archive-2026", "key_hex": key, "sealed_hex": sealed["sealed_hex"], "aad": "HD1"}),
        )
        .unwrap();
        assert_eq!(opened["plaintext"], json!("报告 HD1"));
        assert_eq!(
            call(
                "document_open",
                &json!({"key_id": "archive-2026", "key_hex": key, "sealed_hex": sealed["sealed_hex"]}),
            )
            .unwrap_err(),
            "seal_open_failed"
        );
    }
}

/// R11: keys added by secret alone follow the suite of the rulebook the keyring was made
/// under (operation `audit_keyring_new_under`), so a `shangmi` deployment's chains are
/// HMAC-SM3 without naming the algorithm per key.
#[test]
fn keys_added_to_a_keyring_under_a_rulebook_follow_its_suite() {
    use hedui_core::MacAlgorithm;
    use hedui_core::rulebook::CryptoSuite;
    use hedui_ops::audit::{AuditLog, keyring_add, keyring_new_under};
    let mut rulebook = hedui_core::Rulebook::default();
    for (suite, algorithm) in [
        (CryptoSuite::Shangmi, MacAlgorithm::HmacSm3),
        (CryptoSuite::International, MacAlgorithm::HmacSha256),
    ] {
        rulebook.security.crypto_suite = suite;
        let mut keyring = keyring_new_under(&rulebook);
        keyring_add(&mut keyring, "k1", &[7u8; 32]).unwrap();
        assert_eq!(keyring.get("k1").unwrap().algorithm(), algorithm);
        let mut log = AuditLog::new("A-1", keyring).unwrap();
        log.append_json(
            r#"{"at":"2026-03-02T09:00:00+08:00","event":"login","decision":"permit",
                "actor":"op-1","reason":"R11","context":"abababababababababababababababababababababababababababababababab"}"#,
        )
        .unwrap();
        let text = log.to_jsonl().unwrap();
        assert_eq!(
            text.contains(r#""mac_algorithm":"hmac-sm3""#),
            algorithm == MacAlgorithm::HmacSm3,
            "{text}"
        );
    }
}
