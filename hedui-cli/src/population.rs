//! Population rules at the command line: `hedui recheck-plan` (R8), `hedui coverage` (R5) and
//! `hedui relief` (R4) against a ledger file.

use std::path::PathBuf;

use clap::Subcommand;
use hedui_core::population::{AssistedHousehold, ReliefGrant};
use hedui_ops::{args, json, population, report, security};
use time::Date;

use crate::{CliError, Outcome, RulebookOption};

fn date(argument: &'static str, text: Option<&str>) -> Result<Date, CliError> {
    match text {
        Some(t) => Ok(args::parse_date(argument, t)?),
        None => Ok(args::today_beijing()),
    }
}

/// The options of `hedui recheck-plan`.
#[derive(Debug, Clone, clap::Args)]
pub struct RecheckArgs {
    /// The assisted households, a JSON array
    #[arg(long, value_name = "FILE")]
    pub households: PathBuf,
    /// The as-of date, YYYY-MM-DD [default: today in Beijing]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The rulebook (recheck intervals, batch size)
    #[command(flatten)]
    pub rulebook: RulebookOption,
}

/// Runs `hedui recheck-plan` (operation `recheck_schedule`): the counts per programme and the
/// batches, or with `--json` the whole plan.
///
/// # Errors
/// [`CliError::Io`], `input_json` for a file that is not an array of households,
/// `invalid_date`, `recheck_batch_size_zero`.
pub fn recheck_plan(a: &RecheckArgs, as_json: bool) -> Result<Outcome, CliError> {
    let rulebook = a.rulebook.load()?;
    let as_of = date("--as-of", a.as_of.as_deref())?;
    let households: Vec<AssistedHousehold> =
        json::parse("assisted households", &crate::read_text(&a.households)?)?;
    let plan = population::recheck_schedule(&rulebook, &households, as_of)?;
    if as_json {
        crate::print_json(&plan)?;
        return Ok(Outcome::Ok);
    }
    println!(
        "recheck plan as of {as_of} ({} households, rulebook {})",
        households.len(),
        rulebook.version
    );
    println!(
        "{:<28} {:>10} {:>8} {:>8} {:>16}",
        "programme", "households", "due", "overdue", "re-authorize"
    );
    for c in plan
        .summary
        .counts_by_programme
        .iter()
        .filter(|c| c.households > 0)
    {
        println!(
            "{:<28} {:>10} {:>8} {:>8} {:>16}",
            c.programme.as_str(),
            c.households,
            c.due,
            c.overdue,
            c.awaiting_authorization
        );
    }
    println!(
        "due {}, overdue {}, awaiting re-authorization {}",
        plan.summary.due.len(),
        plan.summary.overdue.len(),
        plan.summary.awaiting_authorization.len()
    );
    if let Some(next) = plan.summary.next_due_on {
        println!("next due after {as_of}: {next}");
    }
    println!(
        "{} batches (due through {})",
        plan.batches.batches.len(),
        plan.batches.through
    );
    for batch in &plan.batches.batches {
        println!(
            "  {:<28} {:>4} households",
            batch.number,
            batch.households.len()
        );
    }
    for issue in &plan.schedule.issues {
        println!("left out: {issue} ({})", issue.code());
    }
    Ok(Outcome::Ok)
}

/// The options of `hedui coverage`.
#[derive(Debug, Clone, clap::Args)]
pub struct CoverageArgs {
    /// The request: {"applications", "verifications", "jurisdiction", "queryable"?}
    #[arg(long, value_name = "FILE")]
    pub request: PathBuf,
    /// The rulebook (its sharing agreements give the queryable categories)
    #[command(flatten)]
    pub rulebook: RulebookOption,
}

/// Runs `hedui coverage` (operation `coverage_audit`): the three ratios and every gap, or with
/// `--json` the whole coverage report. [`Outcome::Failed`] when coverage is not complete
/// (R5 requires 100%).
///
/// # Errors
/// [`CliError::Io`], `input_json` for a file that is not a coverage request,
/// `id_resident_legacy` or `id_resident_birth_out_of_range` for a member's resident ID the
/// rulebook's identifier rules refuse today (with its JSON path).
pub fn coverage(a: &CoverageArgs, as_json: bool) -> Result<Outcome, CliError> {
    let rulebook = a.rulebook.load()?;
    let today = hedui_ops::args::today_beijing();
    let request: population::CoverageAuditRequest = json::parse_under(
        "coverage request",
        &crate::read_text(&a.request)?,
        &rulebook,
        Some(today),
    )?;
    let report = population::coverage_audit(&rulebook, &request, today)?;
    if as_json {
        crate::print_json(&report)?;
    } else {
        println!(
            "new applications {} of {} applications",
            report.new_applications, report.applications
        );
        println!("households (全量)  {}", report.households);
        println!("members    (全量)  {}", report.members);
        println!("regions    (全域)  {}", report.regions);
        println!("categories (全网)  {}", report.categories);
        for gap in &report.gaps {
            println!("gap: {gap}");
        }
        for issue in &report.issues {
            println!("left out: {issue} ({})", issue.code());
        }
        println!(
            "coverage {}",
            if report.is_complete() {
                "complete"
            } else {
                "INCOMPLETE"
            }
        );
    }
    Ok(if report.is_complete() {
        Outcome::Ok
    } else {
        Outcome::Failed
    })
}

/// The options of `hedui relief`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReliefArgs {
    /// The ledger file (JSON); `record` creates it when it does not exist
    #[arg(long, value_name = "FILE", global = true)]
    pub ledger: Option<PathBuf>,
    /// The rulebook (follow-up deadline, calendar, signed evidence)
    #[command(flatten)]
    pub rulebook: RulebookOption,
    /// What to do with the ledger
    #[command(subcommand)]
    pub action: ReliefAction,
}

/// `hedui relief` actions.
#[derive(Debug, Clone, Subcommand)]
pub enum ReliefAction {
    /// Record relief given to an emergency case before its verification
    Record {
        /// The grant: {"case_id", "household_id", "relieved_on", "amount_fen", "reason",
        /// "emergency"}
        #[arg(long, value_name = "FILE")]
        grant: PathBuf,
    },
    /// Close a follow-up with the follow-up verification's signed report
    Close {
        /// The relief reference (`<case_id>-<n>`)
        #[arg(long)]
        reference: String,
        /// The follow-up verification's report (JSON)
        #[arg(long, value_name = "FILE")]
        report: PathBuf,
        /// The day the follow-up was completed, YYYY-MM-DD [default: today in Beijing]
        #[arg(long, value_name = "DATE")]
        closed_on: Option<String>,
        /// The trusted signing keys, a JSON array of {"key_id", "public_key"}
        #[arg(long, value_name = "FILE")]
        keyring: Option<PathBuf>,
    },
    /// List open, overdue and closed follow-ups
    List {
        /// The as-of date, YYYY-MM-DD [default: today in Beijing]
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
}

/// Runs `hedui relief` (operations `relief_record`, `relief_close`, `relief_follow_ups`); the
/// ledger file is replaced whole after a change, never left half written.
///
/// # Errors
/// [`CliError::Usage`] without `--ledger`, [`CliError::Io`], `input_json` for a bad ledger,
/// grant or report, and the operations' own errors (`relief_not_emergency`,
/// `evidence_unsigned`, `relief_followup_*`, ...).
pub fn relief(a: &ReliefArgs, as_json: bool) -> Result<Outcome, CliError> {
    let path = a
        .ledger
        .as_deref()
        .ok_or_else(|| CliError::Usage("`hedui relief` needs --ledger FILE".to_owned()))?;
    let rulebook = a.rulebook.load()?;
    match &a.action {
        ReliefAction::Record { grant } => {
            let ledger_text = match path.exists() {
                true => Some(crate::read_text(path)?),
                false => None,
            };
            let ledger = population::parse_ledger(ledger_text.as_deref())?;
            let grant: ReliefGrant = json::parse("relief grant", &crate::read_text(grant)?)?;
            let recorded = population::relief_record(&rulebook, ledger, grant)?;
            crate::write_replacing(path, (recorded.ledger.to_json() + "\n").as_bytes())?;
            let entry = recorded.ledger.entry(&recorded.reference);
            if as_json {
                crate::print_json(&serde_json::json!({
                    "reference": recorded.reference,
                    "follow_up_due": entry.map(|e| e.follow_up_due),
                }))?;
            } else {
                match entry {
                    Some(e) => println!(
                        "recorded {} (follow-up due {})",
                        recorded.reference, e.follow_up_due
                    ),
                    None => println!("recorded {}", recorded.reference),
                }
            }
        }
        ReliefAction::Close {
            reference,
            report: report_file,
            closed_on,
            keyring,
        } => {
            let ledger = population::parse_ledger(Some(&crate::read_text(path)?))?;
            let report = report::parse_report(&crate::read_text(report_file)?)?;
            let keyring = match keyring {
                Some(k) => security::report_keyring_new_json(&crate::read_text(k)?)?,
                None => hedui_core::security::ReportKeyring::default(),
            };
            let closed_on = date("--closed-on", closed_on.as_deref())?;
            let closed = population::relief_close(
                &rulebook, &keyring, ledger, reference, &report, closed_on,
            )?;
            crate::write_replacing(path, (closed.ledger.to_json() + "\n").as_bytes())?;
            if as_json {
                crate::print_json(&closed.entry)?;
            } else {
                println!("closed {reference} with report {}", report.report_number);
            }
        }
        ReliefAction::List { as_of } => {
            let ledger = population::parse_ledger(Some(&crate::read_text(path)?))?;
            let as_of = date("--as-of", as_of.as_deref())?;
            let follow_ups = population::relief_follow_ups(&rulebook, &ledger, as_of);
            if as_json {
                crate::print_json(&follow_ups)?;
            } else {
                println!("follow-ups as of {as_of}");
                for (label, list) in [
                    ("overdue", &follow_ups.overdue),
                    ("open", &follow_ups.open),
                    ("closed", &follow_ups.closed),
                ] {
                    println!("{label} {}", list.len());
                    for f in list {
                        println!(
                            "  {:<24} household {:<20} due {}",
                            f.entry.reference, f.entry.grant.household_id, f.entry.follow_up_due
                        );
                    }
                }
            }
        }
    }
    Ok(Outcome::Ok)
}
