//! Query results, offline investigation and report assembly (R3, R6, R7, R9).

use time::Date;

use super::catalog::{error_catalog, rules};
use crate::agency::AgencyLevel;
use crate::category::DataCategory;

error_catalog! {
    /// Query results, offline investigation and report assembly (R3, R6, R7, R9).
    pub enum VerificationError in Verification {
        /// R6 minimum scope: a fact carries a field the sharing agreement does not allow.
        FieldOutsideAgreement {
            /// Category.
            category: DataCategory,
            /// Answering level.
            level: AgencyLevel,
            /// The field.
            field: String,
        }
            => "field_outside_agreement", 5000, Some(rules::R6_MINIMUM_SCOPE),
            "R6 minimum scope: a field outside the sharing agreement",
            ("`{category}` answer from the {level} level carries field `{field}` outside the agreed fields");
        /// A fact of a kind that does not belong to the category it was returned under.
        FactKindMismatch {
            /// Category.
            category: DataCategory,
            /// Fact kind.
            kind: String,
        }
            => "fact_kind_mismatch", 5001, None,
            "a fact that does not belong to its category",
            ("`{kind}` fact cannot be returned under category `{category}`");
        /// R1/R6: an answer for a category outside the entrustment's scope, or from a level the
        /// plan did not query.
        UnplannedResponse {
            /// Category.
            category: DataCategory,
            /// Answering level.
            level: AgencyLevel,
            /// What the plan says.
            planned: String,
        }
            => "response_unplanned", 5002, Some(rules::R6_OWN_LEVEL),
            "R6 own level first: an answer the plan did not ask for",
            ("answer for `{category}` from the {level} level was not planned (planned: {planned})");
        /// An answer about someone the entrustment does not name.
        UnknownSubject {
            /// Category.
            category: DataCategory,
            /// Masked resident ID.
            subject: String,
        }
            => "response_unknown_subject", 5003, None,
            "an answer about someone the entrustment does not name",
            ("answer for `{category}` concerns `{subject}`, who is not a subject of the entrustment");
        /// Two answers for the same category and member.
        DuplicateResponse {
            /// Category.
            category: DataCategory,
            /// Masked resident ID.
            subject: String,
        }
            => "response_duplicate", 5004, None,
            "two answers for one category and member",
            ("two answers for `{category}` about member `{subject}`");
        /// Times that cannot be: an answer before the query, a report before the queries.
        Chronology {
            /// What is out of order.
            message: String,
        }
            => "chronology", 5005, None,
            "times out of order",
            ("{message}");
        /// R7: a home visit needs at least two investigators (最低生活保障审核确认办法 Art 16).
        FieldVisitUnderstaffed {
            /// Category.
            category: DataCategory,
            /// Visit date.
            on: Date,
            /// Investigators recorded.
            investigators: usize,
        }
            => "field_visit_understaffed", 5006, Some(rules::R7_FIELD_VISIT),
            "R7: a field visit needs 2 investigators",
            ("field visit for `{category}` on {on} has {investigators} investigator(s); at least 2 are required");
        /// A money sum does not fit in 64 bits.
        Overflow {
            /// Which sum.
            what: &'static str,
        }
            => "amount_overflow", 5007, None,
            "an amount sum overflows",
            ("amounts for `{what}` overflow");
        /// R9: an appeal round does not link to a known report.
        AppealLink {
            /// What is wrong with the link.
            message: String,
        }
            => "appeal_link", 5008, Some(rules::R9),
            "R9 appeal recheck: the link to the disputed report is invalid",
            ("{message}");
        /// R3: text the report would carry states an eligibility conclusion.
        VerdictInText {
            /// The field holding the text (`offline_results[1].summary`).
            field: String,
            /// Category of the offline result.
            category: DataCategory,
            /// The phrase found (one of the rulebook's `wording.verdict_phrases`).
            phrase: String,
        }
            => "verdict_in_text", 5009, Some(rules::R3),
            "R3 verify-not-determine: text for the report states an eligibility conclusion",
            ("`{field}` (offline result for `{category}`) states a conclusion (`{phrase}`); the report carries facts only");
        /// R10: the report's canonical form cannot be written (an instant whose UTC offset
        /// has seconds, a year outside 0–9999), so no digest could cover all of it.
        Unsealable {
            /// Report number.
            report: String,
            /// What could not be written.
            reason: String,
        }
            => "report_unsealable", 5010, Some(rules::R10),
            "R10 records: the report's canonical form cannot be written, so it cannot be sealed",
            ("report `{report}` cannot be sealed: {reason}");
    }
}
