//! Appeals 申诉 become recheck requests 复核申请 (R9, N §二(二): "申请人对经济状况核对结果有异议的，
//! 应向申请救助管理部门提出申诉，可由申请救助的管理部门向核对机构说明原因，发起复核申请").

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::agency::Purpose;
use crate::category::DataCategory;
use crate::digest::Sha256Digest;
use crate::entrustment::{AppealLink, EntrustingUnit, EntrustmentRequest};
use crate::error::{Error, VerificationError};
use crate::report::Report;
use crate::security::EvidenceTrust;

/// A recheck request filed by the assistance department against a report, with the reason it
/// explains to the agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecheckRequest {
    /// Disputed report number.
    pub disputed_report: String,
    /// Digest of the disputed report.
    pub disputed_digest: Sha256Digest,
    /// Household.
    pub household_id: String,
    /// The reason explained to the agency.
    pub reason: String,
    /// Filing date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub filed_on: Date,
}

impl RecheckRequest {
    /// Files a recheck request against `report` (R9). Under `trust` requiring signatures (the
    /// rulebook's default `security.signed_evidence`) the disputed report must be signed by a
    /// trusted key: an appeal disputes the report as the agency issued it, not a copy someone
    /// edited and sealed again.
    ///
    /// # Errors
    /// The evidence errors of [`EvidenceTrust::check`] (`evidence_unsigned`,
    /// `evidence_unknown_key`, `evidence_bad_signature`); [`VerificationError::AppealLink`]
    /// when the report's digest does not verify (a changed or unsealed report cannot be
    /// disputed as issued) or the reason is empty.
    pub fn file(
        report: &Report,
        reason: &str,
        filed_on: Date,
        trust: &EvidenceTrust<'_>,
    ) -> Result<Self, Error> {
        trust.check(report, "appeal_file")?;
        Ok(Self::file_checked(report, reason, filed_on)?)
    }

    fn file_checked(
        report: &Report,
        reason: &str,
        filed_on: Date,
    ) -> Result<Self, VerificationError> {
        let Some(integrity) = report.integrity.as_ref().filter(|_| report.verify_digest()) else {
            return Err(VerificationError::AppealLink {
                message: format!(
                    "report `{}` does not verify against its digest",
                    report.report_number
                ),
            });
        };
        if reason.trim().is_empty() {
            return Err(VerificationError::AppealLink {
                message: "a recheck request must state the reason given to the agency".to_owned(),
            });
        }
        Ok(RecheckRequest {
            disputed_report: report.report_number.clone(),
            disputed_digest: integrity.digest,
            household_id: report.header.household_id.clone(),
            reason: reason.trim().to_owned(),
            filed_on,
        })
    }

    /// The entrustment request for the new round: purpose "appeal recheck", linked to the
    /// disputed report. Issue it with [`Entrustment::issue`](crate::Entrustment::issue) from
    /// a checked authorization like any other.
    pub fn entrustment_request(
        &self,
        number: String,
        unit: EntrustingUnit,
        agency_id: String,
        categories: Vec<DataCategory>,
        letter_digest: Sha256Digest,
    ) -> EntrustmentRequest {
        EntrustmentRequest {
            number,
            batch: None,
            unit,
            agency_id,
            purpose: Purpose::AppealRecheck,
            categories,
            issued_on: self.filed_on,
            valid_until: None,
            letter_digest,
            appeal: Some(AppealLink {
                disputed_report: self.disputed_report.clone(),
                disputed_digest: self.disputed_digest,
                reason: self.reason.clone(),
            }),
            relief_reference: None,
            requested_on: None,
        }
    }
}

/// One verification round of a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// Report number.
    pub report_number: String,
    /// Report digest.
    pub digest: Sha256Digest,
    /// Purpose of the round.
    pub purpose: Purpose,
    /// Issue time.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub issued_at: OffsetDateTime,
    /// The report this round rechecks after an appeal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disputes: Option<String>,
    /// The reason of the appeal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal_reason: Option<String>,
}

/// The kept history of a household's verification rounds (R9, R10): every appeal round links
/// to an earlier report of the same household with a matching digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportHistory {
    /// Household.
    pub household_id: String,
    /// Rounds in the order recorded.
    pub rounds: Vec<Round>,
}

impl ReportHistory {
    /// An empty history for a household.
    pub fn new(household_id: impl Into<String>) -> Self {
        ReportHistory {
            household_id: household_id.into(),
            rounds: Vec::new(),
        }
    }

    /// Records a report as the next round (R9, R10: the history is where a household's reports
    /// are filed). Under `trust` requiring signatures (the rulebook's default
    /// `security.signed_evidence`) the report must be signed by a trusted key.
    ///
    /// # Errors
    /// The evidence errors of [`EvidenceTrust::check`] (`evidence_unsigned`,
    /// `evidence_unknown_key`, `evidence_bad_signature`); [`VerificationError::AppealLink`]
    /// when the report does not verify, belongs to another household, is already recorded, or
    /// is an appeal recheck whose disputed report is not in the history with the same digest.
    pub fn record(&mut self, report: &Report, trust: &EvidenceTrust<'_>) -> Result<(), Error> {
        trust.check(report, "report_history_record")?;
        Ok(self.record_checked(report)?)
    }

    fn record_checked(&mut self, report: &Report) -> Result<(), VerificationError> {
        let bad = |message: String| Err(VerificationError::AppealLink { message });
        let Some(integrity) = report.integrity.as_ref().filter(|_| report.verify_digest()) else {
            return bad(format!(
                "report `{}` does not verify against its digest",
                report.report_number
            ));
        };
        if report.header.household_id != self.household_id {
            return bad(format!(
                "report `{}` is for household `{}`, not `{}`",
                report.report_number, report.header.household_id, self.household_id
            ));
        }
        if self
            .rounds
            .iter()
            .any(|r| r.report_number == report.report_number)
        {
            return bad(format!(
                "report `{}` is already recorded",
                report.report_number
            ));
        }
        let appeal = &report.header.appeal;
        if report.header.purpose == Purpose::AppealRecheck || appeal.is_some() {
            let Some(link) = appeal else {
                return bad(format!(
                    "appeal recheck `{}` names no disputed report",
                    report.report_number
                ));
            };
            match self
                .rounds
                .iter()
                .find(|r| r.report_number == link.disputed_report)
            {
                Some(r) if r.digest == link.disputed_digest => {}
                Some(_) => {
                    return bad(format!(
                        "disputed report `{}` has another digest than the one on file",
                        link.disputed_report
                    ));
                }
                None => {
                    return bad(format!(
                        "disputed report `{}` is not in the history",
                        link.disputed_report
                    ));
                }
            }
        }
        self.rounds.push(Round {
            report_number: report.report_number.clone(),
            digest: integrity.digest,
            purpose: report.header.purpose,
            issued_at: report.header.issued_at,
            disputes: appeal.as_ref().map(|a| a.disputed_report.clone()),
            appeal_reason: appeal.as_ref().map(|a| a.reason.clone()),
        });
        Ok(())
    }

    /// The chain of rounds leading to `report_number` through appeals, oldest first.
    pub fn chain(&self, report_number: &str) -> Vec<&Round> {
        let mut out = Vec::new();
        let mut next = Some(report_number);
        while let Some(n) = next {
            let Some(r) = self.rounds.iter().find(|r| r.report_number == n) else {
                break;
            };
            if out
                .iter()
                .any(|o: &&Round| o.report_number == r.report_number)
            {
                break;
            }
            out.push(r);
            next = r.disputes.as_deref();
        }
        out.reverse();
        out
    }
}
