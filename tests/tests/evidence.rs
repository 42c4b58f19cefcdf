//! Reports taken as evidence (R4 relief close, R9 appeal, R10 report history) must be signed by
//! a trusted key (R11, rulebook `security.signed_evidence`): a digest alone can be recomputed by
//! whoever edits the report.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use hedui_core::appeal::{RecheckRequest, ReportHistory};
use hedui_core::population::{FollowUpEvidence, ReliefGrant, ReliefLedger};
use hedui_core::security::{EvidenceTrust, ReportKeyring, ReportSigner};
use hedui_core::{Purpose, Report, Rulebook, verify};
use hedui_tests::fixture;
use time::macros::{date, datetime};

fn grant(case_id: &str, household_id: &str) -> ReliefGrant {
    ReliefGrant {
        case_id: case_id.into(),
        household_id: household_id.into(),
        relieved_on: date!(2026 - 09 - 18),
        amount_fen: 200_000,
        reason: "火灾致房屋损毁".into(),
        emergency: true,
    }
}

/// The follow-up report of relief `reference` for the fixture household, signed by `signer`.
fn follow_up_report(reference: &str, signer: &ReportSigner) -> Report {
    let mut case = fixture::case();
    let e = case.entrustment.as_mut().unwrap();
    e.purpose = Purpose::EmergencyFollowUp;
    e.relief_reference = Some(reference.to_owned());
    let mut report = verify(
        &case,
        &Rulebook::default(),
        datetime!(2026-10-20 10:00 +08:00),
    )
    .unwrap();
    signer.sign_report(&mut report).unwrap();
    report
}

struct Agency {
    signer: ReportSigner,
    keyring: ReportKeyring,
}

fn agency() -> Agency {
    let signer = ReportSigner::from_seed("agency-2026", &[11u8; 32]).unwrap();
    let mut keyring = ReportKeyring::default();
    keyring.add(signer.trusted_key()).unwrap();
    Agency { signer, keyring }
}

/// The report-forgery finding: an insider takes a genuine signed follow-up report, edits its
/// relief reference and household to those of an overdue follow-up, seals it again and tries to
/// close that follow-up. Signed evidence (the default) refuses it in every variant; the digest
/// alone would have let it through.
#[test]
fn a_re_sealed_forged_report_does_not_close_an_overdue_follow_up() {
    let rb = Rulebook::default();
    assert!(
        rb.security.signed_evidence,
        "signed evidence is the default"
    );
    let Agency { signer, keyring } = agency();
    let trust = EvidenceTrust::new(&rb.security, &keyring);

    let mut ledger = ReliefLedger::new();
    let genuine_ref = ledger.record(grant("JJ-1", "H-FIX-1"), &rb).unwrap();
    let target_ref = ledger.record(grant("JJ-2", "H-OTHER-9"), &rb).unwrap();
    let overdue = ledger.follow_ups(date!(2026 - 10 - 20), &rb.calendar);
    assert!(
        overdue
            .overdue
            .iter()
            .any(|f| f.entry.reference == target_ref),
        "the target follow-up is overdue"
    );

    let genuine = follow_up_report(&genuine_ref, &signer);

    // the forgery: relief reference and household edited, then sealed again
    let mut forged = genuine.clone();
    forged.header.relief_reference = Some(target_ref.clone());
    forged.header.household_id = "H-OTHER-9".into();
    forged.seal().unwrap();
    assert!(
        forged.verify_digest(),
        "the forged report agrees with its own new digest"
    );
    let refused = FollowUpEvidence::from_report(&forged, &trust).unwrap_err();
    assert_eq!(refused.code(), "evidence_unsigned");
    assert_eq!(refused.info().result, 7030);

    // ... with the genuine signature block put back: it covers the old digest
    let mut forged_with_old_signature = forged.clone();
    forged_with_old_signature
        .integrity
        .as_mut()
        .unwrap()
        .signature = genuine.integrity.as_ref().unwrap().signature.clone();
    assert_eq!(
        FollowUpEvidence::from_report(&forged_with_old_signature, &trust)
            .unwrap_err()
            .code(),
        "evidence_bad_signature"
    );

    // ... with the old digest and signature kept and the content edited
    let mut edited = genuine.clone();
    edited.header.relief_reference = Some(target_ref.clone());
    edited.header.household_id = "H-OTHER-9".into();
    let e = FollowUpEvidence::from_report(&edited, &trust).unwrap_err();
    assert_eq!(e.code(), "evidence_bad_signature");
    assert!(e.to_string().contains("does not match"), "{e}");

    // ... signed again with the insider's own key, which the agency does not trust
    let insider = ReportSigner::from_seed("insider", &[66u8; 32]).unwrap();
    let mut self_signed = forged.clone();
    insider.sign_report(&mut self_signed).unwrap();
    let e = FollowUpEvidence::from_report(&self_signed, &trust).unwrap_err();
    assert_eq!(e.code(), "evidence_unknown_key");
    assert!(e.to_string().contains("`insider`"), "{e}");

    // ... or under the agency's key id but made with another key
    let impostor = ReportSigner::from_seed("agency-2026", &[67u8; 32]).unwrap();
    let mut impostor_signed = forged.clone();
    impostor.sign_report(&mut impostor_signed).unwrap();
    assert_eq!(
        FollowUpEvidence::from_report(&impostor_signed, &trust)
            .unwrap_err()
            .code(),
        "evidence_bad_signature"
    );

    // the target follow-up is still overdue; the genuine report closes its own entry only
    let closed_ok = FollowUpEvidence::from_report(&genuine, &trust).unwrap();
    assert_eq!(
        ledger
            .close(&target_ref, &closed_ok, date!(2026 - 10 - 20))
            .unwrap_err()
            .code(),
        "relief_followup_wrong_household"
    );
    ledger
        .close(&genuine_ref, &closed_ok, date!(2026 - 10 - 20))
        .unwrap();
    let state = ledger.follow_ups(date!(2026 - 10 - 21), &rb.calendar);
    assert!(
        state
            .overdue
            .iter()
            .any(|f| f.entry.reference == target_ref)
    );

    // what the digest alone allowed: the forgery closes the overdue follow-up
    let mut weak = rb.clone();
    weak.security.signed_evidence = false;
    let digest_only = EvidenceTrust::new(&weak.security, &keyring);
    let forged_evidence = FollowUpEvidence::from_report(&forged, &digest_only).unwrap();
    ledger
        .close(&target_ref, &forged_evidence, date!(2026 - 10 - 20))
        .unwrap();
}

#[test]
fn an_appeal_disputes_only_a_report_signed_as_issued() {
    let rb = Rulebook::default();
    let Agency { signer, keyring } = agency();
    let trust = EvidenceTrust::new(&rb.security, &keyring);
    let mut report = verify(&fixture::case(), &rb, datetime!(2026-10-20 10:00 +08:00)).unwrap();
    let filed_on = date!(2026 - 10 - 22);
    assert_eq!(
        RecheckRequest::file(&report, "存款已用于医疗", filed_on, &trust)
            .unwrap_err()
            .code(),
        "evidence_unsigned"
    );
    signer.sign_report(&mut report).unwrap();
    let request = RecheckRequest::file(&report, "存款已用于医疗", filed_on, &trust).unwrap();
    assert_eq!(request.disputed_report, report.report_number);

    // an edited, re-sealed copy is not the report as issued
    let mut edited = report.clone();
    edited.aggregates.financial_assets.total_fen += 1_000_000;
    edited.seal().unwrap();
    assert_eq!(
        RecheckRequest::file(&edited, "x", filed_on, &trust)
            .unwrap_err()
            .code(),
        "evidence_unsigned"
    );
    // a key removed from the keyring (revoked) no longer makes evidence
    let mut revoked = keyring.clone();
    revoked.remove("agency-2026");
    assert_eq!(
        RecheckRequest::file(
            &report,
            "x",
            filed_on,
            &EvidenceTrust::new(&rb.security, &revoked)
        )
        .unwrap_err()
        .code(),
        "evidence_unknown_key"
    );
}

#[test]
fn a_report_history_files_only_signed_reports() {
    let rb = Rulebook::default();
    let Agency { signer, keyring } = agency();
    let trust = EvidenceTrust::new(&rb.security, &keyring);
    let mut report = verify(&fixture::case(), &rb, datetime!(2026-10-20 10:00 +08:00)).unwrap();
    let mut history = ReportHistory::new(report.header.household_id.clone());
    assert_eq!(
        history.record(&report, &trust).unwrap_err().code(),
        "evidence_unsigned"
    );
    assert!(history.rounds.is_empty());
    signer.sign_report(&mut report).unwrap();
    let mut tampered = report.clone();
    tampered.report_number.push('X');
    assert_eq!(
        history.record(&tampered, &trust).unwrap_err().code(),
        "evidence_bad_signature"
    );
    history.record(&report, &trust).unwrap();
    assert_eq!(history.rounds.len(), 1);
}

#[test]
fn signed_evidence_is_on_unless_a_rulebook_turns_it_off() {
    let rb = Rulebook::default();
    let mut json = serde_json::to_value(&rb).unwrap();
    assert_eq!(json["security"]["signed_evidence"], true);
    // a rulebook written before the setting existed requires signatures
    json["security"]
        .as_object_mut()
        .unwrap()
        .remove("signed_evidence");
    let read: Rulebook = serde_json::from_value(json.clone()).unwrap();
    assert!(read.security.signed_evidence);
    json["security"]["signed_evidence"] = false.into();
    let read: Rulebook = serde_json::from_value(json).unwrap();
    assert!(!read.security.signed_evidence);
    assert!(!EvidenceTrust::new(&read.security, &ReportKeyring::default()).requires_signature());
    assert!(EvidenceTrust::signed(&ReportKeyring::default()).requires_signature());
}
