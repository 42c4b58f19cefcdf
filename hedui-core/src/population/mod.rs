//! Population rules: the rules an agency runs over its whole caseload rather than one case.
//!
//! They come from one sentence of N §二(一): "对于新申请社会救助的家庭，要100%全量、全域、全网进行
//! 核对；对于已享受救助的困难对象，要按照动态管理的原则进行定期复核；对于“救急难”对象可以通过先行救助、
//! 再行核对的方式开展核对工作".
//!
//! - R5 full coverage 100%全量、全域、全网: [`audit_coverage`] measures, for new applications,
//!   how many households and members were verified (全量), which regions of the jurisdiction
//!   took part (全域) and which data categories were queried online (全网), as exact counts,
//!   and lists every gap with its reason.
//! - R8 periodic recheck 动态管理、定期复核: [`schedule_rechecks`] computes when each assisted
//!   household is due, what is overdue and by how long, and
//!   [`RecheckSchedule::batches`] groups the due households into entrustment batches per
//!   agency.
//! - R4 emergency relief first 先行救助、再行核对: [`ReliefLedger`] records relief given before
//!   verification, only for emergency cases, and tracks the follow-up verification each entry
//!   owes.
//!
//! Batch functions never stop at the first bad record: each bad record comes back as a
//! [`RecordIssue`] with its position, and the good records are processed.

mod coverage;
mod recheck;
mod relief;

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::entrustment::Purpose;
use crate::error::PopulationError;

pub use coverage::{
    AnsweredBy, Application, ApplicationKind, CategoryQuery, CoverageGap, CoverageReport, Ratio,
    VerificationRecord, audit_coverage,
};
pub use recheck::{
    AssistedHousehold, BatchItem, BatchOptions, BatchPlan, HouseholdType, ProgrammeCounts,
    RecheckBatch, RecheckEvent, RecheckEventKind, RecheckSchedule, RecheckStatus, RecheckTrigger,
    ScheduledRecheck, recheck_interval_months, schedule_rechecks,
};
pub use relief::{
    FollowUp, FollowUpClosure, FollowUpEvidence, FollowUpReport, FollowUpState, ReliefEntry,
    ReliefGrant, ReliefLedger,
};

/// Which input a [`RecordIssue`] points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecordKind {
    /// An [`Application`] of a coverage audit.
    Application,
    /// A [`VerificationRecord`] of a coverage audit.
    Verification,
    /// An [`AssistedHousehold`] of a recheck schedule.
    Household,
    /// A [`ReliefGrant`] recorded in a ledger.
    Relief,
}

impl RecordKind {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Application => "application",
            RecordKind::Verification => "verification",
            RecordKind::Household => "household",
            RecordKind::Relief => "relief",
        }
    }
}

/// A bad record met by a batch function: which input, its 0-based position there, and why it
/// was left out. The other records were processed.
///
/// In JSON it is written as `{"input": ..., "position": ..., "code": ..., "message": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordIssue {
    /// The input the record comes from.
    pub input: RecordKind,
    /// 0-based position of the record in its input.
    pub position: usize,
    /// What is wrong with it.
    pub error: PopulationError,
}

impl RecordIssue {
    pub(crate) fn new(input: RecordKind, position: usize, error: PopulationError) -> Self {
        RecordIssue {
            input,
            position,
            error,
        }
    }

    /// The stable code of the error.
    pub fn code(&self) -> &'static str {
        self.error.code()
    }
}

impl std::fmt::Display for RecordIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at position {}: {}",
            self.input.as_str(),
            self.position,
            self.error
        )
    }
}

impl Serialize for RecordIssue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RecordIssue", 4)?;
        st.serialize_field("input", &self.input)?;
        st.serialize_field("position", &self.position)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.error.to_string())?;
        st.end()
    }
}

impl JsonSchema for RecordIssue {
    fn schema_name() -> Cow<'static, str> {
        "RecordIssue".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let input = generator.subschema_for::<RecordKind>();
        json_schema!({
            "type": "object",
            "description": "a bad record left out of a batch computation",
            "properties": {
                "input": input,
                "position": { "type": "integer", "minimum": 0 },
                "code": { "type": "string" },
                "message": { "type": "string" }
            },
            "required": ["input", "position", "code", "message"],
            "additionalProperties": false
        })
    }
}

/// The snake_case JSON name of a purpose, for messages.
pub(crate) fn purpose_name(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::NewApplication => "new_application",
        Purpose::PeriodicRecheck => "periodic_recheck",
        Purpose::AppealRecheck => "appeal_recheck",
        Purpose::EmergencyFollowUp => "emergency_follow_up",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purpose_names_match_serde() {
        for p in [
            Purpose::NewApplication,
            Purpose::PeriodicRecheck,
            Purpose::AppealRecheck,
            Purpose::EmergencyFollowUp,
        ] {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", purpose_name(p))
            );
        }
    }

    #[test]
    fn record_issue_serializes_code_and_message() {
        let issue = RecordIssue::new(
            RecordKind::Household,
            7,
            PopulationError::EmptyField {
                record: "household",
                field: "agency_id",
            },
        );
        let v = serde_json::to_value(&issue).unwrap();
        assert_eq!(v["input"], "household");
        assert_eq!(v["position"], 7);
        assert_eq!(v["code"], "population_empty_field");
        assert_eq!(v["message"], "household field `agency_id` is empty");
        assert_eq!(
            issue.to_string(),
            "household at position 7: household field `agency_id` is empty"
        );
    }
}
