//! Errors, one enum per area, each variant with a stable snake_case [`code`](Error::code).
//!
//! Codes are part of the public contract: the Python and C bindings pass them through
//! unchanged, and they are never renamed or reused. A rule error names the rule of DOMAIN.md
//! (R1..R11) and the clause of the notice it enforces.

use time::Date;

use crate::authorization::AuthorizationDefect;
use crate::digest::Sha256Digest;
use crate::entrustment::Purpose;
use crate::id::RegionCode;
use crate::security::{ArchiveGap, ChainProblem, DocumentKind, WeakReason};

/// Which part of the work an error belongs to; the bindings map each area to one exception
/// class or result range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorArea {
    /// Malformed input: JSON, identifiers, documents that do not hold together.
    Input,
    /// R1 authorization letters 核对授权书.
    Authorization,
    /// R1/R2 entrustment letters 核对委托书 and the pre-check.
    Entrustment,
    /// Query planning, results and report assembly (R3, R6, R7, R9).
    Verification,
    /// Population rules (R4, R5, R8).
    Population,
    /// Records and security (R10, R11).
    Security,
}

impl ErrorArea {
    /// Lower-case name used by the bindings (`input`, `authorization`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorArea::Input => "input",
            ErrorArea::Authorization => "authorization",
            ErrorArea::Entrustment => "entrustment",
            ErrorArea::Verification => "verification",
            ErrorArea::Population => "population",
            ErrorArea::Security => "security",
        }
    }
}

/// A malformed identifier (DOMAIN.md §5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// A resident ID must have 18 characters (or 15 for a legacy number).
    #[error("resident id must have 18 characters (or 15 for a legacy id), got {len}")]
    ResidentLength {
        /// Characters found.
        len: usize,
    },
    /// A character that is not allowed at its position.
    #[error("resident id `{input}` has an invalid character at position {position}")]
    ResidentCharacter {
        /// 1-based position.
        position: usize,
        /// The rejected input, masked: first six and last two characters, the rest `*`.
        input: String,
    },
    /// The region part is outside GB/T 2260's province range.
    #[error("resident id `{input}` does not start with a valid region code")]
    ResidentRegion {
        /// The rejected input, masked: first six and last two characters, the rest `*`.
        input: String,
    },
    /// The birth date part is not a real calendar date.
    #[error("resident id `{input}` encodes a birth date that does not exist")]
    ResidentBirthDate {
        /// The rejected input, masked: first six and last two characters, the rest `*`.
        input: String,
    },
    /// The check character does not match (ISO 7064 MOD 11-2).
    #[error("resident id `{input}` has a wrong check character, expected `{expected}`")]
    ResidentChecksum {
        /// The rejected input, masked: first six and last two characters, the rest `*`.
        input: String,
        /// The check character the first 17 digits call for.
        expected: char,
    },
    /// A credit code must have 18 characters.
    #[error("credit code must have 18 characters, got {len}")]
    CreditLength {
        /// Characters found.
        len: usize,
    },
    /// A character outside `0-9A-Z` less I, O, S, V, Z.
    #[error("credit code `{input}` has an invalid character at position {position}")]
    CreditCharacter {
        /// 1-based position.
        position: usize,
        /// The rejected input.
        input: String,
    },
    /// The check character does not match (GB 32100-2015).
    #[error("credit code `{input}` has a wrong check character, expected `{expected}`")]
    CreditChecksum {
        /// The rejected input.
        input: String,
        /// The check character the first 17 characters call for.
        expected: char,
    },
    /// Not a six-digit GB/T 2260 region code.
    #[error("region code `{input}` is not a six-digit GB/T 2260 code")]
    Region {
        /// The rejected input.
        input: String,
    },
}

impl IdError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            IdError::ResidentLength { .. } => "id_resident_length",
            IdError::ResidentCharacter { .. } => "id_resident_character",
            IdError::ResidentRegion { .. } => "id_resident_region",
            IdError::ResidentBirthDate { .. } => "id_resident_birth_date",
            IdError::ResidentChecksum { .. } => "id_resident_checksum",
            IdError::CreditLength { .. } => "id_credit_length",
            IdError::CreditCharacter { .. } => "id_credit_character",
            IdError::CreditChecksum { .. } => "id_credit_checksum",
            IdError::Region { .. } => "id_region",
        }
    }
}

/// Input that cannot be read or does not hold together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The JSON text is not valid or does not have the document's shape.
    #[error("invalid {document} json: {message}")]
    Json {
        /// What was being read (`case`, `rulebook`, ...).
        document: &'static str,
        /// What serde_json reported, with line and column.
        message: String,
    },
    /// A document refers to something that is not there.
    #[error("{message}")]
    Inconsistent {
        /// What does not hold together.
        message: String,
    },
    /// A rulebook value is out of its allowed range.
    #[error("rulebook: {message}")]
    Rulebook {
        /// Which value and why.
        message: String,
    },
    /// Text is not valid UTF-8.
    #[error("input is not valid utf-8")]
    Utf8,
}

impl InputError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::Json { .. } => "input_json",
            InputError::Inconsistent { .. } => "input_inconsistent",
            InputError::Rulebook { .. } => "input_rulebook",
            InputError::Utf8 => "input_utf8",
        }
    }
}

/// R1 先授权，后委托: the authorization does not permit the verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthorizationError {
    /// The authorization check found defects; all of them are listed.
    #[error(
        "R1 authorize-before-entrust (N §二(一)): authorization `{number}` has {} defect(s): {}",
        defects.len(),
        join_defects(defects)
    )]
    Defective {
        /// The authorization number.
        number: String,
        /// Every defect found.
        defects: Vec<AuthorizationDefect>,
    },
    /// There is no authorization letter on file.
    #[error(
        "R1 authorize-before-entrust (N §二(一)): no authorization letter on file for household `{household}`"
    )]
    Missing {
        /// Household of the case.
        household: String,
    },
    /// The authorization belongs to another household.
    #[error(
        "R1 authorize-before-entrust (N §二(一)): authorization `{number}` is for household `{found}`, not `{expected}`"
    )]
    WrongHousehold {
        /// The authorization number.
        number: String,
        /// Household of the case.
        expected: String,
        /// Household named by the authorization.
        found: String,
    },
}

fn join_defects(defects: &[AuthorizationDefect]) -> String {
    defects
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl AuthorizationError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AuthorizationError::Defective { .. } => "authorization_defective",
            AuthorizationError::WrongHousehold { .. } => "authorization_wrong_household",
            AuthorizationError::Missing { .. } => "authorization_missing",
        }
    }
}

/// R1 / R2: the entrustment or its pre-check does not allow the verification to start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntrustmentError {
    /// R1: the entrustment is not backed by the authorization it names.
    #[error(
        "R1 authorize-before-entrust (N §二(一)): entrustment `{entrustment}` names authorization `{named}` but the case holds `{found}`"
    )]
    AuthorizationMismatch {
        /// Entrustment number.
        entrustment: String,
        /// Authorization number in the entrustment.
        named: String,
        /// Authorization number on file.
        found: String,
    },
    /// R1: the entrustment asks for a category the household did not authorize.
    #[error(
        "R1 authorize-before-entrust (N §二(一)): entrustment `{entrustment}` requests `{category}`, which the authorization does not cover"
    )]
    ScopeWidened {
        /// Entrustment number.
        entrustment: String,
        /// The category outside the authorization.
        category: String,
    },
    /// R1: the entrustment was issued before the household signed the authorization.
    #[error(
        "R1 authorize-before-entrust (N §二(一)): entrustment `{entrustment}` was issued on {issued_on}, before authorization signed on {signed_on}"
    )]
    IssuedBeforeAuthorization {
        /// Entrustment number.
        entrustment: String,
        /// Issue date of the entrustment.
        issued_on: String,
        /// Signing date of the authorization.
        signed_on: String,
    },
    /// R2: there is no entrustment letter.
    #[error("R2 no-entrust-no-check (N §二(一)): no entrustment letter, verification cannot start")]
    Missing,
    /// R2: the entrustment is addressed to another agency.
    #[error(
        "R2 no-entrust-no-check (N §二(一)): entrustment `{entrustment}` is addressed to agency `{addressed}`, not `{agency}`"
    )]
    WrongAgency {
        /// Entrustment number.
        entrustment: String,
        /// Agency named in the letter.
        addressed: String,
        /// Agency asked to verify.
        agency: String,
    },
    /// R2: the entrustment does not name this subject.
    #[error(
        "R2 no-entrust-no-check (N §二(一)): entrustment `{entrustment}` does not name subject `{subject}`"
    )]
    SubjectNotNamed {
        /// Entrustment number.
        entrustment: String,
        /// Masked resident ID or household id.
        subject: String,
    },
    /// R1: the entrustment names a member who did not authorize the check: one who does not
    /// live with the household and did not sign (co-resident members must all sign).
    #[error(
        "R1 authorize-before-entrust (N §二(一)): entrustment `{entrustment}` names subject `{subject}`, who has not signed the authorization"
    )]
    SubjectNotAuthorized {
        /// Entrustment number.
        entrustment: String,
        /// Masked resident ID.
        subject: String,
    },
    /// R2: the entrustment was withdrawn.
    #[error(
        "R2 no-entrust-no-check (N §二(一)): entrustment `{entrustment}` was withdrawn on {on}"
    )]
    Withdrawn {
        /// Entrustment number.
        entrustment: String,
        /// Withdrawal date.
        on: String,
    },
    /// R2: the entrustment expired or is dated after the verification.
    #[error(
        "R2 no-entrust-no-check (N §二(一)): entrustment `{entrustment}` is not in force on {on}: {reason}"
    )]
    NotInForce {
        /// Entrustment number.
        entrustment: String,
        /// Date of the verification.
        on: String,
        /// Expired or not yet issued.
        reason: String,
    },
    /// R2 (N §二(二)): no recorded pre-check by the initiating agency, or one for another letter.
    #[error(
        "R2 pre-check (N §二(二)): no pre-check recorded for entrustment `{entrustment}` by agency `{agency}`"
    )]
    PrecheckMissing {
        /// Entrustment number.
        entrustment: String,
        /// Agency expected to have checked.
        agency: String,
    },
    /// R2 (N §二(二)): the pre-check did not pass.
    #[error(
        "R2 pre-check (N §二(二)): pre-check of entrustment `{entrustment}` by `{officer}` failed: {reason}"
    )]
    PrecheckFailed {
        /// Entrustment number.
        entrustment: String,
        /// Responsible officer.
        officer: String,
        /// Why it did not pass.
        reason: String,
    },
    /// R4: relief-first follow-up entrustment used for a case not marked as an emergency,
    /// or an appeal recheck with no disputed report.
    #[error("{rule}: entrustment `{entrustment}` {reason}")]
    PurposeInvalid {
        /// Rule and clause.
        rule: &'static str,
        /// Entrustment number.
        entrustment: String,
        /// Why the purpose does not fit.
        reason: String,
    },
}

impl EntrustmentError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            EntrustmentError::AuthorizationMismatch { .. } => "entrustment_authorization_mismatch",
            EntrustmentError::ScopeWidened { .. } => "entrustment_scope_widened",
            EntrustmentError::Missing => "entrustment_missing",
            EntrustmentError::IssuedBeforeAuthorization { .. } => {
                "entrustment_before_authorization"
            }
            EntrustmentError::WrongAgency { .. } => "entrustment_wrong_agency",
            EntrustmentError::SubjectNotNamed { .. } => "entrustment_subject_not_named",
            EntrustmentError::SubjectNotAuthorized { .. } => "entrustment_subject_not_authorized",
            EntrustmentError::Withdrawn { .. } => "entrustment_withdrawn",
            EntrustmentError::NotInForce { .. } => "entrustment_not_in_force",
            EntrustmentError::PrecheckMissing { .. } => "precheck_missing",
            EntrustmentError::PrecheckFailed { .. } => "precheck_failed",
            EntrustmentError::PurposeInvalid { .. } => "entrustment_purpose_invalid",
        }
    }
}

/// Query results, offline investigation and report assembly (R3, R6, R7, R9).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerificationError {
    /// R6 minimum scope: a fact carries a field the sharing agreement does not allow.
    #[error(
        "R6 minimum scope (N §一(三) 安全、必要、最小范围): `{category}` answer from the {level} level carries field `{field}` outside the agreed fields"
    )]
    FieldOutsideAgreement {
        /// Category.
        category: String,
        /// Answering level.
        level: String,
        /// The field.
        field: String,
    },
    /// A fact of a kind that does not belong to the category it was returned under.
    #[error("`{kind}` fact cannot be returned under category `{category}`")]
    FactKindMismatch {
        /// Category.
        category: String,
        /// Fact kind.
        kind: String,
    },
    /// R1/R6: an answer for a category outside the entrustment's scope, or from a level the
    /// plan did not query.
    #[error(
        "R6 own level first (N §一(二)): answer for `{category}` from the {level} level was not planned (planned: {planned})"
    )]
    UnplannedResponse {
        /// Category.
        category: String,
        /// Answering level.
        level: String,
        /// What the plan says.
        planned: String,
    },
    /// An answer about someone the entrustment does not name.
    #[error(
        "answer for `{category}` concerns `{subject}`, who is not a subject of the entrustment"
    )]
    UnknownSubject {
        /// Category.
        category: String,
        /// Masked resident ID.
        subject: String,
    },
    /// Two answers for the same category and member.
    #[error("two answers for `{category}` about member `{subject}`")]
    DuplicateResponse {
        /// Category.
        category: String,
        /// Masked resident ID.
        subject: String,
    },
    /// Times that cannot be: an answer before the query, a report before the queries.
    #[error("{message}")]
    Chronology {
        /// What is out of order.
        message: String,
    },
    /// R7: a home visit needs at least two investigators and the signature of a member
    /// present (最低生活保障审核确认办法 Art 16).
    #[error(
        "R7 offline fallback (低保审核确认办法 Art 16): field visit for `{category}` on {on} has {investigators} investigator(s) and {members_present} member signature(s); at least 2 and 1 are required"
    )]
    FieldVisitUnderstaffed {
        /// Category.
        category: String,
        /// Visit date.
        on: String,
        /// Investigators recorded.
        investigators: usize,
        /// Members present who signed.
        members_present: usize,
    },
    /// A money sum does not fit in 64 bits.
    #[error("amounts for `{what}` overflow")]
    Overflow {
        /// Which sum.
        what: &'static str,
    },
    /// R9: an appeal round does not link to a known report.
    #[error("R9 appeal recheck (N §二(二)): {message}")]
    AppealLink {
        /// What is wrong with the link.
        message: String,
    },
    /// R3: text the report would carry states an eligibility conclusion.
    #[error(
        "R3 verify-not-determine (N §二(一) 只核对，不认定): the offline result for `{category}` states a conclusion (`{phrase}`); the report carries facts only"
    )]
    VerdictInText {
        /// Category of the offline result.
        category: String,
        /// The phrase found.
        phrase: &'static str,
    },
}

impl VerificationError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            VerificationError::FieldOutsideAgreement { .. } => "field_outside_agreement",
            VerificationError::FactKindMismatch { .. } => "fact_kind_mismatch",
            VerificationError::UnplannedResponse { .. } => "response_unplanned",
            VerificationError::UnknownSubject { .. } => "response_unknown_subject",
            VerificationError::DuplicateResponse { .. } => "response_duplicate",
            VerificationError::Chronology { .. } => "chronology",
            VerificationError::FieldVisitUnderstaffed { .. } => "field_visit_understaffed",
            VerificationError::Overflow { .. } => "amount_overflow",
            VerificationError::AppealLink { .. } => "appeal_link",
            VerificationError::VerdictInText { .. } => "verdict_in_text",
        }
    }
}

/// Population rules run over a whole caseload: R4 emergency-first-relief, R5 full coverage
/// and R8 periodic recheck (N §二(一)). Batch functions report these per record, with the
/// record's position, and go on with the good records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PopulationError {
    /// A required text field is empty.
    #[error("{record} field `{field}` is empty")]
    EmptyField {
        /// The kind of record (`application`, `household`, ...).
        record: &'static str,
        /// The empty field.
        field: &'static str,
    },
    /// The same id appears more than once in one input.
    #[error("{record} `{id}` appears more than once, first at position {first_position}")]
    DuplicateRecord {
        /// The kind of record.
        record: &'static str,
        /// The repeated id.
        id: String,
        /// 0-based position of the first occurrence.
        first_position: usize,
    },
    /// A record lies in a region outside the audited jurisdiction.
    #[error("{record} `{id}` is in region `{region}`, outside the audited jurisdiction")]
    OutsideJurisdiction {
        /// The kind of record.
        record: &'static str,
        /// Application id or household id.
        id: String,
        /// The record's region.
        region: RegionCode,
    },
    /// An application lists no household members, so its coverage cannot be measured.
    #[error("application `{application}` lists no household members")]
    NoMembers {
        /// Application id.
        application: String,
    },
    /// A recheck date falls outside the dates the calendar supports.
    #[error(
        "R8 periodic recheck (N §二(一)): the recheck date of household `{household}` falls outside the supported calendar"
    )]
    RecheckDateOutOfRange {
        /// Household id.
        household: String,
    },
    /// The household's last check is dated after the as-of date of the schedule.
    #[error(
        "household `{household}` was last checked on {last_checked}, after the as-of date {as_of}"
    )]
    CheckedAfterAsOf {
        /// Household id.
        household: String,
        /// Date of the last check.
        last_checked: Date,
        /// The schedule's as-of date.
        as_of: Date,
    },
    /// A recheck batch must hold at least one household.
    #[error("a recheck batch must hold at least 1 household")]
    BatchSizeZero,
    /// R4: relief before verification for a case not marked as an emergency.
    #[error(
        "R4 emergency-first-relief (N §二(一)): case `{case}` is not marked as an emergency (救急难), so relief cannot come before verification"
    )]
    ReliefNotEmergency {
        /// Case id.
        case: String,
    },
    /// Relief must be a positive amount of fen.
    #[error("relief for case `{case}` must be a positive amount in fen, got {amount_fen}")]
    ReliefAmountNotPositive {
        /// Case id.
        case: String,
        /// The amount given.
        amount_fen: i64,
    },
    /// No ledger entry has this relief reference.
    #[error("the relief ledger has no entry `{reference}`")]
    FollowUpUnknown {
        /// The relief reference asked for.
        reference: String,
    },
    /// The follow-up was already closed.
    #[error("the follow-up of relief `{reference}` was already closed by report `{report}`")]
    FollowUpAlreadyClosed {
        /// Relief reference.
        reference: String,
        /// Report that closed it.
        report: String,
    },
    /// R4: the report offered to close a follow-up was made for another purpose.
    #[error(
        "R4 emergency-first-relief (N §二(一)): report `{report}` offered for relief `{reference}` was made for purpose `{}`, not `emergency_follow_up`",
        crate::population::purpose_name(*purpose)
    )]
    FollowUpWrongPurpose {
        /// Relief reference.
        reference: String,
        /// Report number.
        report: String,
        /// The report's purpose.
        purpose: Purpose,
    },
    /// R4: the report verified another household than the one relieved.
    #[error(
        "R4 emergency-first-relief (N §二(一)): report `{report}` verified household `{found}`, but relief `{reference}` went to household `{expected}`"
    )]
    FollowUpWrongHousehold {
        /// Relief reference.
        reference: String,
        /// Report number.
        report: String,
        /// Household relieved.
        expected: String,
        /// Household the report verified.
        found: String,
    },
    /// R4: the report follows up another relief entry.
    #[error(
        "R4 emergency-first-relief (N §二(一)): report `{report}` follows up relief `{found}`, not `{reference}`"
    )]
    FollowUpReferenceMismatch {
        /// Relief reference being closed.
        reference: String,
        /// Report number.
        report: String,
        /// Relief reference the report names.
        found: String,
    },
    /// R4: the follow-up is dated before the relief it follows up.
    #[error(
        "R4 emergency-first-relief (N §二(一)): follow-up of relief `{reference}` is dated {closed_on}, before the relief on {relieved_on}"
    )]
    FollowUpBeforeRelief {
        /// Relief reference.
        reference: String,
        /// Date of the relief.
        relieved_on: Date,
        /// Date given for the follow-up.
        closed_on: Date,
    },
    /// R4: the report offered to close a follow-up does not verify against its digest or
    /// names no relief.
    #[error(
        "R4 emergency-first-relief (N §二(一)): report `{report}` cannot close a follow-up: {reason}"
    )]
    FollowUpReportUnverified {
        /// Report number.
        report: String,
        /// What is wrong.
        reason: String,
    },
}

impl PopulationError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            PopulationError::EmptyField { .. } => "population_empty_field",
            PopulationError::DuplicateRecord { .. } => "population_duplicate_record",
            PopulationError::OutsideJurisdiction { .. } => "population_outside_jurisdiction",
            PopulationError::NoMembers { .. } => "coverage_no_members",
            PopulationError::RecheckDateOutOfRange { .. } => "recheck_date_out_of_range",
            PopulationError::CheckedAfterAsOf { .. } => "recheck_checked_after_as_of",
            PopulationError::BatchSizeZero => "recheck_batch_size_zero",
            PopulationError::ReliefNotEmergency { .. } => "relief_not_emergency",
            PopulationError::ReliefAmountNotPositive { .. } => "relief_amount_not_positive",
            PopulationError::FollowUpUnknown { .. } => "relief_followup_unknown",
            PopulationError::FollowUpAlreadyClosed { .. } => "relief_followup_already_closed",
            PopulationError::FollowUpWrongPurpose { .. } => "relief_followup_wrong_purpose",
            PopulationError::FollowUpWrongHousehold { .. } => "relief_followup_wrong_household",
            PopulationError::FollowUpReferenceMismatch { .. } => {
                "relief_followup_reference_mismatch"
            }
            PopulationError::FollowUpBeforeRelief { .. } => "relief_followup_before_relief",
            PopulationError::FollowUpReportUnverified { .. } => "relief_followup_report_unverified",
        }
    }
}

/// R10 records / R11 security: archive, audit chain, operator accounts, permissions and report
/// signatures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecurityError {
    /// R11: an account for a body that is not a verification agency.
    #[error(
        "R11 security (N §三): `{body}` is not a verification agency; the system is for verification agencies only"
    )]
    NotAnAgency {
        /// The body named as the operator's agency.
        body: String,
    },
    /// R11: the account is not real-name registered (实名制、备案制).
    #[error("R11 security (N §三): account `{account}` is not real-name registered: {reason}")]
    NotRegistered {
        /// Login name.
        account: String,
        /// What is missing or malformed.
        reason: String,
    },
    /// R11: activation without a signed confidentiality agreement.
    #[error(
        "R11 security (N §三): account `{account}` cannot be activated without a signed confidentiality agreement (保密协议)"
    )]
    ConfidentialityUnsigned {
        /// Login name.
        account: String,
    },
    /// R11: activation without a password.
    #[error("R11 security (N §三): account `{account}` has no password set")]
    PasswordNotSet {
        /// Login name.
        account: String,
    },
    /// R11: a weak password (账号严禁使用弱口令).
    #[error(
        "R11 security (N §三): password for account `{account}` is weak: {}",
        join_display(reasons)
    )]
    WeakPassword {
        /// Login name.
        account: String,
        /// Every reason.
        reasons: Vec<WeakReason>,
    },
    /// The salt supplied for a password hash is too short or too long.
    #[error("password salt must have {min} to {max} bytes, got {found}")]
    SaltLength {
        /// Fewest bytes.
        min: usize,
        /// Most bytes.
        max: usize,
        /// Bytes given.
        found: usize,
    },
    /// R11: a wrong password.
    #[error(
        "R11 security (N §三): wrong password for account `{account}`, {failures} consecutive failure(s) of {limit} allowed"
    )]
    WrongPassword {
        /// Login name.
        account: String,
        /// Consecutive failures so far.
        failures: u32,
        /// Failures that lock the account (0: never).
        limit: u32,
    },
    /// R11: the account is locked after failed logins.
    #[error("R11 security (N §三): account `{account}` is locked after {failures} failed login(s)")]
    AccountLocked {
        /// Login name.
        account: String,
        /// Consecutive failures.
        failures: u32,
    },
    /// R11: the account is not activated.
    #[error("R11 security (N §三): account `{account}` is not active")]
    AccountInactive {
        /// Login name.
        account: String,
    },
    /// R11: a permission check denied the action (严控各类人员数据处理权限).
    #[error("R11 security (N §三): role `{role}` may not `{action}`: {reason}")]
    PermissionDenied {
        /// Role checked.
        role: String,
        /// Action asked for.
        action: &'static str,
        /// Why.
        reason: String,
    },
    /// The audit HMAC key is too short.
    #[error("audit key must have at least {min} bytes, got {found}")]
    AuditKeyLength {
        /// Fewest bytes.
        min: usize,
        /// Bytes given.
        found: usize,
    },
    /// An audit event's time cannot be written in RFC 3339.
    #[error("audit time `{at}` cannot be recorded: {reason}")]
    AuditTime {
        /// The time given.
        at: String,
        /// Why.
        reason: String,
    },
    /// R11: the audit chain was changed, cut or reordered.
    #[error("R11 security (N §三): audit chain is broken at entry {index}: {problem}")]
    AuditBroken {
        /// 0-based index of the first broken entry.
        index: usize,
        /// What is wrong there.
        problem: ChainProblem,
    },
    /// A line of a JSONL audit log is empty, malformed or not canonical.
    #[error("audit log line {line} is invalid: {reason}")]
    AuditLine {
        /// 1-based line number.
        line: usize,
        /// Why.
        reason: String,
    },
    /// R10: the digest is already archived with other metadata.
    #[error(
        "R10 records (N §二(三)): document `{digest}` is already archived as {kind} `{number}`"
    )]
    ArchiveConflict {
        /// The digest.
        digest: Sha256Digest,
        /// Kind on file.
        kind: DocumentKind,
        /// Number on file.
        number: String,
    },
    /// R10: no archived document has this digest.
    #[error("R10 records (N §二(三)): document `{digest}` is not archived")]
    ArchiveNotFound {
        /// The digest.
        digest: Sha256Digest,
    },
    /// R10: letters are missing from the archive or filed wrongly; every gap is listed.
    #[error(
        "R10 records (N §二(三)): {} document(s) missing or misfiled: {}",
        gaps.len(),
        join_display(gaps)
    )]
    ArchiveIncomplete {
        /// Every gap.
        gaps: Vec<ArchiveGap>,
    },
    /// R10: a document was to be disposed of before its retention period ended.
    #[error("R10 records (N §二(三)): document `{digest}` must be kept until {until}")]
    RetentionNotElapsed {
        /// The digest.
        digest: Sha256Digest,
        /// Last day of retention.
        until: time::Date,
    },
    /// A report-signing key cannot be used.
    #[error("signing key `{key_id}` is invalid: {reason}")]
    SigningKey {
        /// Key id.
        key_id: String,
        /// Why.
        reason: String,
    },
    /// A report signature names a key that is not trusted.
    #[error("report signature names key `{key_id}`, which is not trusted")]
    UnknownSigningKey {
        /// Key id.
        key_id: String,
    },
    /// A report signature does not verify.
    #[error("report signature by key `{key_id}` does not verify")]
    BadSignature {
        /// Key id.
        key_id: String,
    },
}

fn join_display<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl SecurityError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            SecurityError::NotAnAgency { .. } => "security_not_agency",
            SecurityError::NotRegistered { .. } => "security_not_registered",
            SecurityError::ConfidentialityUnsigned { .. } => "security_confidentiality_unsigned",
            SecurityError::PasswordNotSet { .. } => "security_password_not_set",
            SecurityError::WeakPassword { .. } => "security_weak_password",
            SecurityError::SaltLength { .. } => "security_salt_length",
            SecurityError::WrongPassword { .. } => "security_wrong_password",
            SecurityError::AccountLocked { .. } => "security_account_locked",
            SecurityError::AccountInactive { .. } => "security_account_inactive",
            SecurityError::PermissionDenied { .. } => "permission_denied",
            SecurityError::AuditKeyLength { .. } => "audit_key_length",
            SecurityError::AuditTime { .. } => "audit_time_invalid",
            SecurityError::AuditBroken { .. } => "audit_chain_broken",
            SecurityError::AuditLine { .. } => "audit_line_invalid",
            SecurityError::ArchiveConflict { .. } => "archive_conflict",
            SecurityError::ArchiveNotFound { .. } => "archive_not_found",
            SecurityError::ArchiveIncomplete { .. } => "archive_incomplete",
            SecurityError::RetentionNotElapsed { .. } => "archive_retention",
            SecurityError::SigningKey { .. } => "signing_key_invalid",
            SecurityError::UnknownSigningKey { .. } => "signature_unknown_key",
            SecurityError::BadSignature { .. } => "signature_invalid",
        }
    }
}

/// Any hedui error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Malformed identifier.
    #[error(transparent)]
    Id(#[from] IdError),
    /// Malformed or inconsistent input.
    #[error(transparent)]
    Input(#[from] InputError),
    /// R1 authorization.
    #[error(transparent)]
    Authorization(#[from] AuthorizationError),
    /// R1/R2 entrustment and pre-check.
    #[error(transparent)]
    Entrustment(#[from] EntrustmentError),
    /// Query results and report assembly.
    #[error(transparent)]
    Verification(#[from] VerificationError),
    /// Working-day calendar data.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// R4, R5, R8 population rules.
    #[error(transparent)]
    Population(#[from] PopulationError),
    /// R10/R11 records and security.
    #[error(transparent)]
    Security(#[from] SecurityError),
}

impl Error {
    /// Stable snake_case code, passed through unchanged by every binding.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Id(e) => e.code(),
            Error::Input(e) => e.code(),
            Error::Authorization(e) => e.code(),
            Error::Entrustment(e) => e.code(),
            Error::Verification(e) => e.code(),
            Error::Calendar(e) => e.code(),
            Error::Population(e) => e.code(),
            Error::Security(e) => e.code(),
        }
    }

    /// The area the error belongs to.
    pub fn area(&self) -> ErrorArea {
        match self {
            Error::Id(_) | Error::Input(_) | Error::Calendar(_) => ErrorArea::Input,
            Error::Verification(_) => ErrorArea::Verification,
            Error::Authorization(_) => ErrorArea::Authorization,
            Error::Entrustment(_) => ErrorArea::Entrustment,
            Error::Population(_) => ErrorArea::Population,
            Error::Security(_) => ErrorArea::Security,
        }
    }

    /// Builds an [`InputError::Json`] from a serde_json error, or an [`Error::Id`] when the
    /// document failed on a malformed identifier inside it (a resident ID with a wrong check
    /// character gives `id_resident_checksum`, not `input_json`).
    pub fn json(document: &'static str, e: &serde_json::Error) -> Self {
        let message = e.to_string();
        match crate::id::take_rejected(&message) {
            Some(id) if e.is_data() => Error::Id(id),
            _ => Error::Input(InputError::Json { document, message }),
        }
    }
}
