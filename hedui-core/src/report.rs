//! The verification report 核对报告 (R3 只核对，不认定, docs/rules.md#the-report).
//!
//! The report type has no place for an eligibility verdict, a comparison with an assistance
//! standard or a benefit amount: it holds objective facts, objective aggregates, gaps with
//! the offline tasks assigned to the entrusting unit, the limits of use and the statement
//! that it is not a determination.

use std::sync::Arc;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::agency::{AgencyLevel, Purpose};
use crate::category::DataCategory;
use crate::digest::{DigestAlgorithm, Sha256Digest};
use crate::entrustment::AppealLink;
use crate::error::EntrustmentError;
use crate::error::VerificationError;
use crate::fact::{Fact, IncomeType};
use crate::household::{Programme, Relation};
use crate::id::{CreditCode, Sex};
use crate::sharing::{SharingAgreement, SharingGap, find};

/// Name of the canonical form the report digest is computed over.
///
/// `hedui-report-v1`: the report serialized as compact JSON (serde_json, UTF-8, no
/// whitespace, object fields in the order of the report schema, optional fields that are
/// absent omitted) with the `integrity` field omitted; the digest is SHA-256 over those bytes,
/// or SM3 where the integrity block names `"digest_algorithm": "sm3"` (the
/// commercial-cryptography suite, [`crate::rulebook::CryptoSuite::Shangmi`]).
pub const CANONICAL_FORM: &str = "hedui-report-v1";

/// The report 核对报告.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Report number 报告编号.
    pub report_number: String,
    /// Header.
    pub header: ReportHeader,
    /// Members 家庭成员.
    pub members: Vec<ReportMember>,
    /// One finding per category and member.
    pub findings: Vec<Finding>,
    /// Objective aggregates.
    pub aggregates: Aggregates,
    /// Categories an upper level answered because the own level cannot (R6).
    pub sharing_gaps: Vec<SharingGap>,
    /// Categories without an online answer, each with its offline task (R7).
    pub gaps: Vec<Gap>,
    /// Offline investigation results already returned by the entrusting unit.
    pub offline_results: Vec<ReportOfflineResult>,
    /// Departments' texts that read like a conclusion, carried as their own words (R3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_wording: Vec<SourceWording>,
    /// Income payments the feed counted that the rules exempt by their kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_by_rule: Vec<ExemptByRule>,
    /// When the information check started against the day the application was accepted
    /// (最低生活保障审核确认办法 Art 17), where the entrustment gives that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_start: Option<CheckStart>,
    /// Limits of use 使用限制.
    pub limits_of_use: String,
    /// The statement that this is not a determination 只核对，不认定.
    pub statement: String,
    /// Digest (and signature where keys are set); absent while the report is assembled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrity: Option<Integrity>,
}

/// Debug output goes to logs and panic messages: a report's identity and shape, no names, no
/// amounts, no facts.
impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("report_number", &self.report_number)
            .field("purpose", &self.header.purpose)
            .field("household_id", &self.header.household_id)
            .field("issued_at", &self.header.issued_at)
            .field("members", &self.members.len())
            .field("findings", &self.findings.len())
            .field("gaps", &self.gaps.len())
            .field("integrity", &self.integrity)
            .finish_non_exhaustive()
    }
}

/// Report header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportHeader {
    /// Case id.
    pub case_id: String,
    /// Entrustment number.
    pub entrustment_number: String,
    /// Authorization number.
    pub authorization_number: String,
    /// Batch number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// Entrusting unit name.
    pub entrusting_unit: String,
    /// Entrusting unit credit code.
    pub entrusting_unit_code: CreditCode,
    /// Agency id.
    pub agency_id: String,
    /// Agency name.
    pub agency_name: String,
    /// Agency level.
    pub agency_level: AgencyLevel,
    /// Purpose.
    pub purpose: Purpose,
    /// Programme.
    pub programme: Programme,
    /// Household id.
    pub household_id: String,
    /// First day of the income window.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub income_window_from: Date,
    /// Last day of the income window.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub income_window_to: Date,
    /// When the queries were sent.
    #[serde(
        serialize_with = "crate::wire::rfc3339",
        deserialize_with = "time::serde::rfc3339::deserialize"
    )]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub queries_sent_at: OffsetDateTime,
    /// Officer responsible for the pre-check (N §二(二)).
    pub precheck_officer: String,
    /// When the pre-check was made.
    #[serde(
        serialize_with = "crate::wire::rfc3339",
        deserialize_with = "time::serde::rfc3339::deserialize"
    )]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub precheck_at: OffsetDateTime,
    /// Issue time.
    #[serde(
        serialize_with = "crate::wire::rfc3339",
        deserialize_with = "time::serde::rfc3339::deserialize"
    )]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub issued_at: OffsetDateTime,
    /// For an appeal recheck: the disputed report (R9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal: Option<AppealLink>,
    /// For an emergency follow-up: the relief ledger entry it follows up (R4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relief_reference: Option<String>,
    /// Rulebook version used.
    pub rulebook_version: String,
}

/// A member as printed on the report: the resident ID masked, age and sex from the ID.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportMember {
    /// Masked resident ID.
    pub id_masked: String,
    /// Name.
    pub name: String,
    /// Relation to the applicant.
    pub relation: Relation,
    /// Age on the day the queries were sent.
    pub age: u32,
    /// Sex from the ID.
    pub sex: Sex,
    /// Co-resident member counted in per-capita figures.
    pub co_resident: bool,
}

impl std::fmt::Debug for ReportMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportMember")
            .field("id_masked", &self.id_masked)
            .field("relation", &self.relation)
            .field("co_resident", &self.co_resident)
            .finish_non_exhaustive()
    }
}

/// Status of one category for one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueryStatus {
    /// Answered with records 已反馈.
    Returned,
    /// Answered: no record 无记录.
    NoRecord,
    /// No answer within the agreed deadline 未在规定时限内反馈 (R7).
    NoFeedbackInTime,
    /// Queried; the deadline has not passed when the report is issued 待反馈 (R7: the report
    /// is not held up).
    AwaitingFeedback,
    /// Not shared at any level 未实现共享 (R7).
    NotShared,
    /// No means to query 不具备查询条件 (R7).
    NoMeans,
    /// Outside the authorized scope 超出授权范围: not queried.
    OutsideScope,
}

/// How a finding's answer was obtained (N §一(二)): the department's answer to a query
/// through the sharing channel, or the agency's own offline data comparison 线下数据核对 for a
/// category no level can query online ("对于暂未实现信息共享或不具备查询条件的核对项目，可通过线下
/// 数据核对方式开展核对工作"), besides the entrusting unit's field work (R7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QueryChannel {
    /// A query to the department through the sharing channel 部门共享数据查询 (the default).
    #[default]
    DepartmentQuery,
    /// The agency's own offline data comparison 线下数据核对: data the department handed over
    /// offline, compared by the agency itself.
    OfflineComparison,
}

impl QueryChannel {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            QueryChannel::DepartmentQuery => "部门共享数据查询",
            QueryChannel::OfflineComparison => "线下数据核对",
        }
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryChannel::DepartmentQuery => "department_query",
            QueryChannel::OfflineComparison => "offline_comparison",
        }
    }

    /// Whether this is the default channel (left out of JSON).
    pub fn is_department_query(&self) -> bool {
        *self == QueryChannel::DepartmentQuery
    }
}

impl QueryStatus {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            QueryStatus::Returned => "已反馈",
            QueryStatus::NoRecord => "无记录",
            QueryStatus::NoFeedbackInTime => "未在规定时限内反馈",
            QueryStatus::AwaitingFeedback => "待反馈",
            QueryStatus::NotShared => "未实现共享",
            QueryStatus::NoMeans => "不具备查询条件",
            QueryStatus::OutsideScope => "超出授权范围",
        }
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryStatus::Returned => "returned",
            QueryStatus::NoRecord => "no_record",
            QueryStatus::NoFeedbackInTime => "no_feedback_in_time",
            QueryStatus::AwaitingFeedback => "awaiting_feedback",
            QueryStatus::NotShared => "not_shared",
            QueryStatus::NoMeans => "no_means",
            QueryStatus::OutsideScope => "outside_scope",
        }
    }

    /// Whether this status leaves a gap the entrusting unit investigates offline (R7).
    pub fn needs_offline(self) -> bool {
        matches!(
            self,
            QueryStatus::NoFeedbackInTime
                | QueryStatus::AwaitingFeedback
                | QueryStatus::NotShared
                | QueryStatus::NoMeans
        )
    }
}

/// What one category says about one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Category.
    pub category: DataCategory,
    /// Masked resident ID of the member.
    // An `Arc<str>` shared by the member's findings: one allocation per member, not per
    // finding (a report has a finding per category and member).
    #[serde(
        serialize_with = "crate::wire::shared_str",
        deserialize_with = "crate::wire::shared_str_de"
    )]
    #[cfg_attr(feature = "schemas", schemars(with = "String"))]
    pub member: Arc<str>,
    /// Status.
    pub status: QueryStatus,
    /// Level that answered (or was asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<AgencyLevel>,
    /// Feedback deadline.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::wire::date_option"
    )]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    pub deadline: Option<Date>,
    /// The deadline crossed a year the calendar has no holiday data for (weekends only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deadline_estimated: bool,
    /// When the answer came.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::wire::rfc3339_option",
        deserialize_with = "time::serde::rfc3339::option::deserialize"
    )]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::Rfc3339>"))]
    pub responded_at: Option<OffsetDateTime>,
    /// Facts returned (kept even when they came after the deadline).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// How the answer was obtained; written only for the agency's offline data comparison.
    #[serde(default, skip_serializing_if = "QueryChannel::is_department_query")]
    pub channel: QueryChannel,
}

impl Finding {
    /// The finding's money in fen, summed over its facts ([`Fact::money_fen`]): (counted,
    /// exempt income), each `None` when no fact carries one. Summed in `i128`, so no total
    /// overflows; a caller with a narrower column decides what a total beyond it becomes.
    pub fn money_sums(&self) -> (Option<i128>, Option<i128>) {
        let mut amount: Option<i128> = None;
        let mut exempt: Option<i128> = None;
        for (value, is_exempt) in self.facts.iter().filter_map(Fact::money_fen) {
            let slot = if is_exempt { &mut exempt } else { &mut amount };
            *slot = Some(slot.unwrap_or(0) + i128::from(value));
        }
        (amount, exempt)
    }
}

/// Offline investigation methods 线下调查方式 (R7, N §一(二)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfflineMethod {
    /// 实地查看 / 入户调查.
    FieldVisit,
    /// 邻里访问.
    NeighbourInterview,
    /// 信函索证.
    LetterEvidence,
}

impl OfflineMethod {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            OfflineMethod::FieldVisit => "实地查看",
            OfflineMethod::NeighbourInterview => "邻里访问",
            OfflineMethod::LetterEvidence => "信函索证",
        }
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            OfflineMethod::FieldVisit => "field_visit",
            OfflineMethod::NeighbourInterview => "neighbour_interview",
            OfflineMethod::LetterEvidence => "letter_evidence",
        }
    }

    /// The methods that fit a category: assets held with institutions are evidenced by
    /// letter, visible property and activity by a visit and the neighbours.
    pub fn for_category(category: DataCategory) -> &'static [OfflineMethod] {
        use DataCategory as C;
        use OfflineMethod::{FieldVisit, LetterEvidence, NeighbourInterview};
        match category {
            C::BankDeposits
            | C::Securities
            | C::CommercialInsurance
            | C::HousingProvidentFund
            | C::Tax => &[LetterEvidence],
            C::SocialInsurance
            | C::PublicPayroll
            | C::Prisoners
            | C::Marriage
            | C::Funeral
            | C::Orphans => &[LetterEvidence, NeighbourInterview],
            C::RealEstate | C::Vehicles | C::BusinessRegistration => {
                &[FieldVisit, NeighbourInterview]
            }
            C::HouseholdRegistration | C::DisabilitySubsidies => &[FieldVisit, LetterEvidence],
        }
    }
}

/// Why a category has no online answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GapReason {
    /// Not shared at any level.
    NotShared,
    /// No means to query.
    NoMeans,
    /// Feedback missed the agreed deadline.
    NoFeedbackInTime,
    /// Feedback not yet due when the report was issued.
    AwaitingFeedback,
}

impl GapReason {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            GapReason::NotShared => "未实现共享",
            GapReason::NoMeans => "不具备查询条件",
            GapReason::NoFeedbackInTime => "未在规定时限内获得查询反馈",
            GapReason::AwaitingFeedback => "查询反馈尚未到期",
        }
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            GapReason::NotShared => "not_shared",
            GapReason::NoMeans => "no_means",
            GapReason::NoFeedbackInTime => "no_feedback_in_time",
            GapReason::AwaitingFeedback => "awaiting_feedback",
        }
    }
}

/// A category without an online answer and the offline task it becomes (R7, N §一(二):
/// "委托核对的救助部门应采用实地查看、邻里访问、信函索证等其他调查方式 … 不应影响社会救助业务办理").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// Category.
    pub category: DataCategory,
    /// Why.
    pub reason: GapReason,
    /// Members concerned (masked IDs).
    pub members: Vec<String>,
    /// The offline task for the entrusting unit.
    pub task: OfflineTask,
    /// Whether offline results for this category are on file.
    pub investigated: bool,
}

/// An offline investigation task assigned to the entrusting unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OfflineTask {
    /// Task id (report number + category).
    pub task_id: String,
    /// Assigned to (the entrusting unit, never the agency).
    pub assigned_to: String,
    /// Methods that fit.
    pub methods: Vec<OfflineMethod>,
}

/// A department's text in a finding that holds conclusion wording (R3 只核对，不认定,
/// N §二(一)): the fact keeps the text as the department sent it, and the report names it here
/// so that the text is printed as the department's words, not as the report's finding
/// ([`crate::rulebook::WordingRules`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SourceWording {
    /// Position of the finding in [`Report::findings`].
    pub finding: u32,
    /// Position of the fact in the finding's facts.
    pub fact: u32,
    /// The fact's field (`item`, `name`, `status`, ...).
    pub field: String,
    /// The phrase found.
    pub phrase: String,
}

/// An income payment a department's feed sent as counted income (`exempt: false`) that the
/// rulebook's `exempt_income` exempts by its kind: the fact is counted as exempt, and the
/// report keeps the disagreement here ([`crate::rulebook::ExemptIncomeRules`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExemptByRule {
    /// Position of the finding in [`Report::findings`].
    pub finding: u32,
    /// Position of the income fact in the finding's facts.
    pub fact: u32,
    /// The rule that exempts it.
    pub source: String,
}

/// The start of the information check against the working-day limit of
/// 最低生活保障审核确认办法 Art 17 (the check starts within 3 working days of accepting the
/// application; the rulebook's `deadlines.check_start_working_days`).
///
/// A finding about the process, reported and not blocking: a late start does not make the
/// departments' data less true, and Art 17 sets a duty on the office, not a condition on the
/// household's data (R7: the report is not held up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckStart {
    /// The day the application was accepted (the entrustment's `requested_on`).
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub requested_on: Date,
    /// The day the queries were sent (Beijing date): the start of the information check.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub started_on: Date,
    /// The limit in working days.
    pub limit_working_days: u32,
    /// The last day the check could start within the limit.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub due_on: Date,
    /// The due day crossed a year the calendar has no holiday data for (weekends only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub due_estimated: bool,
    /// Whether the check started on or before `due_on`.
    pub within_limit: bool,
}

/// An offline investigation result as printed on the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportOfflineResult {
    /// Category investigated.
    pub category: DataCategory,
    /// Method.
    pub method: OfflineMethod,
    /// Date.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub on: Date,
    /// Investigators.
    pub investigators: Vec<String>,
    /// Members present who signed (masked IDs).
    pub members_present: Vec<String>,
    /// Summary.
    pub summary: String,
    /// Digests of attachments (photos, letters, records).
    pub attachment_digests: Vec<Sha256Digest>,
}

/// Objective aggregates 汇总: facts, never compared with any standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Aggregates {
    /// Financial assets.
    pub financial_assets: FinancialAssets,
    /// Real estate.
    pub real_estate: RealEstateSummary,
    /// Vehicles.
    pub vehicles: VehicleSummary,
    /// Businesses.
    pub businesses: BusinessSummary,
    /// Income over the window.
    pub income: IncomeSummary,
    /// Members with a prison record in force, a death record, or on the public payroll.
    pub status_records: StatusRecords,
    /// Declared vs found, where a declaration exists.
    pub differences: Vec<Difference>,
}

/// Financial assets 金融资产, in fen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FinancialAssets {
    /// Bank deposits with a balance returned.
    pub deposits_fen: i64,
    /// Deposits returned only as "over the limit: yes".
    pub deposits_over_limit: u32,
    /// Securities, funds, wealth products.
    pub securities_fen: i64,
    /// Cash value of commercial insurance.
    pub insurance_cash_value_fen: i64,
    /// Deposits + securities + insurance cash value.
    pub total_fen: i64,
    /// Housing provident fund balance (listed apart).
    pub provident_fund_fen: i64,
    /// Withdrawals from housing provident fund accounts within the income window.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub provident_fund_withdrawn_fen: i64,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

/// Real estate 不动产.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RealEstateSummary {
    /// Properties.
    pub count: u32,
    /// Residential properties.
    pub residential: u32,
    /// Total floor area in hundredths of a square metre.
    pub total_area_m2_x100: u64,
    /// Transactions (acquired or transferred) registered within the income window.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub transactions: u32,
}

/// Vehicles 车辆.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VehicleSummary {
    /// Vehicles.
    pub count: u32,
    /// Commercial vehicles 营运车辆.
    pub commercial: u32,
}

/// Business registrations 市场主体.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BusinessSummary {
    /// Registrations.
    pub count: u32,
    /// Registered capital in fen, where returned.
    pub registered_capital_fen: i64,
}

/// Income over the window, by the four national types (docs/rules.md#data-categories).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IncomeSummary {
    /// Window start.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub window_from: Date,
    /// Window end.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub window_to: Date,
    /// Months in the window.
    pub months: u32,
    /// Counted income by type (exempt items excluded).
    pub by_type: Vec<IncomeByType>,
    /// Counted income total.
    pub total_fen: i64,
    /// Co-resident members the per-capita figure divides by.
    pub members_counted: u32,
    /// total / members / months, rounded half away from zero to the fen.
    pub per_capita_monthly_fen: i64,
    /// Exempt income, listed apart and not summed in.
    pub exempt: Vec<ExemptIncome>,
    /// Exempt total.
    pub exempt_total_fen: i64,
}

/// Income of one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IncomeByType {
    /// Type.
    pub income_type: IncomeType,
    /// Amount in fen.
    pub amount_fen: i64,
}

/// Exempt income of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExemptIncome {
    /// Item.
    pub item: String,
    /// Amount in fen over the window.
    pub amount_fen: i64,
}

/// Status records found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusRecords {
    /// Members in prison on the day queries were sent (masked IDs).
    pub imprisoned: Vec<String>,
    /// Members with a death record (masked IDs).
    pub deceased: Vec<String>,
    /// Members on the public payroll (masked IDs).
    pub public_payroll: Vec<String>,
    /// Members recognised as orphans on the day queries were sent (masked IDs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orphans: Vec<String>,
}

/// What a declaration item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeclaredItem {
    /// Financial assets total in fen.
    FinancialAssetsFen,
    /// Counted income over the window in fen.
    IncomeFen,
    /// Number of properties.
    RealEstateCount,
    /// Number of vehicles.
    VehicleCount,
}

impl DeclaredItem {
    /// Chinese label, with the unit the rendered report prints (amounts in yuan).
    pub fn label_zh(self) -> &'static str {
        match self {
            DeclaredItem::FinancialAssetsFen => "金融资产（元）",
            DeclaredItem::IncomeFen => "核对期内收入（元）",
            DeclaredItem::RealEstateCount => "不动产（处）",
            DeclaredItem::VehicleCount => "车辆（辆）",
        }
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DeclaredItem::FinancialAssetsFen => "financial_assets_fen",
            DeclaredItem::IncomeFen => "income_fen",
            DeclaredItem::RealEstateCount => "real_estate_count",
            DeclaredItem::VehicleCount => "vehicle_count",
        }
    }
}

/// Declared vs found for one item: a difference of facts, not a judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Difference {
    /// Item.
    pub item: DeclaredItem,
    /// Declared value.
    pub declared: i64,
    /// Value found.
    pub found: i64,
    /// found − declared.
    pub difference: i64,
}

/// Integrity block: canonical form, digest algorithm, digest and optional signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Integrity {
    /// Canonical form name ([`CANONICAL_FORM`]).
    pub canonical_form: String,
    /// The hash of `digest`: absent for SHA-256 (reports sealed before the
    /// commercial-cryptography suite read and verify as they did), `sm3` for SM3.
    #[serde(default, skip_serializing_if = "DigestAlgorithm::is_sha256")]
    pub digest_algorithm: DigestAlgorithm,
    /// The digest of the canonical form, with `digest_algorithm`.
    pub digest: Sha256Digest,
    /// Signature over the digest, where keys are set ([`crate::security::ReportSigner`]):
    /// Ed25519 over a SHA-256 digest, SM2 over an SM3 digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::security::DigestSignature>,
}

/// An intended use of a report 报告使用: by which unit, for which purpose and programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportUse {
    /// Credit code of the unit that would use the report.
    pub unit_code: CreditCode,
    /// The purpose it would serve.
    pub purpose: Purpose,
    /// The programme it would serve.
    pub programme: Programme,
}

impl Report {
    /// Checks an intended use of the report against its limits of use (R3, N §二(一): for the
    /// entrusting unit and the entrusted purpose) and the scope of use of the sharing
    /// agreements behind its data (N §一(三) 明确共享数据的使用范围).
    ///
    /// The entrusting unit may use the report for the entrusted purpose and programme. For
    /// any other purpose or programme, every finding that carries department data must come
    /// from an agreement whose [`use_scope`](SharingAgreement::use_scope) lists the intended
    /// programme; a report without such data has nothing that widens its use.
    ///
    /// # Errors
    /// [`EntrustmentError::ReportUseOtherUnit`] for another unit;
    /// [`EntrustmentError::ReportUseOutsideScope`] for a use outside the entrusted one that
    /// the agreements do not cover.
    pub fn check_use(
        &self,
        intended: &ReportUse,
        agreements: &[SharingAgreement],
    ) -> Result<(), EntrustmentError> {
        let h = &self.header;
        if intended.unit_code != h.entrusting_unit_code {
            return Err(EntrustmentError::ReportUseOtherUnit {
                report: self.report_number.clone(),
                unit: intended.unit_code.to_string(),
            });
        }
        if intended.purpose == h.purpose && intended.programme == h.programme {
            return Ok(());
        }
        let outside = |category| EntrustmentError::ReportUseOutsideScope {
            report: self.report_number.clone(),
            category,
            programme: intended.programme.label_zh().to_owned(),
            purpose: intended.purpose.label_zh().to_owned(),
        };
        let mut with_data = self.findings.iter().filter(|f| !f.facts.is_empty());
        let mut any = false;
        for f in &mut with_data {
            any = true;
            let covered = f
                .level
                .and_then(|level| find(agreements, f.category, level))
                .is_some_and(|a| a.use_scope.contains(&intended.programme));
            if !covered {
                return Err(outside(Some(f.category)));
            }
        }
        if any { Ok(()) } else { Err(outside(None)) }
    }

    /// The canonical bytes the digest covers (see [`CANONICAL_FORM`]): the whole report but
    /// its integrity block.
    ///
    /// # Errors
    /// [`VerificationError::Unsealable`] when a value cannot be written in the canonical form
    /// (an instant whose UTC offset has seconds, a year outside 0–9999): no digest is ever taken
    /// over part of a report.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, VerificationError> {
        // a sample report is 10–25 KB: one allocation for most
        let mut buf = Vec::with_capacity(24 * 1024);
        self.write_canonical(&mut buf)?;
        Ok(buf)
    }

    fn write_canonical(&self, buf: &mut Vec<u8>) -> Result<(), VerificationError> {
        let written = if self.integrity.is_none() {
            serde_json::to_writer(&mut *buf, self)
        } else {
            let mut copy = self.clone();
            copy.integrity = None;
            serde_json::to_writer(&mut *buf, &copy)
        };
        written.map_err(|e| VerificationError::Unsealable {
            report: self.report_number.clone(),
            reason: e.to_string(),
        })
    }

    /// SHA-256 over the canonical form.
    ///
    /// # Errors
    /// As [`Report::canonical_bytes`].
    pub fn compute_digest(&self) -> Result<Sha256Digest, VerificationError> {
        self.compute_digest_with(DigestAlgorithm::Sha256)
    }

    /// The digest of the canonical form with `algorithm`.
    ///
    /// # Errors
    /// As [`Report::canonical_bytes`].
    pub fn compute_digest_with(
        &self,
        algorithm: DigestAlgorithm,
    ) -> Result<Sha256Digest, VerificationError> {
        Ok(algorithm.digest(&self.canonical_bytes()?))
    }

    /// Sets the integrity block from the current content with a SHA-256 digest (signature
    /// cleared).
    ///
    /// # Errors
    /// As [`Report::canonical_bytes`]; the report is then left without an integrity block.
    pub fn seal(&mut self) -> Result<(), VerificationError> {
        self.seal_with(DigestAlgorithm::Sha256)
    }

    /// Sets the integrity block from the current content with a digest of `algorithm`, which
    /// the block names (signature cleared). The rulebook's suite chooses it
    /// ([`crate::rulebook::CryptoSuite::digest_algorithm`]).
    ///
    /// # Errors
    /// As [`Report::canonical_bytes`]; the report is then left without an integrity block.
    pub fn seal_with(&mut self, algorithm: DigestAlgorithm) -> Result<(), VerificationError> {
        self.integrity = None;
        let digest = self.compute_digest_with(algorithm)?;
        self.integrity = Some(Integrity {
            canonical_form: CANONICAL_FORM.to_owned(),
            digest_algorithm: algorithm,
            digest,
            signature: None,
        });
        Ok(())
    }

    /// Whether the recorded digest matches the content, recomputed with the algorithm the
    /// integrity block names: false after any change to any field, false when the algorithm
    /// is relabelled (an SM3 digest named SHA-256 or the other way round), false when there
    /// is no integrity block or it names another canonical form, and false when the content
    /// cannot be written in the canonical form.
    pub fn verify_digest(&self) -> bool {
        match &self.integrity {
            Some(i) if i.canonical_form == CANONICAL_FORM => self
                .compute_digest_with(i.digest_algorithm)
                .is_ok_and(|d| d == i.digest),
            _ => false,
        }
    }

    /// Checks the recorded digest as [`Report::verify_digest`] does, with a typed error.
    ///
    /// # Errors
    /// [`SecurityError::DigestMismatch`](crate::error::SecurityError::DigestMismatch) naming
    /// the algorithm the block claims, when the digest does not match.
    pub fn check_digest(&self) -> Result<(), crate::error::SecurityError> {
        if self.verify_digest() {
            return Ok(());
        }
        Err(crate::error::SecurityError::DigestMismatch {
            report: self.report_number.clone(),
            algorithm: self
                .integrity
                .as_ref()
                .map(|i| i.digest_algorithm)
                .unwrap_or_default(),
        })
    }

    /// Seals the report and writes it as one compact JSON line (no trailing newline) into
    /// `out`, serializing the body only once: the digest is taken over the bytes written, and
    /// the integrity block is appended as the last field. The result equals
    /// `serde_json::to_string` of the sealed report.
    ///
    /// # Errors
    /// As [`Report::canonical_bytes`]; `out` is then left as it was.
    pub fn seal_into(&mut self, out: &mut Vec<u8>) -> Result<(), VerificationError> {
        self.seal_into_with(out, DigestAlgorithm::Sha256)
    }

    /// [`Report::seal_into`] with a digest of `algorithm`, which the integrity block names.
    ///
    /// # Errors
    /// As [`Report::canonical_bytes`]; `out` is then left as it was.
    pub fn seal_into_with(
        &mut self,
        out: &mut Vec<u8>,
        algorithm: DigestAlgorithm,
    ) -> Result<(), VerificationError> {
        self.integrity = None;
        let start = out.len();
        if let Err(e) = self.write_canonical(out) {
            out.truncate(start);
            return Err(e);
        }
        let digest = algorithm.digest(out.get(start..).unwrap_or_default());
        let integrity = Integrity {
            canonical_form: CANONICAL_FORM.to_owned(),
            digest_algorithm: algorithm,
            digest,
            signature: None,
        };
        if out.last() == Some(&b'}') {
            out.pop();
            out.extend_from_slice(b",\"integrity\":");
            // a canonical form name, a hex digest and no signature: plain strings
            let _ = serde_json::to_writer(&mut *out, &integrity);
            out.push(b'}');
        }
        self.integrity = Some(integrity);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::{
        DeclaredItem, FinancialAssets, Finding, GapReason, OfflineMethod, QueryChannel,
        QueryStatus, RealEstateSummary, ReportMember,
    };
    use crate::household::Relation;

    fn json_name<T: Serialize>(v: T) -> String {
        serde_json::to_value(v)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Each of `values` names itself by `as_str` exactly as serde writes it in JSON.
    fn each_as_str_is_its_json_name<T: Serialize + Copy + std::fmt::Debug>(
        values: &[T],
        as_str: fn(T) -> &'static str,
    ) {
        for &v in values {
            assert_eq!(as_str(v), json_name(v), "{v:?}");
        }
    }

    #[test]
    fn as_str_is_the_json_name() {
        use QueryStatus as Q;
        each_as_str_is_its_json_name(
            &[
                Q::Returned,
                Q::NoRecord,
                Q::NoFeedbackInTime,
                Q::AwaitingFeedback,
                Q::NotShared,
                Q::NoMeans,
                Q::OutsideScope,
            ],
            Q::as_str,
        );
        each_as_str_is_its_json_name(
            &[
                GapReason::NotShared,
                GapReason::NoMeans,
                GapReason::NoFeedbackInTime,
                GapReason::AwaitingFeedback,
            ],
            GapReason::as_str,
        );
        each_as_str_is_its_json_name(
            &[
                DeclaredItem::FinancialAssetsFen,
                DeclaredItem::IncomeFen,
                DeclaredItem::RealEstateCount,
                DeclaredItem::VehicleCount,
            ],
            DeclaredItem::as_str,
        );
        each_as_str_is_its_json_name(
            &[
                QueryChannel::DepartmentQuery,
                QueryChannel::OfflineComparison,
            ],
            QueryChannel::as_str,
        );
        each_as_str_is_its_json_name(
            &[
                OfflineMethod::FieldVisit,
                OfflineMethod::NeighbourInterview,
                OfflineMethod::LetterEvidence,
            ],
            OfflineMethod::as_str,
        );
        use Relation as R;
        each_as_str_is_its_json_name(
            &[
                R::Applicant,
                R::Spouse,
                R::Child,
                R::Parent,
                R::Grandparent,
                R::Grandchild,
                R::Sibling,
                R::ChildInLaw,
                R::Other,
            ],
            R::as_str,
        );
    }
    use time::macros::{date, datetime, offset};
    use time::{Date, Duration, OffsetDateTime};

    #[derive(Serialize)]
    struct Fast {
        #[serde(serialize_with = "crate::wire::date")]
        d: Date,
        #[serde(serialize_with = "crate::wire::rfc3339")]
        t: OffsetDateTime,
    }

    #[derive(Serialize)]
    struct Time {
        d: Date,
        #[serde(with = "time::serde::rfc3339")]
        t: OffsetDateTime,
    }

    fn same(d: Date, t: OffsetDateTime) {
        assert_eq!(
            serde_json::to_string(&Fast { d, t }).ok(),
            serde_json::to_string(&Time { d, t }).ok(),
            "{d} {t}"
        );
    }

    #[test]
    fn wire_dates_and_instants_are_written_as_time_writes_them() {
        let mut d = date!(1899 - 12 - 25);
        let mut t = datetime!(1999-12-31 23:59:59 +08:00);
        for i in 0..3000 {
            same(d, t);
            same(d, t.to_offset(offset!(UTC)));
            same(d, t.to_offset(offset!(-03:30)));
            same(d, t.to_offset(offset!(+05:45)));
            d += Duration::days(53);
            t += Duration::seconds(7919 * i + 61);
        }
        // the ranges the short form leaves to `time`
        same(
            date!(-0001 - 01 - 01),
            datetime!(2026-01-01 00:00:00.5 +08:00),
        );
        same(
            date!(0000 - 01 - 01),
            datetime!(2026-01-01 00:00:00.000000001 -08:00),
        );
        same(date!(9999 - 12 - 31), datetime!(0000-01-01 00:00 UTC));
        same(date!(0009 - 02 - 03), datetime!(2026-01-01 00:00 +08:00:30));
    }

    /// A finding of the given facts (JSON), for its money sums.
    fn finding_of(facts: &str) -> Finding {
        let json = format!(
            r#"{{"category": "bank_deposits", "member": "141002********0011", "status": "returned", "facts": {facts}}}"#
        );
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
    }

    /// The money of a finding: counted amounts and exempt income summed apart, `None` where
    /// no fact carries money (a deposit without its balance carries none).
    #[test]
    fn money_sums_keep_counted_and_exempt_apart() {
        let income = |fen: i64, exempt: bool| {
            format!(
                r#"{{"kind": "income", "item": "工资", "income_type": "wages", "paid_on": "2026-01-15", "amount_fen": {fen}, "exempt": {exempt}}}"#
            )
        };
        let deposit = r#"{"kind": "deposit", "institution": "某银行", "balance_fen": 500}"#;
        let all = format!(
            "[{}, {}, {deposit}, {}]",
            income(1000, false),
            income(70, true),
            income(-30, true)
        );
        assert_eq!(finding_of(&all).money_sums(), (Some(1500), Some(40)));
        assert_eq!(
            finding_of(&format!("[{}]", income(7, true))).money_sums(),
            (None, Some(7))
        );
        assert_eq!(
            finding_of(&format!("[{deposit}]")).money_sums(),
            (Some(500), None)
        );
        let unknown_balance = r#"[{"kind": "deposit", "institution": "某银行"}]"#;
        assert_eq!(finding_of(unknown_balance).money_sums(), (None, None));
        assert_eq!(finding_of("[]").money_sums(), (None, None));
    }

    /// R11 (minimum scope): a member's debug form shows the masked ID and the relation, never
    /// the name.
    #[test]
    fn a_members_debug_form_leaves_out_the_name() {
        let member = ReportMember {
            id_masked: "141002********0011".to_owned(),
            name: "张三".to_owned(),
            relation: Relation::Spouse,
            age: 40,
            sex: crate::id::Sex::Male,
            co_resident: true,
        };
        let debug = format!("{member:?}");
        assert_eq!(
            debug,
            r#"ReportMember { id_masked: "141002********0011", relation: Spouse, co_resident: true, .. }"#
        );
    }

    /// R7 and R3: the words a report prints for the offline methods (the notice's 实地查看,
    /// 邻里访问, 信函索证) and for why a category is a gap.
    #[test]
    fn offline_methods_and_gap_reasons_print_the_notices_words() {
        assert_eq!(OfflineMethod::FieldVisit.label_zh(), "实地查看");
        assert_eq!(OfflineMethod::NeighbourInterview.label_zh(), "邻里访问");
        assert_eq!(OfflineMethod::LetterEvidence.label_zh(), "信函索证");
        assert_eq!(GapReason::NotShared.label_zh(), "未实现共享");
        assert_eq!(GapReason::NoMeans.label_zh(), "不具备查询条件");
        assert_eq!(
            GapReason::NoFeedbackInTime.label_zh(),
            "未在规定时限内获得查询反馈"
        );
        assert_eq!(GapReason::AwaitingFeedback.label_zh(), "查询反馈尚未到期");
    }

    fn json<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_default()
    }

    /// Provident-fund withdrawals and property transactions are left out of the JSON only
    /// when there are none: a report that has some carries them (and its digest covers them).
    #[test]
    fn withdrawals_and_transactions_are_written_when_there_are_some() {
        let none = FinancialAssets::default();
        assert!(!json(&none).contains("provident_fund_withdrawn_fen"));
        let some = FinancialAssets {
            provident_fund_withdrawn_fen: 120_000,
            ..FinancialAssets::default()
        };
        assert!(json(&some).contains(r#""provident_fund_withdrawn_fen":120000"#));
        let none = RealEstateSummary::default();
        assert!(!json(&none).contains("transactions"));
        let some = RealEstateSummary {
            transactions: 2,
            ..RealEstateSummary::default()
        };
        assert!(json(&some).contains(r#""transactions":2"#));
    }

    /// R11: a digest is checked only under the canonical form the library writes; an
    /// integrity block naming another form does not verify, though the digest is unchanged.
    #[test]
    fn a_digest_under_another_canonical_form_does_not_verify() {
        let rb = crate::rulebook::Rulebook::default();
        let as_of = datetime!(2026-11-29 10:00 +08:00);
        let mut report = (0..50)
            .find_map(|i| {
                crate::verify::verify(&crate::sample::sample_case(3, i, &rb).case, &rb, as_of).ok()
            })
            .unwrap();
        report.seal().unwrap();
        assert!(report.verify_digest());
        if let Some(integrity) = report.integrity.as_mut() {
            integrity.canonical_form = "hedui-report-v0".to_owned();
        }
        assert!(!report.verify_digest());
        assert_eq!(
            report.check_digest().unwrap_err().code(),
            "report_digest_mismatch"
        );
    }
}
