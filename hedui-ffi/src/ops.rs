//! The operations both bindings expose, on Rust types: text in, bytes out.
//!
//! Each one is a thin composition of hedui-core calls (parse, verify, serialize); the rules
//! live in the core. The C ABI (`capi`) and the uniffi surface (`uniffi_api`) only convert
//! their arguments and results.

use std::sync::OnceLock;

use hedui_core::{
    Application, AssistedHousehold, AuditChain, AuditEvent, AuditKey, Authorization, BatchOptions,
    BatchPlan, DataCategory, Error, FollowUpEvidence, Household, PopulationError, RecheckSchedule,
    RegionCode, ReliefEntry, ReliefGrant, ReliefLedger, Report, Rulebook, SecurityError,
    VerificationRecord, audit_coverage, beijing_date, render_markdown, schedule_rechecks,
    verify_chunk, verify_json_line,
};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::failure::Failure;

/// The built-in rulebook, built once and shared (it is immutable).
pub(crate) fn default_rulebook() -> &'static Rulebook {
    static DEFAULT: OnceLock<Rulebook> = OnceLock::new();
    DEFAULT.get_or_init(Rulebook::default)
}

/// The current time in Beijing (+08:00), whole seconds: the issue time of a report when the
/// caller gives none.
pub(crate) fn now_beijing() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    match UtcOffset::from_hms(8, 0, 0) {
        Ok(offset) => now.to_offset(offset),
        Err(_) => now,
    }
}

/// Parses an RFC 3339 date-time argument.
pub(crate) fn parse_time(argument: &'static str, text: &str) -> Result<OffsetDateTime, Failure> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|e| Failure::Time {
        argument,
        message: format!("`{text}`: {e}"),
    })
}

/// Verifies one case and returns the sealed report as compact JSON (no trailing newline),
/// byte for byte what `serde_json::to_string` of [`hedui_core::verify`]'s report gives.
pub(crate) fn verify_json_at(
    rulebook: &Rulebook,
    case_json: &str,
    issued_at: OffsetDateTime,
) -> Result<Vec<u8>, Failure> {
    let opts = BatchOptions {
        rulebook,
        issued_at,
        render: false,
        parallel: false,
    };
    Ok(verify_json_line(case_json, &opts)?.json)
}

/// The input of an authorization check: a letter, the household it is checked against and
/// the date of the check (today in Beijing when absent).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorizationCheckRequest {
    household: Household,
    authorization: Authorization,
    #[serde(default)]
    on: Option<Date>,
}

/// The result of an authorization check (R1): valid when there is no defect.
#[derive(Debug, Serialize)]
pub(crate) struct AuthorizationCheck {
    /// Letter number.
    pub(crate) authorization_number: String,
    /// Household checked against.
    pub(crate) household_id: String,
    /// Date of the check.
    pub(crate) on: Date,
    /// No defect found.
    pub(crate) valid: bool,
    /// Every defect: the core's serialized defect (`code` and its fields) plus `message`.
    pub(crate) defects: Vec<serde_json::Value>,
}

/// Checks an authorization letter against a household (R1) and lists every defect.
pub(crate) fn check_authorization(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<AuthorizationCheck, Failure> {
    let request: AuthorizationCheckRequest = serde_json::from_str(request_json)
        .map_err(|e| Error::json("authorization check request", &e))?;
    let on = request.on.unwrap_or_else(|| beijing_date(now_beijing()));
    let defects = request
        .authorization
        .defects(&request.household, on, rulebook)
        .into_iter()
        .map(|d| {
            let message = d.to_string();
            let mut value = serde_json::to_value(&d).unwrap_or(serde_json::Value::Null);
            match value.as_object_mut() {
                Some(map) => {
                    map.insert("message".to_owned(), message.into());
                    value
                }
                None => serde_json::json!({ "code": d.code(), "message": message }),
            }
        })
        .collect::<Vec<_>>();
    Ok(AuthorizationCheck {
        authorization_number: request.authorization.number,
        household_id: request.household.id,
        on,
        valid: defects.is_empty(),
        defects,
    })
}

/// The same check as compact JSON.
pub(crate) fn check_authorization_json(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    let check = check_authorization(rulebook, request_json)?;
    serde_json::to_vec(&check).map_err(|e| Failure::Panic(format!("serializing a check: {e}")))
}

/// Output of a batch run.
#[derive(Debug, Default)]
pub(crate) struct BatchOutput {
    /// One sealed report per good line, as JSON lines in input order.
    pub(crate) reports_jsonl: Vec<u8>,
    /// One `{"line":n,"code":"...","message":"..."}` per rejected line, in input order.
    pub(crate) errors_jsonl: Vec<u8>,
    /// Number of reports.
    pub(crate) reports: u64,
    /// Number of rejected lines.
    pub(crate) errors: u64,
}

/// Lines verified per call of [`verify_chunk`]: bounds the copies held at once.
const CHUNK_LINES: usize = 512;

/// Verifies every line of a JSONL text; blank lines are skipped but keep their number.
pub(crate) fn verify_batch_jsonl(
    rulebook: &Rulebook,
    jsonl: &str,
    issued_at: OffsetDateTime,
    parallel: bool,
) -> Result<BatchOutput, Failure> {
    let opts = BatchOptions {
        rulebook,
        issued_at,
        render: false,
        parallel,
    };
    let mut out = BatchOutput::default();
    let mut chunk: Vec<String> = Vec::with_capacity(CHUNK_LINES);
    let mut first_line: u64 = 1;
    let mut lines = jsonl.split('\n').peekable();
    while lines.peek().is_some() {
        chunk.clear();
        chunk.extend(lines.by_ref().take(CHUNK_LINES).map(str::to_owned));
        for (_, result) in verify_chunk(&chunk, first_line, &opts) {
            match result {
                Ok(report) => {
                    out.reports_jsonl.extend_from_slice(&report.json);
                    out.reports_jsonl.push(b'\n');
                    out.reports += 1;
                }
                Err(e) => {
                    serde_json::to_writer(&mut out.errors_jsonl, &e)
                        .map_err(|e| Failure::Panic(format!("serializing a batch error: {e}")))?;
                    out.errors_jsonl.push(b'\n');
                    out.errors += 1;
                }
            }
        }
        first_line += chunk.len() as u64;
    }
    Ok(out)
}

fn parse_report(report_json: &str) -> Result<Report, Failure> {
    Ok(serde_json::from_str(report_json).map_err(|e| Error::json("report", &e))?)
}

/// Renders a report (as JSON) as Chinese Markdown for printing.
pub(crate) fn render_markdown_json(report_json: &str) -> Result<String, Failure> {
    Ok(render_markdown(&parse_report(report_json)?))
}

/// Whether a report's recorded digest matches its content.
pub(crate) fn report_digest_is_valid(report_json: &str) -> Result<bool, Failure> {
    Ok(parse_report(report_json)?.verify_digest())
}

/// Parses a `YYYY-MM-DD` date argument.
pub(crate) fn parse_date(argument: &'static str, text: &str) -> Result<Date, Failure> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|e| Failure::Date {
        argument,
        message: format!("`{text}`: {e}"),
    })
}

/// The input of a coverage audit (R5).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverageRequest {
    applications: Vec<Application>,
    verifications: Vec<VerificationRecord>,
    jurisdiction: Vec<RegionCode>,
    #[serde(default)]
    queryable: Option<Vec<DataCategory>>,
}

/// Audits R5 coverage: `{"applications":[...],"verifications":[...],"jurisdiction":[...],
/// "queryable":[...]}` in (`queryable` optional), the [`hedui_core::CoverageReport`] as
/// compact JSON out.
pub(crate) fn coverage_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    let request: CoverageRequest =
        serde_json::from_str(request_json).map_err(|e| Error::json("coverage request", &e))?;
    let queryable = match request.queryable {
        Some(q) => q,
        None => rulebook.queryable_categories(),
    };
    let report = audit_coverage(
        &request.applications,
        &request.verifications,
        &request.jurisdiction,
        &queryable,
    );
    serde_json::to_vec(&report)
        .map_err(|e| Failure::Panic(format!("serializing a coverage report: {e}")))
}

/// A recheck schedule with its batches, as the bindings return it.
#[derive(Serialize)]
struct ScheduleWithBatches<'a> {
    #[serde(flatten)]
    schedule: RecheckSchedule<'a>,
    batches: BatchPlan,
}

/// Schedules the periodic rechecks (R8) of a JSON array of
/// [`hedui_core::AssistedHousehold`]s as of `as_of`, and cuts the due households into
/// batches with the rulebook's `recheck_batches` options. Compact JSON out: the schedule's
/// fields (`as_of`, `entries`, `issues`) and `batches` (the batch plan).
pub(crate) fn recheck_schedule_json(
    rulebook: &Rulebook,
    households_json: &str,
    as_of: Date,
) -> Result<Vec<u8>, Failure> {
    let households: Vec<AssistedHousehold> = serde_json::from_str(households_json)
        .map_err(|e| Error::json("assisted households", &e))?;
    let schedule = schedule_rechecks(&households, as_of, rulebook);
    let batches = schedule
        .batches(&rulebook.recheck_batches)
        .map_err(Error::from)?;
    serde_json::to_vec(&ScheduleWithBatches { schedule, batches })
        .map_err(|e| Failure::Panic(format!("serializing a recheck schedule: {e}")))
}

/// A relief ledger (R4) from its JSON; `None` is a new, empty ledger.
fn relief_ledger(ledger_json: Option<&str>) -> Result<ReliefLedger, Failure> {
    match ledger_json {
        Some(text) => Ok(ReliefLedger::from_json(text)?),
        None => Ok(ReliefLedger::new()),
    }
}

fn population(e: PopulationError) -> Failure {
    Failure::Core(Error::Population(e))
}

fn compact<T: Serialize>(what: &str, value: &T) -> Result<Vec<u8>, Failure> {
    serde_json::to_vec(value).map_err(|e| Failure::Panic(format!("serializing {what}: {e}")))
}

/// What recording a relief grant returns.
#[derive(Serialize)]
struct ReliefRecorded<'a> {
    reference: String,
    ledger: &'a ReliefLedger,
}

/// R4 先行救助、再行核对: records relief given before verification in the ledger `ledger_json`
/// (`None`: a new ledger). Compact JSON out: `{"reference": "<case_id>-<n>", "ledger":
/// <ReliefLedger>}`, the follow-up due `deadlines.relief_followup_working_days` working days
/// after the relief on the rulebook's calendar.
pub(crate) fn relief_record_json(
    rulebook: &Rulebook,
    ledger_json: Option<&str>,
    grant_json: &str,
) -> Result<Vec<u8>, Failure> {
    let mut ledger = relief_ledger(ledger_json)?;
    let grant: ReliefGrant =
        serde_json::from_str(grant_json).map_err(|e| Error::json("relief grant", &e))?;
    let reference = ledger.record(grant, rulebook).map_err(population)?;
    compact(
        "a relief ledger",
        &ReliefRecorded {
            reference,
            ledger: &ledger,
        },
    )
}

/// What closing a follow-up returns.
#[derive(Serialize)]
struct ReliefClosed<'a> {
    entry: &'a ReliefEntry,
    ledger: &'a ReliefLedger,
}

/// R4: closes the follow-up of relief `reference` in `ledger_json` with the follow-up
/// verification's sealed report, completed on `closed_on`. The report must verify (its
/// digest), be an `emergency_follow_up` of this very relief and household. Compact JSON out:
/// `{"entry": <the closed ReliefEntry>, "ledger": <ReliefLedger>}`.
pub(crate) fn relief_close_json(
    ledger_json: &str,
    reference: &str,
    report_json: &str,
    closed_on: Date,
) -> Result<Vec<u8>, Failure> {
    let mut ledger = relief_ledger(Some(ledger_json))?;
    let report: Report =
        serde_json::from_str(report_json).map_err(|e| Error::json("report", &e))?;
    let evidence = FollowUpEvidence::from_report(&report).map_err(population)?;
    let entry = ledger
        .close(reference, &evidence, closed_on)
        .map_err(population)?
        .clone();
    compact(
        "a relief ledger",
        &ReliefClosed {
            entry: &entry,
            ledger: &ledger,
        },
    )
}

/// R4: where every follow-up of `ledger_json` stands on `as_of`, in working days on the
/// rulebook's calendar. Compact JSON out: the `FollowUpReport` (`as_of`, `open`, `overdue`,
/// `closed`).
pub(crate) fn relief_follow_ups_json(
    rulebook: &Rulebook,
    ledger_json: &str,
    as_of: Date,
) -> Result<Vec<u8>, Failure> {
    let ledger = relief_ledger(Some(ledger_json))?;
    compact(
        "relief follow-ups",
        &ledger.follow_ups(as_of, &rulebook.calendar),
    )
}

/// An audit chain with the key that MACs it (R11): what the C handle and the uniffi object
/// hold.
#[derive(Debug)]
pub(crate) struct AuditLog {
    key: AuditKey,
    chain: AuditChain,
}

fn security(e: SecurityError) -> Failure {
    Failure::Core(e.into())
}

impl AuditLog {
    /// An empty chain under `key` (at least 32 bytes).
    pub(crate) fn new(key: &[u8]) -> Result<Self, Failure> {
        Ok(AuditLog {
            key: AuditKey::new(key).map_err(security)?,
            chain: AuditChain::new(),
        })
    }

    /// Reads a chain from JSONL as [`to_jsonl`](Self::to_jsonl) writes it and verifies it
    /// with `key`, so that nothing is appended to a forged past.
    pub(crate) fn from_jsonl(key: &[u8], jsonl: &str) -> Result<Self, Failure> {
        let key = AuditKey::new(key).map_err(security)?;
        let chain = AuditChain::from_jsonl(jsonl).map_err(security)?;
        chain.verify(&key).map_err(security)?;
        Ok(AuditLog { key, chain })
    }

    /// Appends an [`hedui_core::AuditEvent`] (JSON) and returns the new head as compact
    /// JSON `{"entries":n,"mac":"<hex>"}`.
    pub(crate) fn append_json(&mut self, event_json: &str) -> Result<Vec<u8>, Failure> {
        let event: AuditEvent =
            serde_json::from_str(event_json).map_err(|e| Error::json("audit event", &e))?;
        let head = self.chain.append(&self.key, event).map_err(security)?;
        serde_json::to_vec(&head).map_err(|e| Failure::Panic(format!("serializing a head: {e}")))
    }

    /// Checks every entry's sequence, link and MAC.
    pub(crate) fn verify(&self) -> Result<(), Failure> {
        self.chain.verify(&self.key).map_err(security)
    }

    /// The chain as JSONL, one entry per line, each line ended by `\n`.
    pub(crate) fn to_jsonl(&self) -> Result<String, Failure> {
        Ok(self.chain.to_jsonl()?)
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.chain.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_arguments_parse_or_fail_with_their_code() {
        assert!(parse_time("t", "2026-11-29T10:00:00+08:00").is_ok());
        let e = parse_time("t", "yesterday").unwrap_err();
        assert_eq!(e.code(), "invalid_time");
    }

    #[test]
    fn batch_numbers_lines_across_chunks_and_skips_blanks() {
        let mut text = String::new();
        for _ in 0..(CHUNK_LINES + 3) {
            text.push_str("{}\n");
        }
        text.push('\n');
        text.push_str("not json");
        let out = verify_batch_jsonl(default_rulebook(), &text, now_beijing(), false).unwrap();
        assert_eq!(out.reports, 0);
        assert_eq!(out.errors, CHUNK_LINES as u64 + 4);
        let last = String::from_utf8(out.errors_jsonl).unwrap();
        let last = last.lines().last().unwrap();
        assert!(
            last.starts_with(&format!("{{\"line\":{}", CHUNK_LINES + 5)),
            "{last}"
        );
    }
}
