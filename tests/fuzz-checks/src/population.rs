//! Target `population`: the inputs of operations `coverage_audit` (R5 全量、全域、全网) and
//! `recheck_schedule` (R8 定期复核), as the request documents every host passes.
//!
//! The first byte picks the operation (even: coverage, odd: recheck); the rest is the
//! request. The JSON answer is the typed operation's answer, byte for byte, and it holds
//! together:
//! - coverage: no ratio above its total, the households' total is the new applications, one
//!   household gap per household not covered, one silent-region gap per region missing, the
//!   offline-only count equal to its gaps, no more member or category gaps than missing;
//! - recheck: each due date between the last check and the periodic date (never before the
//!   last check nor after the periodic date), the status and days overdue the as-of date
//!   gives, the summary's lists exactly the entries of their status, batches no larger than
//!   the rulebook's size, and no household whose authorization lapsed in a batch.
//!
//! A refusal shows no resident ID.

use hedui_core::population::{CoverageGap, RecheckStatus};
use hedui_ops::{args, json, population};

use crate::assert_clean_failure;

fn check_coverage(text: &str) {
    let rb = args::default_rulebook();
    let out = population::coverage_audit_json(rb, text);
    // the typed path: read, then the rulebook's identifier rules today as the adapter applies
    let typed = json::parse::<population::CoverageAuditRequest>("coverage request", text)
        .and_then(|r| population::coverage_audit(rb, &r, args::today_beijing()));
    let (out, report) = match (out, typed) {
        (Ok(out), Ok(report)) => (out, report),
        (Err(f), Err(_)) => return assert_clean_failure(&f),
        (Ok(_), Err(f)) | (Err(f), Ok(_)) => panic!("the JSON and typed paths disagree: {f}"),
    };
    assert!(
        out == json::to_vec(&report).expect("a coverage report serializes"),
        "the JSON answer is the typed answer"
    );
    for ratio in [
        report.households,
        report.members,
        report.regions,
        report.categories,
    ] {
        assert!(ratio.covered <= ratio.total, "{ratio}");
    }
    assert_eq!(report.households.total, report.new_applications);
    assert!(report.new_applications <= report.applications);
    let count = |f: fn(&CoverageGap) -> bool| report.gaps.iter().filter(|g| f(g)).count() as u64;
    assert_eq!(
        count(|g| matches!(
            g,
            CoverageGap::NeverVerified { .. } | CoverageGap::VerifiedBeforeApplication { .. }
        )),
        report.households.missing(),
        "one gap per household not covered"
    );
    assert_eq!(
        count(|g| matches!(g, CoverageGap::RegionSilent { .. })),
        report.regions.missing(),
        "one gap per silent region"
    );
    assert_eq!(
        count(|g| matches!(g, CoverageGap::CategoryOfflineOnly { .. })),
        report.categories_offline_only
    );
    assert!(count(|g| matches!(g, CoverageGap::MemberMissing { .. })) <= report.members.missing());
    assert!(
        count(|g| matches!(
            g,
            CoverageGap::CategoryNeverQueried { .. } | CoverageGap::CategoryOfflineOnly { .. }
        )) <= report.categories.missing()
    );
}

fn check_recheck(text: &str) {
    let rb = args::default_rulebook();
    let out = population::recheck_schedule_request_json(rb, text);
    let request: Result<population::RecheckScheduleRequest, _> =
        json::parse("recheck schedule request", text);
    let as_of = request
        .as_ref()
        .ok()
        .map(|r| args::parse_date("as_of", &r.as_of));
    let (out, request, as_of) = match (out, request, as_of) {
        (Ok(out), Ok(request), Some(Ok(as_of))) => (out, request, as_of),
        (Err(f), _, _) => return assert_clean_failure(&f),
        (Ok(_), _, _) => panic!("the JSON path answered a request the typed path refuses"),
    };
    let plan = population::recheck_schedule(rb, &request.households, as_of)
        .expect("the typed path answers what the JSON path answers");
    assert!(
        out == json::to_vec(&plan).expect("a plan serializes"),
        "the JSON answer is the typed answer"
    );
    let schedule = &plan.schedule;
    for entry in &schedule.entries {
        let household = schedule
            .household(entry)
            .expect("an entry's household is in the input");
        assert!(
            household.last_checked <= entry.due_on && entry.due_on <= entry.periodic_due_on,
            "due {} outside last check {} .. periodic {}",
            entry.due_on,
            household.last_checked,
            entry.periodic_due_on
        );
        let status = match entry.due_on.cmp(&as_of) {
            std::cmp::Ordering::Greater => RecheckStatus::NotDue,
            std::cmp::Ordering::Equal => RecheckStatus::DueToday,
            std::cmp::Ordering::Less => RecheckStatus::Overdue,
        };
        assert_eq!(entry.status, status);
        let overdue = if status == RecheckStatus::Overdue {
            (as_of - entry.due_on).whole_days()
        } else {
            0
        };
        assert_eq!(i64::from(entry.days_overdue), overdue);
    }
    let of = |f: fn(&hedui_core::population::ScheduledRecheck) -> bool| {
        schedule
            .entries
            .iter()
            .filter(|e| f(e))
            .copied()
            .collect::<Vec<_>>()
    };
    assert_eq!(plan.summary.due, of(|e| e.status.is_due()));
    assert_eq!(
        plan.summary.overdue,
        of(|e| e.status == RecheckStatus::Overdue)
    );
    assert_eq!(
        plan.summary.awaiting_authorization,
        of(|e| e.authorization_lapsed)
    );
    let lapsed: Vec<&str> = schedule
        .entries
        .iter()
        .filter(|e| e.authorization_lapsed)
        .filter_map(|e| schedule.household(e))
        .map(|h| h.household_id.as_str())
        .collect();
    let mut batched = 0;
    for batch in &plan.batches.batches {
        assert!(!batch.households.is_empty());
        assert!(batch.households.len() <= rb.recheck_batches.max_households);
        for item in &batch.households {
            assert!(!lapsed.contains(&item.household_id.as_str()));
            assert!(item.due_on <= plan.batches.through);
        }
        batched += batch.households.len();
    }
    let held: usize = plan
        .batches
        .awaiting_authorization
        .iter()
        .map(|a| a.households.len())
        .sum();
    assert_eq!(held, lapsed.len());
    assert!(batched + held <= schedule.entries.len());
}

/// The check of target `population`.
pub fn check(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if selector % 2 == 0 {
        check_coverage(text);
    } else {
        check_recheck(text);
    }
}
