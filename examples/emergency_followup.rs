//! Emergency relief first (R4 先行救助、再行核对): runs a relief ledger over sample cases and
//! shows which follow-up verifications are open, overdue and closed.
//!
//! ```text
//! cargo run --example emergency_followup -- [--as-of YYYY-MM-DD] [--cases N] [--seed N]
//!     [--out ledger.json]
//! ```
//!
//! Without `--as-of` the date is today on the Beijing clock. The sample relieves cases over
//! the 15 days before it; a few are not marked as emergencies and are refused, and some
//! follow-up reports come in, a few of them for the wrong purpose or household.

use std::process::ExitCode;

use hedui_core::{
    Purpose, Rulebook, Sha256Digest,
    calendar::beijing_date,
    population::{FollowUp, FollowUpEvidence, FollowUpState, ReliefGrant, ReliefLedger},
    sample::SampleRng,
};
use time::macros::format_description;
use time::{Date, Duration};

const USAGE: &str =
    "usage: emergency_followup [--as-of YYYY-MM-DD] [--cases N] [--seed N] [--out FILE]";

const REASONS: [&str; 5] = [
    "house fire 火灾",
    "flood damage 洪涝",
    "sudden serious illness 突发重病",
    "traffic accident 交通事故",
    "breadwinner died 主要劳动力死亡",
];

struct Args {
    as_of: Date,
    cases: u64,
    seed: u64,
    out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        as_of: beijing_date(time::OffsetDateTime::now_utc()),
        cases: 16,
        seed: 4,
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("`{flag}` needs a value"));
        let number = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("`{flag}` expects a number, got `{v}`"))
        };
        match flag.as_str() {
            "--as-of" => {
                let v = value()?;
                args.as_of = Date::parse(&v, format_description!("[year]-[month]-[day]"))
                    .map_err(|_| format!("`--as-of` expects YYYY-MM-DD, got `{v}`"))?;
            }
            "--cases" => args.cases = number(value()?)?,
            "--seed" => args.seed = number(value()?)?,
            "--out" => args.out = Some(value()?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

fn working_days(n: i64) -> String {
    if n == 1 {
        "1 working day".to_owned()
    } else {
        format!("{n} working days")
    }
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn show(title: &str, list: &[FollowUp<'_>]) {
    println!();
    println!("{title}: {}", list.len());
    for f in list {
        let e = f.entry;
        let state = match f.state {
            FollowUpState::Open { working_days_left } => {
                format!("{} left", working_days(working_days_left))
            }
            FollowUpState::Overdue { working_days: late } => {
                format!("overdue by {}", working_days(late))
            }
            FollowUpState::Closed { late_working_days } => {
                let report = e.closure.as_ref().map_or("", |c| c.report_number.as_str());
                match late_working_days {
                    0 => format!("closed by {report}, on time"),
                    n => format!("closed by {report}, {} late", working_days(n)),
                }
            }
        };
        println!(
            "  {:<12} {:<10} relieved {} ¥{:>9}  due {}{}  {state}",
            e.reference,
            e.grant.household_id,
            e.grant.relieved_on,
            yuan(e.grant.amount_fen),
            e.follow_up_due,
            if e.due_estimated { " (est.)" } else { "" },
        );
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("emergency_followup: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rulebook = Rulebook::default();
    let mut rng = SampleRng::new(args.seed);

    // Relief given over the 15 days before the as-of date; one case in six is an ordinary
    // application that tries to use relief first.
    let grants: Vec<ReliefGrant> = (1..=args.cases)
        .map(|i| {
            let back = i64::try_from(rng.below(16)).unwrap_or(0);
            ReliefGrant {
                case_id: format!("JJ-{i:03}"),
                household_id: format!("H-{:04}", 1000 + i),
                relieved_on: args.as_of.saturating_sub(Duration::days(back)),
                amount_fen: i64::try_from(50_000 + rng.below(20) * 10_000).unwrap_or(50_000),
                reason: REASONS
                    .get(usize::try_from(rng.below(5)).unwrap_or(0))
                    .copied()
                    .unwrap_or("emergency")
                    .to_owned(),
                emergency: rng.below(6) != 0,
            }
        })
        .collect();

    let mut ledger = ReliefLedger::new();
    println!(
        "relief-first ledger as of {} (follow-up within {} working days, rulebook {})",
        args.as_of, rulebook.deadlines.relief_followup_working_days, rulebook.version
    );
    let issues = ledger.record_all(grants.iter().cloned(), &rulebook);
    for issue in &issues {
        println!("refused: {issue} ({})", issue.code());
    }

    // Follow-up reports come in for about half of the entries, a few days after the relief;
    // one in five was filed with the wrong purpose or for another household.
    let references: Vec<(String, String, Date)> = ledger
        .entries()
        .iter()
        .map(|e| {
            (
                e.reference.clone(),
                e.grant.household_id.clone(),
                e.grant.relieved_on,
            )
        })
        .collect();
    for (reference, household, relieved_on) in references {
        if rng.below(5) < 2 {
            continue;
        }
        let closed_on = relieved_on.saturating_add(Duration::days(
            i64::try_from(2 + rng.below(10)).unwrap_or(2),
        ));
        if closed_on > args.as_of {
            continue;
        }
        let mut evidence = FollowUpEvidence {
            report_number: format!("BG-{reference}"),
            report_digest: Sha256Digest::of(reference.as_bytes()),
            purpose: Purpose::EmergencyFollowUp,
            household_id: household,
            relief_reference: reference.clone(),
            report_issued_on: Some(closed_on),
        };
        match rng.below(10) {
            0 => evidence.purpose = Purpose::NewApplication,
            1 => evidence.household_id = "H-9999".into(),
            _ => {}
        }
        if let Err(e) = ledger.close(&reference, &evidence, closed_on) {
            println!("not closed: {e} ({})", e.code());
        }
    }

    let report = ledger.follow_ups(args.as_of, &rulebook.calendar);
    show("open", &report.open);
    show("overdue", &report.overdue);
    show("closed", &report.closed);

    if let Some(path) = &args.out {
        if let Err(e) = std::fs::write(path, ledger.to_json() + "\n") {
            eprintln!("emergency_followup: cannot write `{path}`: {e}");
            return ExitCode::FAILURE;
        }
        println!();
        println!("wrote {path}");
    }
    ExitCode::SUCCESS
}
