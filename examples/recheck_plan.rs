//! Periodic recheck plan (R8 动态管理、定期复核): schedules a sample caseload of assisted
//! households as of a date, prints what is due and overdue per programme, and the recheck
//! batches 核对批次 each agency would send.
//!
//! ```text
//! cargo run --example recheck_plan -- --sample 10000 --as-of 2026-03-01 [--batch-size 100]
//!     [--lookahead-days 0] [--seed 1] [--out plan.json]
//! ```
//!
//! Without `--as-of` the date is today on the Beijing clock. `--out` writes the counts, the
//! batch plan and any records left out as JSON.

use std::process::ExitCode;

use hedui_core::{
    Programme, Rulebook,
    calendar::beijing_date,
    population::{
        AssistedHousehold, BatchPlan, HouseholdType, ProgrammeCounts, RecheckEvent,
        RecheckEventKind, RecordIssue, recheck_interval_months, schedule_rechecks,
    },
    rulebook::RecheckBatchOptions,
    sample::{LINFEN_COUNTIES, SampleRng},
};
use serde::Serialize;
use time::macros::format_description;
use time::{Date, Duration};

const USAGE: &str = "usage: recheck_plan --sample N [--as-of YYYY-MM-DD] [--batch-size N] \
[--lookahead-days N] [--seed N] [--out FILE]";

struct Args {
    sample: usize,
    as_of: Date,
    batch_size: usize,
    lookahead_days: u32,
    seed: u64,
    out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sample: 0,
        as_of: beijing_date(time::OffsetDateTime::now_utc()),
        batch_size: RecheckBatchOptions::default().max_households,
        lookahead_days: 0,
        seed: 1,
        out: None,
    };
    let mut sample = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("`{flag}` needs a value"));
        let number = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("`{flag}` expects a number, got `{v}`"))
        };
        match flag.as_str() {
            "--sample" => sample = Some(usize::try_from(number(value()?)?).unwrap_or(usize::MAX)),
            "--as-of" => {
                let v = value()?;
                args.as_of = Date::parse(&v, format_description!("[year]-[month]-[day]"))
                    .map_err(|_| format!("`--as-of` expects YYYY-MM-DD, got `{v}`"))?;
            }
            "--batch-size" => {
                args.batch_size = usize::try_from(number(value()?)?).unwrap_or(usize::MAX);
            }
            "--lookahead-days" => {
                args.lookahead_days = u32::try_from(number(value()?)?).unwrap_or(u32::MAX);
            }
            "--seed" => args.seed = number(value()?)?,
            "--out" => args.out = Some(value()?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    args.sample = sample.ok_or("`--sample N` is required")?;
    Ok(args)
}

/// One of `items`, drawn from `rng` (`fallback` for an empty list).
fn pick<T: Copy>(rng: &mut SampleRng, items: &[T], fallback: T) -> T {
    let i = usize::try_from(rng.below(items.len() as u64)).unwrap_or(0);
    items.get(i).copied().unwrap_or(fallback)
}

/// Up to `n - 1` days, drawn from `rng`.
fn days(rng: &mut SampleRng, n: u64) -> Duration {
    Duration::days(i64::try_from(rng.below(n)).unwrap_or(0))
}

/// A caseload spread over its recheck intervals as of `as_of`: most households are within
/// their interval, one in twenty-five is up to three months late, and a few had a death or a
/// membership change since their last check.
fn sample_caseload(
    n: usize,
    as_of: Date,
    seed: u64,
    rulebook: &Rulebook,
) -> Vec<AssistedHousehold> {
    let mut rng = SampleRng::new(seed);
    let programmes = [
        Programme::MinimumLivingAllowance,
        Programme::MinimumLivingAllowance,
        Programme::MinimumLivingAllowance,
        Programme::DestitutePersons,
        Programme::LowIncomeMargin,
    ];
    let types = [
        HouseholdType::Stable,
        HouseholdType::Stable,
        HouseholdType::UnstableAbleToWork,
        HouseholdType::UrbanCategoryC,
    ];
    (0..n)
        .map(|i| {
            let (region, _) = pick(&mut rng, &LINFEN_COUNTIES, (141_002, ""));
            let programme = pick(&mut rng, &programmes, Programme::MinimumLivingAllowance);
            let household_type = pick(&mut rng, &types, HouseholdType::Stable);
            let months = recheck_interval_months(&rulebook.recheck, programme, household_type);
            let late = if rng.below(25) == 0 { 90 } else { 0 };
            let last_checked = as_of.saturating_sub(days(&mut rng, u64::from(months) * 30 + late));
            let since = (as_of - last_checked).whole_days().unsigned_abs() + 1;
            let mut events = Vec::new();
            if rng.below(100) < 2 {
                events.push(RecheckEvent {
                    kind: RecheckEventKind::MemberDeath,
                    on: last_checked.saturating_add(days(&mut rng, since)),
                });
            }
            if rng.below(100) < 2 {
                events.push(RecheckEvent {
                    kind: RecheckEventKind::MembershipChange,
                    on: last_checked.saturating_add(days(&mut rng, since)),
                });
            }
            AssistedHousehold {
                household_id: format!("{region}-H{i:07}"),
                programme,
                household_type,
                last_checked,
                authorization_signed_on: last_checked.saturating_sub(Duration::days(20)),
                agency_id: format!("HD-{region}"),
                events,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Output<'a> {
    as_of: Date,
    households: usize,
    counts: &'a [ProgrammeCounts],
    plan: &'a BatchPlan,
    issues: &'a [RecordIssue],
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("recheck_plan: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rulebook = Rulebook::default();
    let caseload = sample_caseload(args.sample, args.as_of, args.seed, &rulebook);
    let schedule = schedule_rechecks(&caseload, args.as_of, &rulebook);
    let options =
        RecheckBatchOptions::new(args.batch_size).with_lookahead_days(args.lookahead_days);
    let plan = match schedule.batches(&options) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("recheck_plan: {e} ({})", e.code());
            return ExitCode::from(2);
        }
    };
    let counts = schedule.counts_by_programme();

    println!(
        "recheck plan as of {} ({} households, rulebook {})",
        args.as_of,
        caseload.len(),
        rulebook.version
    );
    println!();
    println!(
        "{:<28} {:>10} {:>8} {:>8} {:>16}",
        "programme", "households", "due", "overdue", "re-authorize"
    );
    for c in counts.iter().filter(|c| c.households > 0) {
        println!(
            "{:<28} {:>10} {:>8} {:>8} {:>16}",
            c.programme.as_str(),
            c.households,
            c.due,
            c.overdue,
            c.awaiting_authorization
        );
    }
    let total = |f: fn(&ProgrammeCounts) -> u64| counts.iter().map(f).sum::<u64>();
    println!(
        "{:<28} {:>10} {:>8} {:>8} {:>16}",
        "total",
        total(|c| c.households),
        total(|c| c.due),
        total(|c| c.overdue),
        total(|c| c.awaiting_authorization)
    );
    if let Some(most) = schedule.overdue().map(|e| e.days_overdue).max() {
        println!("most overdue: {most} days");
    }
    if let Some(next) = schedule.next_due_on() {
        println!("next due after {}: {next}", args.as_of);
    }

    let batched: usize = plan.batches.iter().map(|b| b.households.len()).sum();
    println!();
    println!(
        "{} batches of at most {} households ({} households, due through {})",
        plan.batches.len(),
        args.batch_size,
        batched,
        plan.through
    );
    const SHOWN: usize = 12;
    for batch in plan.batches.iter().take(SHOWN) {
        let first = batch.households.first().map(|h| h.due_on);
        let last = batch.households.last().map(|h| h.due_on);
        if let (Some(first), Some(last)) = (first, last) {
            println!(
                "  {:<28} {:>4} households, due {first} .. {last}",
                batch.number,
                batch.households.len()
            );
        }
    }
    if plan.batches.len() > SHOWN {
        println!("  ... {} more", plan.batches.len() - SHOWN);
    }
    let held: usize = plan
        .awaiting_authorization
        .iter()
        .map(|a| a.households.len())
        .sum();
    println!(
        "held back until re-authorized (R1 先授权，后委托): {held} households at {} agencies",
        plan.awaiting_authorization.len()
    );
    for issue in &schedule.issues {
        println!("left out: {issue} ({})", issue.code());
    }

    if let Some(path) = &args.out {
        let output = Output {
            as_of: args.as_of,
            households: caseload.len(),
            counts: &counts,
            plan: &plan,
            issues: &schedule.issues,
        };
        let written = serde_json::to_string_pretty(&output)
            .map_err(|e| e.to_string())
            .and_then(|json| std::fs::write(path, json + "\n").map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("recheck_plan: cannot write `{path}`: {e}");
            return ExitCode::FAILURE;
        }
        println!("wrote {path}");
    }
    ExitCode::SUCCESS
}
