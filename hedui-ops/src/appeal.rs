//! Appeals (R9 申诉、复核申请): `appeal_file` turns an appeal against a report into a recheck
//! request; `report_history_record` keeps a household's rounds in a history the host holds.

use std::borrow::Cow;

use hedui_core::{
    Error, Report, Rulebook,
    appeal::{RecheckRequest, ReportHistory, Round},
    security::{EvidenceTrust, ReportKeyring, TrustedKey},
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
    /// Public keys trusted for the report's signature (`key_id`, `public_key` as 64 hex
    /// characters), besides the keyring the host passes: how a host that speaks only JSON
    /// (the operations corpus, a dispatcher by name) hands the gate its keyring.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_keys: Vec<TrustedKey>,
}

/// The keyring a gate checks evidence against: the host's loaded `keyring` and the keys the
/// request itself trusts.
fn gate_keyring<'k>(
    keyring: &'k ReportKeyring,
    trusted_keys: &[TrustedKey],
) -> Result<Cow<'k, ReportKeyring>, Failure> {
    if trusted_keys.is_empty() {
        return Ok(Cow::Borrowed(keyring));
    }
    let mut ring = keyring.clone();
    for key in trusted_keys {
        ring.add(key.clone())
            .map_err(|e| Failure::Core(Error::from(e)))?;
    }
    Ok(Cow::Owned(ring))
}

/// Operation `appeal_file` (R9): the recheck request for an appeal against a report, linked to
/// it by number and digest. Under the rulebook's `security.signed_evidence` (the default) the
/// disputed report must be signed by a key of `keyring` or of the request's `trusted_keys`.
///
/// # Errors
/// `signing_key_invalid` for a key id the request trusts twice (or that `keyring` trusts
/// already); `evidence_unsigned`, `evidence_unknown_key`, `evidence_bad_signature` for a report that is
/// not signed by a trusted key as issued; `appeal_link` when the report does not verify
/// against its digest or the reason is empty.
pub fn appeal_file(
    rulebook: &Rulebook,
    keyring: &ReportKeyring,
    request: &AppealFileRequest,
) -> Result<RecheckRequest, Failure> {
    let keyring = gate_keyring(keyring, &request.trusted_keys)?;
    let trust = EvidenceTrust::new(&rulebook.security, &keyring);
    Ok(RecheckRequest::file(
        &request.report,
        &request.reason,
        request.filed_on,
        &trust,
    )?)
}

/// [`appeal_file`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`AppealFileRequest`], else as [`appeal_file`].
pub fn appeal_file_json(
    rulebook: &Rulebook,
    keyring: &ReportKeyring,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    json::call("appeal request", request_json, |r: AppealFileRequest| {
        appeal_file(rulebook, keyring, &r)
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
    /// Public keys trusted for the report's signature, besides the host's keyring (as
    /// [`AppealFileRequest::trusted_keys`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_keys: Vec<TrustedKey>,
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
/// digest. Under the rulebook's `security.signed_evidence` (the default) the report must be
/// signed by a key of `keyring` or of the request's `trusted_keys`.
///
/// # Errors
/// `signing_key_invalid` for a key id the request trusts twice (or that `keyring` trusts
/// already); `evidence_unsigned`, `evidence_unknown_key`, `evidence_bad_signature` for a report that is
/// not signed by a trusted key as issued; `appeal_link` when the report does not verify, is
/// for another household, is already recorded, or disputes a report not in the history.
pub fn report_history_record(
    rulebook: &Rulebook,
    keyring: &ReportKeyring,
    request: ReportHistoryRecordRequest,
) -> Result<ReportHistoryRecorded, Failure> {
    let keyring = gate_keyring(keyring, &request.trusted_keys)?;
    let trust = EvidenceTrust::new(&rulebook.security, &keyring);
    let report = request.report;
    let mut history = request
        .history
        .unwrap_or_else(|| ReportHistory::new(report.header.household_id.clone()));
    history.record(&report, &trust)?;
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
pub fn report_history_record_json(
    rulebook: &Rulebook,
    keyring: &ReportKeyring,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    json::call("report history request", request_json, |r| {
        report_history_record(rulebook, keyring, r)
    })
}
