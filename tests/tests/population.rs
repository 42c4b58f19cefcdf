//! R4 across crates: relief given first is closed only by the follow-up verification's report.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use hedui_core::{population::*, *};
use hedui_tests::fixture;
use time::macros::{date, datetime};

#[test]
fn relief_first_is_closed_by_the_follow_up_report() {
    let rb = Rulebook::default();
    let mut ledger = ReliefLedger::new();
    let grant = |emergency| ReliefGrant {
        case_id: "JJ-1".into(),
        household_id: "H-FIX-1".into(),
        relieved_on: date!(2026 - 09 - 18),
        amount_fen: 200_000,
        reason: "火灾致房屋损毁".into(),
        emergency,
    };
    assert_eq!(
        ledger.record(grant(false), &rb).unwrap_err().code(),
        "relief_not_emergency"
    );
    let reference = ledger.record(grant(true), &rb).unwrap();

    // the follow-up verification: an entrustment with purpose "emergency follow-up" naming the relief
    let mut case = fixture::case();
    let e = case.entrustment.as_mut().unwrap();
    e.purpose = Purpose::EmergencyFollowUp;
    e.relief_reference = Some(reference.clone());
    let report = verify(&case, &rb, datetime!(2026-10-20 10:00 +08:00)).unwrap();
    assert_eq!(
        report.header.relief_reference.as_deref(),
        Some(reference.as_str())
    );

    // an ordinary report cannot close it; a changed report cannot either, even when the
    // rulebook asks for the digest alone (security.signed_evidence = false)
    let digest_only = hedui_core::security::EvidenceTrust::digest_only();
    let ordinary = verify(&fixture::case(), &rb, datetime!(2026-10-20 10:00 +08:00)).unwrap();
    assert_eq!(
        FollowUpEvidence::from_report(&ordinary, &digest_only)
            .unwrap_err()
            .code(),
        "relief_followup_report_unverified"
    );
    let mut changed = report.clone();
    changed.aggregates.vehicles.count += 1;
    assert_eq!(
        FollowUpEvidence::from_report(&changed, &digest_only)
            .unwrap_err()
            .code(),
        "relief_followup_report_unverified"
    );

    let evidence = FollowUpEvidence::from_report(&report, &digest_only).unwrap();
    ledger
        .close(&reference, &evidence, date!(2026 - 10 - 20))
        .unwrap();
    let state = ledger.follow_ups(date!(2026 - 10 - 21), &rb.calendar);
    assert_eq!(state.closed.len(), 1);
    assert!(state.open.is_empty() && state.overdue.is_empty());
}
