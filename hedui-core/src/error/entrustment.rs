//! R1 / R2: the entrustment or its pre-check does not allow the verification to start; R7:
//! the field visit the entrusting unit returns is not recorded as the rules define it.

use time::Date;

use super::catalog::{Rule, error_catalog, rules};
use crate::category::DataCategory;

error_catalog! {
    /// R1 / R2: the entrustment or its pre-check does not allow the verification to start; R7:
    /// the field visit the entrusting unit returns for it is not recorded as the rules define
    /// it (the offline investigation is the entrusting unit's part of the entrustment).
    pub enum EntrustmentError in Entrustment {
        /// R1: the entrustment is not backed by the authorization it names.
        AuthorizationMismatch {
            /// Entrustment number.
            entrustment: String,
            /// Authorization number in the entrustment.
            named: String,
            /// Authorization number on file.
            found: String,
        }
            => "entrustment_authorization_mismatch", 4000, Some(rules::R1),
            "R1: the entrustment names another authorization",
            ("entrustment `{entrustment}` names authorization `{named}` but the case holds `{found}`");
        /// R1: the entrustment asks for a category the household did not authorize.
        ScopeWidened {
            /// Entrustment number.
            entrustment: String,
            /// The category outside the authorization.
            category: DataCategory,
        }
            => "entrustment_scope_widened", 4001, Some(rules::R1),
            "R1: the entrustment requests a category the authorization does not cover",
            ("entrustment `{entrustment}` requests `{category}`, which the authorization does not cover");
        /// R1: the entrustment was issued before the household signed the authorization.
        IssuedBeforeAuthorization {
            /// Entrustment number.
            entrustment: String,
            /// Issue date of the entrustment.
            issued_on: Date,
            /// Signing date of the authorization.
            signed_on: Date,
        }
            => "entrustment_before_authorization", 4003, Some(rules::R1),
            "R1: the entrustment was issued before the authorization was signed",
            ("entrustment `{entrustment}` was issued on {issued_on}, before authorization signed on {signed_on}");
        /// R2: there is no entrustment letter.
        Missing
            => "entrustment_missing", 4002, Some(rules::R2),
            "R2 no-entrust-no-check: no entrustment letter",
            ("no entrustment letter, verification cannot start");
        /// R2: the entrustment is addressed to another agency.
        WrongAgency {
            /// Entrustment number.
            entrustment: String,
            /// Agency named in the letter.
            addressed: String,
            /// Agency asked to verify.
            agency: String,
        }
            => "entrustment_wrong_agency", 4004, Some(rules::R2),
            "R2: the entrustment is addressed to another agency",
            ("entrustment `{entrustment}` is addressed to agency `{addressed}`, not `{agency}`");
        /// R2: the entrustment does not name this subject.
        SubjectNotNamed {
            /// Entrustment number.
            entrustment: String,
            /// Masked resident ID or household id.
            subject: String,
        }
            => "entrustment_subject_not_named", 4005, Some(rules::R2),
            "R2: the entrustment does not name the subject",
            ("entrustment `{entrustment}` does not name subject `{subject}`");
        /// R1: the entrustment names a member who did not authorize the check: one who does not
        /// live with the household and did not sign (co-resident members must all sign).
        SubjectNotAuthorized {
            /// Entrustment number.
            entrustment: String,
            /// Masked resident ID.
            subject: String,
        }
            => "entrustment_subject_not_authorized", 4011, Some(rules::R1),
            "R1: the entrustment names a subject who did not sign the authorization",
            ("entrustment `{entrustment}` names subject `{subject}`, who has not signed the authorization");
        /// R2: the entrustment was withdrawn.
        Withdrawn {
            /// Entrustment number.
            entrustment: String,
            /// Withdrawal date.
            on: Date,
        }
            => "entrustment_withdrawn", 4006, Some(rules::R2),
            "R2: the entrustment was withdrawn",
            ("entrustment `{entrustment}` was withdrawn on {on}");
        /// R2: the entrustment expired or is dated after the verification.
        NotInForce {
            /// Entrustment number.
            entrustment: String,
            /// Date of the verification.
            on: Date,
            /// Expired or not yet issued.
            reason: String,
        }
            => "entrustment_not_in_force", 4007, Some(rules::R2),
            "R2: the entrustment is not in force",
            ("entrustment `{entrustment}` is not in force on {on}: {reason}");
        /// R2 (N §二(二)): no recorded pre-check by the initiating agency, or one for another letter.
        PrecheckMissing {
            /// Entrustment number.
            entrustment: String,
            /// Agency expected to have checked.
            agency: String,
        }
            => "precheck_missing", 4008, Some(rules::R2_PRECHECK),
            "R2 pre-check: no pre-check recorded",
            ("no pre-check recorded for entrustment `{entrustment}` by agency `{agency}`");
        /// R2 (N §二(二)): the pre-check did not pass.
        PrecheckFailed {
            /// Entrustment number.
            entrustment: String,
            /// Responsible officer.
            officer: String,
            /// Why it did not pass.
            reason: String,
        }
            => "precheck_failed", 4009, Some(rules::R2_PRECHECK),
            "R2 pre-check: the pre-check did not pass",
            ("pre-check of entrustment `{entrustment}` by `{officer}` failed: {reason}");
        /// R4: relief-first follow-up entrustment used for a case not marked as an emergency,
        /// or an appeal recheck with no disputed report.
        PurposeInvalid {
            /// Rule and clause.
            rule: Rule,
            /// Entrustment number.
            entrustment: String,
            /// Why the purpose does not fit.
            reason: String,
        }
            => "entrustment_purpose_invalid", 4010, None,
            "the entrustment's purpose does not fit the case",
            ("{rule}: entrustment `{entrustment}` {reason}");
        /// R3: the reason an appeal recheck gives (carried into the report's header) states
        /// an eligibility conclusion. The assistance department writes it and can state the
        /// disputed facts instead; the agency's report may not carry a conclusion
        /// (N §二(一) 只核对，不认定).
        VerdictInAppealReason {
            /// Entrustment number.
            entrustment: String,
            /// The phrase found (one of the rulebook's `wording.verdict_phrases`).
            phrase: String,
        }
            => "verdict_in_appeal_reason", 4050, Some(rules::R3),
            "R3 verify-not-determine: an appeal reason states an eligibility conclusion",
            ("entrustment `{entrustment}`: `appeal.reason` states a conclusion (`{phrase}`); state the disputed facts instead");
        /// R7: an investigator of a field visit has no operator id, so nobody can tell whether
        /// two investigators were there (最低生活保障审核确认办法 Art 16).
        FieldVisitInvestigatorUnidentified {
            /// Category.
            category: DataCategory,
            /// Visit date.
            on: Date,
            /// Position of the investigator in the record.
            index: usize,
        }
            => "field_visit_investigator_unidentified", 4051, Some(rules::R7_FIELD_VISIT),
            "R7: a field visit's investigator has no operator id",
            ("field visit for `{category}` on {on}: investigator {index} has no operator id");
        /// R7: the same operator is listed twice among a field visit's investigators; two
        /// investigators means two people, whatever their names (最低生活保障审核确认办法 Art 16).
        FieldVisitSameInvestigator {
            /// Category.
            category: DataCategory,
            /// Visit date.
            on: Date,
            /// The operator id listed twice.
            operator_id: String,
        }
            => "field_visit_same_investigator", 4052, Some(rules::R7_FIELD_VISIT),
            "R7: a field visit lists one operator twice as its investigators",
            ("field visit for `{category}` on {on} lists operator `{operator_id}` twice; two distinct investigators are required");
        /// R7: a field visit records no household member present (最低生活保障审核确认办法
        /// Art 16: the members present sign the record).
        FieldVisitNoMemberPresent {
            /// Category.
            category: DataCategory,
            /// Visit date.
            on: Date,
        }
            => "field_visit_no_member_present", 4053, Some(rules::R7_FIELD_VISIT),
            "R7: a field visit records no member present",
            ("field visit for `{category}` on {on} records no household member present");
        /// R7: a member present at a field visit has no signature on the record
        /// (最低生活保障审核确认办法 Art 16).
        FieldVisitSignatureMissing {
            /// Category.
            category: DataCategory,
            /// Visit date.
            on: Date,
            /// Masked resident ID of the member.
            member: String,
        }
            => "field_visit_signature_missing", 4054, Some(rules::R7_FIELD_VISIT),
            "R7: a member present at a field visit did not sign the record",
            ("field visit for `{category}` on {on}: member `{member}` was present but has no signature recorded");
        /// R7: a signature on a field visit's record by someone not recorded as present.
        FieldVisitSignerAbsent {
            /// Category.
            category: DataCategory,
            /// Visit date.
            on: Date,
            /// Masked resident ID of the signer.
            member: String,
        }
            => "field_visit_signer_absent", 4055, Some(rules::R7_FIELD_VISIT),
            "R7: a field visit's record is signed by someone not recorded as present",
            ("field visit for `{category}` on {on}: `{member}` signed the record but is not recorded as present");
        /// R7: a field visit dated outside the verification: before the entrustment was issued
        /// or after the report (N §一(二): the visit investigates what the report leaves open).
        FieldVisitOutsideWindow {
            /// Category.
            category: DataCategory,
            /// Visit date.
            on: Date,
            /// The entrustment's issue date.
            from: Date,
            /// The report's issue date.
            to: Date,
        }
            => "field_visit_outside_window", 4056, Some(rules::R7_FIELD_VISIT),
            "R7: a field visit is dated outside the verification",
            ("field visit for `{category}` on {on} is outside the verification, {from} to {to}");
        /// R3: a report used by another unit than the one that entrusted the verification
        /// (N §二(一): the report goes to the entrusting unit only).
        ReportUseOtherUnit {
            /// Report number.
            report: String,
            /// Credit code of the unit that would use it.
            unit: String,
        }
            => "report_use_other_unit", 4057, Some(rules::R3),
            "R3: a report used by a unit other than the entrusting one",
            ("report `{report}` was issued to its entrusting unit only, not to `{unit}`");
        /// R3 / N §一(三): a report used for another purpose or programme than the entrusted
        /// one, which the scope of use of the sharing agreement behind its data does not cover.
        ReportUseOutsideScope {
            /// Report number.
            report: String,
            /// The category whose agreement does not allow the use (`None`: the report holds
            /// no department data that any agreement could widen the use for).
            category: Option<DataCategory>,
            /// The programme of the intended use.
            programme: String,
            /// The purpose of the intended use.
            purpose: String,
        }
            => "report_use_outside_scope", 4058, Some(rules::R3_SCOPE_OF_USE),
            "R3: a report used outside its entrusted purpose and its data's scope of use",
            ("report `{report}` may not serve {purpose} for {programme}: {}", category.map_or_else(|| "nothing in it is shared for that use".to_owned(), |c| format!("the sharing agreement for `{c}` does not cover that use")));
    }
}
