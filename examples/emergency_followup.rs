//! Emergency relief first (R4 先行救助、再行核对): runs a relief ledger over sample cases and
//! shows which follow-up verifications are open, overdue and closed.
//!
//! ```text
//! cargo run --example emergency_followup -- [--as-of YYYY-MM-DD] [--cases N] [--seed N]
//!     [--out ledger.json]
//! ```
//!
//! Without `--as-of` the date is today on the Beijing clock. The sample relieves cases over
//! the 15 days before it (the households of valid sample cases); a few are not marked as
//! emergencies and are refused, and some follow-up verifications are run and their signed
//! reports close the follow-up; a few are for the wrong purpose, and a few are another
//! household's report edited and sealed again, which closes nothing without the agency's
//! signature.

use std::process::ExitCode;

use hedui_core::{
    Case, Purpose, Rulebook,
    calendar::{BEIJING, beijing_date},
    population::{FollowUp, FollowUpEvidence, FollowUpState, ReliefGrant, ReliefLedger},
    sample::{SampleRng, sample_case},
    security::{EvidenceTrust, ReportKeyring, ReportSigner},
    verify,
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

    // The households are those of valid sample cases, so that their follow-up verifications
    // can really be run.
    let cases: Vec<Case> = (0..)
        .map(|k| sample_case(args.seed, k, &rulebook))
        .filter(|s| s.expected_error.is_none())
        .map(|s| s.case)
        .take(usize::try_from(args.cases).unwrap_or(16))
        .collect();

    // Relief given over the 15 days before the as-of date; one case in six is an ordinary
    // application that tries to use relief first.
    let grants: Vec<ReliefGrant> = cases
        .iter()
        .zip(1u64..)
        .map(|(case, i)| {
            let back = i64::try_from(rng.below(16)).unwrap_or(0);
            ReliefGrant {
                case_id: format!("JJ-{i:03}"),
                household_id: case.household.id.clone(),
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

    // The agency signs its reports; a follow-up closes only with a report signed by a key of
    // the keyring (security.signed_evidence). A deployment loads its seed from its key store;
    // this fixed seed is for the sample only.
    let signer = match ReportSigner::from_seed("sample-agency", &[7u8; 32]) {
        Ok(signer) => signer,
        Err(e) => {
            eprintln!("emergency_followup: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut keyring = ReportKeyring::default();
    if let Err(e) = keyring.add(signer.trusted_key()) {
        eprintln!("emergency_followup: {e}");
        return ExitCode::FAILURE;
    }
    let trust = EvidenceTrust::new(&rulebook.security, &keyring);

    // Follow-up reports come in for about half of the entries, a few days after the relief;
    // one in ten is for the wrong purpose, one in ten is another household's report edited to
    // name this relief and sealed again (refused: not signed).
    let references: Vec<(String, Date, usize)> = ledger
        .entries()
        .iter()
        .filter_map(|e| {
            let case = cases
                .iter()
                .position(|c| c.household.id == e.grant.household_id)?;
            Some((e.reference.clone(), e.grant.relieved_on, case))
        })
        .collect();
    for (reference, relieved_on, case) in references {
        if rng.below(5) < 2 {
            continue;
        }
        let closed_on = relieved_on.saturating_add(Duration::days(
            i64::try_from(2 + rng.below(10)).unwrap_or(2),
        ));
        if closed_on > args.as_of {
            continue;
        }
        let Some(mut follow_up) = cases.get(case).cloned() else {
            continue;
        };
        let kind = rng.below(10);
        if let Some(e) = follow_up.entrustment.as_mut() {
            e.purpose = if kind == 0 {
                Purpose::NewApplication
            } else {
                Purpose::EmergencyFollowUp
            };
            e.relief_reference = Some(reference.clone());
        }
        let issued_at = closed_on
            .with_time(time::macros::time!(10:00))
            .assume_offset(BEIJING);
        let report = verify(&follow_up, &rulebook, issued_at).and_then(|mut report| {
            if kind == 1 {
                // the forgery: another household's report, edited and sealed again
                report.header.household_id = format!("{}-X", report.header.household_id);
                report.seal()?;
                return Ok(report);
            }
            signer.sign_report(&mut report)?;
            Ok(report)
        });
        let closed = report.and_then(|report| {
            let evidence = FollowUpEvidence::from_report(&report, &trust)?;
            ledger.close(&reference, &evidence, closed_on)?;
            Ok(())
        });
        if let Err(e) = closed {
            println!("not closed: {reference}: {e} ({})", e.code());
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
