//! The new operations end to end on real documents: an appeal against a report issued by
//! `verify`, a household's history, an operator account's life, the archive check.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use hedui_core::security::pbkdf2_runs;
use hedui_core::{
    Rulebook,
    sample::sample_case,
    security::{Archive, ReportKeyring, ReportSigner},
};
use hedui_ops::{account, appeal, archive, args, json, security};
use serde_json::{Value, json};
use time::macros::{date, datetime};

fn good_report() -> (hedui_core::Case, hedui_core::Report) {
    let rb = Rulebook::default();
    let case = (0..100)
        .map(|i| sample_case(2026, i, &rb))
        .find(|s| s.expected_error.is_none())
        .unwrap()
        .case;
    let report = hedui_ops::verify::verify(&rb, &case, datetime!(2026-11-29 10:00 +08:00)).unwrap();
    (case, report)
}

/// The agency's signer, loaded once, and a keyring that trusts it.
fn agency() -> (ReportSigner, ReportKeyring) {
    let signer = security::report_signer_new("agency-2026", &[5u8; 32]).unwrap();
    let keyring =
        security::report_keyring_new(vec![security::report_signer_trusted_key(&signer)]).unwrap();
    (signer, keyring)
}

/// [`good_report`], signed by the agency.
fn signed_report() -> (hedui_core::Report, ReportKeyring) {
    let (signer, keyring) = agency();
    let (_, report) = good_report();
    (
        security::report_signer_sign(&signer, report).unwrap(),
        keyring,
    )
}

#[test]
fn an_appeal_is_filed_against_a_report_signed_as_issued_only() {
    let rb = Rulebook::default();
    let (report, keyring) = signed_report();
    let request = appeal::AppealFileRequest {
        report: report.clone(),
        reason: "  申请人称存款已用于医疗  ".to_owned(),
        filed_on: date!(2026 - 12 - 01),
        trusted_keys: Vec::new(),
    };
    let filed = appeal::appeal_file(&rb, &keyring, &request).unwrap();
    assert_eq!(filed.disputed_report, report.report_number);
    assert_eq!(filed.reason, "申请人称存款已用于医疗");

    let mut changed = request.clone();
    changed.report.header.household_id.push('X');
    assert_eq!(
        appeal::appeal_file(&rb, &keyring, &changed)
            .unwrap_err()
            .code(),
        "evidence_bad_signature"
    );
    // changed and sealed again: no signature any more
    changed.report.seal().unwrap();
    assert_eq!(
        appeal::appeal_file(&rb, &keyring, &changed)
            .unwrap_err()
            .code(),
        "evidence_unsigned"
    );
    assert_eq!(
        appeal::appeal_file(&rb, &ReportKeyring::default(), &request)
            .unwrap_err()
            .code(),
        "evidence_unknown_key"
    );
    // the digest alone, where a rulebook turns signed evidence off
    let mut weak = rb.clone();
    weak.security.signed_evidence = false;
    appeal::appeal_file(&weak, &ReportKeyring::default(), &changed).unwrap();

    let mut no_reason = request;
    no_reason.reason = " ".to_owned();
    assert_eq!(
        appeal::appeal_file(&rb, &keyring, &no_reason)
            .unwrap_err()
            .code(),
        "appeal_link"
    );

    // the JSON adapter, with the keyring loaded once
    let text = json!({"report": report, "reason": "存款", "filed_on": "2026-12-01"}).to_string();
    let out: Value =
        serde_json::from_slice(&appeal::appeal_file_json(&rb, &keyring, &text).unwrap()).unwrap();
    assert_eq!(out["disputed_report"], report.report_number.as_str());
    let (_, unsigned) = good_report();
    let text = json!({"report": unsigned, "reason": "存款", "filed_on": "2026-12-01"}).to_string();
    assert_eq!(
        appeal::appeal_file_json(&rb, &keyring, &text)
            .unwrap_err()
            .code(),
        "evidence_unsigned"
    );
}

#[test]
fn a_history_records_a_signed_report_once() {
    let rb = Rulebook::default();
    let (report, keyring) = signed_report();
    let (_, unsigned) = good_report();
    let refused = appeal::report_history_record(
        &rb,
        &keyring,
        appeal::ReportHistoryRecordRequest {
            history: None,
            report: unsigned,
            trusted_keys: Vec::new(),
        },
    );
    assert_eq!(refused.unwrap_err().code(), "evidence_unsigned");
    let first = appeal::report_history_record(
        &rb,
        &keyring,
        appeal::ReportHistoryRecordRequest {
            history: None,
            report: report.clone(),
            trusted_keys: Vec::new(),
        },
    )
    .unwrap();
    assert_eq!(first.history.household_id, report.header.household_id);
    assert_eq!(first.chain.len(), 1);
    let again = appeal::report_history_record(
        &rb,
        &keyring,
        appeal::ReportHistoryRecordRequest {
            history: Some(first.history),
            report,
            trusted_keys: Vec::new(),
        },
    );
    assert_eq!(again.unwrap_err().code(), "appeal_link");
}

#[test]
fn a_signer_and_keyring_loaded_once_sign_and_check_reports() {
    let (signer, keyring) = agency();
    let (_, report) = good_report();
    let signed: Value = serde_json::from_slice(
        &security::report_signer_sign_json(&signer, &serde_json::to_string(&report).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(signed["integrity"]["signature"]["key_id"], "agency-2026");
    // the same signature as the one-call operation with the seed
    let one_call = security::report_sign(
        serde_json::from_value(json!({"report": report, "key_id": "agency-2026",
            "seed_hex": "05".repeat(32)}))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        signed["integrity"]["signature"],
        serde_json::to_value(&one_call).unwrap()["integrity"]["signature"]
    );
    let verified: Value = serde_json::from_slice(
        &security::report_keyring_verify_json(&keyring, &signed.to_string()).unwrap(),
    )
    .unwrap();
    assert_eq!(verified["key_id"], "agency-2026");
    let mut changed = signed.clone();
    changed["report_number"] = json!("BG-X");
    assert_eq!(
        security::report_keyring_verify_json(&keyring, &changed.to_string())
            .unwrap_err()
            .code(),
        "signature_invalid"
    );
    let key: Value =
        serde_json::from_slice(&security::report_signer_trusted_key_json(&signer).unwrap())
            .unwrap();
    let twice = json!([key, key]).to_string();
    assert_eq!(
        security::report_keyring_new_json(&twice)
            .unwrap_err()
            .code(),
        "signing_key_invalid"
    );
    assert_eq!(
        security::report_signer_new("k", &[1u8; 31])
            .unwrap_err()
            .code(),
        "signing_key_invalid"
    );
    assert!(!format!("{signer:?}").contains("5, 5"));
}

#[test]
fn an_operator_account_registers_sets_a_password_activates_and_locks() {
    let rb = args::default_rulebook();
    let registered: Value = serde_json::from_slice(
        &account::account_register_json(
            &json!({
                "request": {"account": "op.zhang", "name": "张伟",
                    "resident_id": "141030197803100016", "registration_number": "BA-1",
                    "registered_on": "2026-01-05", "agency_id": "HD141030", "role": "verifier",
                    "confidentiality_signed_on": "2026-01-05"},
                "agencies": [{"id": "HD141030", "name": "大宁县核对中心", "level": "county",
                    "region": "141030"}]
            })
            .to_string(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(registered["status"], "pending");
    let set = |password: &str, salt: &str| {
        account::account_set_password_json(
            rb,
            &json!({"account": registered["account"], "password": password, "salt_hex": salt,
                    "on": "2026-01-06"})
            .to_string(),
        )
    };
    let salt = "00112233445566778899aabbccddeeff";
    assert_eq!(
        set("123456", salt).unwrap_err().code(),
        "security_weak_password"
    );
    assert_eq!(
        set("Hd#2026-verify!x", "0011").unwrap_err().code(),
        "security_salt_length"
    );
    assert_eq!(
        set("Hd#2026-verify!x", "zz").unwrap_err().code(),
        "input_json"
    );
    let with_password: Value =
        serde_json::from_slice(&set("Hd#2026-verify!x", salt).unwrap()).unwrap();
    let active: Value = serde_json::from_slice(
        &json::operation("account_activate").unwrap()(
            rb,
            &json!({"account": with_password["account"], "on": "2026-01-06"}).to_string(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(active["status"], "active");
    let login = |state: &Value, password: &str, at: &str| -> Value {
        serde_json::from_slice(
            &account::account_login_json(
                rb,
                &json!({"account": state["account"], "password": password, "at": at}).to_string(),
            )
            .unwrap(),
        )
        .unwrap()
    };
    // a date alone no longer says when: the lock-out is timed from the instant
    assert_eq!(
        account::account_login_json(
            rb,
            &json!({"account": active["account"], "password": "x", "on": "2026-01-07"}).to_string()
        )
        .unwrap_err()
        .code(),
        "input_json"
    );
    let mut state = active;
    for _ in 0..rb.password.lockout_failures {
        let before = pbkdf2_runs();
        state = login(&state, "wrong", "2026-01-07T09:00:00+08:00");
        assert_eq!(pbkdf2_runs() - before, 1);
        assert_eq!(state["accepted"], false);
    }
    assert_eq!(state["status"], "locked");
    assert_eq!(state["refused"]["code"], "security_account_locked");
    assert_eq!(state["account"]["locked_until"], "2026-01-07T01:30:00Z");
    // during the lock-out the right password is refused, after the same work
    let before = pbkdf2_runs();
    let during = login(&state, "Hd#2026-verify!x", "2026-01-07T09:29:59+08:00");
    assert_eq!(pbkdf2_runs() - before, 1);
    assert_eq!(during["refused"]["code"], "security_account_locked");
    // the lock-out ends by itself (it used to wait for an administrator for good)
    let after = login(&during, "Hd#2026-verify!x", "2026-01-07T09:30:00+08:00");
    assert_eq!(after["accepted"], true, "{after}");
    assert_eq!(after["status"], "active");
    // back-off: a second lock-out in a row lasts twice as long
    let mut state = after;
    for _ in 0..rb.password.lockout_failures {
        state = login(&state, "wrong", "2026-01-08T09:00:00+08:00");
    }
    assert_eq!(state["account"]["locked_until"], "2026-01-08T01:30:00Z");
    state = login(&state, "wrong", "2026-01-08T01:30:00Z");
    assert_eq!(state["refused"]["code"], "security_wrong_password");
    // the message reveals no count
    assert_eq!(
        state["refused"]["message"],
        "R11 security (N §三): wrong password for account `op.zhang`"
    );
    for _ in 1..rb.password.lockout_failures {
        state = login(&state, "wrong", "2026-01-08T01:30:00Z");
    }
    assert_eq!(state["account"]["locked_until"], "2026-01-08T02:30:00Z");
    assert_eq!(state["account"]["lockouts"], 2);
}

#[test]
fn an_unknown_login_name_costs_and_answers_like_a_wrong_password() {
    let rb = args::default_rulebook();
    let before = pbkdf2_runs();
    let answer: Value = serde_json::from_slice(
        &json::operation("account_login_unknown").unwrap()(
            rb,
            &json!({"account": "op.zhang", "password": "Hd#2026-verify!x"}).to_string(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(pbkdf2_runs() - before, 1);
    assert_eq!(
        answer,
        json!({"accepted": false, "refused": {"code": "security_wrong_password",
            "message": "R11 security (N §三): wrong password for account `op.zhang`"}})
    );
    assert_eq!(
        account::account_login_unknown_json(rb, "{}")
            .unwrap_err()
            .code(),
        "input_json"
    );
}

#[test]
fn an_empty_archive_misses_every_letter() {
    let (case, _) = good_report();
    let check = archive::archive_check(
        args::default_rulebook(),
        &archive::ArchiveCheckRequest {
            archive: Archive::new(),
            entrustments: vec![case.entrustment.clone().unwrap()],
            authorizations: case.authorization.clone().into_iter().collect(),
        },
        time::macros::date!(2026 - 11 - 29),
    )
    .unwrap();
    assert!(!check.complete);
    assert!(
        check.gaps.iter().all(|g| g.code() == "missing"),
        "{:?}",
        check.gaps
    );
    assert!(check.gaps.len() >= 2);
}

/// docs/rules.md#strict-documents: the typed operations that take resident IDs apply the
/// rulebook's identifier rules too, not only their JSON adapters: a Rust host that builds the
/// request itself gets the same refusal.
#[test]
fn typed_operations_apply_the_identifier_rules() {
    use hedui_core::rulebook::LegacyResidentIds;
    let on = time::macros::date!(2026 - 11 - 29);
    let (case, _) = good_report();
    let mut entrustment = case.entrustment.clone().unwrap();
    let legacy: hedui_core::ResidentId = "110105491231002".parse().unwrap();
    entrustment.subjects.push(legacy.clone());
    let request = archive::ArchiveCheckRequest {
        archive: Archive::new(),
        entrustments: vec![entrustment],
        authorizations: case.authorization.clone().into_iter().collect(),
    };
    let mut refusing = Rulebook::default();
    refusing.identifiers.legacy_resident_ids = LegacyResidentIds::Refuse;
    assert!(archive::archive_check(args::default_rulebook(), &request, on).is_ok());
    let e = archive::archive_check(&refusing, &request, on).unwrap_err();
    assert_eq!(e.code(), "id_resident_legacy");
    // a subject born after the day of the check
    let e = archive::archive_check(
        args::default_rulebook(),
        &request,
        time::macros::date!(1940 - 01 - 01),
    )
    .unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");

    let registration: account::AccountRegisterRequest = serde_json::from_value(json!({
        "request": {"account": "op.zhang", "name": "张伟",
            "resident_id": "141030197803100016", "registration_number": "BA-1",
            "registered_on": "2026-01-05", "agency_id": "HD141030", "role": "verifier",
            "confidentiality_signed_on": "2026-01-05"},
        "agencies": [{"id": "HD141030", "name": "大宁县核对中心", "level": "county",
            "region": "141030"}]
    }))
    .unwrap();
    assert!(account::account_register(args::default_rulebook(), registration.clone()).is_ok());
    // born 1978: before a floor of 1980
    let mut later_floor = Rulebook::default();
    later_floor.identifiers.earliest_birth_date = time::macros::date!(1980 - 01 - 01);
    let e = account::account_register(&later_floor, registration.clone()).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    // the first-generation form of the same number: the rulebook's refusal comes first
    let mut legacy = registration.clone();
    legacy.request.resident_id = "141030780310001".parse().unwrap();
    let e = account::account_register(&refusing, legacy).unwrap_err();
    assert_eq!(e.code(), "id_resident_legacy");
    // coverage: every member of an application and a verification record
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/corpus/ops/coverage_audit/covered.json"
    ))
    .unwrap();
    let mut coverage: hedui_ops::population::CoverageAuditRequest =
        serde_json::from_str(&text).unwrap();
    let first = coverage.applications[0].members[0].as_str().to_owned();
    let legacy_form: hedui_core::ResidentId =
        format!("{}{}", &first[..6], &first[8..17]).parse().unwrap();
    assert!(legacy_form.is_legacy());
    coverage.applications[0].members[0] = legacy_form;
    let rb = args::default_rulebook();
    let report = hedui_ops::population::coverage_audit(rb, &coverage, on).unwrap();
    assert_eq!(
        json::to_vec(&report).unwrap(),
        hedui_ops::population::coverage_audit_json(rb, &text).unwrap(),
        "the upgrade counts as the same person"
    );
    let e = hedui_ops::population::coverage_audit(&refusing, &coverage, on).unwrap_err();
    assert_eq!(e.code(), "id_resident_legacy");
    let mut early = registration;
    early.request.registered_on = time::macros::date!(1970 - 01 - 01);
    let e = account::account_register(args::default_rulebook(), early).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
}

#[test]
fn every_json_operation_of_the_catalog_can_be_called_by_name() {
    for op in hedui_ops::catalog::OPERATIONS {
        if op.object.is_none() && op.c && matches!(op.form, hedui_ops::catalog::Form::Json) {
            let single = !matches!(
                op.name,
                "verify" | "relief_record" | "relief_close" | "relief_follow_ups"
            );
            assert_eq!(json::operation(op.name).is_some(), single, "{}", op.name);
        }
    }
}

/// R8: the summary of a small hand-made roll, exactly, in the one response every host gives
/// (the same roll is the corpus case `recheck_schedule/small-roll`).
#[test]
fn a_recheck_schedule_summarizes_a_small_roll_exactly() {
    use hedui_ops::population;
    let request = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/corpus/ops/recheck_schedule/small-roll.json"
    ))
    .unwrap();
    let rb = args::default_rulebook();
    let bytes = population::recheck_schedule_request_json(rb, &request).unwrap();
    let text = String::from_utf8(bytes).unwrap();

    // the existing fields first, in their order, then the summary's
    let keys = [
        "\"as_of\":",
        "\"entries\":",
        "\"issues\":",
        "\"batches\":",
        "\"due\":",
        "\"overdue\":",
        "\"awaiting_authorization\":",
        "\"next_due_on\":",
        "\"counts_by_programme\":",
    ];
    let top: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(top.as_object().unwrap().len(), keys.len(), "{text}");
    let mut from = 0;
    for key in keys {
        let at = text[from..]
            .find(key)
            .unwrap_or_else(|| panic!("{key} out of order"));
        from += at + key.len();
    }

    let positions = |field: &str| -> Vec<u64> {
        top[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["position"].as_u64().unwrap())
            .collect()
    };
    // H6 was checked after the as-of date: left out
    assert_eq!(positions("entries"), [0, 1, 2, 3, 4]);
    assert_eq!(top["issues"][0]["position"], 5);
    // H1 overdue since 1 Mar (12 months), H2 due today (6 months), H4 overdue since its
    // membership change on 1 Feb, and its authorization lapsed
    assert_eq!(positions("due"), [0, 1, 3]);
    assert_eq!(positions("overdue"), [0, 3]);
    assert_eq!(positions("awaiting_authorization"), [3]);
    assert_eq!(
        top["overdue"],
        json!([
            {"position": 0, "due_on": "2026-03-01", "periodic_due_on": "2026-03-01",
             "trigger": {"kind": "periodic"}, "status": "overdue", "days_overdue": 9,
             "authorization_lapsed": false},
            {"position": 3, "due_on": "2026-02-01", "periodic_due_on": "2026-09-01",
             "trigger": {"kind": "membership_change", "on": "2026-02-01"}, "status": "overdue",
             "days_overdue": 37, "authorization_lapsed": true},
        ])
    );
    // H3 (特困, 12 months) on 1 Jun comes before H5 (other programme) on 31 Dec
    assert_eq!(top["next_due_on"], "2026-06-01");
    let counts = |programme, households, due, overdue, awaiting| {
        json!({"programme": programme, "households": households, "due": due,
               "overdue": overdue, "awaiting_authorization": awaiting})
    };
    assert_eq!(
        top["counts_by_programme"],
        json!([
            counts("minimum_living_allowance", 3, 3, 2, 1),
            counts("destitute_persons", 1, 0, 0, 0),
            counts("temporary_assistance", 1, 0, 0, 0),
            counts("low_income_margin", 0, 0, 0, 0),
            counts("essential_spending_hardship", 0, 0, 0, 0),
        ])
    );
    // H4 is held back from the batches until it is re-signed
    let batched: Vec<&str> = top["batches"]["batches"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["households"].as_array().unwrap())
        .map(|h| h["household_id"].as_str().unwrap())
        .collect();
    assert_eq!(batched, ["H1", "H2"]);

    // the households-and-date form (C, uniffi) gives the same bytes
    let households = serde_json::to_string(&top_households(&request)).unwrap();
    let direct = population::recheck_schedule_json(rb, &households, date!(2026 - 03 - 10)).unwrap();
    assert_eq!(String::from_utf8(direct).unwrap(), text);
    // and by name
    let op = json::operation("recheck_schedule").unwrap();
    assert_eq!(String::from_utf8(op(rb, &request).unwrap()).unwrap(), text);
    // an as-of date that is not a date fails as in the other hosts
    let bad = population::recheck_schedule_request_json(
        rb,
        r#"{"as_of": "2026-13-01", "households": []}"#,
    );
    assert_eq!(bad.unwrap_err().code(), "invalid_date");
}

fn top_households(request: &str) -> Value {
    serde_json::from_str::<Value>(request)
        .unwrap()
        .get("households")
        .unwrap()
        .clone()
}

/// Dispatched by name (the JSON adapter C, uniffi and the corpus use), the evidence gates
/// used to get an empty keyring and refuse every report under the default rulebook. The
/// request now carries the keys the gate trusts: a signed report is filed and recorded, an
/// unsigned, unknown-key or re-sealed one is refused with its code.
#[test]
fn the_json_evidence_gates_trust_the_keys_in_the_request() {
    let (report, keyring) = signed_report();
    let keys = serde_json::to_value(keyring.keys()).unwrap();
    let appeal = json::operation("appeal_file").unwrap();
    let history = json::operation("report_history_record").unwrap();
    let rb = args::default_rulebook();
    let call = |op: json::JsonOperation, request: Value| {
        op(rb, &request.to_string())
            .map(|out| serde_json::from_slice::<Value>(&out).unwrap())
            .map_err(|e| e.code().to_owned())
    };
    let filing = |report: &hedui_core::Report, keys: &Value| json!({"report": report, "reason": "理由", "filed_on": "2026-12-01", "trusted_keys": keys});

    let filed = call(appeal, filing(&report, &keys)).unwrap();
    assert_eq!(filed["disputed_report"], json!(report.report_number));
    let recorded = call(history, json!({"report": report, "trusted_keys": keys})).unwrap();
    assert_eq!(recorded["chain"].as_array().unwrap().len(), 1);

    // without keys, as before: nothing is trusted
    let bare = json!({"report": report, "reason": "理由", "filed_on": "2026-12-01"});
    assert_eq!(call(appeal, bare).unwrap_err(), "evidence_unknown_key");
    let (_, unsigned) = good_report();
    assert_eq!(
        call(appeal, filing(&unsigned, &keys)).unwrap_err(),
        "evidence_unsigned"
    );
    let rogue_signer = security::report_signer_new("rogue", &[6u8; 32]).unwrap();
    let rogue = security::report_signer_sign(&rogue_signer, good_report().1).unwrap();
    assert_eq!(
        call(appeal, filing(&rogue, &keys)).unwrap_err(),
        "evidence_unknown_key"
    );
    // the insider's forgery: edit, seal again; the signature no longer covers the digest
    let mut forged = report.clone();
    forged.header.household_id.push('X');
    let signature = forged.integrity.as_ref().unwrap().signature.clone();
    forged.seal().unwrap();
    forged.integrity.as_mut().unwrap().signature = signature;
    assert!(forged.verify_digest());
    assert_eq!(
        call(appeal, filing(&forged, &keys)).unwrap_err(),
        "evidence_bad_signature"
    );
    assert_eq!(
        call(history, json!({"report": forged, "trusted_keys": keys})).unwrap_err(),
        "evidence_bad_signature"
    );
    // a key id trusted twice names no key for sure
    let twice = json!([keys[0], keys[0]]);
    assert_eq!(
        call(appeal, filing(&report, &twice)).unwrap_err(),
        "signing_key_invalid"
    );
    // with a keyring handle besides, the request's keys are added to it
    let loaded = appeal::appeal_file_json(
        rb,
        &keyring,
        &json!({"report": report, "reason": "理由", "filed_on": "2026-12-01"}).to_string(),
    );
    assert!(loaded.is_ok());
}
