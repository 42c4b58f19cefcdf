//! The new operations end to end on real documents: an appeal against a report issued by
//! `verify`, a household's history, an operator account's life, the archive check.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use hedui_core::{Rulebook, sample::sample_case, security::Archive};
use hedui_ops::{account, appeal, archive, args, json};
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

#[test]
fn an_appeal_is_filed_against_a_sealed_report_only() {
    let (_, report) = good_report();
    let request = appeal::AppealFileRequest {
        report: report.clone(),
        reason: "  申请人称存款已用于医疗  ".to_owned(),
        filed_on: date!(2026 - 12 - 01),
    };
    let filed = appeal::appeal_file(&request).unwrap();
    assert_eq!(filed.disputed_report, report.report_number);
    assert_eq!(filed.reason, "申请人称存款已用于医疗");

    let mut changed = request.clone();
    changed.report.header.household_id.push('X');
    assert_eq!(
        appeal::appeal_file(&changed).unwrap_err().code(),
        "appeal_link"
    );
    let mut no_reason = request;
    no_reason.reason = " ".to_owned();
    assert_eq!(
        appeal::appeal_file(&no_reason).unwrap_err().code(),
        "appeal_link"
    );
}

#[test]
fn a_history_records_a_report_once() {
    let (_, report) = good_report();
    let first = appeal::report_history_record(appeal::ReportHistoryRecordRequest {
        history: None,
        report: report.clone(),
    })
    .unwrap();
    assert_eq!(first.history.household_id, report.header.household_id);
    assert_eq!(first.chain.len(), 1);
    let again = appeal::report_history_record(appeal::ReportHistoryRecordRequest {
        history: Some(first.history),
        report,
    });
    assert_eq!(again.unwrap_err().code(), "appeal_link");
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
    let mut state = active;
    for _ in 0..rb.password.lockout_failures {
        state = serde_json::from_slice(
            &account::account_login_json(
                rb,
                &json!({"account": state["account"], "password": "wrong", "on": "2026-01-07"})
                    .to_string(),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(state["accepted"], false);
    }
    assert_eq!(state["status"], "locked");
    assert_eq!(state["refused"]["code"], "security_account_locked");
}

#[test]
fn an_empty_archive_misses_every_letter() {
    let (case, _) = good_report();
    let check = archive::archive_check(&archive::ArchiveCheckRequest {
        archive: Archive::new(),
        entrustments: vec![case.entrustment.clone().unwrap()],
        authorizations: case.authorization.clone().into_iter().collect(),
    });
    assert!(!check.complete);
    assert!(
        check.gaps.iter().all(|g| g.code() == "missing"),
        "{:?}",
        check.gaps
    );
    assert!(check.gaps.len() >= 2);
}

#[test]
fn every_json_operation_of_the_catalog_can_be_called_by_name() {
    for op in hedui_ops::catalog::OPERATIONS {
        if op.object.is_none() && op.c && matches!(op.form, hedui_ops::catalog::Form::Json) {
            let single = !matches!(
                op.name,
                "verify"
                    | "recheck_schedule"
                    | "relief_record"
                    | "relief_close"
                    | "relief_follow_ups"
            );
            assert_eq!(json::operation(op.name).is_some(), single, "{}", op.name);
        }
    }
}
