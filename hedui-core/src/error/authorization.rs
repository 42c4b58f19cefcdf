//! R1 先授权，后委托: what an authorization check finds wrong, and the error that lists it.

use std::fmt;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use super::catalog::{error_catalog, rules};
use crate::category::DataCategory;
use crate::household::LapseKind;

error_catalog! {
    /// R1 先授权，后委托: the authorization does not permit the verification.
    pub enum AuthorizationError in Authorization {
        /// The authorization check found defects; all of them are listed.
        Defective {
            /// The authorization number.
            number: String,
            /// Every defect found.
            defects: Vec<AuthorizationDefect>,
        }
            => "authorization_defective", 3000, Some(rules::R1),
            "R1 authorize-before-entrust: the authorization has defects",
            ("authorization `{number}` has {} defect(s): {}", defects.len(), join_defects(defects));
        /// There is no authorization letter on file.
        Missing {
            /// Household of the case.
            household: String,
        }
            => "authorization_missing", 3001, Some(rules::R1),
            "R1 authorize-before-entrust: no authorization letter on file",
            ("no authorization letter on file for household `{household}`");
        /// The authorization belongs to another household.
        WrongHousehold {
            /// The authorization number.
            number: String,
            /// Household of the case.
            expected: String,
            /// Household named by the authorization.
            found: String,
        }
            => "authorization_wrong_household", 3002, Some(rules::R1),
            "R1 authorize-before-entrust: the authorization is for another household",
            ("authorization `{number}` is for household `{found}`, not `{expected}`");
    }
}

fn join_defects(defects: &[AuthorizationDefect]) -> String {
    defects
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A defect found by [`Authorization::check`](crate::Authorization::check). Every defect is reported, not only the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuthorizationDefect {
    /// The letter names another household.
    HouseholdMismatch {
        /// Household checked against.
        expected: String,
        /// Household on the letter.
        found: String,
    },
    /// The household has no single member marked as applicant.
    NoApplicant,
    /// The applicant lacks full civil capacity.
    ApplicantLacksCapacity {
        /// Masked resident ID.
        member: String,
    },
    /// A member recorded with full capacity is too young to have it (under 16).
    CapacityInconsistentWithAge {
        /// Masked resident ID.
        member: String,
        /// Age on the check date.
        age: u32,
    },
    /// A member without full capacity has no identified guardian.
    GuardianNotIdentified {
        /// Masked resident ID.
        member: String,
    },
    /// A co-resident member (or their guardian) has not signed.
    MissingSignature {
        /// Masked resident ID.
        member: String,
    },
    /// Someone signed for a member but is not that member's guardian, or signed for a member
    /// who has full capacity and must sign in person.
    SignerNotGuardian {
        /// Masked resident ID of the member.
        member: String,
        /// Masked resident ID of the signer.
        signer: String,
    },
    /// A member without full capacity signed for themself; the guardian must sign.
    SelfSignatureWithoutCapacity {
        /// Masked resident ID.
        member: String,
    },
    /// A signer who is neither a member, a guardian, a supporter nor a supporter's spouse.
    SignerUnknown {
        /// Masked resident ID.
        signer: String,
    },
    /// A legal supporter has not signed although the programme counts support.
    MissingSupporterSignature {
        /// Masked resident ID.
        supporter: String,
    },
    /// A married supporter's spouse has not signed.
    MissingSupporterSpouseSignature {
        /// Masked resident ID of the supporter.
        supporter: String,
        /// Masked resident ID of the spouse.
        spouse: String,
    },
    /// The letter is dated after the check date.
    NotYetSigned {
        /// Signing date.
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        signed_on: Date,
    },
    /// A lapse event has occurred.
    Lapsed {
        /// The event.
        kind: LapseKind,
        /// Its date.
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        on: Date,
    },
    /// Older than the rulebook's maximum age.
    Expired {
        /// Signing date.
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        signed_on: Date,
        /// The rulebook's maximum age in months.
        max_age_months: u32,
    },
    /// A category the rulebook requires is not authorized.
    ScopeMissing {
        /// The category.
        category: DataCategory,
    },
}

impl AuthorizationDefect {
    /// Stable code of the defect.
    pub fn code(&self) -> &'static str {
        match self {
            AuthorizationDefect::HouseholdMismatch { .. } => "household_mismatch",
            AuthorizationDefect::NoApplicant => "no_applicant",
            AuthorizationDefect::ApplicantLacksCapacity { .. } => "applicant_lacks_capacity",
            AuthorizationDefect::CapacityInconsistentWithAge { .. } => {
                "capacity_inconsistent_with_age"
            }
            AuthorizationDefect::GuardianNotIdentified { .. } => "guardian_not_identified",
            AuthorizationDefect::MissingSignature { .. } => "missing_signature",
            AuthorizationDefect::SignerNotGuardian { .. } => "signer_not_guardian",
            AuthorizationDefect::SelfSignatureWithoutCapacity { .. } => {
                "self_signature_without_capacity"
            }
            AuthorizationDefect::SignerUnknown { .. } => "signer_unknown",
            AuthorizationDefect::MissingSupporterSignature { .. } => "missing_supporter_signature",
            AuthorizationDefect::MissingSupporterSpouseSignature { .. } => {
                "missing_supporter_spouse_signature"
            }
            AuthorizationDefect::NotYetSigned { .. } => "not_yet_signed",
            AuthorizationDefect::Lapsed { .. } => "lapsed",
            AuthorizationDefect::Expired { .. } => "expired",
            AuthorizationDefect::ScopeMissing { .. } => "scope_missing",
        }
    }
}

impl fmt::Display for AuthorizationDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthorizationDefect::HouseholdMismatch { expected, found } => {
                write!(f, "letter is for household `{found}`, not `{expected}`")
            }
            AuthorizationDefect::NoApplicant => f.write_str("household has no single applicant"),
            AuthorizationDefect::ApplicantLacksCapacity { member } => {
                write!(f, "applicant `{member}` lacks full civil capacity")
            }
            AuthorizationDefect::CapacityInconsistentWithAge { member, age } => {
                write!(
                    f,
                    "member `{member}` is recorded with full capacity at age {age}"
                )
            }
            AuthorizationDefect::GuardianNotIdentified { member } => {
                write!(
                    f,
                    "member `{member}` lacks full capacity and has no identified guardian"
                )
            }
            AuthorizationDefect::MissingSignature { member } => {
                write!(
                    f,
                    "member `{member}` has not signed, nor has a guardian for them"
                )
            }
            AuthorizationDefect::SignerNotGuardian { member, signer } => {
                write!(
                    f,
                    "`{signer}` signed for member `{member}` but is not their guardian"
                )
            }
            AuthorizationDefect::SelfSignatureWithoutCapacity { member } => {
                write!(
                    f,
                    "member `{member}` lacks full capacity and signed in person; the guardian must sign"
                )
            }
            AuthorizationDefect::SignerUnknown { signer } => {
                write!(
                    f,
                    "signer `{signer}` is not a member, guardian or supporter of the household"
                )
            }
            AuthorizationDefect::MissingSupporterSignature { supporter } => {
                write!(f, "legal supporter `{supporter}` has not signed")
            }
            AuthorizationDefect::MissingSupporterSpouseSignature { supporter, spouse } => {
                write!(
                    f,
                    "spouse `{spouse}` of legal supporter `{supporter}` has not signed"
                )
            }
            AuthorizationDefect::NotYetSigned { signed_on } => {
                write!(f, "letter is dated {signed_on}, after the check date")
            }
            AuthorizationDefect::Lapsed { kind, on } => {
                write!(f, "letter lapsed on {on}: {}", kind_en(*kind))
            }
            AuthorizationDefect::Expired {
                signed_on,
                max_age_months,
            } => {
                write!(
                    f,
                    "letter signed {signed_on} is older than {max_age_months} months"
                )
            }
            AuthorizationDefect::ScopeMissing { category } => {
                write!(f, "category `{category}` is not authorized")
            }
        }
    }
}

/// A lapse event in words, for the defect's message.
fn kind_en(kind: LapseKind) -> &'static str {
    match kind {
        LapseKind::MembershipChange => "membership changed",
        LapseKind::Reapplication => "household re-applied",
        LapseKind::Refusal => "application refused",
    }
}
