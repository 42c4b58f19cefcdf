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

use crate::error::PopulationError;
use std::hash::BuildHasher;

#[cfg(feature = "schemas")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

pub use coverage::{
    AnsweredBy, Application, ApplicationKind, CategoryQuery, CoverageGap, CoverageReport, Ratio,
    VerificationRecord, audit_coverage,
};
pub use recheck::{
    AssistedHousehold, AwaitingAuthorization, BatchItem, BatchPlan, HouseholdType, ProgrammeCounts,
    RecheckBatch, RecheckEvent, RecheckEventKind, RecheckSchedule, RecheckStatus, RecheckSummary,
    RecheckTrigger, ScheduledRecheck, recheck_interval_months, schedule_rechecks,
};
pub use relief::{
    FollowUp, FollowUpClosure, FollowUpEvidence, FollowUpReport, FollowUpState, ReliefEntry,
    ReliefGrant, ReliefLedger,
};

/// Which input a [`RecordIssue`] points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
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

#[cfg(feature = "schemas")]
impl JsonSchema for RecordIssue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
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

/// Ids of a batch input, hashed and sorted: `(hash, position)` pairs in ascending order, so
/// that equal ids sit next to each other (each run of equal hashes in position order).
///
/// The batch functions join and deduplicate millions of ids. Sorting compact pairs reads and
/// writes memory in sequence; a hash map of a million `&str` keys spent most of its time
/// waiting for memory. Equal hashes do not prove equal ids: callers compare the ids within a
/// run.
pub(crate) fn sorted_ids<'a>(
    state: &IdHashState,
    ids: impl Iterator<Item = (usize, &'a str)>,
) -> Vec<(u64, usize)> {
    let mut keys: Vec<(u64, usize)> = ids.map(|(pos, id)| (state.hash_one(id), pos)).collect();
    keys.sort_unstable();
    keys
}

/// The positions in `sorted` (from [`sorted_ids`]) whose id repeats one at an earlier position,
/// each with the position of the id's first occurrence, in ascending position order.
pub(crate) fn repeated_ids<'a>(
    sorted: &[(u64, usize)],
    id_at: impl Fn(usize) -> &'a str,
) -> Vec<(usize, usize)> {
    let mut repeats = Vec::new();
    for run in sorted.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        // Runs are tiny (the same id, or a rare hash collision): compare pairwise.
        for (i, &(_, pos)) in run.iter().enumerate() {
            let id = id_at(pos);
            let first = run
                .iter()
                .take(i)
                .map(|&(_, earlier)| earlier)
                .find(|&earlier| id_at(earlier) == id);
            if let Some(first) = first {
                repeats.push((pos, first));
            }
        }
    }
    repeats.sort_unstable();
    repeats
}

/// Hash state for [`sorted_ids`] and the id-keyed maps of the population rules: foldhash's
/// fast hash, seeded per map from a per-process random seed, so that crafted ids cannot aim
/// for collisions. No result depends on the seed: runs of equal hashes are resolved by
/// comparing the ids, in position order.
pub(crate) type IdHashState = foldhash::fast::RandomState;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_hasher_separates_close_ids() {
        let state = IdHashState::default();
        let ids: Vec<String> = (0..10_000)
            .map(|i| format!("H{i:08}"))
            .chain(["", "a", "a\0", "a\0\0\0\0\0\0\0"].map(String::from))
            .collect();
        let mut hashes: Vec<u64> = ids.iter().map(|id| state.hash_one(id.as_str())).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), ids.len());
    }

    #[test]
    fn repeated_ids_name_the_first_occurrence() {
        let ids = ["b", "a", "b", "c", "a", "b"];
        let state = IdHashState::default();
        let sorted = sorted_ids(&state, ids.iter().copied().enumerate());
        assert_eq!(sorted.len(), ids.len());
        assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(
            repeated_ids(&sorted, |pos| ids[pos]),
            [(2, 0), (4, 1), (5, 0)]
        );
        // a forced collision: one run holding two different ids
        let collided = [(7, 0), (7, 1), (7, 2)];
        let ids = ["x", "y", "x"];
        assert_eq!(repeated_ids(&collided, |pos| ids[pos]), [(2, 0)]);
    }

    #[cfg(feature = "schemas")]
    #[test]
    fn json_schemas_describe_the_population_types() {
        // Inputs refuse unknown fields, in the schema as in serde.
        for schema in [
            schemars::schema_for!(Application),
            schemars::schema_for!(VerificationRecord),
            schemars::schema_for!(AssistedHousehold),
            schemars::schema_for!(ReliefGrant),
            schemars::schema_for!(ReliefLedger),
            schemars::schema_for!(BatchPlan),
            schemars::schema_for!(crate::rulebook::RecheckBatchOptions),
            schemars::schema_for!(RecheckSummary),
        ] {
            let v = schema.as_value();
            assert_eq!(v["additionalProperties"], false, "{v}");
        }
        let report = schemars::schema_for!(CoverageReport);
        let text = report.as_value().to_string();
        for name in ["RecordIssue", "CoverageGap", "Ratio", "IsoDate"] {
            assert!(text.contains(name), "{name} missing from {text}");
        }
        // a bad record's schema is the object its serializer writes
        let issue = schemars::schema_for!(RecordIssue);
        let issue = issue.as_value();
        assert_eq!(issue["additionalProperties"], false, "{issue}");
        assert_eq!(
            issue["required"],
            serde_json::json!(["input", "position", "code", "message"]),
            "{issue}"
        );
        assert_eq!(issue["properties"]["position"]["minimum"], 0, "{issue}");
        let schedule = schemars::schema_for!(RecheckSchedule<'static>);
        assert!(schedule.as_value()["properties"]["as_of"].is_object());
        let followups = schemars::schema_for!(FollowUpReport<'static>);
        assert!(followups.as_value()["properties"]["overdue"].is_object());
    }

    #[test]
    fn purpose_names_match_serde() {
        use crate::agency::Purpose;
        for p in [
            Purpose::NewApplication,
            Purpose::PeriodicRecheck,
            Purpose::AppealRecheck,
            Purpose::EmergencyFollowUp,
        ] {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
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
