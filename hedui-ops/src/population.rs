//! Population rules: `coverage_audit` (R5), `recheck_schedule` (R8), and R4 先行救助、再行核对
//! over a relief ledger the host keeps (`relief_record`, `relief_close`, `relief_follow_ups`).

use hedui_core::{
    DataCategory, Error, RegionCode, Report, Rulebook,
    population::{
        Application, AssistedHousehold, BatchPlan, CoverageReport, FollowUpEvidence,
        FollowUpReport, RecheckSchedule, RecheckSummary, ReliefEntry, ReliefGrant, ReliefLedger,
        VerificationRecord, audit_coverage, schedule_rechecks,
    },
    security::{EvidenceTrust, ReportKeyring},
};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::args;
use crate::failure::Failure;
use crate::json;
use crate::report::parse_report;

/// The request of `coverage_audit` (R5 全量、全域、全网).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageAuditRequest {
    /// Applications for assistance.
    pub applications: Vec<Application>,
    /// Verification records.
    pub verifications: Vec<VerificationRecord>,
    /// The audited jurisdiction.
    pub jurisdiction: Vec<RegionCode>,
    /// The categories the 全网 axis counts; `None` for those some level can query under the
    /// rulebook's sharing agreements.
    #[serde(default)]
    pub queryable: Option<Vec<DataCategory>>,
}

/// Operation `coverage_audit`: exact counts and ratios per household and member, region and
/// category, with every gap and its reason; bad records are listed in `issues`. Every member's
/// resident ID (applications and verification records) is held to the rulebook's identifier
/// rules on the day `on` first (the JSON adapter and the bindings pass today): a count of
/// members must not count a number the rules do not admit.
///
/// # Errors
/// `id_resident_legacy` or `id_resident_birth_out_of_range` for the first ID the rules refuse.
pub fn coverage_audit(
    rulebook: &Rulebook,
    request: &CoverageAuditRequest,
    on: Date,
) -> Result<CoverageReport, Failure> {
    let members = request.applications.iter().flat_map(|a| a.members.iter());
    let verified = request.verifications.iter().flat_map(|v| v.members.iter());
    for id in members.chain(verified) {
        rulebook
            .identifiers
            .check_resident_id(id, on)
            .map_err(|e| Failure::Core(Error::from(e)))?;
    }
    let default;
    let queryable = match &request.queryable {
        Some(q) => q.as_slice(),
        None => {
            default = rulebook.queryable_categories();
            default.as_slice()
        }
    };
    Ok(audit_coverage(
        &request.applications,
        &request.verifications,
        &request.jurisdiction,
        queryable,
    ))
}

/// [`coverage_audit`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`CoverageAuditRequest`].
pub fn coverage_audit_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    // every member of an application and a verification record: no birth date after today
    let today = args::today_beijing();
    let request: CoverageAuditRequest =
        json::parse_under("coverage request", request_json, rulebook, Some(today))?;
    json::to_vec(&coverage_audit(rulebook, &request, today)?)
}

/// The response of `recheck_schedule`, the same in every host: the schedule's fields
/// (`as_of`, `entries`, `issues`), `batches`, the batch plan, then the summary's fields (`due`,
/// `overdue`, `awaiting_authorization`, `next_due_on`, `counts_by_programme`; see
/// [`RecheckSummary`]).
#[derive(Debug, Serialize)]
pub struct RecheckPlan<'a> {
    /// The schedule.
    #[serde(flatten)]
    pub schedule: RecheckSchedule<'a>,
    /// The households due, cut into batches per agency.
    pub batches: BatchPlan,
    /// R8 (docs/rules.md#r8-periodic-recheck): the entries due, overdue and awaiting a
    /// re-signed authorization, the next due date and the counts per programme
    /// ([`RecheckSchedule::summary`]).
    #[serde(flatten)]
    pub summary: RecheckSummary,
}

/// Operation `recheck_schedule` (R8 定期复核): due and overdue rechecks of `households` as of
/// `as_of`, cut into batches with the rulebook's `recheck_batches` options, with the
/// schedule's summary.
///
/// # Errors
/// `recheck_batch_size_zero` when the rulebook's batch size is zero.
pub fn recheck_schedule<'a>(
    rulebook: &Rulebook,
    households: &'a [AssistedHousehold],
    as_of: Date,
) -> Result<RecheckPlan<'a>, Failure> {
    let schedule = schedule_rechecks(households, as_of, rulebook);
    let batches = schedule
        .batches(&rulebook.recheck_batches)
        .map_err(Error::from)?;
    let summary = schedule.summary();
    Ok(RecheckPlan {
        schedule,
        batches,
        summary,
    })
}

/// [`recheck_schedule`] on a JSON array of assisted households.
///
/// # Errors
/// `input_json` for a text that is not such an array, else as [`recheck_schedule`].
pub fn recheck_schedule_json(
    rulebook: &Rulebook,
    households_json: &str,
    as_of: Date,
) -> Result<Vec<u8>, Failure> {
    let households: Vec<AssistedHousehold> = json::parse("assisted households", households_json)?;
    json::to_vec(&recheck_schedule(rulebook, &households, as_of)?)
}

/// `recheck_schedule` as one request document, for a host that dispatches by name
/// ([`json::operation`]) and the shared operations corpus: the arguments of
/// [`recheck_schedule_json`] as members.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecheckScheduleRequest {
    /// The as-of date, `YYYY-MM-DD` (read as the other hosts read it: a bad date is
    /// `invalid_date`).
    pub as_of: String,
    /// The assisted households.
    pub households: Vec<AssistedHousehold>,
}

/// [`recheck_schedule`] on a [`RecheckScheduleRequest`] document.
///
/// # Errors
/// `input_json` when `request_json` is not the request, `invalid_date` for its `as_of`, else
/// as [`recheck_schedule`].
pub fn recheck_schedule_request_json(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    let request: RecheckScheduleRequest = json::parse("recheck schedule request", request_json)?;
    let as_of = args::parse_date("as_of", &request.as_of)?;
    json::to_vec(&recheck_schedule(rulebook, &request.households, as_of)?)
}

/// A relief ledger (R4) from its JSON; `None` is a new, empty ledger.
///
/// # Errors
/// `input_json` when the text is not a ledger (or its entries do not hold together).
pub fn parse_ledger(ledger_json: Option<&str>) -> Result<ReliefLedger, Failure> {
    match ledger_json {
        Some(text) => Ok(ReliefLedger::from_json(text)?),
        None => Ok(ReliefLedger::new()),
    }
}

/// The response of `relief_record`.
#[derive(Debug, Clone, Serialize)]
pub struct ReliefRecorded {
    /// The new entry's reference, `<case_id>-<n>`.
    pub reference: String,
    /// The whole ledger.
    pub ledger: ReliefLedger,
}

/// Operation `relief_record` (R4 先行救助、再行核对): records relief given to an emergency case
/// before its verification; the follow-up is due `deadlines.relief_followup_working_days`
/// working days later on the rulebook's calendar.
///
/// # Errors
/// `relief_not_emergency`, `relief_amount_not_positive` and the other population errors of
/// [`ReliefLedger::record`].
pub fn relief_record(
    rulebook: &Rulebook,
    mut ledger: ReliefLedger,
    grant: ReliefGrant,
) -> Result<ReliefRecorded, Failure> {
    let reference = ledger.record(grant, rulebook).map_err(Error::from)?;
    Ok(ReliefRecorded { reference, ledger })
}

/// [`relief_record`] on JSON: the ledger (`None` for a new one) and a `ReliefGrant`.
///
/// # Errors
/// `input_json` for an unreadable ledger or grant, else as [`relief_record`].
pub fn relief_record_json(
    rulebook: &Rulebook,
    ledger_json: Option<&str>,
    grant_json: &str,
) -> Result<Vec<u8>, Failure> {
    let ledger = parse_ledger(ledger_json)?;
    let grant = json::parse("relief grant", grant_json)?;
    json::to_vec(&relief_record(rulebook, ledger, grant)?)
}

/// The response of `relief_close`.
#[derive(Debug, Clone, Serialize)]
pub struct ReliefClosed {
    /// The closed entry.
    pub entry: ReliefEntry,
    /// The whole ledger.
    pub ledger: ReliefLedger,
}

/// Operation `relief_close` (R4): closes the follow-up of relief `reference` with the
/// follow-up verification's sealed report, completed on `closed_on`. Under the rulebook's
/// `security.signed_evidence` (the default) the report must be signed by a key of `keyring`.
///
/// # Errors
/// `evidence_unsigned`, `evidence_unknown_key`, `evidence_bad_signature` for a report that is
/// not signed by a trusted key as issued; the `relief_followup_*` population errors: the
/// report does not verify, is not an `emergency_follow_up` of this very relief and household,
/// the reference is unknown or already closed.
pub fn relief_close(
    rulebook: &Rulebook,
    keyring: &ReportKeyring,
    mut ledger: ReliefLedger,
    reference: &str,
    report: &Report,
    closed_on: Date,
) -> Result<ReliefClosed, Failure> {
    let trust = EvidenceTrust::new(&rulebook.security, keyring);
    let evidence = FollowUpEvidence::from_report(report, &trust)?;
    let entry = ledger
        .close(reference, &evidence, closed_on)
        .map_err(Error::from)?
        .clone();
    Ok(ReliefClosed { entry, ledger })
}

/// [`relief_close`] on JSON: the ledger and the report.
///
/// # Errors
/// `input_json` for an unreadable ledger or report, else as [`relief_close`].
pub fn relief_close_json(
    rulebook: &Rulebook,
    keyring: &ReportKeyring,
    ledger_json: &str,
    reference: &str,
    report_json: &str,
    closed_on: Date,
) -> Result<Vec<u8>, Failure> {
    let ledger = parse_ledger(Some(ledger_json))?;
    let report = parse_report(report_json)?;
    json::to_vec(&relief_close(
        rulebook, keyring, ledger, reference, &report, closed_on,
    )?)
}

/// Operation `relief_follow_ups` (R4): where every follow-up stands on `as_of`, in working
/// days on the rulebook's calendar (`open`, `overdue`, `closed`).
pub fn relief_follow_ups<'a>(
    rulebook: &Rulebook,
    ledger: &'a ReliefLedger,
    as_of: Date,
) -> FollowUpReport<'a> {
    ledger.follow_ups(as_of, &rulebook.calendar)
}

/// [`relief_follow_ups`] on the ledger's JSON.
///
/// # Errors
/// `input_json` for an unreadable ledger.
pub fn relief_follow_ups_json(
    rulebook: &Rulebook,
    ledger_json: &str,
    as_of: Date,
) -> Result<Vec<u8>, Failure> {
    let ledger = parse_ledger(Some(ledger_json))?;
    json::to_vec(&relief_follow_ups(rulebook, &ledger, as_of))
}
