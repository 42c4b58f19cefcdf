//! `hedui_result`: fixed numbers for every outcome of a C call.
//!
//! The enum and [`TABLE`] between the `generated` markers are written from the error catalog
//! (`hedui_core::Error::catalog`, plus [`BINDING_RESULTS`] for the failures only a binding
//! can have): never edit them by hand. `HEDUI_BLESS=1 cargo test -p hedui-ffi result_table`
//! rewrites them; the same test fails while they are stale.

use std::ffi::CStr;

use crate::failure::{Area, Failure};

macro_rules! table {
    ($( $variant:ident, $code:expr, $description:literal; )*) => {
        /// Every result, in number order.
        pub(crate) const TABLE: &[Entry] = &[
            $( Entry { result: hedui_result::$variant, code: $code, description: $description }, )*
        ];
    };
}

/// The result of every fallible hedui call.
///
/// Numbers are fixed and never renumbered or reused; new codes only ever get new numbers.
/// Ranges: `0` success; `1xxx` the call's arguments (NULL pointer, invalid UTF-8, NUL inside
/// text given with its length, malformed time); `2xxx` input documents (JSON, identifiers, rulebook, calendar); `3xxx` authorization
/// (R1); `4xxx` entrustment and pre-check (R1, R2); `5xxx` verification and report (R3, R6,
/// R7, R9); `6xxx` population rules (R4, R5, R8); `7xxx` records and security (R10, R11);
/// `9xxx` internal errors. In each area `x999` stands for a hedui error code this build has
/// no number for yet: `hedui_last_error_code` still gives its exact code.
///
/// `hedui_error_message` describes each number; `hedui_last_error_message` gives the detail
/// of the last failure on the calling thread.
// generated: begin (HEDUI_BLESS=1 cargo test -p hedui-ffi result_table)
#[rustfmt::skip]
#[repr(u32)]
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(
    non_camel_case_types,
    reason = "C naming: the header type is `hedui_result`"
)]
pub enum hedui_result {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL (code `null_pointer`).
    NullPointer = 1000,
    /// A text argument is not valid UTF-8 (code `input_utf8`).
    InvalidUtf8 = 1001,
    /// A time argument is not an RFC 3339 date-time (code `invalid_time`).
    InvalidTime = 1002,
    /// An argument is not allowed (code `invalid_argument`).
    InvalidArgument = 1003,
    /// A date argument is not a YYYY-MM-DD date (code `invalid_date`).
    InvalidDate = 1004,
    /// A text argument given with its length holds a NUL byte (code `input_nul`).
    InputNul = 1005,
    /// Invalid JSON, or JSON without the document's shape (code `input_json`).
    InputJson = 2000,
    /// The input does not hold together (code `input_inconsistent`).
    InputInconsistent = 2001,
    /// A rulebook value is out of range (code `input_rulebook`).
    InputRulebook = 2002,
    /// A line of the input is longer than the reader's maximum (code `input_line_too_long`).
    InputLineTooLong = 2003,
    /// R11: a security setting of the rulebook is outside its policy bounds (code `rulebook_out_of_bounds`).
    RulebookOutOfBounds = 2004,
    /// A JSON array where the document's shape has an object (code `input_array_for_object`).
    InputArrayForObject = 2005,
    /// A key that appears twice in one JSON object (code `input_duplicate_key`).
    InputDuplicateKey = 2006,
    /// Text after the end of the JSON document (code `input_trailing_data`).
    InputTrailingData = 2007,
    /// The input exceeds a limit of the rulebook (code `input_limit_exceeded`).
    InputLimitExceeded = 2008,
    /// Resident id of the wrong length (code `id_resident_length`).
    IdResidentLength = 2100,
    /// Resident id with an invalid character (code `id_resident_character`).
    IdResidentCharacter = 2101,
    /// Resident id with an invalid region code (code `id_resident_region`).
    IdResidentRegion = 2102,
    /// Resident id with a birth date that does not exist (code `id_resident_birth_date`).
    IdResidentBirthDate = 2103,
    /// Resident id with a wrong check character (code `id_resident_checksum`).
    IdResidentChecksum = 2104,
    /// Credit code of the wrong length (code `id_credit_length`).
    IdCreditLength = 2105,
    /// Credit code with an invalid character (code `id_credit_character`).
    IdCreditCharacter = 2106,
    /// Credit code with a wrong check character (code `id_credit_checksum`).
    IdCreditChecksum = 2107,
    /// Not a six-digit GB/T 2260 region code (code `id_region`).
    IdRegion = 2108,
    /// A first-generation 15-digit resident id where the rulebook refuses them (code `id_resident_legacy`).
    IdResidentLegacy = 2109,
    /// Resident id with a birth date after the day of verification or before the rulebook's floor (code `id_resident_birth_out_of_range`).
    IdResidentBirthOutOfRange = 2110,
    /// Calendar day listed as both holiday and working day (code `calendar_conflicting_day`).
    CalendarConflictingDay = 2200,
    /// Adjusted working day that is not a weekend day (code `calendar_adjusted_day_not_weekend`).
    CalendarAdjustedDayNotWeekend = 2201,
    /// Calendar day outside the covered years (code `calendar_day_outside_covered_years`).
    CalendarDayOutsideCoveredYears = 2202,
    /// Calendar year covered twice (code `calendar_duplicate_year`).
    CalendarDuplicateYear = 2203,
    /// Calendar year without a source (code `calendar_missing_source`).
    CalendarMissingSource = 2204,
    /// A table that the case-table layout does not have (code `table_unknown`).
    TableUnknown = 2300,
    /// A filled cell in a column that the table's layout does not have (code `table_unknown_column`).
    TableUnknownColumn = 2301,
    /// A cell that does not read as its column's type (code `table_cell`).
    TableCell = 2302,
    /// A row without the key that joins it to its case (code `table_missing_key`).
    TableMissingKey = 2303,
    /// A row whose key joins it to nothing (code `table_orphan_row`).
    TableOrphanRow = 2304,
    /// A second row where a case has only one (code `table_duplicate_row`).
    TableDuplicateRow = 2305,
    /// A table column whose data type the case-table reader does not take (code `table_column_type`).
    TableColumnType = 2306,
    /// A case value that no column of the case-table layout holds (code `table_uncovered`).
    TableUncovered = 2307,
    /// A file that cannot be read as an Excel .xlsx workbook of case tables (code `table_workbook`).
    TableWorkbook = 2310,
    /// Input error.
    InputOther = 2999,
    /// R1 authorize-before-entrust: the authorization has defects (code `authorization_defective`).
    AuthorizationDefective = 3000,
    /// R1 authorize-before-entrust: no authorization letter on file (code `authorization_missing`).
    AuthorizationMissing = 3001,
    /// R1 authorize-before-entrust: the authorization is for another household (code `authorization_wrong_household`).
    AuthorizationWrongHousehold = 3002,
    /// Authorization error.
    AuthorizationOther = 3999,
    /// R1: the entrustment names another authorization (code `entrustment_authorization_mismatch`).
    EntrustmentAuthorizationMismatch = 4000,
    /// R1: the entrustment requests a category the authorization does not cover (code `entrustment_scope_widened`).
    EntrustmentScopeWidened = 4001,
    /// R2 no-entrust-no-check: no entrustment letter (code `entrustment_missing`).
    EntrustmentMissing = 4002,
    /// R1: the entrustment was issued before the authorization was signed (code `entrustment_before_authorization`).
    EntrustmentBeforeAuthorization = 4003,
    /// R2: the entrustment is addressed to another agency (code `entrustment_wrong_agency`).
    EntrustmentWrongAgency = 4004,
    /// R2: the entrustment does not name the subject (code `entrustment_subject_not_named`).
    EntrustmentSubjectNotNamed = 4005,
    /// R2: the entrustment was withdrawn (code `entrustment_withdrawn`).
    EntrustmentWithdrawn = 4006,
    /// R2: the entrustment is not in force (code `entrustment_not_in_force`).
    EntrustmentNotInForce = 4007,
    /// R2 pre-check: no pre-check recorded (code `precheck_missing`).
    PrecheckMissing = 4008,
    /// R2 pre-check: the pre-check did not pass (code `precheck_failed`).
    PrecheckFailed = 4009,
    /// The entrustment's purpose does not fit the case (code `entrustment_purpose_invalid`).
    EntrustmentPurposeInvalid = 4010,
    /// R1: the entrustment names a subject who did not sign the authorization (code `entrustment_subject_not_authorized`).
    EntrustmentSubjectNotAuthorized = 4011,
    /// R3 verify-not-determine: an appeal reason states an eligibility conclusion (code `verdict_in_appeal_reason`).
    VerdictInAppealReason = 4050,
    /// R7: a field visit's investigator has no operator id (code `field_visit_investigator_unidentified`).
    FieldVisitInvestigatorUnidentified = 4051,
    /// R7: a field visit lists one operator twice as its investigators (code `field_visit_same_investigator`).
    FieldVisitSameInvestigator = 4052,
    /// R7: a field visit records no member present (code `field_visit_no_member_present`).
    FieldVisitNoMemberPresent = 4053,
    /// R7: a member present at a field visit did not sign the record (code `field_visit_signature_missing`).
    FieldVisitSignatureMissing = 4054,
    /// R7: a field visit's record is signed by someone not recorded as present (code `field_visit_signer_absent`).
    FieldVisitSignerAbsent = 4055,
    /// R7: a field visit is dated outside the verification (code `field_visit_outside_window`).
    FieldVisitOutsideWindow = 4056,
    /// R3: a report used by a unit other than the entrusting one (code `report_use_other_unit`).
    ReportUseOtherUnit = 4057,
    /// R3: a report used outside its entrusted purpose and its data's scope of use (code `report_use_outside_scope`).
    ReportUseOutsideScope = 4058,
    /// Entrustment error.
    EntrustmentOther = 4999,
    /// R6 minimum scope: a field outside the sharing agreement (code `field_outside_agreement`).
    FieldOutsideAgreement = 5000,
    /// A fact that does not belong to its category (code `fact_kind_mismatch`).
    FactKindMismatch = 5001,
    /// R6 own level first: an answer the plan did not ask for (code `response_unplanned`).
    ResponseUnplanned = 5002,
    /// An answer about someone the entrustment does not name (code `response_unknown_subject`).
    ResponseUnknownSubject = 5003,
    /// Two answers for one category and member (code `response_duplicate`).
    ResponseDuplicate = 5004,
    /// Times out of order (code `chronology`).
    Chronology = 5005,
    /// R7: a field visit needs 2 investigators (code `field_visit_understaffed`).
    FieldVisitUnderstaffed = 5006,
    /// An amount sum overflows (code `amount_overflow`).
    AmountOverflow = 5007,
    /// R9 appeal recheck: the link to the disputed report is invalid (code `appeal_link`).
    AppealLink = 5008,
    /// R3 verify-not-determine: text for the report states an eligibility conclusion (code `verdict_in_text`).
    VerdictInText = 5009,
    /// R10 records: the report's canonical form cannot be written, so it cannot be sealed (code `report_unsealable`).
    ReportUnsealable = 5010,
    /// Verification error.
    VerificationOther = 5999,
    /// A required field of a record is empty (code `population_empty_field`).
    PopulationEmptyField = 6000,
    /// The same record id appears more than once (code `population_duplicate_record`).
    PopulationDuplicateRecord = 6001,
    /// A record lies outside the audited jurisdiction (code `population_outside_jurisdiction`).
    PopulationOutsideJurisdiction = 6002,
    /// R5: an application lists no household members (code `coverage_no_members`).
    CoverageNoMembers = 6003,
    /// R8 periodic recheck: a recheck date outside the supported calendar (code `recheck_date_out_of_range`).
    RecheckDateOutOfRange = 6004,
    /// R8: a household last checked after the as-of date (code `recheck_checked_after_as_of`).
    RecheckCheckedAfterAsOf = 6005,
    /// R8: a recheck batch must hold at least 1 household (code `recheck_batch_size_zero`).
    RecheckBatchSizeZero = 6006,
    /// R4 emergency-first-relief: the case is not marked as an emergency (code `relief_not_emergency`).
    ReliefNotEmergency = 6007,
    /// R4: relief must be a positive amount (code `relief_amount_not_positive`).
    ReliefAmountNotPositive = 6008,
    /// R4: no relief ledger entry has this reference (code `relief_followup_unknown`).
    ReliefFollowupUnknown = 6009,
    /// R4: the follow-up was already closed (code `relief_followup_already_closed`).
    ReliefFollowupAlreadyClosed = 6010,
    /// R4: the follow-up report was made for another purpose (code `relief_followup_wrong_purpose`).
    ReliefFollowupWrongPurpose = 6011,
    /// R4: the follow-up report verified another household (code `relief_followup_wrong_household`).
    ReliefFollowupWrongHousehold = 6012,
    /// R4: the follow-up report follows up another relief (code `relief_followup_reference_mismatch`).
    ReliefFollowupReferenceMismatch = 6013,
    /// R4: the follow-up is dated before the relief (code `relief_followup_before_relief`).
    ReliefFollowupBeforeRelief = 6014,
    /// R4: the follow-up report does not verify (code `relief_followup_report_unverified`).
    ReliefFollowupReportUnverified = 6015,
    /// Population rule error.
    PopulationOther = 6999,
    /// R11 security: the body is not a verification agency (code `security_not_agency`).
    SecurityNotAgency = 7000,
    /// R11: the account is not real-name registered (code `security_not_registered`).
    SecurityNotRegistered = 7001,
    /// R11: no signed confidentiality agreement (code `security_confidentiality_unsigned`).
    SecurityConfidentialityUnsigned = 7002,
    /// R11: the account has no password set (code `security_password_not_set`).
    SecurityPasswordNotSet = 7003,
    /// R11: a weak password (code `security_weak_password`).
    SecurityWeakPassword = 7004,
    /// A password salt of the wrong length (code `security_salt_length`).
    SecuritySaltLength = 7005,
    /// R11: a wrong password (code `security_wrong_password`).
    SecurityWrongPassword = 7006,
    /// R11: the account is locked after failed logins (code `security_account_locked`).
    SecurityAccountLocked = 7007,
    /// R11: the account is not active (code `security_account_inactive`).
    SecurityAccountInactive = 7008,
    /// R11: the permission check denied the action (code `permission_denied`).
    PermissionDenied = 7009,
    /// The audit key is too short (code `audit_key_length`).
    AuditKeyLength = 7010,
    /// An audit event's time cannot be recorded (code `audit_time_invalid`).
    AuditTimeInvalid = 7011,
    /// R11: the audit chain was changed, cut or reordered (code `audit_chain_broken`).
    AuditChainBroken = 7012,
    /// A line of a JSONL audit log is empty, malformed or not canonical (code `audit_line_invalid`).
    AuditLineInvalid = 7013,
    /// R10 records: the document is already archived with other metadata (code `archive_conflict`).
    ArchiveConflict = 7014,
    /// R10: the document is not archived (code `archive_not_found`).
    ArchiveNotFound = 7015,
    /// R10: documents are missing from the archive or misfiled (code `archive_incomplete`).
    ArchiveIncomplete = 7016,
    /// R10: the document's retention period has not ended (code `archive_retention`).
    ArchiveRetention = 7017,
    /// A report-signing key cannot be used (code `signing_key_invalid`).
    SigningKeyInvalid = 7018,
    /// A report signature names a key that is not trusted (code `signature_unknown_key`).
    SignatureUnknownKey = 7019,
    /// A report signature does not verify (code `signature_invalid`).
    SignatureInvalid = 7020,
    /// R11: a password hash with a pbkdf2 iteration count outside the policy bounds (code `security_hash_iterations`).
    SecurityHashIterations = 7021,
    /// R11: an audit event is dated before the entry it would follow (code `audit_time_backwards`).
    AuditTimeBackwards = 7022,
    /// R11: a report taken as evidence carries no signature (code `evidence_unsigned`).
    EvidenceUnsigned = 7030,
    /// R11: a report taken as evidence is signed by a key that is not trusted (code `evidence_unknown_key`).
    EvidenceUnknownKey = 7031,
    /// R11: a report taken as evidence has a signature that does not verify (code `evidence_bad_signature`).
    EvidenceBadSignature = 7032,
    /// R11: the audit chain is shorter than its stored head: entries were cut off the end (code `audit_chain_truncated`).
    AuditChainTruncated = 7040,
    /// R11: the audit chain was rolled back to an older copy and written on (code `audit_chain_rolled_back`).
    AuditChainRolledBack = 7041,
    /// R11: the audit log is another chain than the one expected (code `audit_chain_swapped`).
    AuditChainSwapped = 7042,
    /// R11: entries of another audit chain were spliced in (code `audit_chain_spliced`).
    AuditChainSpliced = 7043,
    /// R11: an audit entry is dated before the entry it follows (code `audit_chain_backdated`).
    AuditChainBackdated = 7044,
    /// R11: an audit entry names a key the keyring does not hold (code `audit_key_unknown`).
    AuditKeyUnknown = 7045,
    /// An audit log in a format this version does not read (code `audit_format_unsupported`).
    AuditFormatUnsupported = 7046,
    /// An audit chain id or key id cannot be used (code `audit_id_invalid`).
    AuditIdInvalid = 7047,
    /// The audit keyring holds no key (code `audit_keyring_empty`).
    AuditKeyringEmpty = 7048,
    /// A signed audit head's signature is not from a trusted key or does not verify (code `audit_head_signature_invalid`).
    AuditHeadSignatureInvalid = 7049,
    /// R11: audit entries are younger than the log retention period (code `log_retention_not_elapsed`).
    LogRetentionNotElapsed = 7070,
    /// R11: a log disposal names an entry the log does not hold (code `log_disposal_unknown_entry`).
    LogDisposalUnknownEntry = 7071,
    /// R11: a stored audit head names an entry that was disposed of (code `audit_head_disposed`).
    AuditHeadDisposed = 7072,
    /// R11: a report's digest does not match its content under the algorithm it names (code `report_digest_mismatch`).
    ReportDigestMismatch = 7100,
    /// A signature's algorithm is not its key's (code `signature_algorithm_mismatch`).
    SignatureAlgorithmMismatch = 7101,
    /// A document-sealing key cannot be used (code `seal_key_invalid`).
    SealKeyInvalid = 7102,
    /// A sealed document is not a well-formed envelope (code `seal_envelope_malformed`).
    SealEnvelopeMalformed = 7103,
    /// A sealed document was sealed under another key (code `seal_wrong_key`).
    SealWrongKey = 7104,
    /// A sealed document does not authenticate (code `seal_open_failed`).
    SealOpenFailed = 7105,
    /// R11: an audit entry's MAC algorithm is not its key's (code `audit_mac_algorithm_mismatch`).
    AuditMacAlgorithmMismatch = 7106,
    /// R10: the QR code of a printed report does not hold a printed-copy payload (code `printed_payload_invalid`).
    PrintedPayloadInvalid = 7130,
    /// R10: the printed-copy payload of a report does not fit in a QR code (code `printed_code_too_long`).
    PrintedCodeTooLong = 7131,
    /// Records or security error.
    SecurityOther = 7999,
    /// Internal error in hedui (a panic was caught) (code `panic`).
    Panic = 9000,
    /// The output holds a NUL byte, which a C string cannot carry (code `output_nul`).
    OutputNul = 9001,
    /// Internal error.
    InternalOther = 9999,
}

table! {
    Ok, None, "success";
    NullPointer, Some(c"null_pointer"), "a required pointer argument was NULL";
    InvalidUtf8, Some(c"input_utf8"), "a text argument is not valid UTF-8";
    InvalidTime, Some(c"invalid_time"), "a time argument is not an RFC 3339 date-time";
    InvalidArgument, Some(c"invalid_argument"), "an argument is not allowed";
    InvalidDate, Some(c"invalid_date"), "a date argument is not a YYYY-MM-DD date";
    InputNul, Some(c"input_nul"), "a text argument given with its length holds a NUL byte";
    InputJson, Some(c"input_json"), "invalid JSON, or JSON without the document's shape";
    InputInconsistent, Some(c"input_inconsistent"), "the input does not hold together";
    InputRulebook, Some(c"input_rulebook"), "a rulebook value is out of range";
    InputLineTooLong, Some(c"input_line_too_long"), "a line of the input is longer than the reader's maximum";
    RulebookOutOfBounds, Some(c"rulebook_out_of_bounds"), "R11: a security setting of the rulebook is outside its policy bounds";
    InputArrayForObject, Some(c"input_array_for_object"), "a JSON array where the document's shape has an object";
    InputDuplicateKey, Some(c"input_duplicate_key"), "a key that appears twice in one JSON object";
    InputTrailingData, Some(c"input_trailing_data"), "text after the end of the JSON document";
    InputLimitExceeded, Some(c"input_limit_exceeded"), "the input exceeds a limit of the rulebook";
    IdResidentLength, Some(c"id_resident_length"), "resident id of the wrong length";
    IdResidentCharacter, Some(c"id_resident_character"), "resident id with an invalid character";
    IdResidentRegion, Some(c"id_resident_region"), "resident id with an invalid region code";
    IdResidentBirthDate, Some(c"id_resident_birth_date"), "resident id with a birth date that does not exist";
    IdResidentChecksum, Some(c"id_resident_checksum"), "resident id with a wrong check character";
    IdCreditLength, Some(c"id_credit_length"), "credit code of the wrong length";
    IdCreditCharacter, Some(c"id_credit_character"), "credit code with an invalid character";
    IdCreditChecksum, Some(c"id_credit_checksum"), "credit code with a wrong check character";
    IdRegion, Some(c"id_region"), "not a six-digit GB/T 2260 region code";
    IdResidentLegacy, Some(c"id_resident_legacy"), "a first-generation 15-digit resident id where the rulebook refuses them";
    IdResidentBirthOutOfRange, Some(c"id_resident_birth_out_of_range"), "resident id with a birth date after the day of verification or before the rulebook's floor";
    CalendarConflictingDay, Some(c"calendar_conflicting_day"), "calendar day listed as both holiday and working day";
    CalendarAdjustedDayNotWeekend, Some(c"calendar_adjusted_day_not_weekend"), "adjusted working day that is not a weekend day";
    CalendarDayOutsideCoveredYears, Some(c"calendar_day_outside_covered_years"), "calendar day outside the covered years";
    CalendarDuplicateYear, Some(c"calendar_duplicate_year"), "calendar year covered twice";
    CalendarMissingSource, Some(c"calendar_missing_source"), "calendar year without a source";
    TableUnknown, Some(c"table_unknown"), "a table that the case-table layout does not have";
    TableUnknownColumn, Some(c"table_unknown_column"), "a filled cell in a column that the table's layout does not have";
    TableCell, Some(c"table_cell"), "a cell that does not read as its column's type";
    TableMissingKey, Some(c"table_missing_key"), "a row without the key that joins it to its case";
    TableOrphanRow, Some(c"table_orphan_row"), "a row whose key joins it to nothing";
    TableDuplicateRow, Some(c"table_duplicate_row"), "a second row where a case has only one";
    TableColumnType, Some(c"table_column_type"), "a table column whose data type the case-table reader does not take";
    TableUncovered, Some(c"table_uncovered"), "a case value that no column of the case-table layout holds";
    TableWorkbook, Some(c"table_workbook"), "a file that cannot be read as an Excel .xlsx workbook of case tables";
    InputOther, None, "input error";
    AuthorizationDefective, Some(c"authorization_defective"), "R1 authorize-before-entrust: the authorization has defects";
    AuthorizationMissing, Some(c"authorization_missing"), "R1 authorize-before-entrust: no authorization letter on file";
    AuthorizationWrongHousehold, Some(c"authorization_wrong_household"), "R1 authorize-before-entrust: the authorization is for another household";
    AuthorizationOther, None, "authorization error";
    EntrustmentAuthorizationMismatch, Some(c"entrustment_authorization_mismatch"), "R1: the entrustment names another authorization";
    EntrustmentScopeWidened, Some(c"entrustment_scope_widened"), "R1: the entrustment requests a category the authorization does not cover";
    EntrustmentMissing, Some(c"entrustment_missing"), "R2 no-entrust-no-check: no entrustment letter";
    EntrustmentBeforeAuthorization, Some(c"entrustment_before_authorization"), "R1: the entrustment was issued before the authorization was signed";
    EntrustmentWrongAgency, Some(c"entrustment_wrong_agency"), "R2: the entrustment is addressed to another agency";
    EntrustmentSubjectNotNamed, Some(c"entrustment_subject_not_named"), "R2: the entrustment does not name the subject";
    EntrustmentWithdrawn, Some(c"entrustment_withdrawn"), "R2: the entrustment was withdrawn";
    EntrustmentNotInForce, Some(c"entrustment_not_in_force"), "R2: the entrustment is not in force";
    PrecheckMissing, Some(c"precheck_missing"), "R2 pre-check: no pre-check recorded";
    PrecheckFailed, Some(c"precheck_failed"), "R2 pre-check: the pre-check did not pass";
    EntrustmentPurposeInvalid, Some(c"entrustment_purpose_invalid"), "the entrustment's purpose does not fit the case";
    EntrustmentSubjectNotAuthorized, Some(c"entrustment_subject_not_authorized"), "R1: the entrustment names a subject who did not sign the authorization";
    VerdictInAppealReason, Some(c"verdict_in_appeal_reason"), "R3 verify-not-determine: an appeal reason states an eligibility conclusion";
    FieldVisitInvestigatorUnidentified, Some(c"field_visit_investigator_unidentified"), "R7: a field visit's investigator has no operator id";
    FieldVisitSameInvestigator, Some(c"field_visit_same_investigator"), "R7: a field visit lists one operator twice as its investigators";
    FieldVisitNoMemberPresent, Some(c"field_visit_no_member_present"), "R7: a field visit records no member present";
    FieldVisitSignatureMissing, Some(c"field_visit_signature_missing"), "R7: a member present at a field visit did not sign the record";
    FieldVisitSignerAbsent, Some(c"field_visit_signer_absent"), "R7: a field visit's record is signed by someone not recorded as present";
    FieldVisitOutsideWindow, Some(c"field_visit_outside_window"), "R7: a field visit is dated outside the verification";
    ReportUseOtherUnit, Some(c"report_use_other_unit"), "R3: a report used by a unit other than the entrusting one";
    ReportUseOutsideScope, Some(c"report_use_outside_scope"), "R3: a report used outside its entrusted purpose and its data's scope of use";
    EntrustmentOther, None, "entrustment error";
    FieldOutsideAgreement, Some(c"field_outside_agreement"), "R6 minimum scope: a field outside the sharing agreement";
    FactKindMismatch, Some(c"fact_kind_mismatch"), "a fact that does not belong to its category";
    ResponseUnplanned, Some(c"response_unplanned"), "R6 own level first: an answer the plan did not ask for";
    ResponseUnknownSubject, Some(c"response_unknown_subject"), "an answer about someone the entrustment does not name";
    ResponseDuplicate, Some(c"response_duplicate"), "two answers for one category and member";
    Chronology, Some(c"chronology"), "times out of order";
    FieldVisitUnderstaffed, Some(c"field_visit_understaffed"), "R7: a field visit needs 2 investigators";
    AmountOverflow, Some(c"amount_overflow"), "an amount sum overflows";
    AppealLink, Some(c"appeal_link"), "R9 appeal recheck: the link to the disputed report is invalid";
    VerdictInText, Some(c"verdict_in_text"), "R3 verify-not-determine: text for the report states an eligibility conclusion";
    ReportUnsealable, Some(c"report_unsealable"), "R10 records: the report's canonical form cannot be written, so it cannot be sealed";
    VerificationOther, None, "verification error";
    PopulationEmptyField, Some(c"population_empty_field"), "a required field of a record is empty";
    PopulationDuplicateRecord, Some(c"population_duplicate_record"), "the same record id appears more than once";
    PopulationOutsideJurisdiction, Some(c"population_outside_jurisdiction"), "a record lies outside the audited jurisdiction";
    CoverageNoMembers, Some(c"coverage_no_members"), "R5: an application lists no household members";
    RecheckDateOutOfRange, Some(c"recheck_date_out_of_range"), "R8 periodic recheck: a recheck date outside the supported calendar";
    RecheckCheckedAfterAsOf, Some(c"recheck_checked_after_as_of"), "R8: a household last checked after the as-of date";
    RecheckBatchSizeZero, Some(c"recheck_batch_size_zero"), "R8: a recheck batch must hold at least 1 household";
    ReliefNotEmergency, Some(c"relief_not_emergency"), "R4 emergency-first-relief: the case is not marked as an emergency";
    ReliefAmountNotPositive, Some(c"relief_amount_not_positive"), "R4: relief must be a positive amount";
    ReliefFollowupUnknown, Some(c"relief_followup_unknown"), "R4: no relief ledger entry has this reference";
    ReliefFollowupAlreadyClosed, Some(c"relief_followup_already_closed"), "R4: the follow-up was already closed";
    ReliefFollowupWrongPurpose, Some(c"relief_followup_wrong_purpose"), "R4: the follow-up report was made for another purpose";
    ReliefFollowupWrongHousehold, Some(c"relief_followup_wrong_household"), "R4: the follow-up report verified another household";
    ReliefFollowupReferenceMismatch, Some(c"relief_followup_reference_mismatch"), "R4: the follow-up report follows up another relief";
    ReliefFollowupBeforeRelief, Some(c"relief_followup_before_relief"), "R4: the follow-up is dated before the relief";
    ReliefFollowupReportUnverified, Some(c"relief_followup_report_unverified"), "R4: the follow-up report does not verify";
    PopulationOther, None, "population rule error";
    SecurityNotAgency, Some(c"security_not_agency"), "R11 security: the body is not a verification agency";
    SecurityNotRegistered, Some(c"security_not_registered"), "R11: the account is not real-name registered";
    SecurityConfidentialityUnsigned, Some(c"security_confidentiality_unsigned"), "R11: no signed confidentiality agreement";
    SecurityPasswordNotSet, Some(c"security_password_not_set"), "R11: the account has no password set";
    SecurityWeakPassword, Some(c"security_weak_password"), "R11: a weak password";
    SecuritySaltLength, Some(c"security_salt_length"), "a password salt of the wrong length";
    SecurityWrongPassword, Some(c"security_wrong_password"), "R11: a wrong password";
    SecurityAccountLocked, Some(c"security_account_locked"), "R11: the account is locked after failed logins";
    SecurityAccountInactive, Some(c"security_account_inactive"), "R11: the account is not active";
    PermissionDenied, Some(c"permission_denied"), "R11: the permission check denied the action";
    AuditKeyLength, Some(c"audit_key_length"), "the audit key is too short";
    AuditTimeInvalid, Some(c"audit_time_invalid"), "an audit event's time cannot be recorded";
    AuditChainBroken, Some(c"audit_chain_broken"), "R11: the audit chain was changed, cut or reordered";
    AuditLineInvalid, Some(c"audit_line_invalid"), "a line of a JSONL audit log is empty, malformed or not canonical";
    ArchiveConflict, Some(c"archive_conflict"), "R10 records: the document is already archived with other metadata";
    ArchiveNotFound, Some(c"archive_not_found"), "R10: the document is not archived";
    ArchiveIncomplete, Some(c"archive_incomplete"), "R10: documents are missing from the archive or misfiled";
    ArchiveRetention, Some(c"archive_retention"), "R10: the document's retention period has not ended";
    SigningKeyInvalid, Some(c"signing_key_invalid"), "a report-signing key cannot be used";
    SignatureUnknownKey, Some(c"signature_unknown_key"), "a report signature names a key that is not trusted";
    SignatureInvalid, Some(c"signature_invalid"), "a report signature does not verify";
    SecurityHashIterations, Some(c"security_hash_iterations"), "R11: a password hash with a pbkdf2 iteration count outside the policy bounds";
    AuditTimeBackwards, Some(c"audit_time_backwards"), "R11: an audit event is dated before the entry it would follow";
    EvidenceUnsigned, Some(c"evidence_unsigned"), "R11: a report taken as evidence carries no signature";
    EvidenceUnknownKey, Some(c"evidence_unknown_key"), "R11: a report taken as evidence is signed by a key that is not trusted";
    EvidenceBadSignature, Some(c"evidence_bad_signature"), "R11: a report taken as evidence has a signature that does not verify";
    AuditChainTruncated, Some(c"audit_chain_truncated"), "R11: the audit chain is shorter than its stored head: entries were cut off the end";
    AuditChainRolledBack, Some(c"audit_chain_rolled_back"), "R11: the audit chain was rolled back to an older copy and written on";
    AuditChainSwapped, Some(c"audit_chain_swapped"), "R11: the audit log is another chain than the one expected";
    AuditChainSpliced, Some(c"audit_chain_spliced"), "R11: entries of another audit chain were spliced in";
    AuditChainBackdated, Some(c"audit_chain_backdated"), "R11: an audit entry is dated before the entry it follows";
    AuditKeyUnknown, Some(c"audit_key_unknown"), "R11: an audit entry names a key the keyring does not hold";
    AuditFormatUnsupported, Some(c"audit_format_unsupported"), "an audit log in a format this version does not read";
    AuditIdInvalid, Some(c"audit_id_invalid"), "an audit chain id or key id cannot be used";
    AuditKeyringEmpty, Some(c"audit_keyring_empty"), "the audit keyring holds no key";
    AuditHeadSignatureInvalid, Some(c"audit_head_signature_invalid"), "a signed audit head's signature is not from a trusted key or does not verify";
    LogRetentionNotElapsed, Some(c"log_retention_not_elapsed"), "R11: audit entries are younger than the log retention period";
    LogDisposalUnknownEntry, Some(c"log_disposal_unknown_entry"), "R11: a log disposal names an entry the log does not hold";
    AuditHeadDisposed, Some(c"audit_head_disposed"), "R11: a stored audit head names an entry that was disposed of";
    ReportDigestMismatch, Some(c"report_digest_mismatch"), "R11: a report's digest does not match its content under the algorithm it names";
    SignatureAlgorithmMismatch, Some(c"signature_algorithm_mismatch"), "a signature's algorithm is not its key's";
    SealKeyInvalid, Some(c"seal_key_invalid"), "a document-sealing key cannot be used";
    SealEnvelopeMalformed, Some(c"seal_envelope_malformed"), "a sealed document is not a well-formed envelope";
    SealWrongKey, Some(c"seal_wrong_key"), "a sealed document was sealed under another key";
    SealOpenFailed, Some(c"seal_open_failed"), "a sealed document does not authenticate";
    AuditMacAlgorithmMismatch, Some(c"audit_mac_algorithm_mismatch"), "R11: an audit entry's MAC algorithm is not its key's";
    PrintedPayloadInvalid, Some(c"printed_payload_invalid"), "R10: the QR code of a printed report does not hold a printed-copy payload";
    PrintedCodeTooLong, Some(c"printed_code_too_long"), "R10: the printed-copy payload of a report does not fit in a QR code";
    SecurityOther, None, "records or security error";
    Panic, Some(c"panic"), "internal error in hedui (a panic was caught)";
    OutputNul, Some(c"output_nul"), "the output holds a NUL byte, which a C string cannot carry";
    InternalOther, None, "internal error";
}
// generated: end

/// One row of the result table: number, the code it stands for, a short description.
pub(crate) struct Entry {
    pub(crate) result: hedui_result,
    /// The stable code, or `None` for an area's catch-all (`x999`) and for success.
    pub(crate) code: Option<&'static CStr>,
    pub(crate) description: &'static str,
}

/// A result that is not a core error: success, the call's own failures, an area's catch-all,
/// internal failures. (name in the header, number, code, description)
#[cfg(test)]
pub(crate) const BINDING_RESULTS: &[(&str, u32, Option<&str>, &str)] = &[
    ("Ok", 0, None, "success"),
    (
        "NullPointer",
        1000,
        Some("null_pointer"),
        "a required pointer argument was NULL",
    ),
    (
        "InvalidTime",
        1002,
        Some("invalid_time"),
        "a time argument is not an RFC 3339 date-time",
    ),
    (
        "InvalidArgument",
        1003,
        Some("invalid_argument"),
        "an argument is not allowed",
    ),
    (
        "InvalidDate",
        1004,
        Some("invalid_date"),
        "a date argument is not a YYYY-MM-DD date",
    ),
    (
        "InputNul",
        1005,
        Some("input_nul"),
        "a text argument given with its length holds a NUL byte",
    ),
    ("InputOther", 2999, None, "input error"),
    ("AuthorizationOther", 3999, None, "authorization error"),
    ("EntrustmentOther", 4999, None, "entrustment error"),
    ("VerificationOther", 5999, None, "verification error"),
    ("PopulationOther", 6999, None, "population rule error"),
    ("SecurityOther", 7999, None, "records or security error"),
    (
        "Panic",
        9000,
        Some("panic"),
        "internal error in hedui (a panic was caught)",
    ),
    (
        "OutputNul",
        9001,
        Some("output_nul"),
        "the output holds a NUL byte, which a C string cannot carry",
    ),
    ("InternalOther", 9999, None, "internal error"),
];

/// Header names that differ from the code's UpperCamelCase (kept so hosts keep compiling).
#[cfg(test)]
pub(crate) const NAME_OVERRIDES: &[(&str, &str)] = &[("input_utf8", "InvalidUtf8")];

impl hedui_result {
    /// The table row of this result.
    pub(crate) fn entry(self) -> Option<&'static Entry> {
        TABLE.iter().find(|e| e.result == self)
    }

    /// The result with number `n`, if there is one.
    pub(crate) fn from_u32(n: u32) -> Option<Self> {
        TABLE
            .iter()
            .find(|e| e.result as u32 == n)
            .map(|e| e.result)
    }

    /// The result for a failure, and the failure's code as a C string when the table has it.
    pub(crate) fn of(failure: &Failure) -> (Self, Option<&'static CStr>) {
        let code = failure.code();
        if let Some(e) = TABLE
            .iter()
            .find(|e| e.code.is_some_and(|c| c.to_bytes() == code.as_bytes()))
        {
            return (e.result, e.code);
        }
        let fallback = match failure.area() {
            Area::Argument => hedui_result::InvalidArgument,
            Area::Input => hedui_result::InputOther,
            Area::Authorization => hedui_result::AuthorizationOther,
            Area::Entrustment => hedui_result::EntrustmentOther,
            Area::Verification => hedui_result::VerificationOther,
            Area::Population => hedui_result::PopulationOther,
            Area::Security => hedui_result::SecurityOther,
            Area::Internal => hedui_result::InternalOther,
        };
        (fallback, None)
    }
}

#[cfg(test)]
#[path = "result_gen.rs"]
mod result_gen;
