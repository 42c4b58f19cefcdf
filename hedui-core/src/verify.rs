//! A verification case 核对案件 from authorization to report, and the assembly of the report
//! (R1, R2, R3, R6, R7).

use std::collections::BTreeMap;
use std::sync::Arc;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::agency::{Agency, AgencyLevel};
use crate::authorization::Authorization;
use crate::calendar::add_months_clamped;
use crate::calendar::beijing_date;
use crate::category::DataCategory;
use crate::digest::Sha256Digest;
use crate::entrustment::{AcceptedEntrustment, Entrustment, PreCheck};
use crate::error::{AuthorizationError, EntrustmentError, Error, InputError, VerificationError};
use crate::fact::{Fact, IncomeType};
use crate::household::Household;
use crate::id::ResidentId;
use crate::report::{
    Aggregates, BusinessSummary, CheckStart, DeclaredItem, Difference, ExemptByRule, ExemptIncome,
    FinancialAssets, Finding, Gap, GapReason, IncomeByType, IncomeSummary, OfflineMethod,
    OfflineTask, QueryChannel, QueryStatus, RealEstateSummary, Report, ReportHeader, ReportMember,
    ReportOfflineResult, SourceWording, StatusRecords, VehicleSummary,
};
use crate::rulebook::Rulebook;
use crate::sharing::{Availability, PlannedQuery, PlannedRoute, SharingGap, find, plan_queries};

/// A data department's answer for one category about one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QueryResponse {
    /// Category.
    pub category: DataCategory,
    /// Level whose channel answered.
    pub level: AgencyLevel,
    /// Member the answer is about.
    pub subject: ResidentId,
    /// When the answer arrived.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub responded_at: OffsetDateTime,
    /// Facts; empty means "no record".
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// How the answer was obtained: a department query (the default), or the agency's own
    /// offline data comparison 线下数据核对 (N §一(二)), accepted only for a category the plan
    /// leaves offline and only from the agency's own level.
    #[serde(default, skip_serializing_if = "QueryChannel::is_department_query")]
    pub channel: QueryChannel,
}

/// An offline investigation result returned by the entrusting unit (R7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OfflineResult {
    /// Category investigated.
    pub category: DataCategory,
    /// Method.
    pub method: OfflineMethod,
    /// Date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub on: Date,
    /// Investigators, by operator id (at least 2 distinct operators for a field visit).
    pub investigators: Vec<Investigator>,
    /// Household members present.
    #[serde(default)]
    pub members_present: Vec<ResidentId>,
    /// Members who signed the record: for a field visit, every member present and nobody
    /// else (最低生活保障审核确认办法 Art 16).
    #[serde(default)]
    pub signatures: Vec<ResidentId>,
    /// Summary of what was found.
    pub summary: String,
    /// Digests of attachments.
    #[serde(default)]
    pub attachment_digests: Vec<Sha256Digest>,
}

/// An investigator of an offline investigation: an operator of the entrusting unit or the
/// agency, identified by operator id (two people may share a name, one person has one id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Investigator {
    /// Operator id, unique per person.
    pub operator_id: String,
    /// Name, printed on the report.
    pub name: String,
}

/// What the household declared on application, for declared-vs-found differences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// Financial assets in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financial_assets_fen: Option<i64>,
    /// Income over the window in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_fen: Option<i64>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_estate_count: Option<u32>,
    /// Vehicles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_count: Option<u32>,
}

/// A case file: everything needed to verify one household. One line of `cases.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Case id.
    pub case_id: String,
    /// The agency asked to verify.
    pub agency: Agency,
    /// The household.
    pub household: Household,
    /// The authorization letter on file (R1).
    #[serde(default)]
    pub authorization: Option<Authorization>,
    /// The entrustment letter (R2).
    #[serde(default)]
    pub entrustment: Option<Entrustment>,
    /// The initiating agency's pre-check (R2, N §二(二)).
    #[serde(default)]
    pub precheck: Option<PreCheck>,
    /// When the queries were sent; deadlines run from here.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub queries_sent_at: OffsetDateTime,
    /// Answers received.
    #[serde(default)]
    pub responses: Vec<QueryResponse>,
    /// Offline results returned by the entrusting unit.
    #[serde(default)]
    pub offline_results: Vec<OfflineResult>,
    /// The household's declaration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<Declaration>,
}

impl Case {
    /// Reads a case from JSON.
    ///
    /// # Errors
    /// [`InputError::Json`] with line and column.
    ///
    /// # Examples
    ///
    /// ```
    /// use hedui_core::Case;
    ///
    /// let case = Case::from_json(include_str!("../data/sample-case.json"))?;
    /// assert_eq!(case.case_id, "C141030-00000000");
    /// assert!(case.authorization.is_some() && case.precheck.is_some());
    /// // unknown fields are refused, with the stable code of the error
    /// let err = Case::from_json(r#"{"case_id": "C1", "colour": "red"}"#).unwrap_err();
    /// assert_eq!(err.code(), "input_json");
    /// # Ok::<(), hedui_core::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self, Error> {
        Error::parse("case", text)
    }

    /// Every resident ID the case names: members and their guardians, supporters and their
    /// spouses, signers and the members signed for, the entrustment's subjects, the answers'
    /// subjects and the members present at offline investigations.
    pub fn resident_ids(&self) -> impl Iterator<Item = &ResidentId> {
        let h = &self.household;
        let members = h
            .members
            .iter()
            .flat_map(|m| std::iter::once(&m.id).chain(m.guardian.as_ref().map(|g| &g.id)));
        let supporters = h
            .supporters
            .iter()
            .flat_map(|s| std::iter::once(&s.id).chain(s.spouse.as_ref().map(|p| &p.id)));
        let signatures = self
            .authorization
            .iter()
            .flat_map(|a| a.signatures.iter())
            .flat_map(|s| std::iter::once(&s.signer.id).chain(s.on_behalf_of.as_ref()));
        let subjects = self.entrustment.iter().flat_map(|e| e.subjects.iter());
        let answers = self.responses.iter().map(|r| &r.subject);
        let present = self
            .offline_results
            .iter()
            .flat_map(|o| o.members_present.iter().chain(&o.signatures));
        members
            .chain(supporters)
            .chain(signatures)
            .chain(subjects)
            .chain(answers)
            .chain(present)
    }
}

/// Every resident ID of the case against the rulebook's identifier rules on the day the
/// report is issued (GB 11643-1999: a birth date after that day, or before the rulebook's
/// floor, is no birth date; a first-generation number only where the rulebook upgrades them).
fn check_identifiers(case: &Case, rulebook: &Rulebook, on: Date) -> Result<(), Error> {
    for id in case.resident_ids() {
        rulebook.identifiers.check_resident_id(id, on)?;
    }
    Ok(())
}

/// The answers a report is built from: borrowed, their facts copied into the findings, or
/// owned by a caller that parsed them for this report alone, their facts moved.
enum Answers<'r> {
    Borrowed(&'r [QueryResponse]),
    Owned(Vec<QueryResponse>),
}

impl Answers<'_> {
    fn as_slice(&self) -> &[QueryResponse] {
        match self {
            Answers::Borrowed(r) => r,
            Answers::Owned(r) => r,
        }
    }

    /// When answer `position` arrived and its facts; each answer is taken once, as answers
    /// are unique per category and member.
    fn take(&mut self, position: usize) -> Option<(OffsetDateTime, Vec<Fact>)> {
        match self {
            Answers::Borrowed(r) => r.get(position).map(|r| (r.responded_at, r.facts.clone())),
            Answers::Owned(r) => r
                .get_mut(position)
                .map(|r| (r.responded_at, std::mem::take(&mut r.facts))),
        }
    }
}

/// A started verification: an accepted entrustment and its query plan (R6).
///
/// Only [`Verification::start`] creates one, from an [`AcceptedEntrustment`].
#[derive(Debug, Clone)]
pub struct Verification<'a> {
    accepted: AcceptedEntrustment<'a>,
    sent_at: OffsetDateTime,
    plan: Vec<PlannedQuery>,
    sharing_gaps: Vec<SharingGap>,
}

/// Verifies a case and returns its sealed report, running every gate on the way: R1
/// authorization check, R2 entrustment and pre-check, R6 plan and minimum scope, R7 gaps.
///
/// `issued_at` is the report's issue time: the same case and `issued_at` always give the same
/// report, byte for byte.
///
/// # Errors
/// The first gate that fails, as a typed [`Error`] with a stable code.
///
/// # Examples
///
/// ```
/// use hedui_core::{Case, Rulebook, verify};
/// use time::macros::datetime;
///
/// let case = Case::from_json(include_str!("../data/sample-case.json"))?;
/// let issued_at = datetime!(2026-11-29 10:00 +08:00);
/// let report = verify(&case, &Rulebook::default(), issued_at)?;
/// assert_eq!(report.report_number, "HD20261129-WT141030-00000000");
/// assert!(report.verify_digest());
/// // the same case and issue time give the same report
/// assert_eq!(verify(&case, &Rulebook::default(), issued_at)?, report);
///
/// // R2: without a recorded pre-check the agency does not verify
/// let mut no_precheck = case.clone();
/// no_precheck.precheck = None;
/// let err = verify(&no_precheck, &Rulebook::default(), issued_at).unwrap_err();
/// assert_eq!(err.code(), "precheck_missing");
/// # Ok::<(), hedui_core::Error>(())
/// ```
pub fn verify(
    case: &Case,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
) -> Result<Report, Error> {
    let mut report = assemble(case, rulebook, issued_at)?;
    report.seal_with(rulebook.security.crypto_suite.digest_algorithm())?;
    Ok(report)
}

/// Like [`verify`] but leaves the report unsealed (no integrity block), for callers that
/// seal while serializing ([`Report::seal_into`]).
///
/// # Errors
/// As [`verify`].
pub fn assemble(
    case: &Case,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
) -> Result<Report, Error> {
    assemble_from(
        case,
        Answers::Borrowed(&case.responses),
        rulebook,
        issued_at,
    )
}

/// [`assemble`] for a caller that owns the case and has no further use for it (the batch):
/// the answers' facts move into the findings instead of being copied.
pub(crate) fn assemble_owned(
    mut case: Case,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
) -> Result<Report, Error> {
    let responses = std::mem::take(&mut case.responses);
    assemble_from(&case, Answers::Owned(responses), rulebook, issued_at)
}

/// [`assemble`] with the case's answers given apart, borrowed or owned.
fn assemble_from(
    case: &Case,
    answers: Answers<'_>,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
) -> Result<Report, Error> {
    check_limits(case, rulebook)?;
    check_identifiers(case, rulebook, beijing_date(issued_at))?;
    check_household(&case.household)?;
    let sent_on = beijing_date(case.queries_sent_at);
    let authorization = case
        .authorization
        .as_ref()
        .ok_or_else(|| AuthorizationError::Missing {
            household: case.household.id.clone(),
        })?;
    let checked = authorization.check(&case.household, sent_on, rulebook)?;
    let entrustment = case.entrustment.as_ref().ok_or(EntrustmentError::Missing)?;
    let precheck = case
        .precheck
        .as_ref()
        .ok_or_else(|| EntrustmentError::PrecheckMissing {
            entrustment: entrustment.number.clone(),
            agency: case.agency.id.clone(),
        })?;
    let accepted = AcceptedEntrustment::accept(
        entrustment,
        checked,
        precheck,
        &case.agency,
        case.queries_sent_at,
        rulebook,
    )?;
    let verification = Verification::start(accepted, case.queries_sent_at, rulebook);
    let mut report = verification.report_from(
        answers,
        &case.offline_results,
        case.declaration.as_ref(),
        issued_at,
        rulebook,
    )?;
    report.header.case_id.clone_from(&case.case_id);
    Ok(report)
}

/// The rulebook's limits on a case's size: members per household, facts over all answers.
fn check_limits(case: &Case, rulebook: &Rulebook) -> Result<(), InputError> {
    let limits = &rulebook.limits;
    let members = case.household.members.len();
    let facts: usize = case.responses.iter().map(|r| r.facts.len()).sum();
    for (limit, value, max, path) in [
        (
            "limits.max_members",
            members,
            limits.max_members,
            "household.members",
        ),
        ("limits.max_facts", facts, limits.max_facts, "responses"),
    ] {
        if value > usize::try_from(max).unwrap_or(usize::MAX) {
            return Err(InputError::LimitExceeded {
                limit,
                value: i128::try_from(value).unwrap_or(i128::MAX),
                max: i128::from(max),
                path: Some(path.to_owned()),
            });
        }
    }
    Ok(())
}

fn check_household(h: &Household) -> Result<(), InputError> {
    for (i, m) in h.members.iter().enumerate() {
        if h.members.iter().skip(i + 1).any(|o| o.id == m.id) {
            return Err(InputError::Inconsistent {
                message: format!(
                    "household `{}` lists member `{}` twice",
                    h.id,
                    m.id.masked()
                ),
            });
        }
    }
    if h.members.is_empty() {
        return Err(InputError::Inconsistent {
            message: format!("household `{}` has no members", h.id),
        });
    }
    Ok(())
}

impl<'a> Verification<'a> {
    /// Starts the verification and plans the queries: own level first, upper levels only
    /// where the own level cannot query (R6, N §一(二)).
    pub fn start(
        accepted: AcceptedEntrustment<'a>,
        sent_at: OffsetDateTime,
        rulebook: &Rulebook,
    ) -> Self {
        let (mut plan, sharing_gaps) = plan_queries(
            &rulebook.agreements,
            accepted.agency().level,
            &accepted.entrustment().categories,
        );
        // an agreement that sets no feedback deadline (0) gets the rulebook's default
        for p in &mut plan {
            let queried = matches!(
                p.route,
                PlannedRoute::OwnLevel { .. } | PlannedRoute::UpperLevel { .. }
            );
            if queried && p.feedback_working_days == 0 {
                p.feedback_working_days = rulebook.deadlines.feedback_working_days;
            }
        }
        Verification {
            accepted,
            sent_at,
            plan,
            sharing_gaps,
        }
    }

    /// The query plan, one entry per category of [`DataCategory::ALL`].
    pub fn plan(&self) -> &[PlannedQuery] {
        &self.plan
    }

    /// The sharing gaps found while planning.
    pub fn sharing_gaps(&self) -> &[SharingGap] {
        &self.sharing_gaps
    }

    /// The accepted entrustment behind this verification.
    pub fn accepted(&self) -> &AcceptedEntrustment<'a> {
        &self.accepted
    }

    /// Assembles the report from the answers received and the offline results (R3, R7).
    ///
    /// Missing answers never block the report: each becomes a gap with an offline task for
    /// the entrusting unit.
    ///
    /// # Errors
    /// [`VerificationError`] for an answer outside the plan or the agreed fields, about a
    /// stranger, duplicated or out of time order; an understaffed field visit; an overflow.
    /// The `field_visit_*` [`EntrustmentError`]s for a field visit not recorded as
    /// 最低生活保障审核确认办法 Art 16 defines it: fewer than two distinct investigators by
    /// operator id, no member present, a member present who did not sign or a signer who was
    /// not there, a date before the entrustment or after `issued_at`.
    pub fn report(
        &self,
        responses: &[QueryResponse],
        offline: &[OfflineResult],
        declaration: Option<&Declaration>,
        issued_at: OffsetDateTime,
        rulebook: &Rulebook,
    ) -> Result<Report, Error> {
        self.report_from(
            Answers::Borrowed(responses),
            offline,
            declaration,
            issued_at,
            rulebook,
        )
    }

    fn report_from(
        &self,
        answers: Answers<'_>,
        offline: &[OfflineResult],
        declaration: Option<&Declaration>,
        issued_at: OffsetDateTime,
        rulebook: &Rulebook,
    ) -> Result<Report, Error> {
        let entrustment = self.accepted.entrustment();
        let household = self.accepted.authorization().household();
        self.check_issue_time(issued_at)?;
        let issued_on = beijing_date(issued_at);
        let sent_on = beijing_date(self.sent_at);
        let report_number = report_number(issued_on, &entrustment.number);
        let named = self.named_members();
        let answered = self.index_answers(answers.as_slice(), &named, rulebook)?;
        check_offline(
            offline,
            household,
            rulebook,
            (entrustment.issued_on, issued_on),
        )?;
        let members = report_members(household, sent_on);
        let mut sheet = AnswerSheet {
            answers,
            answered,
            named,
            masked: masked_ids(&members),
            issued_on,
            own_level: self.accepted.agency().level,
        };
        let Findings {
            mut findings,
            mut counted,
            gaps,
        } = self.findings(&mut sheet, &report_number, offline, rulebook);
        let exempt_by_rule = exempt_by_rule(&mut findings, rulebook);
        let window = income_window(entrustment.issued_on, rulebook.income_window_months);
        let deceased = end_co_residence_by_death(&findings, &mut counted, sent_on);
        let mut aggregates = aggregate(
            &counted_findings(&findings, &counted),
            household,
            sent_on,
            window.0,
            window.1,
            rulebook.income_window_months,
            declaration,
            deceased.len(),
        )?;
        for d in &deceased {
            push_unique(&mut aggregates.status_records.deceased, d);
        }
        let source_wording = source_wording(&findings, rulebook);
        let check_start = self.check_start(rulebook)?;
        Ok(Report {
            report_number,
            header: self.header(issued_at, window, rulebook),
            members,
            findings,
            aggregates,
            sharing_gaps: self.sharing_gaps.clone(),
            gaps,
            offline_results: report_offline_results(offline),
            source_wording,
            exempt_by_rule,
            check_start,
            limits_of_use: limits_of_use(entrustment),
            statement: NOT_A_DETERMINATION.to_owned(),
            integrity: None,
        })
    }

    /// The start of the information check against the day the application was accepted,
    /// where the entrustment gives it (最低生活保障审核确认办法 Art 17: within
    /// `deadlines.check_start_working_days` working days). Reported, never blocking; a request
    /// dated after the queries were sent is refused as out of time order.
    fn check_start(&self, rulebook: &Rulebook) -> Result<Option<CheckStart>, VerificationError> {
        let Some(requested_on) = self.accepted.entrustment().requested_on else {
            return Ok(None);
        };
        let started_on = beijing_date(self.sent_at);
        if requested_on > started_on {
            return Err(VerificationError::Chronology {
                message: format!(
                    "the application was accepted on {requested_on}, after the queries were sent on {started_on}"
                ),
            });
        }
        let limit = rulebook.deadlines.check_start_working_days;
        let due = rulebook.calendar.add_working_days(requested_on, limit);
        Ok(Some(CheckStart {
            requested_on,
            started_on,
            limit_working_days: limit,
            due_on: due.date,
            due_estimated: due.estimated,
            within_limit: started_on <= due.date,
        }))
    }

    /// Refuses a report issue time before the queries were sent.
    fn check_issue_time(&self, issued_at: OffsetDateTime) -> Result<(), VerificationError> {
        if issued_at < self.sent_at {
            return Err(VerificationError::Chronology {
                message: format!(
                    "report issue time {issued_at} is before the queries were sent at {}",
                    self.sent_at
                ),
            });
        }
        Ok(())
    }

    /// Which members the letter names: only they were asked about (R1, R2: 委托书 names them).
    fn named_members(&self) -> Vec<bool> {
        let entrustment = self.accepted.entrustment();
        self.accepted
            .authorization()
            .household()
            .members
            .iter()
            .map(|m| entrustment.subjects.contains(&m.id))
            .collect()
    }

    /// Checks every answer and indexes it by (category, member) to its position in `answers`.
    fn index_answers(
        &self,
        answers: &[QueryResponse],
        named: &[bool],
        rulebook: &Rulebook,
    ) -> Result<BTreeMap<(DataCategory, usize), usize>, VerificationError> {
        let mut answered = BTreeMap::new();
        for (position, r) in answers.iter().enumerate() {
            let member_index = self.check_answer(r, named, rulebook)?;
            if answered
                .insert((r.category, member_index), position)
                .is_some()
            {
                return Err(VerificationError::DuplicateResponse {
                    category: r.category,
                    subject: r.subject.masked(),
                });
            }
        }
        Ok(answered)
    }

    /// Checks one answer (about a named member, from the planned level, not before the
    /// queries were sent, facts within the agreement) and returns its member's index.
    fn check_answer(
        &self,
        r: &QueryResponse,
        named: &[bool],
        rulebook: &Rulebook,
    ) -> Result<usize, VerificationError> {
        let household = self.accepted.authorization().household();
        let Some(member_index) = household
            .members
            .iter()
            .position(|m| m.id == r.subject)
            .filter(|&i| is_named(named, i))
        else {
            return Err(VerificationError::UnknownSubject {
                category: r.category,
                subject: r.subject.masked(),
            });
        };
        let planned = self
            .plan
            .iter()
            .find(|p| p.category == r.category)
            .map(|p| p.route);
        let own_level = self.accepted.agency().level;
        // N §一(二): a department answers what the plan queries; the agency's own offline data
        // comparison covers what no level can query online, at its own level
        let level_ok = match (r.channel, planned) {
            (
                QueryChannel::DepartmentQuery,
                Some(PlannedRoute::OwnLevel { level } | PlannedRoute::UpperLevel { level }),
            ) => level == r.level,
            (QueryChannel::OfflineComparison, Some(PlannedRoute::Offline { .. })) => {
                r.level == own_level
            }
            _ => false,
        };
        if !level_ok {
            return Err(VerificationError::UnplannedResponse {
                category: r.category,
                level: r.level,
                planned: planned.map_or_else(|| "nothing".to_owned(), describe_route),
            });
        }
        if r.responded_at < self.sent_at {
            return Err(VerificationError::Chronology {
                message: format!(
                    "answer for `{}` arrived at {} before the queries were sent at {}",
                    r.category, r.responded_at, self.sent_at
                ),
            });
        }
        check_facts(r, rulebook)?;
        Ok(member_index)
    }

    /// The findings, one per planned category and named member, and a gap for each category
    /// with members left to investigate offline.
    fn findings(
        &self,
        sheet: &mut AnswerSheet<'_>,
        report_number: &str,
        offline: &[OfflineResult],
        rulebook: &Rulebook,
    ) -> Findings {
        let household = self.accepted.authorization().household();
        let unit = &self.accepted.entrustment().unit.name;
        let mut out = Findings::with_capacity(self.plan.len() * household.members.len());
        for planned in &self.plan {
            let deadline = self.deadline(planned, rulebook);
            let mut gap = GapTally::default();
            for (index, m) in household.members.iter().enumerate() {
                if !is_named(&sheet.named, index) {
                    continue;
                }
                let finding = sheet.finding(planned, index, &m.id, deadline);
                gap.note(finding.status, &m.id);
                out.findings.push(finding);
                out.counted.push(m.co_resident);
            }
            if let Some(gap) = gap.into_gap(planned.category, report_number, unit, offline) {
                out.gaps.push(gap);
            }
        }
        out
    }

    /// The feedback deadline of a category queried online, and whether it is estimated.
    fn deadline(&self, planned: &PlannedQuery, rulebook: &Rulebook) -> (Option<Date>, bool) {
        match planned.route {
            PlannedRoute::OwnLevel { .. } | PlannedRoute::UpperLevel { .. } => {
                let d = rulebook
                    .calendar
                    .deadline_after(self.sent_at, planned.feedback_working_days);
                (Some(d.date), d.estimated)
            }
            _ => (None, false),
        }
    }

    /// The report's header: the letters, the parties, the income window and the times.
    fn header(
        &self,
        issued_at: OffsetDateTime,
        (window_from, window_to): (Date, Date),
        rulebook: &Rulebook,
    ) -> ReportHeader {
        let entrustment = self.accepted.entrustment();
        let agency = self.accepted.agency();
        ReportHeader {
            case_id: String::new(),
            entrustment_number: entrustment.number.clone(),
            authorization_number: entrustment.authorization_number.clone(),
            batch: entrustment.batch.clone(),
            entrusting_unit: entrustment.unit.name.clone(),
            entrusting_unit_code: entrustment.unit.credit_code.clone(),
            agency_id: agency.id.clone(),
            agency_name: agency.name.clone(),
            agency_level: agency.level,
            purpose: entrustment.purpose,
            programme: entrustment.programme,
            household_id: self.accepted.authorization().household().id.clone(),
            income_window_from: window_from,
            income_window_to: window_to,
            queries_sent_at: self.sent_at,
            precheck_officer: self.accepted.precheck().officer.name.clone(),
            precheck_at: self.accepted.precheck().checked_at,
            issued_at,
            appeal: entrustment.appeal.clone(),
            relief_reference: entrustment.relief_reference.clone(),
            rulebook_version: rulebook.version.clone(),
        }
    }
}

/// Whether the letter names member `index` (see [`Verification::named_members`]).
fn is_named(named: &[bool], index: usize) -> bool {
    named.get(index).copied().unwrap_or(false)
}

/// Checks that every fact of an answer fits its category and uses only agreed fields.
///
/// The facts of the agency's offline data comparison, for which no level has an online
/// agreement, stay within the fields some agreement of the category allows (the minimum scope
/// the category is shared in anywhere).
fn check_facts(r: &QueryResponse, rulebook: &Rulebook) -> Result<(), VerificationError> {
    let agreement = find(&rulebook.agreements, r.category, r.level);
    let allows = |field: &str| match r.channel {
        QueryChannel::OfflineComparison => rulebook
            .agreements
            .iter()
            .filter(|a| a.category == r.category)
            .any(|a| a.fields.iter().any(|f| f == field)),
        _ => agreement.is_some_and(|a| a.fields.iter().any(|f| f == field)),
    };
    for fact in &r.facts {
        if !fact.fits(r.category) {
            return Err(VerificationError::FactKindMismatch {
                category: r.category,
                kind: fact.kind().to_owned(),
            });
        }
        let mut outside = None;
        fact.each_field(|field| {
            if !allows(field) && outside.is_none() {
                outside = Some(field);
            }
        });
        if let Some(field) = outside {
            return Err(VerificationError::FieldOutsideAgreement {
                category: r.category,
                level: r.level,
                field: field.to_owned(),
            });
        }
    }
    Ok(())
}

/// Checks the offline results: field visits recorded as the rules define them, no verdict in
/// a summary, no stranger among the members present or the signers. `window` is the
/// verification's span: the entrustment's issue date to the report's.
fn check_offline(
    offline: &[OfflineResult],
    household: &Household,
    rulebook: &Rulebook,
    window: (Date, Date),
) -> Result<(), Error> {
    for (i, o) in offline.iter().enumerate() {
        if o.method == OfflineMethod::FieldVisit {
            check_field_visit(o, window)?;
        }
        if let Some(phrase) = rulebook.wording.verdict_phrase(&o.summary) {
            return Err(VerificationError::VerdictInText {
                field: format!("offline_results[{i}].summary"),
                category: o.category,
                phrase: phrase.to_owned(),
            }
            .into());
        }
        if let Some(stranger) = o
            .members_present
            .iter()
            .chain(&o.signatures)
            .find(|p| !household.has_member(p))
        {
            return Err(VerificationError::UnknownSubject {
                category: o.category,
                subject: stranger.masked(),
            }
            .into());
        }
    }
    Ok(())
}

/// A field visit as 最低生活保障审核确认办法 Art 16 defines it (R7): at least two investigators,
/// distinct by operator id, not by name; the household members present recorded, and the
/// record signed by each of them and by nobody who was not there; dated within `(from, to)`,
/// the verification's span. Each defect has its own code.
///
/// # Errors
/// [`VerificationError::FieldVisitUnderstaffed`] (fewer than 2 investigators);
/// [`EntrustmentError::FieldVisitInvestigatorUnidentified`],
/// [`EntrustmentError::FieldVisitSameInvestigator`],
/// [`EntrustmentError::FieldVisitNoMemberPresent`],
/// [`EntrustmentError::FieldVisitSignatureMissing`],
/// [`EntrustmentError::FieldVisitSignerAbsent`],
/// [`EntrustmentError::FieldVisitOutsideWindow`].
fn check_field_visit(o: &OfflineResult, (from, to): (Date, Date)) -> Result<(), Error> {
    let (category, on) = (o.category, o.on);
    if o.investigators.len() < 2 {
        return Err(VerificationError::FieldVisitUnderstaffed {
            category,
            on,
            investigators: o.investigators.len(),
        }
        .into());
    }
    for (index, investigator) in o.investigators.iter().enumerate() {
        let id = investigator.operator_id.trim();
        if id.is_empty() {
            return Err(EntrustmentError::FieldVisitInvestigatorUnidentified {
                category,
                on,
                index,
            }
            .into());
        }
        let earlier = o.investigators.get(..index).unwrap_or_default();
        if earlier.iter().any(|e| e.operator_id.trim() == id) {
            return Err(EntrustmentError::FieldVisitSameInvestigator {
                category,
                on,
                operator_id: id.to_owned(),
            }
            .into());
        }
    }
    if o.members_present.is_empty() {
        return Err(EntrustmentError::FieldVisitNoMemberPresent { category, on }.into());
    }
    if let Some(m) = o.members_present.iter().find(|m| !o.signatures.contains(m)) {
        return Err(EntrustmentError::FieldVisitSignatureMissing {
            category,
            on,
            member: m.masked(),
        }
        .into());
    }
    if let Some(m) = o.signatures.iter().find(|m| !o.members_present.contains(m)) {
        return Err(EntrustmentError::FieldVisitSignerAbsent {
            category,
            on,
            member: m.masked(),
        }
        .into());
    }
    if on < from || on > to {
        return Err(EntrustmentError::FieldVisitOutsideWindow {
            category,
            on,
            from,
            to,
        }
        .into());
    }
    Ok(())
}

/// The departments' texts in `findings` that hold conclusion wording, carried as their words
/// and listed for the report (R3 只核对，不认定, N §二(一); [`crate::rulebook::WordingRules`]).
fn source_wording(findings: &[Finding], rulebook: &Rulebook) -> Vec<SourceWording> {
    let mut out = Vec::new();
    let finder = rulebook.wording.finder();
    for (f, finding) in findings.iter().enumerate() {
        for (i, fact) in finding.facts.iter().enumerate() {
            for (field, text) in fact.texts() {
                if let Some(phrase) = finder.find(text) {
                    out.push(SourceWording {
                        finding: u32::try_from(f).unwrap_or(u32::MAX),
                        fact: u32::try_from(i).unwrap_or(u32::MAX),
                        field: field.to_owned(),
                        phrase: phrase.to_owned(),
                    });
                }
            }
        }
    }
    out
}

/// Marks as exempt the income payments the rulebook exempts by their kind although their feed
/// counted them, and lists each override for the report ([`crate::rulebook::ExemptIncomeRules`]).
fn exempt_by_rule(findings: &mut [Finding], rulebook: &Rulebook) -> Vec<ExemptByRule> {
    let mut out = Vec::new();
    for (f, finding) in findings.iter_mut().enumerate() {
        let category = finding.category;
        for (i, fact) in finding.facts.iter_mut().enumerate() {
            if let Fact::Income {
                item,
                exempt: exempt @ false,
                ..
            } = fact
                && let Some(source) = rulebook.exempt_income.exempting(category, item)
            {
                *exempt = true;
                out.push(ExemptByRule {
                    finding: u32::try_from(f).unwrap_or(u32::MAX),
                    fact: u32::try_from(i).unwrap_or(u32::MAX),
                    source: source.to_owned(),
                });
            }
        }
    }
    out
}

/// The report's member table, ages as of the day the queries were sent.
fn report_members(household: &Household, sent_on: Date) -> Vec<ReportMember> {
    household
        .members
        .iter()
        .map(|m| ReportMember {
            id_masked: m.id.masked(),
            name: m.name.clone(),
            relation: m.relation,
            age: m.id.age_on(sent_on),
            sex: m.id.sex(),
            co_resident: m.co_resident,
        })
        .collect()
}

/// One masked ID per member, shared by its findings (a report has 16 findings per member).
fn masked_ids(members: &[ReportMember]) -> Vec<Arc<str>> {
    members
        .iter()
        .map(|m| Arc::from(m.id_masked.as_str()))
        .collect()
}

/// The checked answers of a report, indexed, with what their findings are read against.
struct AnswerSheet<'r> {
    /// The answers; each is taken once, by its finding.
    answers: Answers<'r>,
    /// Position in `answers` by (category, member index).
    answered: BTreeMap<(DataCategory, usize), usize>,
    /// Whether the letter names each member.
    named: Vec<bool>,
    /// Each member's masked ID.
    masked: Vec<Arc<str>>,
    /// The report's issue date, Beijing time.
    issued_on: Date,
    /// The agency's own level (where its offline data comparison answers from).
    own_level: AgencyLevel,
}

impl AnswerSheet<'_> {
    /// The finding of `planned`'s category for member `index`, from its route and answer.
    fn finding(
        &mut self,
        planned: &PlannedQuery,
        index: usize,
        id: &ResidentId,
        (deadline, estimated): (Option<Date>, bool),
    ) -> Finding {
        let mut channel = QueryChannel::DepartmentQuery;
        let (status, level, responded_at, facts) = match planned.route {
            PlannedRoute::OutsideScope => (QueryStatus::OutsideScope, None, None, Vec::new()),
            PlannedRoute::Offline { reason } => match self.take(planned.category, index) {
                // the agency's own offline data comparison answered (N §一(二))
                Some((responded_at, facts)) => {
                    channel = QueryChannel::OfflineComparison;
                    let status = if facts.is_empty() {
                        QueryStatus::NoRecord
                    } else {
                        QueryStatus::Returned
                    };
                    (status, Some(self.own_level), Some(responded_at), facts)
                }
                None => (
                    if reason == Availability::NoMeans {
                        QueryStatus::NoMeans
                    } else {
                        QueryStatus::NotShared
                    },
                    None,
                    None,
                    Vec::new(),
                ),
            },
            PlannedRoute::OwnLevel { level } | PlannedRoute::UpperLevel { level } => {
                let (status, responded_at, facts) =
                    self.answer_status(planned.category, index, deadline);
                (status, Some(level), responded_at, facts)
            }
        };
        Finding {
            category: planned.category,
            member: self
                .masked
                .get(index)
                .cloned()
                .unwrap_or_else(|| Arc::from(id.masked())),
            status,
            level,
            deadline,
            deadline_estimated: estimated,
            responded_at,
            facts,
            channel,
        }
    }

    /// The answer for `category` and member `index`, taken (once).
    fn take(
        &mut self,
        category: DataCategory,
        index: usize,
    ) -> Option<(OffsetDateTime, Vec<Fact>)> {
        self.answered
            .get(&(category, index))
            .and_then(|&position| self.answers.take(position))
    }

    /// The status of a category queried online for member `index`, with the answer's time
    /// and facts: returned, no record, late, or still awaited.
    fn answer_status(
        &mut self,
        category: DataCategory,
        index: usize,
        deadline: Option<Date>,
    ) -> (QueryStatus, Option<OffsetDateTime>, Vec<Fact>) {
        let answer = self
            .answered
            .get(&(category, index))
            .and_then(|&position| self.answers.take(position));
        match answer {
            Some((responded_at, facts)) => {
                let on_time = deadline.is_none_or(|d| beijing_date(responded_at) <= d);
                let status = if !on_time {
                    QueryStatus::NoFeedbackInTime
                } else if facts.is_empty() {
                    QueryStatus::NoRecord
                } else {
                    QueryStatus::Returned
                };
                (status, Some(responded_at), facts)
            }
            None => {
                let overdue = deadline.is_none_or(|d| self.issued_on > d);
                let status = if overdue {
                    QueryStatus::NoFeedbackInTime
                } else {
                    QueryStatus::AwaitingFeedback
                };
                (status, None, Vec::new())
            }
        }
    }
}

/// A report's findings, whether each counts in the household's aggregates, and its gaps.
///
/// A finding counts when its member is co-resident (共同生活的家庭成员); a member living
/// elsewhere who signed is queried and reported, but is not part of the household's
/// per-capita figures.
struct Findings {
    findings: Vec<Finding>,
    counted: Vec<bool>,
    gaps: Vec<Gap>,
}

impl Findings {
    /// Empty, with room for `capacity` findings.
    fn with_capacity(capacity: usize) -> Self {
        Findings {
            findings: Vec::with_capacity(capacity),
            counted: Vec::with_capacity(capacity),
            gaps: Vec::new(),
        }
    }
}

/// The findings whose member counts in the household's aggregates.
fn counted_findings<'f>(findings: &'f [Finding], counted: &[bool]) -> Vec<&'f Finding> {
    findings
        .iter()
        .zip(counted)
        .filter_map(|(f, &c)| c.then_some(f))
        .collect()
}

/// One category's members left to investigate offline, and the most serious reason why.
#[derive(Default)]
struct GapTally {
    members: Vec<String>,
    reason: Option<GapReason>,
}

impl GapTally {
    /// Notes a member's finding status: one needing an offline investigation joins the gap.
    fn note(&mut self, status: QueryStatus, id: &ResidentId) {
        if !status.needs_offline() {
            return;
        }
        self.members.push(id.masked());
        let reason = match status {
            QueryStatus::NotShared => GapReason::NotShared,
            QueryStatus::NoMeans => GapReason::NoMeans,
            QueryStatus::AwaitingFeedback => GapReason::AwaitingFeedback,
            _ => GapReason::NoFeedbackInTime,
        };
        // the most serious reason of the category wins: missed deadline over awaiting
        self.reason = Some(match (self.reason, reason) {
            (Some(GapReason::NoFeedbackInTime), _) => GapReason::NoFeedbackInTime,
            (_, r) => r,
        });
    }

    /// The category's gap with its offline task for the entrusting `unit`, if it has one.
    fn into_gap(
        self,
        category: DataCategory,
        report_number: &str,
        unit: &str,
        offline: &[OfflineResult],
    ) -> Option<Gap> {
        let reason = self.reason?;
        Some(Gap {
            category,
            reason,
            members: self.members,
            task: OfflineTask {
                task_id: format!("{report_number}-{}", category.as_str()),
                assigned_to: unit.to_owned(),
                methods: OfflineMethod::for_category(category).to_vec(),
            },
            investigated: offline.iter().any(|o| o.category == category),
        })
    }
}

/// The offline results as the report prints them, members present masked.
fn report_offline_results(offline: &[OfflineResult]) -> Vec<ReportOfflineResult> {
    offline
        .iter()
        .map(|o| ReportOfflineResult {
            category: o.category,
            method: o.method,
            on: o.on,
            investigators: o.investigators.iter().map(|i| i.name.clone()).collect(),
            members_present: o.members_present.iter().map(ResidentId::masked).collect(),
            summary: o.summary.clone(),
            attachment_digests: o.attachment_digests.clone(),
        })
        .collect()
}

/// The limits of use printed on the report: this unit, this purpose, this programme only.
fn limits_of_use(entrustment: &Entrustment) -> String {
    format!(
        "本报告仅供{}用于本次委托事项（{}，{}），不得用于其他用途，不得向无关单位和个人提供。",
        entrustment.unit.name,
        entrustment.purpose.label_zh(),
        entrustment.programme.label_zh()
    )
}

/// The statement printed on every report (R3, N §二(一) 只核对，不认定; N §二(二)).
pub const NOT_A_DETERMINATION: &str = "本报告只核对、不认定：仅客观反映核对对象当前家庭经济状况，不作是否符合救助条件的认定结论；核对结果仅作为救助部门开展社会救助工作的参考资料之一。";

fn describe_route(route: PlannedRoute) -> String {
    match route {
        PlannedRoute::OwnLevel { level } => format!("own {} level", level.as_str()),
        PlannedRoute::UpperLevel { level } => format!("{} level supplement", level.as_str()),
        PlannedRoute::Offline { .. } => "offline investigation".to_owned(),
        PlannedRoute::OutsideScope => "outside the authorized scope".to_owned(),
    }
}

/// Report number: `HD` + issue date + the entrustment number reduced to `[A-Za-z0-9-]`.
fn report_number(issued_on: Date, entrustment: &str) -> String {
    let mut s = format!(
        "HD{:04}{:02}{:02}-",
        issued_on.year(),
        issued_on.month() as u8,
        issued_on.day()
    );
    s.extend(
        entrustment
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .take(64),
    );
    s
}

/// The income window: the `months` whole calendar months before the month of `issued_on` (a
/// count past `i32::MAX`, which no valid rulebook holds, is taken as the default 12).
pub fn income_window(issued_on: Date, months: u32) -> (Date, Date) {
    let first_of_month = issued_on.replace_day(1).unwrap_or(issued_on);
    let to = first_of_month.previous_day().unwrap_or(first_of_month);
    let back = i32::try_from(months).map(|m| -m).unwrap_or(-12);
    let from = add_months_clamped(first_of_month, back).unwrap_or(first_of_month);
    (from, to)
}

fn add(acc: &mut i64, v: i64, what: &'static str) -> Result<(), VerificationError> {
    *acc = acc
        .checked_add(v)
        .ok_or(VerificationError::Overflow { what })?;
    Ok(())
}

fn push_unique(list: &mut Vec<String>, member: &str) {
    if !list.iter().any(|m| m == member) {
        list.push(member.to_owned());
    }
}

/// Rounds `num / den` half away from zero (den > 0).
fn div_round(num: i128, den: i128) -> i128 {
    if den <= 0 {
        return 0;
    }
    let q = num / den;
    let r = num % den;
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// Ends the co-residence of each counted member with a death record (a funeral record, or a
/// household registration cancelled for death) dated on or before `sent_on`: from its date the
/// member is no longer part of the household (共同生活的家庭成员), so their findings stop
/// counting in the aggregates and the per-capita figures. Returns those members' masked IDs,
/// in the order of the findings.
fn end_co_residence_by_death(
    findings: &[Finding],
    counted: &mut [bool],
    sent_on: Date,
) -> Vec<String> {
    let mut deceased: Vec<String> = Vec::new();
    for (f, &c) in findings.iter().zip(counted.iter()) {
        let died = f.facts.iter().any(|fact| match fact {
            Fact::Death { on } => *on <= sent_on,
            Fact::HouseholdRegistration {
                death_on: Some(on), ..
            } => *on <= sent_on,
            _ => false,
        });
        if c && died {
            push_unique(&mut deceased, &f.member);
        }
    }
    for (f, c) in findings.iter().zip(counted.iter_mut()) {
        if deceased.iter().any(|d| **d == *f.member) {
            *c = false;
        }
    }
    deceased
}

/// The household's aggregates over the findings of its co-resident members; `ended` members
/// whose co-residence a death ended are not counted per capita.
#[expect(
    clippy::too_many_arguments,
    reason = "the aggregates' inputs, each named; a struct would only rename them"
)]
fn aggregate(
    findings: &[&Finding],
    household: &Household,
    sent_on: Date,
    window_from: Date,
    window_to: Date,
    months: u32,
    declaration: Option<&Declaration>,
    ended: usize,
) -> Result<Aggregates, VerificationError> {
    let mut tally = Tally::default();
    for &f in findings {
        for fact in &f.facts {
            tally.count_fact(f, fact, sent_on, (window_from, window_to))?;
        }
    }
    let Tally {
        financial_assets: mut fa,
        real_estate: re,
        vehicles: ve,
        businesses: bi,
        by_type,
        exempt,
        status,
    } = tally;
    fa.total_fen = financial_total(&fa)?;
    let income = income_summary(
        by_type,
        exempt,
        household,
        ended,
        (window_from, window_to),
        months,
    )?;
    let differences = declaration
        .map(|d| declared_differences(d, &fa, income.total_fen, &re, &ve))
        .unwrap_or_default();
    Ok(Aggregates {
        financial_assets: fa,
        real_estate: re,
        vehicles: ve,
        businesses: bi,
        income,
        status_records: status,
        differences,
    })
}

/// Running sums over the facts of the counted findings, before the totals.
#[derive(Default)]
struct Tally<'f> {
    financial_assets: FinancialAssets,
    real_estate: RealEstateSummary,
    vehicles: VehicleSummary,
    businesses: BusinessSummary,
    /// Non-exempt income by [`IncomeType::ALL`] order.
    by_type: [i64; 4],
    /// Exempt income by item, in item order.
    exempt: BTreeMap<&'f str, i64>,
    status: StatusRecords,
}

impl<'f> Tally<'f> {
    /// Counts one fact of finding `f`: an income payment, a status record or an asset.
    fn count_fact(
        &mut self,
        f: &'f Finding,
        fact: &'f Fact,
        sent_on: Date,
        window: (Date, Date),
    ) -> Result<(), VerificationError> {
        match fact {
            Fact::Income {
                item,
                income_type,
                paid_on,
                amount_fen,
                exempt,
            } => self.count_income(item, *income_type, *paid_on, *amount_fen, *exempt, window),
            Fact::Imprisonment { .. }
            | Fact::Death { .. }
            | Fact::Employment { .. }
            | Fact::OrphanStatus { .. }
            | Fact::HouseholdRegistration { .. } => {
                self.count_status(f, fact, sent_on);
                Ok(())
            }
            Fact::PropertyTransaction { on, .. } => {
                if (window.0..=window.1).contains(on) {
                    let re = &mut self.real_estate;
                    re.transactions = re.transactions.saturating_add(1);
                }
                Ok(())
            }
            Fact::ProvidentFundWithdrawal { on, amount_fen, .. } => {
                if (window.0..=window.1).contains(on) {
                    add(
                        &mut self.financial_assets.provident_fund_withdrawn_fen,
                        *amount_fen,
                        "provident fund withdrawals",
                    )?;
                }
                Ok(())
            }
            _ => self.count_asset(fact),
        }
    }

    /// Adds an asset fact to the financial assets, real estate, vehicles or businesses.
    fn count_asset(&mut self, fact: &Fact) -> Result<(), VerificationError> {
        let fa = &mut self.financial_assets;
        match fact {
            Fact::Deposit {
                balance_fen,
                over_limit,
                ..
            } => {
                if let Some(b) = balance_fen {
                    add(&mut fa.deposits_fen, *b, "deposits")?;
                } else if *over_limit == Some(true) {
                    fa.deposits_over_limit = fa.deposits_over_limit.saturating_add(1);
                }
            }
            Fact::Securities {
                market_value_fen, ..
            } => add(&mut fa.securities_fen, *market_value_fen, "securities")?,
            Fact::InsurancePolicy { cash_value_fen, .. } => {
                add(
                    &mut fa.insurance_cash_value_fen,
                    *cash_value_fen,
                    "insurance",
                )?;
            }
            Fact::ProvidentFund { balance_fen, .. } => {
                add(&mut fa.provident_fund_fen, *balance_fen, "provident fund")?
            }
            _ => self.count_property(fact)?,
        }
        Ok(())
    }

    /// Adds a real-estate, vehicle or business fact to its summary.
    fn count_property(&mut self, fact: &Fact) -> Result<(), VerificationError> {
        match fact {
            Fact::RealEstate {
                area_m2_x100,
                usage,
                ..
            } => {
                let re = &mut self.real_estate;
                re.count = re.count.saturating_add(1);
                if *usage == crate::fact::PropertyUsage::Residential {
                    re.residential = re.residential.saturating_add(1);
                }
                re.total_area_m2_x100 = re.total_area_m2_x100.saturating_add(*area_m2_x100);
            }
            Fact::Vehicle { commercial, .. } => {
                let ve = &mut self.vehicles;
                ve.count = ve.count.saturating_add(1);
                if *commercial {
                    ve.commercial = ve.commercial.saturating_add(1);
                }
            }
            Fact::Business {
                registered_capital_fen,
                ..
            } => {
                let bi = &mut self.businesses;
                bi.count = bi.count.saturating_add(1);
                add(
                    &mut bi.registered_capital_fen,
                    registered_capital_fen.unwrap_or(0),
                    "registered capital",
                )?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Adds an income payment made within `window`: to its item if exempt, else to its type.
    fn count_income(
        &mut self,
        item: &'f str,
        income_type: IncomeType,
        paid_on: Date,
        amount_fen: i64,
        is_exempt: bool,
        (window_from, window_to): (Date, Date),
    ) -> Result<(), VerificationError> {
        if paid_on < window_from || paid_on > window_to {
            return Ok(());
        }
        if is_exempt {
            add(
                self.exempt.entry(item).or_insert(0),
                amount_fen,
                "exempt income",
            )
        } else {
            let slot = match income_type {
                IncomeType::Wages => &mut self.by_type[0],
                IncomeType::BusinessNet => &mut self.by_type[1],
                IncomeType::PropertyNet => &mut self.by_type[2],
                IncomeType::TransferNet => &mut self.by_type[3],
            };
            add(slot, amount_fen, "income")
        }
    }

    /// Names finding `f`'s member under imprisonment (at `sent_on`), death or public payroll.
    fn count_status(&mut self, f: &Finding, fact: &Fact, sent_on: Date) {
        let status = &mut self.status;
        match fact {
            Fact::Imprisonment { since, until }
                if *since <= sent_on && until.is_none_or(|u| u >= sent_on) =>
            {
                push_unique(&mut status.imprisoned, &f.member);
            }
            Fact::Death { .. }
            | Fact::HouseholdRegistration {
                death_on: Some(_), ..
            } => push_unique(&mut status.deceased, &f.member),
            Fact::OrphanStatus { since, until }
                if *since <= sent_on && until.is_none_or(|u| u >= sent_on) =>
            {
                push_unique(&mut status.orphans, &f.member);
            }
            Fact::Employment { .. } if f.category == DataCategory::PublicPayroll => {
                push_unique(&mut status.public_payroll, &f.member);
            }
            _ => {}
        }
    }
}

/// The financial assets' total: deposits, securities and insurance cash value.
fn financial_total(fa: &FinancialAssets) -> Result<i64, VerificationError> {
    let mut total = 0i64;
    add(&mut total, fa.deposits_fen, "financial assets")?;
    add(&mut total, fa.securities_fen, "financial assets")?;
    add(&mut total, fa.insurance_cash_value_fen, "financial assets")?;
    Ok(total)
}

/// The income summary: totals by type, per capita per month over co-resident members, and
/// the exempt items apart.
fn income_summary(
    by_type: [i64; 4],
    exempt: BTreeMap<&str, i64>,
    household: &Household,
    ended: usize,
    (window_from, window_to): (Date, Date),
    months: u32,
) -> Result<IncomeSummary, VerificationError> {
    let mut income_total = 0i64;
    for v in by_type {
        add(&mut income_total, v, "income")?;
    }
    let co_resident = household.members.iter().filter(|m| m.co_resident).count();
    let members_counted = u32::try_from(co_resident.saturating_sub(ended)).unwrap_or(u32::MAX);
    let per_capita = div_round(
        i128::from(income_total),
        i128::from(members_counted) * i128::from(months),
    );
    let per_capita_monthly_fen =
        i64::try_from(per_capita).map_err(|_| VerificationError::Overflow {
            what: "per-capita income",
        })?;
    let mut exempt_total = 0i64;
    let exempt: Vec<ExemptIncome> = exempt
        .into_iter()
        .map(|(item, amount_fen)| {
            add(&mut exempt_total, amount_fen, "exempt income").map(|()| ExemptIncome {
                item: item.to_owned(),
                amount_fen,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(IncomeSummary {
        window_from,
        window_to,
        months,
        by_type: IncomeType::ALL
            .into_iter()
            .zip(by_type)
            .map(|(income_type, amount_fen)| IncomeByType {
                income_type,
                amount_fen,
            })
            .collect(),
        total_fen: income_total,
        members_counted,
        per_capita_monthly_fen,
        exempt,
        exempt_total_fen: exempt_total,
    })
}

/// Declared-vs-found differences, for each item the household declared.
fn declared_differences(
    d: &Declaration,
    fa: &FinancialAssets,
    income_total: i64,
    re: &RealEstateSummary,
    ve: &VehicleSummary,
) -> Vec<Difference> {
    let mut differences = Vec::new();
    let mut diff = |item, declared: Option<i64>, found: i64| {
        if let Some(declared) = declared {
            differences.push(Difference {
                item,
                declared,
                found,
                difference: found.saturating_sub(declared),
            });
        }
    };
    diff(
        DeclaredItem::FinancialAssetsFen,
        d.financial_assets_fen,
        fa.total_fen,
    );
    diff(DeclaredItem::IncomeFen, d.income_fen, income_total);
    diff(
        DeclaredItem::RealEstateCount,
        d.real_estate_count.map(i64::from),
        i64::from(re.count),
    );
    diff(
        DeclaredItem::VehicleCount,
        d.vehicle_count.map(i64::from),
        i64::from(ve.count),
    );
    differences
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample_case;
    use time::macros::datetime;

    const AS_OF: OffsetDateTime = datetime!(2026-11-29 10:00 +08:00);

    /// An issue time for the sample case (queries sent on 2026-07-06).
    const ISSUED_AT: OffsetDateTime = datetime!(2026-07-20 10:00 +08:00);

    /// N §一(二) 线下数据核对: a category no level can query online (prisoners) is answered by
    /// the agency's own offline data comparison: the finding is returned with the channel
    /// recorded, leaves the gap, and prints as 线下数据核对; a comparison from another level,
    /// for a category the plan queries online, or with a field no agreement of the category
    /// allows is refused, and a department answer for the offline category still is.
    #[test]
    fn the_agencys_offline_comparison_answers_an_offline_category() {
        let rb = Rulebook::default();
        let base = Case::from_json(include_str!("../data/sample-case.json")).unwrap();
        let before = verify(&base, &rb, ISSUED_AT).unwrap();
        let applicant = base.household.members[0].id.clone();
        assert!(
            before
                .gaps
                .iter()
                .any(|g| g.category == DataCategory::Prisoners
                    && g.members.contains(&applicant.masked()))
        );

        let comparison = |level, category, facts: serde_json::Value, channel: QueryChannel| {
            let mut case = base.clone();
            case.responses
                .push(answer(category, level, &applicant, facts, channel));
            verify(&case, &rb, ISSUED_AT)
        };
        let prison = serde_json::json!([{"kind": "imprisonment", "since": "2025-03-01"}]);
        let report = comparison(
            AgencyLevel::County,
            DataCategory::Prisoners,
            prison.clone(),
            QueryChannel::OfflineComparison,
        )
        .unwrap();
        let f = returned_by_comparison(&report, &applicant);
        assert_eq!(f.level, Some(AgencyLevel::County));
        assert_eq!(f.facts.len(), 1);
        // the applicant is no longer left to investigate offline for it
        assert!(
            !report
                .gaps
                .iter()
                .any(|g| g.category == DataCategory::Prisoners
                    && g.members.contains(&applicant.masked()))
        );
        let json = serde_json::to_value(f).unwrap();
        assert_eq!(json["channel"], "offline_comparison");
        let md = crate::render_markdown(&report);
        assert!(md.contains("已反馈（线下数据核对）"), "{md}");
        // other findings keep no channel in JSON, so reports without comparisons are unchanged
        let other = serde_json::to_value(&report.findings[0]).unwrap();
        assert!(other.get("channel").is_none(), "{other}");
        // an empty comparison is "no record"
        let none = comparison(
            AgencyLevel::County,
            DataCategory::Prisoners,
            serde_json::json!([]),
            QueryChannel::OfflineComparison,
        )
        .unwrap();
        assert!(
            none.findings
                .iter()
                .any(|f| f.category == DataCategory::Prisoners
                    && f.status == QueryStatus::NoRecord
                    && f.channel == QueryChannel::OfflineComparison)
        );

        let code = |r: Result<Report, Error>| r.unwrap_err().code();
        // not from another level's agency
        assert_eq!(
            code(comparison(
                AgencyLevel::City,
                DataCategory::Prisoners,
                prison.clone(),
                QueryChannel::OfflineComparison
            )),
            "response_unplanned"
        );
        // a department query for the offline category is still unplanned
        assert_eq!(
            code(comparison(
                AgencyLevel::County,
                DataCategory::Prisoners,
                prison.clone(),
                QueryChannel::DepartmentQuery
            )),
            "response_unplanned"
        );
        // not for a category the plan queries online
        assert_eq!(
            code(comparison(
                AgencyLevel::County,
                DataCategory::HouseholdRegistration,
                serde_json::json!([]),
                QueryChannel::OfflineComparison
            )),
            "response_unplanned"
        );
        // a fact of another category's kind
        assert_eq!(
            code(comparison(
                AgencyLevel::County,
                DataCategory::Prisoners,
                serde_json::json!([{"kind": "household_registration", "registered_members": 2}]),
                QueryChannel::OfflineComparison
            )),
            "fact_kind_mismatch"
        );
        // minimum scope: a field no agreement of the category allows
        let mut narrow = rb.clone();
        for a in narrow
            .agreements
            .iter_mut()
            .filter(|a| a.category == DataCategory::Prisoners)
        {
            a.fields.retain(|f| f == "since");
        }
        let mut case = base.clone();
        case.responses.push(answer(
            DataCategory::Prisoners,
            AgencyLevel::County,
            &applicant,
            serde_json::json!([{"kind": "imprisonment", "since": "2025-03-01", "until": "2027-03-01"}]),
            QueryChannel::OfflineComparison,
        ));
        assert_eq!(
            verify(&case, &narrow, ISSUED_AT).unwrap_err().code(),
            "field_outside_agreement"
        );
        case.responses.last_mut().unwrap().facts = serde_json::from_value(
            serde_json::json!([{"kind": "imprisonment", "since": "2025-03-01"}]),
        )
        .unwrap();
        verify(&case, &narrow, ISSUED_AT).unwrap();
    }

    /// Generated cases carry the typical facts of their categories, and some have non-zero
    /// business, provident-fund (balance and withdrawals), real-estate transaction and
    /// status-record (public payroll, orphans) aggregates: they are checked here, not only by
    /// the golden corpus, whose cases have none.
    /// The prisoners finding of `member` in `report`, checked to be returned by the agency's
    /// offline data comparison.
    fn returned_by_comparison<'r>(report: &'r Report, member: &ResidentId) -> &'r Finding {
        let f = report
            .findings
            .iter()
            .find(|f| f.category == DataCategory::Prisoners && *f.member == member.masked())
            .unwrap();
        assert_eq!(f.status, QueryStatus::Returned);
        assert_eq!(f.channel, QueryChannel::OfflineComparison);
        f
    }

    /// An answer about `subject` from `level` by `channel`, on 2026-07-09 (after the sample
    /// case's queries were sent), with `facts` in their JSON shape.
    fn answer(
        category: DataCategory,
        level: AgencyLevel,
        subject: &ResidentId,
        facts: serde_json::Value,
        channel: QueryChannel,
    ) -> QueryResponse {
        QueryResponse {
            category,
            level,
            subject: subject.clone(),
            responded_at: datetime!(2026-07-09 15:00 +08:00),
            facts: serde_json::from_value(facts).unwrap(),
            channel,
        }
    }

    /// The answer in `case` of `category` about `member`.
    fn answer_of<'c>(
        case: &'c mut Case,
        category: DataCategory,
        member: &ResidentId,
    ) -> &'c mut QueryResponse {
        case.responses
            .iter_mut()
            .find(|r| r.category == category && r.subject == *member)
            .unwrap()
    }

    fn sample() -> Case {
        Case::from_json(include_str!("../data/sample-case.json")).unwrap()
    }

    /// The rulebook's limits on a case: as many members and facts as allowed pass, one more
    /// is refused with the limit, the value and where it is.
    #[test]
    fn a_case_may_reach_the_limits_but_not_pass_them() {
        let case = sample();
        let members = u32::try_from(case.household.members.len()).unwrap();
        let facts: usize = case.responses.iter().map(|r| r.facts.len()).sum();
        let facts = u32::try_from(facts).unwrap();
        let limited = |max_members, max_facts| {
            let mut rb = Rulebook::default();
            rb.limits.max_members = max_members;
            rb.limits.max_facts = max_facts;
            verify(&case, &rb, ISSUED_AT)
        };
        limited(members, facts).unwrap();
        let exceeded = |limit, value: u32, path: &str| {
            Error::Input(InputError::LimitExceeded {
                limit,
                value: i128::from(value),
                max: i128::from(value - 1),
                path: Some(path.to_owned()),
            })
        };
        assert_eq!(
            limited(members - 1, facts).unwrap_err(),
            exceeded("limits.max_members", members, "household.members")
        );
        assert_eq!(
            limited(members, facts - 1).unwrap_err(),
            exceeded("limits.max_facts", facts, "responses")
        );
    }

    /// A household that lists a member twice, or none, is refused as inconsistent before any
    /// gate runs.
    #[test]
    fn a_household_lists_each_member_once_and_at_least_one() {
        let rb = Rulebook::default();
        let mut twice = sample();
        let first = twice.household.members[0].clone();
        twice.household.members.push(first);
        let e = verify(&twice, &rb, ISSUED_AT).unwrap_err();
        assert_eq!(e.code(), "input_inconsistent");
        assert!(e.to_string().contains("twice"), "{e}");
        let mut none = sample();
        none.household.members.clear();
        let e = verify(&none, &rb, ISSUED_AT).unwrap_err();
        assert_eq!(e.code(), "input_inconsistent");
        assert!(e.to_string().contains("has no members"), "{e}");
    }

    /// The report's issue time may be the moment the queries were sent, not a second before.
    #[test]
    fn a_report_is_issued_no_earlier_than_the_queries_were_sent() {
        let case = sample();
        let rb = Rulebook::default();
        verify(&case, &rb, case.queries_sent_at).unwrap();
        let e = verify(&case, &rb, case.queries_sent_at - time::Duration::SECOND).unwrap_err();
        assert_eq!(e.code(), "chronology");
        assert!(
            e.to_string().contains("is before the queries were sent"),
            "{e}"
        );
    }

    /// A department may answer at the very moment the queries were sent, not before.
    #[test]
    fn an_answer_may_come_the_moment_the_queries_were_sent() {
        let rb = Rulebook::default();
        let mut case = sample();
        case.responses[0].responded_at = case.queries_sent_at;
        verify(&case, &rb, ISSUED_AT).unwrap();
        case.responses[0].responded_at = case.queries_sent_at - time::Duration::SECOND;
        let e = verify(&case, &rb, ISSUED_AT).unwrap_err();
        assert_eq!(e.code(), "chronology");
    }

    /// N §一(二) minimum scope: the agency's own offline data comparison may hold the fields
    /// an agreement of its category allows at any level, not only at the agency's own (no
    /// level shares the category; the comparison is the agency's, at its own level).
    #[test]
    fn an_offline_comparison_holds_what_any_agreement_of_its_category_allows() {
        let mut rb = Rulebook::default();
        for a in rb
            .agreements
            .iter_mut()
            .filter(|a| a.category == DataCategory::Prisoners)
        {
            a.level = AgencyLevel::Province;
        }
        let mut case = sample();
        let applicant = case.household.members[0].id.clone();
        case.responses.push(answer(
            DataCategory::Prisoners,
            AgencyLevel::County,
            &applicant,
            serde_json::json!([{"kind": "imprisonment", "since": "2025-03-01"}]),
            QueryChannel::OfflineComparison,
        ));
        let report = verify(&case, &rb, ISSUED_AT).unwrap();
        returned_by_comparison(&report, &applicant);
    }

    /// R7: a query nobody has answered is awaited through its deadline day and has had no
    /// feedback in time from the day after (a report issued then says so).
    #[test]
    fn an_unanswered_query_is_awaited_through_its_deadline_day() {
        let rb = Rulebook::default();
        let case = sample();
        let first = verify(&case, &rb, case.queries_sent_at).unwrap();
        let f = first
            .findings
            .iter()
            .find(|f| f.status == QueryStatus::AwaitingFeedback && f.deadline.is_some())
            .unwrap();
        let (category, member, deadline) = (f.category, f.member.clone(), f.deadline.unwrap());
        let status_on = |day: Date| {
            let at = day
                .with_hms(10, 0, 0)
                .unwrap()
                .assume_offset(time::macros::offset!(+8));
            let r = verify(&case, &rb, at).unwrap();
            r.findings
                .iter()
                .find(|f| f.category == category && f.member == member)
                .unwrap()
                .status
        };
        assert_eq!(status_on(deadline), QueryStatus::AwaitingFeedback);
        assert_eq!(
            status_on(deadline.next_day().unwrap()),
            QueryStatus::NoFeedbackInTime
        );
    }

    /// The income window is the given number of whole calendar months before the month of
    /// issue, across a year's end and into a short February.
    #[test]
    fn the_income_window_is_the_whole_months_before_the_month_of_issue() {
        use time::macros::date;
        assert_eq!(
            income_window(date!(2026 - 11 - 29), 12),
            (date!(2025 - 11 - 01), date!(2026 - 10 - 31))
        );
        assert_eq!(
            income_window(date!(2026 - 03 - 15), 3),
            (date!(2025 - 12 - 01), date!(2026 - 02 - 28))
        );
        assert_eq!(
            income_window(date!(2026 - 01 - 01), 1),
            (date!(2025 - 12 - 01), date!(2025 - 12 - 31))
        );
        assert_eq!(
            income_window(date!(2026 - 11 - 29), u32::MAX),
            income_window(date!(2026 - 11 - 29), 12)
        );
    }

    /// R6: an answer the plan did not ask for is refused, naming what the plan holds for its
    /// category: the own level, an upper level's supplement, or an offline investigation.
    #[test]
    fn an_unplanned_answer_names_the_planned_route() {
        let rb = Rulebook::default();
        let base = sample();
        let applicant = base.household.members[0].id.clone();
        let planned = |category, level| {
            let mut case = base.clone();
            case.responses.push(answer(
                category,
                level,
                &applicant,
                serde_json::json!([]),
                QueryChannel::DepartmentQuery,
            ));
            match verify(&case, &rb, ISSUED_AT).unwrap_err() {
                Error::Verification(VerificationError::UnplannedResponse { planned, .. }) => {
                    planned
                }
                e => panic!("{category:?} at {level:?}: {e}"),
            }
        };
        assert_eq!(
            planned(DataCategory::HouseholdRegistration, AgencyLevel::Ministry),
            "own county level"
        );
        assert_eq!(
            planned(DataCategory::BankDeposits, AgencyLevel::County),
            "province level supplement"
        );
        assert_eq!(
            planned(DataCategory::Prisoners, AgencyLevel::County),
            "offline investigation"
        );
    }

    /// A death record (funeral, or a registration cancelled for death) dated on or before
    /// the day the queries were sent ends the member's co-residence: not counted per capita,
    /// listed once among the deceased even with both records; one dated later does not.
    #[test]
    fn a_death_on_or_before_the_sending_day_ends_co_residence() {
        let rb = Rulebook::default();
        let base = sample();
        let sent_on = beijing_date(base.queries_sent_at);
        let member = base.household.members[1].id.clone();
        let with_death = |on: Date, registration_too: bool| {
            let mut case = base.clone();
            for r in case.responses.iter_mut().filter(|r| r.subject == member) {
                match r.category {
                    DataCategory::Funeral => r.facts = vec![Fact::Death { on }],
                    DataCategory::HouseholdRegistration if registration_too => {
                        r.facts = serde_json::from_value(serde_json::json!([
                            {"kind": "household_registration", "death_on": on.to_string()}
                        ]))
                        .unwrap();
                    }
                    _ => {}
                }
            }
            verify(&case, &rb, ISSUED_AT).unwrap()
        };
        let counted = verify(&base, &rb, ISSUED_AT)
            .unwrap()
            .aggregates
            .income
            .members_counted;
        let died = with_death(sent_on, false);
        assert_eq!(died.aggregates.income.members_counted, counted - 1);
        assert_eq!(
            died.aggregates.status_records.deceased,
            vec![member.masked()]
        );
        let both = with_death(sent_on, true);
        assert_eq!(both.aggregates.income.members_counted, counted - 1);
        assert_eq!(
            both.aggregates.status_records.deceased,
            vec![member.masked()]
        );
        let later = with_death(sent_on.next_day().unwrap(), false);
        assert_eq!(later.aggregates.income.members_counted, counted);
        // the record is still reported among the status records
        assert_eq!(
            later.aggregates.status_records.deceased,
            vec![member.masked()]
        );
    }

    /// Income counts when it was paid within the income window, its first and last days
    /// included, and not the day before the window opens or after it closes.
    #[test]
    fn income_counts_from_the_first_day_of_the_window_to_the_last() {
        let rb = Rulebook::default();
        let base = sample();
        let plain = verify(&base, &rb, ISSUED_AT).unwrap();
        let (from, to) = (
            plain.header.income_window_from,
            plain.header.income_window_to,
        );
        let member = base.household.members[0].id.clone();
        let total_with_pay_on = |paid_on: Date| {
            let mut case = base.clone();
            answer_of(&mut case, DataCategory::Tax, &member).facts = vec![Fact::Income {
                item: "工资".to_owned(),
                income_type: IncomeType::Wages,
                paid_on,
                amount_fen: 123_456,
                exempt: false,
            }];
            verify(&case, &rb, ISSUED_AT)
                .unwrap()
                .aggregates
                .income
                .total_fen
        };
        let before = plain.aggregates.income.total_fen;
        assert_eq!(total_with_pay_on(from), before + 123_456);
        assert_eq!(total_with_pay_on(to), before + 123_456);
        assert_eq!(total_with_pay_on(from.previous_day().unwrap()), before);
        assert_eq!(total_with_pay_on(to.next_day().unwrap()), before);
    }

    /// A member is reported as an orphan when the status holds on the day the queries were
    /// sent: from its first day, through its last, not before it starts nor after it ends.
    #[test]
    fn orphan_status_counts_on_the_sending_day_only_while_it_holds() {
        let rb = Rulebook::default();
        let base = sample();
        let sent_on = beijing_date(base.queries_sent_at);
        let member = base.household.members[1].id.clone();
        let orphans = |since: Date, until: Option<Date>| {
            let mut case = base.clone();
            answer_of(&mut case, DataCategory::Orphans, &member).facts =
                vec![Fact::OrphanStatus { since, until }];
            verify(&case, &rb, ISSUED_AT)
                .unwrap()
                .aggregates
                .status_records
                .orphans
        };
        let (day_before, day_after) =
            (sent_on.previous_day().unwrap(), sent_on.next_day().unwrap());
        let listed = vec![member.masked()];
        assert_eq!(orphans(sent_on, None), listed);
        assert_eq!(orphans(day_before, Some(sent_on)), listed);
        assert!(orphans(day_after, None).is_empty());
        assert!(orphans(day_before, Some(day_before)).is_empty());
    }

    /// A commercial insurance policy's cash value counts among the financial assets.
    #[test]
    fn an_insurance_policys_cash_value_is_a_financial_asset() {
        let rb = Rulebook::default();
        let mut case = sample();
        let before = verify(&case, &rb, ISSUED_AT)
            .unwrap()
            .aggregates
            .financial_assets;
        let insured = case.household.members[1].id.clone();
        answer_of(&mut case, DataCategory::CommercialInsurance, &insured).facts =
            vec![Fact::InsurancePolicy {
                insurer: "某保险公司".to_owned(),
                product: None,
                cash_value_fen: 500_000,
            }];
        let after = verify(&case, &rb, ISSUED_AT)
            .unwrap()
            .aggregates
            .financial_assets;
        assert_eq!(
            after.insurance_cash_value_fen,
            before.insurance_cash_value_fen + 500_000
        );
        assert_eq!(after.total_fen, before.total_fen + 500_000);
    }

    /// 最低生活保障审核确认办法 Art 17: an application accepted on the day the queries were
    /// sent starts the check that day; one accepted the day after is out of time order.
    #[test]
    fn the_check_may_start_on_the_day_the_application_was_accepted() {
        let rb = Rulebook::default();
        let mut case = sample();
        let sent_on = beijing_date(case.queries_sent_at);
        case.entrustment.as_mut().unwrap().requested_on = Some(sent_on);
        let r = verify(&case, &rb, ISSUED_AT).unwrap();
        let start = r.check_start.unwrap();
        assert_eq!((start.requested_on, start.started_on), (sent_on, sent_on));
        assert!(start.within_limit);
        case.entrustment.as_mut().unwrap().requested_on = sent_on.next_day();
        let e = verify(&case, &rb, ISSUED_AT).unwrap_err();
        assert_eq!(e.code(), "chronology");
    }

    /// The verification's sharing gaps (categories no agreement lets any level query, R6) are
    /// the ones its report lists.
    #[test]
    fn the_sharing_gaps_of_the_plan_are_the_reports() {
        let rb = Rulebook::default();
        let case = sample();
        let report = verify(&case, &rb, ISSUED_AT).unwrap();
        let sent_on = beijing_date(case.queries_sent_at);
        let checked = case
            .authorization
            .as_ref()
            .unwrap()
            .check(&case.household, sent_on, &rb)
            .unwrap();
        let accepted = AcceptedEntrustment::accept(
            case.entrustment.as_ref().unwrap(),
            checked,
            case.precheck.as_ref().unwrap(),
            &case.agency,
            case.queries_sent_at,
            &rb,
        )
        .unwrap();
        let v = Verification::start(accepted, case.queries_sent_at, &rb);
        assert!(!v.sharing_gaps().is_empty());
        assert_eq!(v.sharing_gaps(), report.sharing_gaps.as_slice());
    }

    #[test]
    fn generated_cases_fill_the_typical_aggregates() {
        let rb = Rulebook::default();
        let mut seen = [false; 8];
        for i in 0..600 {
            let s = sample_case(7, i, &rb);
            if s.expected_error.is_some() {
                continue;
            }
            let r = verify(&s.case, &rb, AS_OF).unwrap();
            let a = &r.aggregates;
            seen[0] |= a.businesses.count > 0 && a.businesses.registered_capital_fen > 0;
            seen[1] |= a.financial_assets.provident_fund_fen > 0;
            seen[2] |= a.financial_assets.provident_fund_withdrawn_fen > 0;
            seen[3] |= a.real_estate.transactions > 0;
            seen[4] |= !a.status_records.public_payroll.is_empty();
            seen[5] |= !a.status_records.orphans.is_empty();
            let facts = || r.findings.iter().flat_map(|f| &f.facts);
            seen[6] |=
                facts().any(|f| matches!(f, Fact::TaxPaid { amount_fen, .. } if *amount_fen > 0));
            seen[7] |= facts().any(|f| {
                matches!(
                    f,
                    Fact::HouseholdRegistration {
                        relation_to_head: Some(_),
                        ..
                    }
                )
            });
        }
        assert_eq!(
            seen, [true; 8],
            "business, provident fund, withdrawals, transactions, payroll, orphans, tax paid, relation"
        );
    }

    #[test]
    fn sample_cases_are_rejected_exactly_when_defective() {
        let rb = Rulebook::default();
        let mut defective = 0;
        for i in 0..600 {
            let s = sample_case(7, i, &rb);
            let got = verify(&s.case, &rb, AS_OF);
            match (&got, s.expected_error) {
                (Ok(r), None) => assert!(r.verify_digest()),
                (Err(e), Some(code)) => {
                    defective += 1;
                    assert_eq!(e.code(), code, "case {i}: {e}");
                }
                (Ok(_), Some(code)) => panic!("case {i} should fail with {code}"),
                (Err(e), None) => panic!("case {i} failed: {e}"),
            }
        }
        assert!(defective > 10, "the sample should hold defective cases");
    }
}
