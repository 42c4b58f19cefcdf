//! Errors of the population rules (R4, R5, R8).

use time::Date;

use super::catalog::{error_catalog, rules};
use crate::agency::Purpose;
use crate::id::RegionCode;

error_catalog! {
    /// Population rules run over a whole caseload: R4 emergency-first-relief, R5 full coverage
    /// and R8 periodic recheck (N §二(一)). Batch functions report these per record, with the
    /// record's position, and go on with the good records.
    pub enum PopulationError in Population {
        /// A required text field is empty.
        EmptyField {
            /// The kind of record (`application`, `household`, ...).
            record: &'static str,
            /// The empty field.
            field: &'static str,
        }
            => "population_empty_field", 6000, None,
            "a required field of a record is empty",
            ("{record} field `{field}` is empty");
        /// The same id appears more than once in one input.
        DuplicateRecord {
            /// The kind of record.
            record: &'static str,
            /// The repeated id.
            id: String,
            /// 0-based position of the first occurrence.
            first_position: usize,
        }
            => "population_duplicate_record", 6001, None,
            "the same record id appears more than once",
            ("{record} `{id}` appears more than once, first at position {first_position}");
        /// A record lies in a region outside the audited jurisdiction.
        OutsideJurisdiction {
            /// The kind of record.
            record: &'static str,
            /// Application id or household id.
            id: String,
            /// The record's region.
            region: RegionCode,
        }
            => "population_outside_jurisdiction", 6002, None,
            "a record lies outside the audited jurisdiction",
            ("{record} `{id}` is in region `{region}`, outside the audited jurisdiction");
        /// An application lists no household members, so its coverage cannot be measured.
        NoMembers {
            /// Application id.
            application: String,
        }
            => "coverage_no_members", 6003, None,
            "R5: an application lists no household members",
            ("application `{application}` lists no household members");
        /// A recheck date falls outside the dates the calendar supports.
        RecheckDateOutOfRange {
            /// Household id.
            household: String,
        }
            => "recheck_date_out_of_range", 6004, Some(rules::R8),
            "R8 periodic recheck: a recheck date outside the supported calendar",
            ("the recheck date of household `{household}` falls outside the supported calendar");
        /// The household's last check is dated after the as-of date of the schedule.
        CheckedAfterAsOf {
            /// Household id.
            household: String,
            /// Date of the last check.
            last_checked: Date,
            /// The schedule's as-of date.
            as_of: Date,
        }
            => "recheck_checked_after_as_of", 6005, None,
            "R8: a household last checked after the as-of date",
            ("household `{household}` was last checked on {last_checked}, after the as-of date {as_of}");
        /// A recheck batch must hold at least one household.
        BatchSizeZero
            => "recheck_batch_size_zero", 6006, None,
            "R8: a recheck batch must hold at least 1 household",
            ("a recheck batch must hold at least 1 household");
        /// R4: relief before verification for a case not marked as an emergency.
        ReliefNotEmergency {
            /// Case id.
            case: String,
        }
            => "relief_not_emergency", 6007, Some(rules::R4),
            "R4 emergency-first-relief: the case is not marked as an emergency",
            ("case `{case}` is not marked as an emergency (救急难), so relief cannot come before verification");
        /// Relief must be a positive amount of fen.
        ReliefAmountNotPositive {
            /// Case id.
            case: String,
            /// The amount given.
            amount_fen: i64,
        }
            => "relief_amount_not_positive", 6008, None,
            "R4: relief must be a positive amount",
            ("relief for case `{case}` must be a positive amount in fen, got {amount_fen}");
        /// No ledger entry has this relief reference.
        FollowUpUnknown {
            /// The relief reference asked for.
            reference: String,
        }
            => "relief_followup_unknown", 6009, None,
            "R4: no relief ledger entry has this reference",
            ("the relief ledger has no entry `{reference}`");
        /// The follow-up was already closed.
        FollowUpAlreadyClosed {
            /// Relief reference.
            reference: String,
            /// Report that closed it.
            report: String,
        }
            => "relief_followup_already_closed", 6010, None,
            "R4: the follow-up was already closed",
            ("the follow-up of relief `{reference}` was already closed by report `{report}`");
        /// R4: the report offered to close a follow-up was made for another purpose.
        FollowUpWrongPurpose {
            /// Relief reference.
            reference: String,
            /// Report number.
            report: String,
            /// The report's purpose.
            purpose: Purpose,
        }
            => "relief_followup_wrong_purpose", 6011, Some(rules::R4),
            "R4: the follow-up report was made for another purpose",
            ("report `{report}` offered for relief `{reference}` was made for purpose `{}`, not `emergency_follow_up`", purpose.as_str());
        /// R4: the report verified another household than the one relieved.
        FollowUpWrongHousehold {
            /// Relief reference.
            reference: String,
            /// Report number.
            report: String,
            /// Household relieved.
            expected: String,
            /// Household the report verified.
            found: String,
        }
            => "relief_followup_wrong_household", 6012, Some(rules::R4),
            "R4: the follow-up report verified another household",
            ("report `{report}` verified household `{found}`, but relief `{reference}` went to household `{expected}`");
        /// R4: the report follows up another relief entry.
        FollowUpReferenceMismatch {
            /// Relief reference being closed.
            reference: String,
            /// Report number.
            report: String,
            /// Relief reference the report names.
            found: String,
        }
            => "relief_followup_reference_mismatch", 6013, Some(rules::R4),
            "R4: the follow-up report follows up another relief",
            ("report `{report}` follows up relief `{found}`, not `{reference}`");
        /// R4: the follow-up is dated before the relief it follows up.
        FollowUpBeforeRelief {
            /// Relief reference.
            reference: String,
            /// Date of the relief.
            relieved_on: Date,
            /// Date given for the follow-up.
            closed_on: Date,
        }
            => "relief_followup_before_relief", 6014, Some(rules::R4),
            "R4: the follow-up is dated before the relief",
            ("follow-up of relief `{reference}` is dated {closed_on}, before the relief on {relieved_on}");
        /// R4: the report offered to close a follow-up does not verify against its digest or
        /// names no relief.
        FollowUpReportUnverified {
            /// Report number.
            report: String,
            /// What is wrong.
            reason: String,
        }
            => "relief_followup_report_unverified", 6015, Some(rules::R4),
            "R4: the follow-up report does not verify",
            ("report `{report}` cannot close a follow-up: {reason}");
    }
}
