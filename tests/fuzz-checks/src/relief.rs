//! Target `relief_ledger`: a relief ledger (R4 先行救助、再行核对, N §二(一)) the host keeps,
//! read back by operations `relief_follow_ups`, `relief_record` and `relief_close`.
//!
//! The input is the ledger's text, then after a NUL byte a second document: the grant for
//! `relief_record`, and the report for `relief_close`. A ledger that reads writes itself back
//! as the same ledger; its follow-ups on a day list every entry relieved by then exactly once,
//! in the state its dates give; a grant recorded adds one entry under a new reference, with
//! its follow-up due no earlier than the relief; every refusal shows no resident ID.

use hedui_core::population::{FollowUpState, ReliefLedger};
use hedui_core::security::ReportKeyring;
use hedui_ops::{args, population};
use time::Date;
use time::macros::date;

use crate::{assert_clean_failure, split_at_nul};

/// The days the follow-ups are looked at: a working day, the first covered year, the ends
/// of the calendar.
const AS_OF: [Date; 4] = [
    date!(2026 - 11 - 29),
    date!(2024 - 01 - 01),
    Date::MAX,
    Date::MIN,
];

fn check_follow_ups(ledger: &ReliefLedger, as_of: Date) {
    let rb = args::default_rulebook();
    let report = population::relief_follow_ups(rb, ledger, as_of);
    let relieved = ledger
        .entries()
        .iter()
        .filter(|e| e.grant.relieved_on <= as_of)
        .count();
    assert_eq!(
        report.open.len() + report.overdue.len() + report.closed.len(),
        relieved,
        "every entry relieved by the day is listed once"
    );
    for f in &report.open {
        assert!(f.entry.follow_up_due >= as_of && f.entry.closure.is_none());
        assert!(
            matches!(f.state, FollowUpState::Open { working_days_left } if working_days_left >= 0)
        );
    }
    for f in &report.overdue {
        assert!(f.entry.follow_up_due < as_of);
        assert!(matches!(f.state, FollowUpState::Overdue { working_days } if working_days >= 0));
    }
    for f in &report.closed {
        assert!(
            f.entry
                .closure
                .as_ref()
                .is_some_and(|c| c.closed_on <= as_of)
        );
        assert!(
            matches!(f.state, FollowUpState::Closed { late_working_days } if late_working_days >= 0)
        );
    }
    let json = population::relief_follow_ups_json(rb, &ledger.to_json(), as_of)
        .expect("a ledger's own JSON reads back");
    assert!(json == serde_json::to_vec(&report).expect("follow-ups serialize"));
}

/// The check of target `relief_ledger`.
pub fn check(data: &[u8]) {
    let (ledger_bytes, second) = split_at_nul(data);
    let (Ok(ledger_text), Ok(second)) = (
        std::str::from_utf8(ledger_bytes),
        std::str::from_utf8(second),
    ) else {
        return;
    };
    let rb = args::default_rulebook();
    let ledger = match population::parse_ledger(Some(ledger_text)) {
        Ok(ledger) => ledger,
        Err(f) => {
            assert_clean_failure(&f);
            // a refused ledger is refused by every operation that reads it
            let record = population::relief_record_json(rb, Some(ledger_text), second);
            assert!(
                record.is_err(),
                "relief_record read a ledger parse_ledger refused"
            );
            return;
        }
    };
    let json = ledger.to_json();
    let again = ReliefLedger::from_json(&json).expect("a ledger's own JSON reads back");
    assert!(again == ledger, "the ledger reads back the same");
    let day = AS_OF
        .get(second.len() % AS_OF.len())
        .copied()
        .unwrap_or(date!(2026 - 11 - 29));
    check_follow_ups(&ledger, day);

    match population::relief_record_json(rb, Some(ledger_text), second) {
        Ok(out) => {
            let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON out");
            let reference = v["reference"].as_str().expect("a reference");
            assert!(ledger.entry(reference).is_none(), "the reference is new");
            let after: ReliefLedger =
                serde_json::from_value(v["ledger"].clone()).expect("the new ledger reads back");
            assert_eq!(after.entries().len(), ledger.entries().len() + 1);
            let entry = after
                .entry(reference)
                .expect("the new entry is in the ledger");
            assert!(entry.follow_up_due >= entry.grant.relieved_on);
            assert!(entry.grant.emergency && entry.grant.amount_fen > 0);
            check_follow_ups(&after, day);
        }
        Err(f) => assert_clean_failure(&f),
    }

    if let Some(first) = ledger.entries().first() {
        let closed = population::relief_close_json(
            rb,
            &ReportKeyring::default(),
            ledger_text,
            &first.reference,
            second,
            date!(2026 - 11 - 29),
        );
        match closed {
            Ok(out) => {
                let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON out");
                let after: ReliefLedger =
                    serde_json::from_value(v["ledger"].clone()).expect("the ledger reads back");
                let entry = after.entry(&first.reference).expect("the entry stays");
                assert!(entry.closure.is_some() && first.closure.is_none());
            }
            Err(f) => assert_clean_failure(&f),
        }
    }
}
