//! Appeals (R9 申诉、复核申请): `appeal_file` turns an appeal against a report into a recheck
//! request; `report_history_record` keeps a household's rounds in a history the host holds.

use hedui_core::{
    Error, Report,
    appeal::{RecheckRequest, ReportHistory, Round},
};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::failure::Failure;
use crate::json;

/// The request of `appeal_file`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AppealFileRequest {
    /// The disputed report, sealed as issued.
    pub report: Report,
    /// The reason the assistance department explains to the agency.
    pub reason: String,
    /// Filing date.
    pub filed_on: Date,
}

/// Operation `appeal_file` (R9): the recheck request for an appeal against a report, linked to
/// it by number and digest.
///
/// # Errors
/// `appeal_link` when the report does not verify against its digest or the reason is empty.
pub fn appeal_file(request: &AppealFileRequest) -> Result<RecheckRequest, Failure> {
    RecheckRequest::file(&request.report, &request.reason, request.filed_on)
        .map_err(|e| Failure::Core(Error::from(e)))
}

/// [`appeal_file`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`AppealFileRequest`], else as [`appeal_file`].
pub fn appeal_file_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("appeal request", request_json, |r: AppealFileRequest| {
        appeal_file(&r)
    })
}

/// The request of `report_history_record`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportHistoryRecordRequest {
    /// The history so far; a new one for the report's household when absent.
    #[serde(default)]
    pub history: Option<ReportHistory>,
    /// The report of the next round.
    pub report: Report,
}

/// The response of `report_history_record`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportHistoryRecorded {
    /// The history with the new round.
    pub history: ReportHistory,
    /// The rounds leading to the new report through appeals, oldest first.
    pub chain: Vec<Round>,
}

/// Operation `report_history_record` (R9, R10): records a report as the next round of its
/// household's history; an appeal recheck must link to a report in the history with the same
/// digest.
///
/// # Errors
/// `appeal_link` when the report does not verify, is for another household, is already
/// recorded, or disputes a report not in the history.
pub fn report_history_record(
    request: ReportHistoryRecordRequest,
) -> Result<ReportHistoryRecorded, Failure> {
    let report = request.report;
    let mut history = request
        .history
        .unwrap_or_else(|| ReportHistory::new(report.header.household_id.clone()));
    history
        .record(&report)
        .map_err(|e| Failure::Core(Error::from(e)))?;
    let chain = history
        .chain(&report.report_number)
        .into_iter()
        .cloned()
        .collect();
    Ok(ReportHistoryRecorded { history, chain })
}

/// [`report_history_record`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`ReportHistoryRecordRequest`], else as
/// [`report_history_record`].
pub fn report_history_record_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call(
        "report history request",
        request_json,
        report_history_record,
    )
}
